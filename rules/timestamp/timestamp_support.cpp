#include "rules/timestamp/timestamp_support.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "rules/rule_support.hpp"

namespace dbaudit::rules::timestamp {

namespace {

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

// Tables are the only relations with defaults and triggers worth auditing here.
bool HoldsRows(const ir::Table& table) {
  return table.kind == ir::TableKind::kTable || table.kind == ir::TableKind::kPartitionedTable;
}

// --- Current-time expressions ------------------------------------------------------------

// Removes `::type` casts: "::timestamp(3) with time zone", "::text", "::pg_catalog.text".
std::string StripCasts(const std::string& text) {
  static const std::set<std::string> kContinuations = {"with", "without", "time", "zone", "varying", "precision"};
  std::string out;
  std::size_t i = 0;
  bool in_string = false;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\'') in_string = !in_string;
    if (in_string || c != ':' || i + 1 >= text.size() || text[i + 1] != ':') {
      out += c;
      ++i;
      continue;
    }
    i += 2;
    bool first_word = true;
    while (true) {
      std::size_t j = i;
      while (j < text.size() && text[j] == ' ') ++j;
      std::size_t k = j;
      while (k < text.size() && (IsIdentChar(text[k]) || text[k] == '.' || text[k] == '"')) ++k;
      const std::string word = text.substr(j, k - j);
      if (word.empty() || (!first_word && !kContinuations.count(word))) break;
      first_word = false;
      i = k;
      // A type modifier "(3)" and array brackets belong to the type.
      if (i < text.size() && text[i] == '(') {
        const std::size_t close = text.find(')', i);
        if (close == std::string::npos) break;
        i = close + 1;
      }
      while (i + 1 < text.size() && text[i] == '[' && text[i + 1] == ']') i += 2;
    }
  }
  return out;
}

std::string RemoveSpaces(const std::string& text) {
  std::string out;
  bool in_string = false;
  for (char c : text) {
    if (c == '\'') in_string = !in_string;
    if (!in_string && std::isspace(static_cast<unsigned char>(c))) continue;
    out += c;
  }
  return out;
}

// Drops grouping parentheses (those not opening a call's argument list).
std::string RemoveGroupingParens(const std::string& text) {
  std::vector<bool> drop(text.size(), false);
  std::vector<std::size_t> stack;
  std::vector<bool> grouping;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\'') in_string = !in_string;
    if (in_string) continue;
    if (c == '(') {
      stack.push_back(i);
      grouping.push_back(i == 0 || !IsIdentChar(text[i - 1]));
    } else if (c == ')' && !stack.empty()) {
      if (grouping.back()) drop[stack.back()] = drop[i] = true;
      stack.pop_back();
      grouping.pop_back();
    }
  }
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!drop[i]) out += text[i];
  }
  return out;
}

bool IsStringLiteral(const std::string& text) {
  return text.size() >= 2 && text.front() == '\'' && text.back() == '\'' && text.find('\'', 1) == text.size() - 1;
}

// Splits "f(a,b)" into its two top-level arguments when `text` is exactly a call of `name`.
bool SplitCall2(const std::string& text, const std::string& name, std::string& first, std::string& second) {
  const std::string open = name + "(";
  if (text.rfind(open, 0) != 0 || text.back() != ')') return false;
  const std::string inside = text.substr(open.size(), text.size() - open.size() - 1);
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < inside.size(); ++i) {
    const char c = inside[i];
    if (c == '\'') in_string = !in_string;
    if (in_string) continue;
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {
      first = inside.substr(0, i);
      second = inside.substr(i + 1);
      return true;
    }
  }
  return false;
}

bool IsNow(const std::string& text, int depth) {
  if (depth > 8) return false;
  static const std::set<std::string> kNow = {"now()",
                                             "pg_catalog.now()",
                                             "current_timestamp",
                                             "localtimestamp",
                                             "clock_timestamp()",
                                             "statement_timestamp()",
                                             "transaction_timestamp()",
                                             "'now'",
                                             "pg_catalog.clock_timestamp()",
                                             "pg_catalog.statement_timestamp()",
                                             "pg_catalog.transaction_timestamp()"};
  if (kNow.count(text)) return true;
  // CURRENT_TIMESTAMP(3), LOCALTIMESTAMP(0)
  for (const std::string prefix : {"current_timestamp(", "localtimestamp("}) {
    if (text.rfind(prefix, 0) == 0 && text.back() == ')') {
      const std::string digits = text.substr(prefix.size(), text.size() - prefix.size() - 1);
      if (!digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) { return std::isdigit(c); })) {
        return true;
      }
    }
  }
  std::string first;
  std::string second;
  for (const std::string wrapper : {"timezone", "pg_catalog.timezone", "date_trunc", "pg_catalog.date_trunc"}) {
    if (SplitCall2(text, wrapper, first, second)) return IsStringLiteral(first) && IsNow(second, depth + 1);
  }
  const std::string at_time_zone = "attimezone";
  const auto at = text.rfind(at_time_zone);
  if (at != std::string::npos && at > 0) {
    return IsStringLiteral(text.substr(at + at_time_zone.size())) && IsNow(text.substr(0, at), depth + 1);
  }
  return false;
}

// --- Triggers ----------------------------------------------------------------------------

bool HasEvent(const ir::Trigger& trigger, const std::string& event) {
  return std::any_of(trigger.events.begin(), trigger.events.end(),
                     [&](const std::string& e) { return Lower(e) == Lower(event); });
}

// The trigger's function: trigger functions take no arguments, so prefer that overload.
const ir::Function* TriggerFunction(const ir::Catalog& schema, const ir::Trigger& trigger) {
  const ir::Function* found = nullptr;
  for (const auto& function : schema.functions) {
    if (function.schema != trigger.function_schema || function.name != trigger.function_name) continue;
    if (function.arguments.empty()) return &function;
    if (!found) found = &function;
  }
  return found;
}

// The columns of NEW the trigger's function assigns; nullopt when that is not known.
// contrib's moddatetime(column) (the moddatetime extension) is C code with no body to read; its
// documented effect is NEW.<its one argument> := the current time. It is recognised by that
// name only when the catalog has no function of the name or a C one, and it has one argument.
std::optional<std::vector<std::string>> AssignedColumns(const ir::Function* function, const ir::Trigger& trigger) {
  if (function && function->assigned_new_columns) return function->assigned_new_columns;
  const bool moddatetime = trigger.function_name == "moddatetime" && trigger.arguments.size() == 1 &&
                           (!function || Lower(function->language) == "c");
  if (moddatetime) return std::vector<std::string>{trigger.arguments.front()};
  return std::nullopt;
}

bool Assigns(const std::vector<std::string>& columns, const std::string& column) {
  return std::any_of(columns.begin(), columns.end(), [&](const std::string& c) { return c == column; });
}

std::string FunctionName(const ir::Trigger& trigger) {
  return trigger.function_schema.empty() ? trigger.function_name
                                         : trigger.function_schema + "." + trigger.function_name;
}

}  // namespace

std::vector<AuditedColumn> ColumnsToAudit(const Facts& facts) {
  std::vector<AuditedColumn> out;
  if (!facts.model_diff || !facts.schema || !facts.models) return out;
  const CatalogDiff& diff = *facts.model_diff;
  for (const TablePair& pair : diff.matched_tables) {
    if (!HoldsRows(*pair.right)) continue;
    for (const auto& column : pair.left->columns) {
      out.push_back({pair.left, &column, pair.right, pair.right->FindColumn(column.name)});
    }
    for (const auto& column : pair.right->columns) {
      if (!pair.left->FindColumn(column.name)) out.push_back({pair.left, nullptr, pair.right, &column});
    }
  }
  for (const ir::Table* table : diff.tables_only_left) {
    for (const auto& column : table->columns) out.push_back({table, &column, nullptr, nullptr});
  }
  for (const ir::Table* table : diff.tables_only_right) {
    if (!HoldsRows(*table)) continue;
    for (const auto& column : table->columns) out.push_back({nullptr, nullptr, table, &column});
  }
  return out;
}

bool NameIn(const std::string& column, const std::vector<std::string>& names) {
  const std::string lowered = Lower(column);
  return std::any_of(names.begin(), names.end(), [&](const std::string& name) { return Lower(name) == lowered; });
}

bool IsCurrentTimeExpression(const std::string& expression) {
  const std::string normalized = RemoveGroupingParens(RemoveSpaces(StripCasts(Lower(expression))));
  return !normalized.empty() && IsNow(normalized, 0);
}

bool IsTemporalOrUnknownType(const std::string& type) {
  const std::string lowered = Lower(type);
  return lowered.empty() || lowered.rfind("timestamp", 0) == 0 || lowered == "date";
}

bool IsTimestampWithoutTimeZone(const std::string& type) {
  const std::string lowered = Lower(type);
  const std::string suffix = " without time zone";
  return lowered.rfind("timestamp", 0) == 0 && lowered.size() > suffix.size() &&
         lowered.compare(lowered.size() - suffix.size(), suffix.size(), suffix) == 0;
}

TriggerVerdict TriggerSetting(const ir::Catalog& schema, const ir::Table& table, const std::string& column,
                              const std::string& event) {
  TriggerVerdict verdict;
  for (const auto& trigger : table.triggers) {
    const ir::Function* function = TriggerFunction(schema, trigger);
    const bool effective = Lower(trigger.timing) == "before" && trigger.for_each_row && HasEvent(trigger, event);
    const std::optional<std::vector<std::string>> assigned = AssignedColumns(function, trigger);
    if (!assigned) {
      if (!effective || verdict.answer == TriggerAnswer::kUnknown) continue;
      verdict.answer = TriggerAnswer::kUnknown;
      verdict.trigger = &trigger;
      verdict.unknown_reason = !function
                                   ? fmt::format("function {} is not in the audited schemas", FunctionName(trigger))
                                   : fmt::format("the body of {} was not read: {}", FunctionName(trigger),
                                                 function->body_note.empty() ? "no reason given" : function->body_note);
      continue;
    }
    if (!Assigns(*assigned, column)) continue;
    if (effective) {
      verdict.answer = TriggerAnswer::kSets;
      verdict.trigger = &trigger;
      return verdict;
    }
    if (verdict.ineffective) continue;
    verdict.ineffective = &trigger;
    if (Lower(trigger.timing) != "before") {
      verdict.ineffective_reason = fmt::format("{} assigns NEW.{} but runs {}, when the row is already written",
                                               DescribeTrigger(trigger), column, trigger.timing);
    } else if (!trigger.for_each_row) {
      verdict.ineffective_reason = fmt::format(
          "{} assigns NEW.{} but runs FOR EACH STATEMENT, where NEW is not the row", DescribeTrigger(trigger), column);
    } else {
      verdict.ineffective_reason =
          fmt::format("{} assigns NEW.{} but does not fire on {}", DescribeTrigger(trigger), column, event);
    }
  }
  return verdict;
}

std::string DescribeTrigger(const ir::Trigger& trigger) {
  return fmt::format("trigger {} (function {})", trigger.name, FunctionName(trigger));
}

std::string PolicyKey(const TimestampPolicy& policy, const std::string& column) {
  if (NameIn(column, policy.created_columns)) return "timestamps.created-at";
  if (NameIn(column, policy.updated_columns)) return "timestamps.updated-at";
  return {};
}

}  // namespace dbaudit::rules::timestamp

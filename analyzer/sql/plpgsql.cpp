#include "analyzer/sql/plpgsql.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <pg_query.h>

namespace dbaudit::sql {

namespace {

using json = nlohmann::json;

// RAII holder: libpg_query hands the result out by value with its own free function.
class PlpgsqlParseHolder {
 public:
  explicit PlpgsqlParseHolder(const std::string& statement) : result_(pg_query_parse_plpgsql(statement.c_str())) {}
  ~PlpgsqlParseHolder() { pg_query_free_plpgsql_parse_result(result_); }
  PlpgsqlParseHolder(const PlpgsqlParseHolder&) = delete;
  PlpgsqlParseHolder& operator=(const PlpgsqlParseHolder&) = delete;
  const PgQueryPlpgsqlParseResult& get() const { return result_; }

 private:
  PgQueryPlpgsqlParseResult result_;
};

// Deeper than any hand-written body; a guard against stack exhaustion on generated input.
constexpr int kMaxNesting = 2000;

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string Trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

// libpg_query 15-4.0 compiles PL/pgSQL only from a whole CREATE FUNCTION statement, so the
// body is quoted again with a dollar tag that does not occur in it.
std::string DollarTagFor(const std::string& body) {
  std::string tag = "$dbaudit$";
  for (int n = 1; body.find(tag) != std::string::npos; ++n) tag = "$dbaudit" + std::to_string(n) + "$";
  return tag;
}

// "compilation of PL/pgSQL function "f" near line 3": PostgreSQL's own body-relative line.
std::string NearLine(const char* context) {
  if (!context) return {};
  const std::string text(context);
  const std::string marker = "near line ";
  const auto at = text.find(marker);
  if (at == std::string::npos) return {};
  std::string digits;
  for (std::size_t i = at + marker.size(); i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
    digits += text[i];
  }
  return digits;
}

std::int64_t IntOr(const json& object, const char* key, std::int64_t fallback) {
  if (!object.is_object()) return fallback;
  auto it = object.find(key);
  if (it == object.end() || !it->is_number_integer()) return fallback;
  return it->get<std::int64_t>();
}

// A datum a statement writes to, with the line of the statement that writes it.
struct Target {
  std::int64_t varno = 0;
  std::int64_t line = 0;
  std::string text;  // the assignment as written, when the statement carries it
};

class TargetCollector {
 public:
  std::vector<Target> targets;
  bool too_deep = false;

  void Walk(const json& node, std::int64_t line, int depth) {
    if (depth > kMaxNesting) {
      too_deep = true;
      return;
    }
    if (node.is_array()) {
      for (const json& item : node) Walk(item, line, depth + 1);
      return;
    }
    if (!node.is_object()) return;
    for (const auto& [key, value] : node.items()) {
      if (!value.is_object()) {
        if (value.is_array()) Walk(value, line, depth + 1);
        continue;
      }
      const std::int64_t here = IntOr(value, "lineno", line);
      if (key == "PLpgSQL_stmt_assign") {
        targets.push_back({IntOr(value, "varno", 0), here, AssignmentText(value)});
      } else if (key == "PLpgSQL_stmt_foreach_a") {
        targets.push_back({IntOr(value, "varno", 0), here, {}});
      } else if (key == "PLpgSQL_diag_item") {
        targets.push_back({IntOr(value, "target", 0), here, {}});
      }
      if (key.rfind("PLpgSQL_stmt_", 0) == 0) CollectInlineTargets(value, here);
      Walk(value, here, depth + 1);
    }
  }

 private:
  static std::string AssignmentText(const json& assign) {
    const json& expr = assign.value("expr", json::object());
    const json& inner = expr.value("PLpgSQL_expr", json::object());
    auto query = inner.find("query");
    return query != inner.end() && query->is_string() ? query->get<std::string>() : std::string();
  }

  // INTO targets (SELECT/EXECUTE/FETCH ... INTO, CALL with INOUT arguments) and loop
  // variables of FOR ... IN query: an inline row of datum numbers, or a whole record.
  void CollectInlineTargets(const json& statement, std::int64_t line) {
    for (const char* key : {"target", "var"}) {
      auto it = statement.find(key);
      if (it == statement.end()) continue;
      if (it->is_number_integer()) {
        targets.push_back({it->get<std::int64_t>(), line, {}});
        continue;
      }
      if (!it->is_object()) continue;
      if (auto row = it->find("PLpgSQL_row"); row != it->end() && row->is_object()) {
        for (const json& field : row->value("fields", json::array())) {
          if (field.is_object()) targets.push_back({IntOr(field, "varno", 0), line, {}});
        }
      } else if (auto rec = it->find("PLpgSQL_rec"); rec != it->end() && rec->is_object()) {
        targets.push_back({IntOr(*rec, "dno", 0), line, {}});
      }
    }
  }
};

BodyReading Unknown(std::string note) {
  BodyReading reading;
  reading.note = std::move(note);
  return reading;
}

BodyReading ReadFunctionJson(const json& function) {
  const json& datums = function.value("datums", json::array());
  const json& action = function.value("action", json::object());
  // A trigger function always has NEW; without it there is nothing NEW-related to assign.
  const std::int64_t new_varno = IntOr(function, "new_varno", -1);
  TargetCollector collector;
  collector.Walk(action, IntOr(action.value("PLpgSQL_stmt_block", json::object()), "lineno", 0), 0);
  if (collector.too_deep) return Unknown("the body nests statements too deeply to be read");

  std::vector<std::string> columns;
  for (const Target& target : collector.targets) {
    if (new_varno < 0) break;
    if (target.varno == new_varno) {
      std::string note = "line " + std::to_string(target.line) + " assigns the whole NEW record";
      if (!target.text.empty()) note += " (" + target.text + ")";
      return Unknown(note + ": which columns it sets is not known");
    }
    if (target.varno < 0 || !datums.is_array() || static_cast<std::size_t>(target.varno) >= datums.size()) continue;
    const json& datum = datums[static_cast<std::size_t>(target.varno)];
    auto field = datum.find("PLpgSQL_recfield");
    if (field == datum.end() || !field->is_object()) continue;
    if (IntOr(*field, "recparentno", -1) != new_varno) continue;  // OLD or a local record
    auto name = field->find("fieldname");
    // The parser already folded unquoted names to lower case and kept quoted ones as written.
    if (name != field->end() && name->is_string()) columns.push_back(name->get<std::string>());
  }
  std::sort(columns.begin(), columns.end());
  columns.erase(std::unique(columns.begin(), columns.end()), columns.end());
  BodyReading reading;
  reading.assigned_new_columns = std::move(columns);
  return reading;
}

bool ReturnsTrigger(const std::string& returns) {
  const std::string type = Lower(Trim(returns));
  return type == "trigger" || type == "pg_catalog.trigger";
}

}  // namespace

BodyReading ReadTriggerBody(const std::string& body) {
  if (body.find('\0') != std::string::npos) return Unknown("the body contains a NUL byte and was not read");
  const std::string tag = DollarTagFor(body);
  const std::string statement =
      "CREATE FUNCTION dbaudit_body() RETURNS trigger AS " + tag + body + tag + " LANGUAGE plpgsql";
  PlpgsqlParseHolder holder(statement);
  const PgQueryPlpgsqlParseResult& result = holder.get();
  if (result.error) {
    std::string note = "the body does not parse: ";
    note += result.error->message ? result.error->message : "syntax error";
    const std::string line = NearLine(result.error->context);
    if (!line.empty()) note += " (near line " + line + " of the body)";
    BodyReading reading = Unknown(note);
    reading.not_parsed = true;
    return reading;
  }
  if (!result.plpgsql_funcs) return Unknown("the PL/pgSQL parser returned nothing for the body");
  const json functions = json::parse(result.plpgsql_funcs, nullptr, /*allow_exceptions=*/false);
  if (functions.is_discarded() || !functions.is_array() || functions.size() != 1) {
    return Unknown("the PL/pgSQL parser returned an unexpected result for the body");
  }
  const json& wrapped = functions[0];
  auto function = wrapped.find("PLpgSQL_function");
  if (function == wrapped.end() || !function->is_object()) {
    return Unknown("the PL/pgSQL parser returned an unexpected result for the body");
  }
  // The tree's shape is libpg_query's; a shape this reader did not expect is a value too.
  try {
    return ReadFunctionJson(*function);
  } catch (const json::exception& error) {
    return Unknown(std::string("the PL/pgSQL parse tree has an unexpected shape: ") + error.what());
  }
}

void ReadFunctionBodies(ir::Catalog& catalog) {
  std::set<std::pair<std::string, std::string>> run_by_triggers;
  for (const auto& table : catalog.tables) {
    for (const auto& trigger : table.triggers) run_by_triggers.insert({trigger.function_schema, trigger.function_name});
  }
  for (ir::Function& function : catalog.functions) {
    function.assigned_new_columns.reset();
    function.body_note.clear();
    const std::string language = Lower(Trim(function.language));
    if (language != "plpgsql") {
      function.body_note = "written in " + (language.empty() ? std::string("an unknown language") : language) +
                           ": dbaudit reads only PL/pgSQL bodies";
      continue;
    }
    // Only a function returning trigger has a NEW record (CREATE TRIGGER accepts no other).
    if (!ReturnsTrigger(function.returns)) {
      function.assigned_new_columns = std::vector<std::string>{};
      continue;
    }
    BodyReading reading = ReadTriggerBody(function.body);
    function.assigned_new_columns = std::move(reading.assigned_new_columns);
    function.body_note = std::move(reading.note);
    if (reading.not_parsed && run_by_triggers.count({function.schema, function.name})) {
      ir::Diagnostic diagnostic;
      diagnostic.rule_id = ir::kRuleSqlNotParsed;
      diagnostic.severity = ir::Severity::kNote;
      diagnostic.message = "dbaudit could not read the body of trigger function " + function.schema + "." +
                           function.name + " (" + function.body_note +
                           "): which columns its triggers set is not known, so the timestamp- rules say nothing "
                           "about them";
      diagnostic.location = function.location;
      catalog.diagnostics.push_back(std::move(diagnostic));
    }
  }
}

}  // namespace dbaudit::sql

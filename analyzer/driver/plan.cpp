#include "analyzer/driver/plan.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "analyzer/sql/normalize.hpp"
#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::driver {

namespace fs = std::filesystem;

using reports::ChangePlacement;
using reports::PlannedChange;
using reports::ScriptStatement;
using rules::QualifiedSql;
using rules::QuoteIdent;
using rules::QuoteLiteral;

// --- Selection ------------------------------------------------------------------------------

bool IsFindingSelected(const ir::Finding& finding, const PlanSelection& selection) {
  if (selection.all) return true;
  if (selection.Empty()) return false;
  if (!selection.rules.empty()) {
    // IsSelected treats an empty pattern list as "everything" and a list of only removals as
    // "everything but": a rule selector must name the finding's rule positively.
    const bool positive = std::any_of(selection.rules.begin(), selection.rules.end(),
                                      [](const std::string& pattern) { return !pattern.starts_with("-"); });
    std::vector<std::string> patterns = selection.rules;
    if (!positive) patterns.insert(patterns.begin(), "*");
    if (!rules::IsSelected(finding.rule_id, patterns)) return false;
  }
  if (!selection.tables.empty()) {
    const ir::Subject& subject = finding.subject;
    if (subject.table.empty()) return false;
    const bool matches = std::any_of(selection.tables.begin(), selection.tables.end(), [&](const std::string& name) {
      return name == subject.table || name == subject.schema + "." + subject.table;
    });
    if (!matches) return false;
  }
  return true;
}

std::string SanitizeSlug(const std::string& text) {
  std::string slug;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) && byte < 0x80) {
      slug += static_cast<char>(std::tolower(byte));
    } else if (!slug.empty() && slug.back() != '-') {
      slug += '-';
    }
  }
  if (slug.size() > 60) slug.resize(60);
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  return slug.empty() ? "plan" : slug;
}

std::string SlugFor(const PlanSelection& selection) {
  if (selection.all) return "all-findings";
  std::string text;
  for (const auto& pattern : selection.rules) {
    if (pattern.starts_with("-")) continue;
    std::string bare = pattern;
    bare.erase(std::remove(bare.begin(), bare.end(), '*'), bare.end());
    text += " " + bare;
  }
  for (const auto& table : selection.tables) text += " " + table;
  return SanitizeSlug(text);
}

bool IsValidTimeout(const std::string& text) {
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == 0 || digits > 9) return false;
  const std::string unit = text.substr(digits);
  return unit.empty() || unit == "us" || unit == "ms" || unit == "s" || unit == "min" || unit == "h" || unit == "d";
}

// --- Paths and dates ------------------------------------------------------------------------

std::string UtcDate(std::time_t time) {
  std::tm parts{};
  gmtime_r(&time, &parts);
  return fmt::format("{:04}-{:02}-{:02}", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday);
}

fs::path UniqueScriptPath(const fs::path& dir, const std::string& date, const std::string& slug) {
  const std::string base = date + "-" + slug;
  fs::path candidate = dir / (base + ".sql");
  std::error_code error;
  for (int suffix = 2; fs::exists(candidate, error); ++suffix) {
    candidate = dir / (base + "-" + std::to_string(suffix) + ".sql");
  }
  return candidate;
}

namespace {

// --- Text that may go into the script -------------------------------------------------------

// Text from the models (a default, a type name, an index expression) goes into the script
// verbatim, so it must not be able to end the statement, start a comment that swallows the
// rest of the line, or be read by psql as a meta-command or a variable. Outside quotes that
// rules out ';', comments, backslashes, '$' (dollar quotes) and ':name'; control characters
// anywhere. Inside quotes everything else is plain text (standard_conforming_strings is on).
bool LexicallySafe(const std::string& text) {
  char quote = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f || c == '\\') return false;
    if (quote) {
      if (c == quote) quote = 0;  // a doubled quote closes and reopens: same result
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      continue;
    }
    const char next = i + 1 < text.size() ? text[i + 1] : '\0';
    if (c == ';' || c == '$') return false;
    if ((c == '-' && next == '-') || (c == '/' && next == '*')) return false;
    if (c == ':') {
      if (next == ':') {
        ++i;
        continue;
      }
      if (std::isalpha(static_cast<unsigned char>(next)) || next == '_' || next == '\'' || next == '"' || next == '{') {
        return false;
      }
    }
  }
  return quote == 0;
}

bool SafeExpression(const std::string& expression) {
  return !expression.empty() && LexicallySafe(expression) && sql::NormalizeDefault(expression).has_value();
}

bool SafeType(const std::string& type) {
  return !type.empty() && LexicallySafe(type) && sql::NormalizeDefault("NULL::" + type).has_value();
}

bool SafeWord(const std::string& word) {
  return !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_';
  });
}

std::string Display(const std::string& schema, const std::string& table) {
  return rules::DisplayName(schema, table);
}

// to_regclass('"schema"."table"'): the table as a literal, NULL when it does not exist.
std::string RegclassSql(const std::string& schema, const std::string& table) {
  return "pg_catalog.to_regclass(" + QuoteLiteral(QualifiedSql(schema, table)) + ")";
}

// --- Types ----------------------------------------------------------------------------------

struct TypeParts {
  std::string base;
  std::vector<long> modifiers;
  bool array = false;
};

TypeParts SplitType(const std::string& type) {
  TypeParts parts;
  std::string text = type;
  if (text.size() > 2 && text.ends_with("[]")) {
    parts.array = true;
    text.resize(text.size() - 2);
  }
  const std::size_t open = text.find('(');
  const std::size_t close = text.find(')');
  if (open == std::string::npos || close == std::string::npos || close < open) {
    parts.base = text;
    return parts;
  }
  std::string inside = text.substr(open + 1, close - open - 1);
  std::string rest = text.substr(0, open) + text.substr(close + 1);
  while (!rest.empty() && rest.back() == ' ') rest.pop_back();
  parts.base = rest;
  std::size_t start = 0;
  while (start <= inside.size()) {
    const std::size_t comma = inside.find(',', start);
    const std::string number = inside.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    try {
      parts.modifiers.push_back(std::stol(number));
    } catch (...) {
      parts.modifiers.push_back(-1);
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return parts;
}

int IntegerRank(const std::string& base) {
  if (base == "smallint") return 1;
  if (base == "integer") return 2;
  if (base == "bigint") return 3;
  return 0;
}

// True when every value of `from` fits `to` unchanged, so ALTER TYPE cannot lose data.
bool IsWidening(const std::string& from, const std::string& to) {
  const TypeParts a = SplitType(from);
  const TypeParts b = SplitType(to);
  if (a.array != b.array) return false;
  const bool a_varchar = a.base == "character varying";
  if ((a_varchar || a.base == "text") && b.base == "text") return true;
  if (a_varchar && b.base == "character varying") {
    return b.modifiers.empty() || (!a.modifiers.empty() && b.modifiers.front() >= a.modifiers.front());
  }
  if (IntegerRank(a.base) && IntegerRank(b.base)) return IntegerRank(b.base) >= IntegerRank(a.base);
  if (IntegerRank(a.base) && b.base == "numeric") {
    // numeric(p, s) holds every bigint when p - s >= 19.
    return b.modifiers.empty() || (b.modifiers.size() == 2 && b.modifiers[0] - b.modifiers[1] >= 19);
  }
  if (a.base == "numeric" && b.base == "numeric") {
    if (b.modifiers.empty()) return true;
    if (a.modifiers.size() != 2 || b.modifiers.size() != 2) return false;
    return b.modifiers[1] >= a.modifiers[1] && b.modifiers[0] - b.modifiers[1] >= a.modifiers[0] - a.modifiers[1];
  }
  if (a.base == "real" && b.base == "double precision") return true;
  if (a.base == "timestamp without time zone" && b.base == "timestamp with time zone") return true;
  if (a.base == b.base && a.modifiers.size() == 1 && b.modifiers.size() == 1 &&
      (a.base.starts_with("timestamp") || a.base.starts_with("time"))) {
    return b.modifiers.front() >= a.modifiers.front();
  }
  return false;
}

bool IsTimestampWithoutZone(const std::string& type) {
  return SplitType(type).base == "timestamp without time zone";
}

// --- The planner ----------------------------------------------------------------------------

enum Phase {
  kPhaseTypes = 0,
  kPhaseTables = 1,
  kPhaseColumns = 2,
  kPhaseColumnTypes = 3,
  kPhaseDefaults = 4,
  kPhaseNullability = 5,
  kPhaseConstraints = 6,
  kPhaseIndexes = 7,
  kPhaseTriggers = 8,
  kPhaseDrops = 9,
};

constexpr const char* kSearchPathSave =
    "  PERFORM pg_catalog.set_config('search_path', '', true);  -- catalog text as dbaudit read it\n";
constexpr const char* kSearchPathRestore = "  PERFORM pg_catalog.set_config('search_path', saved_path, true);\n";

class Planner {
 public:
  Planner(const ir::Catalog* models, const ir::Catalog* schema, const PlanOptions& options)
      : models_(models), schema_(schema), options_(options) {}

  void Plan(const ir::Finding& finding) {
    current_ = &finding;
    planned_any_ = false;
    const std::string reason = Dispatch(finding);
    if (!planned_any_) {
      not_planned_.push_back({ScriptOf(finding), reason.empty() ? "dbaudit found nothing to change" : reason});
    }
  }

  reports::ChangeScriptInput Finish(const std::vector<ir::Finding>& findings) {
    reports::ChangeScriptInput input;
    input.allow_destructive = options_.allow_destructive;
    input.lock_timeout = options_.lock_timeout;
    input.statement_timeout = options_.statement_timeout;
    for (const auto& finding : findings) input.findings.push_back(ScriptOf(finding));
    for (auto& [key, change] : changes_) input.changes.push_back(std::move(change));
    input.not_planned = std::move(not_planned_);
    return input;
  }

 private:
  static reports::ScriptFinding ScriptOf(const ir::Finding& finding) {
    return {finding.rule_id, finding.message, finding.fingerprint};
  }

  // Returns the reason when nothing could be planned (empty when something was).
  std::string Dispatch(const ir::Finding& finding) {
    const std::string& rule = finding.rule_id;
    if (rule == "model-column-not-in-database") return AddColumn(finding);
    if (rule == "model-table-not-in-database") return CreateTable(finding);
    if (rule == "model-nullable-mismatch") return Nullability(finding);
    if (rule == "model-server-default-mismatch") return ServerDefault(finding);
    if (rule == "model-type-mismatch") return ColumnType(finding);
    if (rule == "model-foreign-key-not-in-database") return ForeignKeyMissing(finding);
    if (rule == "model-foreign-key-action-mismatch") return ForeignKeyActions(finding);
    if (rule == "model-unique-not-in-database") return UniqueMissing(finding);
    if (rule == "model-index-not-in-database") return IndexMissing(finding);
    if (rule == "model-enum-mismatch") return EnumMismatch(finding);
    if (rule == "model-column-not-in-models") return DropColumn(finding);
    if (rule == "model-table-not-in-models") return DropTable(finding);
    if (rule == "model-index-not-in-models") return DropIndex(finding);
    if (rule == "model-unique-not-in-models") return DropUnique(finding);
    if (rule == "model-foreign-key-not-in-models") return DropForeignKey(finding);
    if (rule == "timestamp-created-at-without-database-default") return CreatedAtDefault(finding);
    if (rule == "timestamp-onupdate-without-trigger") return UpdatedAtTrigger(finding);
    if (rule == "timestamp-without-time-zone") return TimestampWithTimeZone(finding);
    if (rule == "schema-foreign-key-without-index") return ForeignKeyIndex(finding);
    return "dbaudit writes no SQL for " + rule;
  }

  void Add(const std::string& key, PlannedChange change) {
    planned_any_ = true;
    change.sort_key = key;
    auto [it, inserted] = changes_.try_emplace(key, std::move(change));
    auto& fingerprints = it->second.fingerprints;
    if (std::find(fingerprints.begin(), fingerprints.end(), current_->fingerprint) == fingerprints.end()) {
      fingerprints.push_back(current_->fingerprint);
    }
  }

  const ir::Table* ModelTable(const ir::Subject& subject) const {
    return models_ ? models_->FindTable(subject.schema, subject.table) : nullptr;
  }
  const ir::Table* DatabaseTable(const ir::Subject& subject) const {
    return schema_ ? schema_->FindTable(subject.schema, subject.table) : nullptr;
  }
  static const ir::Column* SubjectColumn(const ir::Table* table, const ir::Subject& subject) {
    if (!table || subject.columns.size() != 1) return nullptr;
    return table->FindColumn(subject.columns.front());
  }

  // A relation (table, index, constraint-owned index, sequence) of that name in `schema`.
  bool RelationNameTaken(const std::string& schema, const std::string& name) const {
    if (!schema_) return false;
    for (const auto& table : schema_->tables) {
      if (table.schema != schema) continue;
      if (table.name == name) return true;
      if (table.primary_key && table.primary_key->name == name) return true;
      for (const auto& index : table.indexes) {
        if (index.name == name) return true;
      }
      for (const auto& unique : table.unique_constraints) {
        if (unique.name == name) return true;
      }
    }
    for (const auto& sequence : schema_->sequences) {
      if (sequence.schema == schema && sequence.name == name) return true;
    }
    return false;
  }
  bool ConstraintNameTaken(const ir::Table* table, const std::string& name) const {
    if (!table) return false;
    if (table->primary_key && table->primary_key->name == name) return true;
    for (const auto& key : table->foreign_keys) {
      if (key.name == name) return true;
    }
    for (const auto& unique : table->unique_constraints) {
      if (unique.name == name) return true;
    }
    for (const auto& check : table->check_constraints) {
      if (check.name == name) return true;
    }
    return false;
  }

  // --- Columns and tables -------------------------------------------------------------------

  // "name type [GENERATED ...] [DEFAULT ...] [NOT NULL]". `for_new_table`: NOT NULL as the
  // models say; else only with a default (an existing table has rows).
  std::optional<std::string> ColumnDefinition(const ir::Column& column, bool for_new_table, std::string& reason,
                                              bool& left_nullable) const {
    left_nullable = false;
    if (column.type.empty()) {
      reason = "the models do not say the type of column " + column.name;
      return std::nullopt;
    }
    if (!SafeType(column.type)) {
      reason = "type '" + column.type + "' of column " + column.name + " is not one dbaudit puts in a script";
      return std::nullopt;
    }
    std::string sql = QuoteIdent(column.name) + " " + column.type;
    const bool integer = IntegerRank(column.type) > 0;
    bool has_value = false;
    if ((column.autoincrement || column.identity != ir::IdentityKind::kNone) && integer) {
      sql += column.identity == ir::IdentityKind::kAlways ? " GENERATED ALWAYS AS IDENTITY"
                                                          : " GENERATED BY DEFAULT AS IDENTITY";
      has_value = true;
    } else if (column.generated) {
      if (!SafeExpression(*column.generated)) {
        reason = "the generated expression of column " + column.name + " is not one dbaudit puts in a script";
        return std::nullopt;
      }
      sql += " GENERATED ALWAYS AS (" + *column.generated + ") STORED";
      has_value = true;
    } else if (column.server_default) {
      if (!SafeExpression(*column.server_default)) {
        reason = "the server default of column " + column.name + " is not one dbaudit puts in a script";
        return std::nullopt;
      }
      sql += " DEFAULT " + *column.server_default;
      has_value = true;
    }
    if (column.nullable == false) {
      if (for_new_table || has_value) {
        sql += " NOT NULL";
      } else {
        left_nullable = true;
      }
    }
    return sql;
  }

  std::string AddColumn(const ir::Finding& finding) {
    const ir::Subject& subject = finding.subject;
    const ir::Column* column = SubjectColumn(ModelTable(subject), subject);
    if (!column) return "the models' column was not found";
    std::string reason;
    bool left_nullable = false;
    const auto definition = ColumnDefinition(*column, false, reason, left_nullable);
    if (!definition) return reason;
    PlannedChange change;
    change.phase = kPhaseColumns;
    change.summary = "add column " + rules::DisplayColumn(*ModelTable(subject), column->name);
    if (left_nullable) {
      change.hazards.push_back(
          "added as nullable although the models say NOT NULL: there is no server default to fill existing rows; "
          "backfill the column, then SET NOT NULL (dbaudit plan plans that step once no NULL is left)");
    }
    if (column->server_default) {
      change.hazards.push_back(
          "table rewrite only if the default is volatile (random(), clock_timestamp(), gen_random_uuid()); "
          "constants and now() are stored once");
    }
    if (column->autoincrement || column->identity != ir::IdentityKind::kNone) {
      change.hazards.push_back("table rewrite: an identity column fills every existing row (ACCESS EXCLUSIVE lock)");
    }
    change.statements.push_back(ScriptStatement::Plain("ALTER TABLE " + QualifiedSql(subject.schema, subject.table) +
                                                       " ADD COLUMN IF NOT EXISTS " + *definition + ";"));
    Add(fmt::format("column|{}|{}|{}", subject.schema, subject.table, column->name), std::move(change));
    return {};
  }

  std::string IndexName(const ir::Table& table, const ir::Index& index) const {
    return index.name.empty() ? "ix_" + rules::DefaultConstraintName(table.name, index.keys, "idx") : index.name;
  }

  std::string CreateTable(const ir::Finding& finding) {
    const ir::Table* table = ModelTable(finding.subject);
    if (!table) return "the models' table was not found";
    if (table->kind != ir::TableKind::kTable) return "the models map a view or another kind of relation";
    if (table->columns.empty()) return "the models declare no columns for the table";
    std::vector<std::string> lines;
    for (const auto& column : table->columns) {
      std::string reason;
      bool left_nullable = false;
      const auto definition = ColumnDefinition(column, true, reason, left_nullable);
      if (!definition) return reason;
      lines.push_back(*definition);
    }
    if (table->primary_key && !table->primary_key->columns.empty()) {
      const std::string named =
          table->primary_key->name.empty() ? "" : "CONSTRAINT " + QuoteIdent(table->primary_key->name) + " ";
      lines.push_back(named + "PRIMARY KEY " + rules::ColumnListSql(table->primary_key->columns));
    }
    for (const auto& unique : table->unique_constraints) {
      const std::string named = unique.name.empty() ? "" : "CONSTRAINT " + QuoteIdent(unique.name) + " ";
      lines.push_back(named + "UNIQUE " + rules::ColumnListSql(unique.columns));
    }
    std::string sql = "CREATE TABLE IF NOT EXISTS " + QualifiedSql(table->schema, table->name) + " (\n";
    for (std::size_t i = 0; i < lines.size(); ++i) sql += "  " + lines[i] + (i + 1 < lines.size() ? ",\n" : "\n");
    sql += ");";
    PlannedChange change;
    change.phase = kPhaseTables;
    change.summary = "create table " + Display(table->schema, table->name);
    change.statements.push_back(ScriptStatement::Plain(sql));
    Add(fmt::format("table|{}|{}", table->schema, table->name), std::move(change));
    // Foreign keys after every table exists; indexes as any missing index.
    for (const auto& key : table->foreign_keys) PlanForeignKey(*table, key);
    for (const auto& index : table->indexes) {
      std::string reason;
      if (!PlanIndex(*table, index, reason)) {
        not_planned_.push_back({ScriptOf(finding), "index " + IndexName(*table, index) + ": " + reason});
      }
    }
    return {};
  }

  std::string Nullability(const ir::Finding& finding) {
    const ir::Subject& subject = finding.subject;
    const ir::Column* model = SubjectColumn(ModelTable(subject), subject);
    const ir::Table* database_table = DatabaseTable(subject);
    const ir::Column* database = SubjectColumn(database_table, subject);
    if (!model || !database || !model->nullable) return "the column was not found on both sides";
    const std::string table_sql = QualifiedSql(subject.schema, subject.table);
    const std::string display = rules::DisplayColumn(*database_table, database->name);
    PlannedChange change;
    change.phase = kPhaseNullability;
    if (*model->nullable) {
      if (database_table->primary_key) {
        const auto& pk = database_table->primary_key->columns;
        if (std::find(pk.begin(), pk.end(), database->name) != pk.end()) {
          return "the column is part of the primary key, which is always NOT NULL";
        }
      }
      change.summary = "drop NOT NULL on " + display;
      change.statements.push_back(ScriptStatement::Plain("ALTER TABLE " + table_sql + " ALTER COLUMN " +
                                                         QuoteIdent(database->name) + " DROP NOT NULL;"));
    } else {
      change.summary = "set NOT NULL on " + display;
      change.hazards.push_back(
          "scans the table: SET NOT NULL checks every row under an ACCESS EXCLUSIVE lock; the block stops the "
          "script with an error while any row is NULL (backfill first)");
      std::string body = "\nBEGIN\n";
      body += "  IF EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = " +
              RegclassSql(subject.schema, subject.table) + " AND attname = " + QuoteLiteral(database->name) +
              " AND NOT attnotnull) THEN\n";
      body += "    IF EXISTS (SELECT 1 FROM " + table_sql + " WHERE " + QuoteIdent(database->name) + " IS NULL) THEN\n";
      body += "      RAISE EXCEPTION 'dbaudit: % has NULL values: backfill them, then run this script again', " +
              QuoteLiteral(display) + ";\n";
      body += "    END IF;\n";
      body += "    ALTER TABLE " + table_sql + " ALTER COLUMN " + QuoteIdent(database->name) + " SET NOT NULL;\n";
      body += "  END IF;\nEND\n";
      change.statements.push_back(ScriptStatement::Do(body));
    }
    Add(fmt::format("nullable|{}|{}|{}", subject.schema, subject.table, database->name), std::move(change));
    return {};
  }

  // A DO block that reads the column's current default (as pg_get_expr prints it with an empty
  // search_path, the way dbaudit read it) and runs `then` only when it is still `seen`.
  static std::string DefaultGuardedBody(const std::string& schema, const std::string& table, const std::string& column,
                                        const std::optional<std::string>& seen, const std::string& then,
                                        const std::string& display) {
    std::string body =
        "\nDECLARE\n  current_default text;\n  saved_path text := pg_catalog.current_setting('search_path');\n";
    body += "BEGIN\n";
    body += kSearchPathSave;
    body += "  SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid) INTO current_default\n";
    body += "    FROM pg_catalog.pg_attrdef d\n";
    body += "    JOIN pg_catalog.pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum\n";
    body += "   WHERE d.adrelid = " + RegclassSql(schema, table) + " AND a.attname = " + QuoteLiteral(column) + ";\n";
    body += kSearchPathRestore;
    body +=
        "  IF current_default IS NOT DISTINCT FROM " + (seen ? QuoteLiteral(*seen) : std::string("NULL")) + " THEN\n";
    body += "    " + then + "\n";
    body += "  ELSE\n";
    body +=
        "    RAISE NOTICE 'dbaudit: the default of % is not the one this script was planned against "
        "(already changed?): left as is', " +
        QuoteLiteral(display) + ";\n";
    body += "  END IF;\nEND\n";
    return body;
  }

  std::string ServerDefault(const ir::Finding& finding) {
    const ir::Subject& subject = finding.subject;
    const ir::Column* model = SubjectColumn(ModelTable(subject), subject);
    const ir::Table* database_table = DatabaseTable(subject);
    const ir::Column* database = SubjectColumn(database_table, subject);
    if (!model || !database) return "the column was not found on both sides";
    const std::string table_sql = QualifiedSql(subject.schema, subject.table);
    const std::string display = rules::DisplayColumn(*database_table, database->name);
    std::string then = "ALTER TABLE " + table_sql + " ALTER COLUMN " + QuoteIdent(database->name);
    PlannedChange change;
    change.phase = kPhaseDefaults;
    if (model->server_default) {
      if (!SafeExpression(*model->server_default)) {
        return "the models' server default is not an expression dbaudit puts in a script";
      }
      then += " SET DEFAULT " + *model->server_default + ";";
      change.summary = "set the default of " + display + " to " + *model->server_default;
    } else {
      then += " DROP DEFAULT;";
      change.summary = "drop the default of " + display;
    }
    change.statements.push_back(ScriptStatement::Do(
        DefaultGuardedBody(subject.schema, subject.table, database->name, database->server_default, then, display)));
    Add(fmt::format("default|{}|{}|{}", subject.schema, subject.table, database->name), std::move(change));
    return {};
  }

  // A DO block that changes the column's type when format_type() (empty search_path) still
  // says `from`; silent when it already says `to`; a notice otherwise.
  static std::string TypeChangeBody(const std::string& schema, const std::string& table, const std::string& column,
                                    const std::string& from, const std::string& to, const std::string& using_sql,
                                    const std::string& display) {
    const std::string table_sql = QualifiedSql(schema, table);
    std::string body =
        "\nDECLARE\n  current_type text;\n  saved_path text := pg_catalog.current_setting('search_path');\n";
    body += "BEGIN\n";
    body += kSearchPathSave;
    body += "  SELECT pg_catalog.format_type(atttypid, atttypmod) INTO current_type\n";
    body += "    FROM pg_catalog.pg_attribute\n";
    body += "   WHERE attrelid = " + RegclassSql(schema, table) + " AND attname = " + QuoteLiteral(column) +
            " AND NOT attisdropped;\n";
    body += kSearchPathRestore;
    body += "  IF current_type = " + QuoteLiteral(from) + " THEN\n";
    body += "    ALTER TABLE " + table_sql + " ALTER COLUMN " + QuoteIdent(column) + " TYPE " + to + " USING " +
            using_sql + ";\n";
    body += "  ELSIF current_type IS DISTINCT FROM " + QuoteLiteral(to) + " THEN\n";
    body += "    RAISE NOTICE 'dbaudit: % is % now, not the planned-against %: left as is', " + QuoteLiteral(display) +
            ", current_type, " + QuoteLiteral(from) + ";\n";
    body += "  END IF;\nEND\n";
    return body;
  }

  std::string ColumnType(const ir::Finding& finding) {
    const ir::Subject& subject = finding.subject;
    const ir::Column* model = SubjectColumn(ModelTable(subject), subject);
    const ir::Table* database_table = DatabaseTable(subject);
    const ir::Column* database = SubjectColumn(database_table, subject);
    if (!model || !database) return "the column was not found on both sides";
    if (model->type.empty() || database->type.empty()) return "a side does not say the column's type";
    if (!SafeType(model->type)) return "the models' type is not one dbaudit puts in a script";
    const std::string display = rules::DisplayColumn(*database_table, database->name);
    const bool widening = IsWidening(database->type, model->type);
    const std::string column_sql = QuoteIdent(database->name);
    const std::string using_sql = IsTimestampWithoutZone(database->type) && !IsTimestampWithoutZone(model->type) &&
                                          SplitType(model->type).base == "timestamp with time zone"
                                      ? column_sql + " AT TIME ZONE 'UTC'"
                                      : column_sql + "::" + model->type;
    PlannedChange change;
    change.phase = kPhaseColumnTypes;
    change.summary = "change the type of " + display + " from " + database->type + " to " + model->type;
    change.hazards.push_back(
        "table rewrite: ALTER COLUMN TYPE rewrites the table and its indexes under an ACCESS EXCLUSIVE lock "
        "(binary-compatible changes, e.g. a longer varchar, skip the rewrite)");
    if (!widening) {
      change.destructive = true;
      change.hazards.push_back("data loss: " + model->type + " is not wider than " + database->type +
                               "; the cast fails on, or truncates, values that do not fit");
    }
    if (using_sql.find("AT TIME ZONE") != std::string::npos) {
      change.hazards.push_back("assumes the stored timestamps are UTC");
    }
    change.statements.push_back(ScriptStatement::Do(TypeChangeBody(subject.schema, subject.table, database->name,
                                                                   database->type, model->type, using_sql, display)));
    Add(fmt::format("type|{}|{}|{}", subject.schema, subject.table, database->name), std::move(change));
    return {};
  }

  // --- Constraints --------------------------------------------------------------------------

  static std::string ForeignKeySql(const ir::Table& table, const ir::ForeignKey& key) {
    std::string sql = rules::ForeignKeyDefinitionSql(table, key);
    if (key.deferrable) sql += key.initially_deferred ? " DEFERRABLE INITIALLY DEFERRED" : " DEFERRABLE";
    return sql;
  }

  void AddValidate(const std::string& schema, const std::string& table, const std::string& name) {
    PlannedChange validate;
    validate.phase = kPhaseConstraints;
    validate.placement = ChangePlacement::kAfterCommit;
    validate.summary = "validate foreign key " + name + " on " + Display(schema, table);
    validate.hazards.push_back(
        "scans the table (SHARE UPDATE EXCLUSIVE lock: reads and writes go on); fails while orphan rows exist: fix "
        "them and run the script again");
    validate.statements.push_back(ScriptStatement::Plain("ALTER TABLE " + QualifiedSql(schema, table) +
                                                         " VALIDATE CONSTRAINT " + QuoteIdent(name) + ";"));
    Add(fmt::format("validate|{}|{}|{}", schema, table, name), std::move(validate));
  }

  void PlanForeignKey(const ir::Table& table, const ir::ForeignKey& key) {
    const std::string name =
        key.name.empty() ? rules::DefaultConstraintName(table.name, key.columns, "fkey") : key.name;
    const std::string table_sql = QualifiedSql(table.schema, table.name);
    PlannedChange change;
    change.phase = kPhaseConstraints;
    change.summary = "add foreign key " + name + " " + rules::DescribeForeignKey(table, key);
    change.hazards.push_back(
        "brief SHARE ROW EXCLUSIVE lock on both tables; NOT VALID skips checking existing rows (VALIDATE after "
        "COMMIT does)");
    std::string body = "\nBEGIN\n";
    body += "  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = " +
            RegclassSql(table.schema, table.name) + " AND conname = " + QuoteLiteral(name) + ") THEN\n";
    body += "    ALTER TABLE " + table_sql + " ADD CONSTRAINT " + QuoteIdent(name) + " " + ForeignKeySql(table, key) +
            " NOT VALID;\n";
    body += "  END IF;\nEND\n";
    change.statements.push_back(ScriptStatement::Do(body));
    Add(fmt::format("fkey|{}|{}|{}", table.schema, table.name, name), std::move(change));
    AddValidate(table.schema, table.name, name);
  }

  static bool SameForeignKeyTarget(const ir::Table& table, const ir::ForeignKey& a, const ir::ForeignKey& b) {
    auto schema_of = [&](const ir::ForeignKey& key) {
      return key.referenced_schema.empty() ? table.schema : key.referenced_schema;
    };
    return a.columns == b.columns && a.referenced_table == b.referenced_table && schema_of(a) == schema_of(b) &&
           (a.referenced_columns.empty() || b.referenced_columns.empty() ||
            a.referenced_columns == b.referenced_columns);
  }

  std::string ForeignKeyMissing(const ir::Finding& finding) {
    const ir::Subject& subject = finding.subject;
    const ir::Table* model = ModelTable(subject);
    const ir::Table* database = DatabaseTable(subject);
    if (!model) return "the models' table was not found";
    for (const auto& key : model->foreign_keys) {
      if (key.columns != subject.columns) continue;
      if (!subject.constraint.empty() && key.name != subject.constraint) continue;
      const bool exists = database && std::any_of(database->foreign_keys.begin(), database->foreign_keys.end(),
                                                  [&](const ir::ForeignKey& other) {
                                                    return SameForeignKeyTarget(*database, key, other);
                                                  });
      if (exists) continue;
      const std::string name =
          key.name.empty() ? rules::DefaultConstraintName(model->name, key.columns, "fkey") : key.name;
      if (ConstraintNameTaken(database, name)) return "the table already has a constraint named " + name;
      PlanForeignKey(*model, key);
    }
    return "the models' foreign key was not found, or the database has it";
  }

  static const char* ActionCode(ir::ReferentialAction action) {
    switch (action) {
      case ir::ReferentialAction::kRestrict: return "r";
      case ir::ReferentialAction::kCascade: return "c";
      case ir::ReferentialAction::kSetNull: return "n";
      case ir::ReferentialAction::kSetDefault: return "d";
      default: return "a";
    }
  }

  std::string ForeignKeyActions(const ir::Finding& finding) {
    const ir::Subject& subject = finding.subject;
    const ir::Table* model = ModelTable(subject);
    const ir::Table* database = DatabaseTable(subject);
    if (!model || !database) return "the table was not found on both sides";
    const ir::ForeignKey* current = nullptr;
    for (const auto& key : database->foreign_keys) {
      if (key.name == subject.constraint && key.columns == subject.columns) current = &key;
    }
    if (!current || current->name.empty()) return "the database's foreign key was not found";
    const ir::ForeignKey* wanted = nullptr;
    for (const auto& key : model->foreign_keys) {
      if (SameForeignKeyTarget(*database, *current, key)) wanted = &key;
    }
    if (!wanted) return "the models' foreign key was not found";
    ir::ForeignKey replacement = *current;
    replacement.on_delete = wanted->on_delete;
    replacement.on_update = wanted->on_update;
    const std::string table_sql = QualifiedSql(subject.schema, subject.table);
    const std::string name = QuoteIdent(current->name);
    PlannedChange change;
    change.phase = kPhaseConstraints;
    change.summary = "replace foreign key " + current->name + " on " + Display(subject.schema, subject.table) +
                     " to get " + rules::DescribeActions(replacement);
    change.hazards.push_back(
        "long lock: dropping and re-adding the constraint holds an ACCESS EXCLUSIVE lock on the table until COMMIT");
    std::string body = "\nBEGIN\n";
    body += "  IF EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = " +
            RegclassSql(subject.schema, subject.table) + " AND conname = " + QuoteLiteral(current->name) +
            " AND contype = 'f'\n";
    body += "               AND (confdeltype <> '" + std::string(ActionCode(replacement.on_delete)) +
            "' OR confupdtype <> '" + ActionCode(replacement.on_update) + "')) THEN\n";
    body += "    ALTER TABLE " + table_sql + " DROP CONSTRAINT " + name + ";\n";
    body += "    ALTER TABLE " + table_sql + " ADD CONSTRAINT " + name + " " + ForeignKeySql(*database, replacement) +
            " NOT VALID;\n";
    body += "  END IF;\nEND\n";
    change.statements.push_back(ScriptStatement::Do(body));
    Add(fmt::format("fkey-actions|{}|{}|{}", subject.schema, subject.table, current->name), std::move(change));
    AddValidate(subject.schema, subject.table, current->name);
    return {};
  }

  // DROP INDEX CONCURRENTLY of an INVALID index left by a failed concurrent build, so that
  // CREATE INDEX CONCURRENTLY IF NOT EXISTS builds it again instead of keeping the broken one.
  // psql's \gexec runs the generated statement outside any transaction block.
  static ScriptStatement DropIfInvalid(const std::string& schema, const std::string& long_name) {
    // The catalog holds the name as PostgreSQL truncated it (63 bytes, whole characters).
    std::string name = long_name;
    if (name.size() > 63) {
      std::size_t cut = 63;
      while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
      name.resize(cut);
    }
    return ScriptStatement::Plain(
        "SELECT pg_catalog.format('DROP INDEX CONCURRENTLY IF EXISTS %I.%I', n.nspname, c.relname)\n"
        "  FROM pg_catalog.pg_index i\n"
        "  JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid\n"
        "  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n"
        " WHERE n.nspname = " +
        QuoteLiteral(schema) + " AND c.relname = " + QuoteLiteral(name) + " AND NOT i.indisvalid\n\\gexec");
  }

  std::string UniqueMissing(const ir::Finding& finding) {
    const ir::Subject& subject = finding.subject;
    if (subject.columns.empty()) return "the finding names no columns";
    const std::string name = subject.constraint.empty()
                                 ? rules::DefaultConstraintName(subject.table, subject.columns, "key")
                                 : subject.constraint;
    if (RelationNameTaken(subject.schema, name)) return "the schema already has a relation named " + name;
    const std::string table_sql = QualifiedSql(subject.schema, subject.table);
    PlannedChange change;
    change.phase = kPhaseConstraints;
    change.summary = "add unique constraint " + name + " on " + Display(subject.schema, subject.table) +
                     rules::DisplayList(subject.columns);
    change.hazards.push_back("scans the table to build the unique index; fails while duplicate rows exist");
    change.hazards.push_back(options_.concurrently
                                 ? "CONCURRENTLY: writes go on during the build; ADD CONSTRAINT USING INDEX then "
                                   "takes a brief ACCESS EXCLUSIVE lock"
                                 : "long lock: the build blocks writes to the table until COMMIT (use --concurrently)");
    if (options_.concurrently) {
      change.placement = ChangePlacement::kAfterCommit;
      change.statements.push_back(DropIfInvalid(subject.schema, name));
    }
    change.statements.push_back(ScriptStatement::Plain(
        std::string("CREATE UNIQUE INDEX ") + (options_.concurrently ? "CONCURRENTLY " : "") + "IF NOT EXISTS " +
        QuoteIdent(name) + " ON " + table_sql + " " + rules::ColumnListSql(subject.columns) + ";"));
    std::string body = "\nBEGIN\n";
    body += "  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = " +
            RegclassSql(subject.schema, subject.table) + " AND conname = " + QuoteLiteral(name) + ") THEN\n";
    body += "    ALTER TABLE " + table_sql + " ADD CONSTRAINT " + QuoteIdent(name) + " UNIQUE USING INDEX " +
            QuoteIdent(name) + ";\n";
    body += "  END IF;\nEND\n";
    change.statements.push_back(ScriptStatement::Do(body));
    Add(fmt::format("unique|{}|{}|{}", subject.schema, subject.table, name), std::move(change));
    return {};
  }

  std::optional<std::string> IndexKeySql(const ir::Table& table, const std::string& key, std::string& reason) const {
    const ir::Table* database = schema_ ? schema_->FindTable(table.schema, table.name) : nullptr;
    if (table.FindColumn(key) || (database && database->FindColumn(key))) return QuoteIdent(key);
    if (!SafeExpression(key)) {
      reason = "index key '" + key + "' is neither a column nor an expression dbaudit puts in a script";
      return std::nullopt;
    }
    return "(" + key + ")";
  }

  // CREATE [UNIQUE] INDEX [CONCURRENTLY] IF NOT EXISTS for `index` of `table` (models side).
  bool PlanIndex(const ir::Table& table, const ir::Index& index, std::string& reason) {
    const std::string name = IndexName(table, index);
    if (RelationNameTaken(table.schema, name)) {
      reason = "the schema already has a relation named " + name;
      return false;
    }
    std::string keys;
    for (const auto& key : index.keys) {
      const auto key_sql = IndexKeySql(table, key, reason);
      if (!key_sql) return false;
      keys += (keys.empty() ? "" : ", ") + *key_sql;
    }
    if (keys.empty()) {
      reason = "the index has no keys";
      return false;
    }
    if (!index.method.empty() && !SafeWord(index.method)) {
      reason = "index method '" + index.method + "' is not one dbaudit puts in a script";
      return false;
    }
    if (index.predicate && !SafeExpression(*index.predicate)) {
      reason = "the index predicate is not an expression dbaudit puts in a script";
      return false;
    }
    std::string sql = std::string("CREATE ") + (index.unique ? "UNIQUE " : "") + "INDEX " +
                      (options_.concurrently ? "CONCURRENTLY " : "") + "IF NOT EXISTS " + QuoteIdent(name) + " ON " +
                      QualifiedSql(table.schema, table.name);
    if (!index.method.empty() && index.method != "btree") sql += " USING " + index.method;
    sql += " (" + keys + ")";
    if (!index.include.empty()) sql += " INCLUDE " + rules::ColumnListSql(index.include);
    if (index.predicate) sql += " WHERE " + *index.predicate;
    AddIndexChange(table.schema, table.name, name,
                   "create index " + name + " on " + Display(table.schema, table.name) + rules::DisplayList(index.keys),
                   sql + ";");
    return true;
  }

  void AddIndexChange(const std::string& schema, const std::string& table, const std::string& name,
                      const std::string& summary, const std::string& sql) {
    PlannedChange change;
    change.phase = kPhaseIndexes;
    change.summary = summary;
    change.hazards.push_back("scans the table to build the index");
    if (options_.concurrently) {
      change.placement = ChangePlacement::kAfterCommit;
      change.hazards.push_back(
          "CONCURRENTLY: writes go on during the build; a failed build leaves an INVALID index, which the SELECT "
          "... \\gexec just before the build drops on the next run");
      change.statements.push_back(DropIfInvalid(schema, name));
    } else {
      change.hazards.push_back("long lock: the build blocks writes to the table until COMMIT (use --concurrently)");
    }
    change.statements.push_back(ScriptStatement::Plain(sql));
    Add(fmt::format("index|{}|{}|{}", schema, table, name), std::move(change));
  }

  std::string IndexMissing(const ir::Finding& finding) {
    const ir::Subject& subject = finding.subject;
    const ir::Table* model = ModelTable(subject);
    if (!model) return "the models' table was not found";
    for (const auto& index : model->indexes) {
      if (index.keys != subject.columns) continue;
      if (!subject.constraint.empty() && index.name != subject.constraint) continue;
      std::string reason;
      if (!PlanIndex(*model, index, reason)) return reason;
      return {};
    }
    return "the models' index was not found";
  }

  std::string EnumMismatch(const ir::Finding& finding) {
    const ir::Subject& subject = finding.subject;
    const ir::EnumType* model = models_ ? models_->FindEnum(subject.schema, subject.constraint) : nullptr;
    if (!model) return "the models' enum type was not found";
    const ir::EnumType* database = schema_ ? schema_->FindEnum(subject.schema, subject.constraint) : nullptr;
    const std::string type_sql = QualifiedSql(model->schema, model->name);
    PlannedChange change;
    change.phase = kPhaseTypes;
    if (!database) {
      std::string labels;
      for (const auto& label : model->labels) labels += (labels.empty() ? "" : ", ") + QuoteLiteral(label);
      change.summary = "create enum type " + Display(model->schema, model->name);
      std::string body = "\nBEGIN\n";
      body +=
          "  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = "
          "t.typnamespace\n";
      body += "                  WHERE n.nspname = " + QuoteLiteral(model->schema) +
              " AND t.typname = " + QuoteLiteral(model->name) + ") THEN\n";
      body += "    CREATE TYPE " + type_sql + " AS ENUM (" + labels + ");\n";
      body += "  END IF;\nEND\n";
      change.statements.push_back(ScriptStatement::Do(body));
      Add(fmt::format("enum|{}|{}", model->schema, model->name), std::move(change));
      return {};
    }
    // ADD VALUE converges only when the database's labels are the models' with some missing,
    // in the same relative order; removing or reordering labels needs a new type.
    std::size_t next = 0;
    for (const auto& label : model->labels) {
      if (next < database->labels.size() && database->labels[next] == label) ++next;
    }
    if (next != database->labels.size()) {
      return "the database type has labels the models do not have, or in another order: that needs a new type and "
             "a column rewrite";
    }
    change.summary = "add labels to enum type " + Display(model->schema, model->name);
    change.hazards.push_back("new labels cannot be used in this same transaction (PostgreSQL refuses it)");
    for (std::size_t i = 0; i < model->labels.size(); ++i) {
      const std::string& label = model->labels[i];
      if (std::find(database->labels.begin(), database->labels.end(), label) != database->labels.end()) continue;
      std::string sql = "ALTER TYPE " + type_sql + " ADD VALUE IF NOT EXISTS " + QuoteLiteral(label);
      // The previous label exists by now (it was there, or the statement before added it).
      if (i > 0) {
        sql += " AFTER " + QuoteLiteral(model->labels[i - 1]);
      } else if (!database->labels.empty()) {
        sql += " BEFORE " + QuoteLiteral(database->labels.front());
      }
      change.statements.push_back(ScriptStatement::Plain(sql + ";"));
    }
    if (change.statements.empty()) return "the labels already agree";
    Add(fmt::format("enum|{}|{}", model->schema, model->name), std::move(change));
    return {};
  }

  // --- Destructive --------------------------------------------------------------------------

  void AddDrop(const std::string& key, const std::string& summary, const std::string& hazard, const std::string& sql,
               ChangePlacement placement = ChangePlacement::kInTransaction) {
    PlannedChange change;
    change.phase = kPhaseDrops;
    change.placement = placement;
    change.destructive = true;
    change.summary = summary;
    change.hazards.push_back(hazard);
    change.statements.push_back(ScriptStatement::Plain(sql));
    Add(key, std::move(change));
  }

  std::string DropColumn(const ir::Finding& finding) {
    const ir::Subject& subject = finding.subject;
    if (subject.columns.size() != 1 || subject.table.empty()) return "the finding names no single column";
    AddDrop(fmt::format("drop-2-column|{}|{}|{}", subject.schema, subject.table, subject.columns.front()),
            "drop column " + Display(subject.schema, subject.table) + "." + subject.columns.front(),
            "data loss: drops the column and its data, and the indexes and constraints that use it",
            "ALTER TABLE " + QualifiedSql(subject.schema, subject.table) + " DROP COLUMN IF EXISTS " +
                QuoteIdent(subject.columns.front()) + ";");
    return {};
  }

  std::string DropTable(const ir::Finding& finding) {
    const ir::Subject& subject = finding.subject;
    if (subject.table.empty()) return "the finding names no table";
    const ir::Table* database = DatabaseTable(subject);
    const bool is_view = database && database->kind == ir::TableKind::kView;
    const bool is_materialized = database && database->kind == ir::TableKind::kMaterializedView;
    const std::string what = is_view ? "VIEW" : is_materialized ? "MATERIALIZED VIEW" : "TABLE";
    AddDrop(fmt::format("drop-3-table|{}|{}", subject.schema, subject.table),
            "drop " + fmt::format("{} ", is_view || is_materialized ? "view" : "table") +
                Display(subject.schema, subject.table),
            "data loss: drops the relation and all its rows; fails while other objects depend on it (no CASCADE)",
            "DROP " + what + " IF EXISTS " + QualifiedSql(subject.schema, subject.table) + ";");
    return {};
  }

  void DropIndexNamed(const std::string& schema, const std::string& table, const std::string& name,
                      const std::string& hazard) {
    const bool concurrently = options_.concurrently;
    AddDrop(fmt::format("drop-0-index|{}|{}", schema, name), "drop index " + name + " on " + Display(schema, table),
            hazard,
            std::string("DROP INDEX ") + (concurrently ? "CONCURRENTLY " : "") + "IF EXISTS " +
                QualifiedSql(schema, name) + ";",
            concurrently ? ChangePlacement::kAfterCommit : ChangePlacement::kInTransaction);
  }

  std::string DropIndex(const ir::Finding& finding) {
    const ir::Subject& subject = finding.subject;
    if (subject.constraint.empty()) return "the finding names no index";
    DropIndexNamed(subject.schema, subject.table, subject.constraint,
                   "queries that use the index get slower; a unique index stops enforcing uniqueness");
    return {};
  }

  std::string DropUnique(const ir::Finding& finding) {
    const ir::Subject& subject = finding.subject;
    if (subject.constraint.empty()) return "the finding names no constraint or index";
    const ir::Table* database = DatabaseTable(subject);
    const bool is_constraint =
        database && std::any_of(database->unique_constraints.begin(), database->unique_constraints.end(),
                                [&](const ir::UniqueConstraint& unique) { return unique.name == subject.constraint; });
    const std::string hazard = "integrity: duplicate values become possible";
    if (!is_constraint) {
      DropIndexNamed(subject.schema, subject.table, subject.constraint, hazard);
      return {};
    }
    AddDrop(fmt::format("drop-1-constraint|{}|{}|{}", subject.schema, subject.table, subject.constraint),
            "drop unique constraint " + subject.constraint + " on " + Display(subject.schema, subject.table), hazard,
            "ALTER TABLE " + QualifiedSql(subject.schema, subject.table) + " DROP CONSTRAINT IF EXISTS " +
                QuoteIdent(subject.constraint) + ";");
    return {};
  }

  std::string DropForeignKey(const ir::Finding& finding) {
    const ir::Subject& subject = finding.subject;
    if (subject.constraint.empty()) return "the finding names no constraint";
    AddDrop(fmt::format("drop-1-constraint|{}|{}|{}", subject.schema, subject.table, subject.constraint),
            "drop foreign key " + subject.constraint + " on " + Display(subject.schema, subject.table),
            "integrity: rows that reference nothing become possible",
            "ALTER TABLE " + QualifiedSql(subject.schema, subject.table) + " DROP CONSTRAINT IF EXISTS " +
                QuoteIdent(subject.constraint) + ";");
    return {};
  }

  // --- Timestamps and the schema's own rules ------------------------------------------------

  std::string CreatedAtDefault(const ir::Finding& finding) {
    const ir::Subject& subject = finding.subject;
    if (subject.table.empty() || subject.columns.size() != 1) return "the finding names no single column";
    const std::string& column = subject.columns.front();
    std::string body = "\nBEGIN\n";
    body += "  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attrdef d\n";
    body += "                   JOIN pg_catalog.pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum\n";
    body += "                  WHERE d.adrelid = " + RegclassSql(subject.schema, subject.table) +
            " AND a.attname = " + QuoteLiteral(column) + ") THEN\n";
    body += "    ALTER TABLE " + QualifiedSql(subject.schema, subject.table) + " ALTER COLUMN " + QuoteIdent(column) +
            " SET DEFAULT now();\n";
    body += "  END IF;\nEND\n";
    PlannedChange change;
    change.phase = kPhaseDefaults;
    change.summary = "set the default of " + Display(subject.schema, subject.table) + "." + column + " to now()";
    change.notes.push_back("only when the column has no default yet; existing rows keep their values");
    change.statements.push_back(ScriptStatement::Do(body));
    Add(fmt::format("default|{}|{}|{}", subject.schema, subject.table, column), std::move(change));
    return {};
  }

  // One function per column name: the body assigns NEW.<column> literally, which is how
  // dbaudit (and a reader) recognises what an existing trigger maintains.
  std::string TriggerFunctionName(const std::string& column) const {
    const std::string& base = options_.trigger_function;
    if (column == "updated_at") return base;
    std::string name = base.ends_with("_updated_at") ? base.substr(0, base.size() - 10) + column : base + "_" + column;
    if (name.size() > 63) name.resize(63);
    return name;
  }

  std::string UpdatedAtTrigger(const ir::Finding& finding) {
    const ir::Subject& subject = finding.subject;
    if (subject.table.empty() || subject.columns.empty()) return "the finding names no column";
    for (const auto& column : subject.columns) {
      const std::string function = TriggerFunctionName(column);
      const std::string function_sql = QualifiedSql(subject.schema, function);
      PlannedChange create;
      create.phase = kPhaseTriggers;
      create.summary = "create or replace trigger function " + Display(subject.schema, function) + "()";
      ScriptStatement statement;
      statement.text = "CREATE OR REPLACE FUNCTION " + function_sql + "() RETURNS trigger LANGUAGE plpgsql AS ";
      statement.dollar_body = "\nBEGIN\n  NEW." + QuoteIdent(column) + " := now();\n  RETURN NEW;\nEND\n";
      statement.after_body = ";";
      create.statements.push_back(std::move(statement));
      Add(fmt::format("trigger-0-function|{}|{}", subject.schema, function), std::move(create));

      PlannedChange trigger;
      trigger.phase = kPhaseTriggers;
      trigger.summary = "add trigger " + function + " on " + Display(subject.schema, subject.table) + " to set " +
                        column + " on every UPDATE";
      trigger.notes.push_back("the models' onupdate= is then redundant: the database keeps the column current");
      std::string body = "\nBEGIN\n";
      body += "  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = " +
              RegclassSql(subject.schema, subject.table) + " AND tgname = " + QuoteLiteral(function) +
              " AND NOT tgisinternal) THEN\n";
      body += "    CREATE TRIGGER " + QuoteIdent(function) + " BEFORE UPDATE ON " +
              QualifiedSql(subject.schema, subject.table) + " FOR EACH ROW EXECUTE FUNCTION " + function_sql + "();\n";
      body += "  END IF;\nEND\n";
      trigger.statements.push_back(ScriptStatement::Do(body));
      Add(fmt::format("trigger-1|{}|{}|{}", subject.schema, subject.table, function), std::move(trigger));
    }
    return {};
  }

  std::string TimestampWithTimeZone(const ir::Finding& finding) {
    const ir::Subject& subject = finding.subject;
    const ir::Table* database_table = DatabaseTable(subject);
    const ir::Column* database = SubjectColumn(database_table, subject);
    if (!database) return "the database column was not found";
    if (!IsTimestampWithoutZone(database->type)) return "the column is not timestamp without time zone";
    std::string target = database->type;
    target.replace(target.find("without time zone"), 17, "with time zone");
    const std::string display = rules::DisplayColumn(*database_table, database->name);
    PlannedChange change;
    change.phase = kPhaseColumnTypes;
    change.summary = "change " + display + " to " + target;
    change.hazards.push_back("table rewrite: the type change rewrites the table under an ACCESS EXCLUSIVE lock");
    change.hazards.push_back("assumes the stored timestamps are UTC");
    change.statements.push_back(
        ScriptStatement::Do(TypeChangeBody(subject.schema, subject.table, database->name, database->type, target,
                                           QuoteIdent(database->name) + " AT TIME ZONE 'UTC'", display)));
    Add(fmt::format("type|{}|{}|{}", subject.schema, subject.table, database->name), std::move(change));
    return {};
  }

  std::string ForeignKeyIndex(const ir::Finding& finding) {
    const ir::Subject& subject = finding.subject;
    if (subject.table.empty() || subject.columns.empty()) return "the finding names no columns";
    const std::string name = rules::DefaultConstraintName(subject.table, subject.columns, "idx");
    if (RelationNameTaken(subject.schema, name)) return "the schema already has a relation named " + name;
    AddIndexChange(subject.schema, subject.table, name,
                   "create index " + name + " on " + Display(subject.schema, subject.table) +
                       rules::DisplayList(subject.columns) + " for the foreign key",
                   std::string("CREATE INDEX ") + (options_.concurrently ? "CONCURRENTLY " : "") + "IF NOT EXISTS " +
                       QuoteIdent(name) + " ON " + QualifiedSql(subject.schema, subject.table) + " " +
                       rules::ColumnListSql(subject.columns) + ";");
    return {};
  }

  const ir::Catalog* models_;
  const ir::Catalog* schema_;
  PlanOptions options_;
  const ir::Finding* current_ = nullptr;
  bool planned_any_ = false;
  std::map<std::string, PlannedChange> changes_;
  std::vector<reports::NotPlannedFinding> not_planned_;
};

}  // namespace

reports::ChangeScriptInput BuildPlan(const std::vector<ir::Finding>& findings, const ir::Catalog* models,
                                     const ir::Catalog* schema, const PlanOptions& options) {
  Planner planner(models, schema, options);
  for (const auto& finding : findings) planner.Plan(finding);
  return planner.Finish(findings);
}

reports::ChangeLogEntry MakeChangeLogEntry(const reports::ChangeScriptInput& input, const std::string& script_text,
                                           const std::string& display_path) {
  reports::ChangeLogEntry entry;
  entry.date = input.date;
  entry.script_path = display_path;
  entry.sha256 = reports::Sha256Hex(script_text);
  entry.schema_source = input.schema_source;
  entry.tool_version = input.tool_version;
  const reports::ChangeCounts counts = reports::CountChanges(input);
  entry.summary = fmt::format(
      "{} change{} for {} finding{}; {} destructive change{} left commented out; {} finding{} "
      "not planned",
      counts.applied, counts.applied == 1 ? "" : "s", input.findings.size(), input.findings.size() == 1 ? "" : "s",
      counts.destructive_commented, counts.destructive_commented == 1 ? "" : "s", counts.not_planned,
      counts.not_planned == 1 ? "" : "s");
  std::vector<const reports::PlannedChange*> ordered;
  for (const auto& change : input.changes) ordered.push_back(&change);
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) {
    return std::tie(a->placement, a->phase, a->sort_key) < std::tie(b->placement, b->phase, b->sort_key);
  });
  std::set<std::string> seen_hazards;
  for (const auto* change : ordered) {
    const bool commented = change->destructive && !input.allow_destructive;
    entry.changes.push_back(change->summary + (commented ? " (destructive: commented out)" : ""));
    for (const auto& hazard : change->hazards) {
      if (seen_hazards.insert(hazard).second) entry.hazards.push_back(hazard);
    }
  }
  for (const auto& missing : input.not_planned) {
    entry.not_planned.push_back("[" + missing.finding.rule_id + "] " + missing.finding.message + " (" + missing.reason +
                                ")");
  }
  return entry;
}

}  // namespace dbaudit::driver

#pragma once

#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "analyzer/ir/catalog.hpp"
#include "analyzer/ir/finding.hpp"
#include "reports/change_log.hpp"
#include "reports/change_script.hpp"

// `dbaudit plan`: from the findings of a check run to a guarded, idempotent change script
// (reports/change_script.hpp lays it out). Every identifier goes through rules::QuoteIdent,
// every literal through rules::QuoteLiteral; expressions and type names taken from the models
// are put in the script only when they parse as exactly one expression and carry nothing that
// psql would read as a meta-command, a variable or the end of a statement.
namespace dbaudit::driver {

// Which findings to plan for. A finding is selected when --all is given, or when it matches
// every kind of selector that was given (a rule glob of `rules` AND a table of `tables`).
struct PlanSelection {
  std::vector<std::string> rules;   // globs as in --select ('model-*', '-model-index-*')
  std::vector<std::string> tables;  // "users" (any schema) or "audit.events"
  bool all = false;
  bool Empty() const { return !all && rules.empty() && tables.empty(); }
};
bool IsFindingSelected(const ir::Finding& finding, const PlanSelection& selection);

// [a-z0-9-] only, dashes collapsed and trimmed, at most 60 characters; "plan" when empty.
std::string SanitizeSlug(const std::string& text);
// The slug derived from the selection: "all-findings", or the rule globs and tables joined.
std::string SlugFor(const PlanSelection& selection);

struct PlanOptions {
  bool concurrently = false;                                // CREATE/DROP INDEX CONCURRENTLY after COMMIT
  bool allow_destructive = false;                           // else drops and narrowing type changes are commented out
  std::string trigger_function = "dbaudit_set_updated_at";  // [timestamps] trigger-function
  std::string lock_timeout = "5s";
  std::string statement_timeout = "15min";
};

// A PostgreSQL duration as SET lock_timeout takes it: digits with an optional unit
// (us, ms, s, min, h, d). "0" disables the timeout.
bool IsValidTimeout(const std::string& text);

// The change script for `findings` (the selected ones, in report order), planned against the
// models and the schema they came from (either may be null). tool_version, schema_source and
// date are left for the caller to fill.
reports::ChangeScriptInput BuildPlan(const std::vector<ir::Finding>& findings, const ir::Catalog* models,
                                     const ir::Catalog* schema, const PlanOptions& options);

// "2026-11-24". The command uses the current time, or SOURCE_DATE_EPOCH when set.
std::string UtcDate(std::time_t time);
// <dir>/<date>-<slug>.sql, or -2, -3, ... before ".sql" when that file exists already.
std::filesystem::path UniqueScriptPath(const std::filesystem::path& dir, const std::string& date,
                                       const std::string& slug);

// The pgdb_changes.md entry for a script written at `display_path`.
reports::ChangeLogEntry MakeChangeLogEntry(const reports::ChangeScriptInput& input, const std::string& script_text,
                                           const std::string& display_path);

}  // namespace dbaudit::driver

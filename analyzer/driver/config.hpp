#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/ir/diagnostic.hpp"
#include "analyzer/ir/result.hpp"
#include "rules/rule.hpp"

namespace dbaudit::driver {

// Settings read from dbaudit.toml, or [tool.dbaudit] in pyproject.toml. Every field is
// optional: the command line wins over the file, the file over the defaults.
struct FileConfig {
  std::filesystem::path path;  // the file it came from; empty when none was found
  std::vector<std::string> paths;
  std::vector<std::string> exclude;
  std::optional<std::string> schema_sql;
  std::optional<std::string> schema_json;
  std::vector<std::string> schemas;
  std::vector<std::string> ignore_tables;
  std::vector<std::string> select;
  std::optional<std::string> fail_on;
  std::optional<std::string> format;
  std::map<std::string, ir::Severity> severity;        // rule id -> severity
  std::optional<std::string> model_comparison_output;  // model_comparison_results.md
  std::optional<std::string> inventory_output;         // db_inventory.md
  std::optional<std::string> schema_export_output;     // database_schema_actual.md
  std::optional<std::string> docs;                     // the team's schema document
  std::optional<std::string> discrepancies_output;     // schema_discrepancies.json
  std::optional<std::string> docs_backup_dir;          // old_versions/
  std::optional<std::string> constraints_gap_output;   // constraints_gap.md
  std::optional<std::string> sarif_output;             // dbaudit.sarif (audit)
  std::optional<std::string> baseline;                 // known findings: only new ones fail
  std::optional<std::string> plan_dir;                 // temp/: where `plan` writes scripts
  std::optional<std::string> changelog;                // pgdb_changes.md
  // [timestamps]: created-at, updated-at (lists of column names), require-time-zone (bool),
  // trigger-function (string). Keys not given keep the defaults.
  rules::TimestampPolicy timestamps;
  // Which files may declare models besides the application's own (see ModelReaderOptions),
  // and whether a run that reads no models is allowed to pass.
  bool models_in_migrations = false;
  bool models_in_tests = false;
  bool allow_no_models = false;
};

// Looks for dbaudit.toml, then pyproject.toml with a [tool.dbaudit] table, in `project_root`;
// `explicit_path` (from --config) wins. A file that does not parse, an unknown key or a value
// of the wrong type is an Error naming the file, line and key.
ir::Result<FileConfig> LoadConfig(const std::filesystem::path& project_root,
                                  const std::optional<std::filesystem::path>& explicit_path);

std::optional<ir::Severity> ParseSeverity(const std::string& text);

}  // namespace dbaudit::driver

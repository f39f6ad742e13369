#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/driver/schema_source.hpp"
#include "analyzer/ir/catalog.hpp"
#include "analyzer/ir/finding.hpp"
#include "analyzer/ir/query.hpp"
#include "reports/report.hpp"
#include "rules/rule.hpp"

namespace dbaudit::driver {

enum class OutputFormat { kText, kJson, kSarif };

// Everything `dbaudit check` needs, after the command line and the configuration file were
// merged (the command line wins).
struct CheckOptions {
  std::vector<std::filesystem::path> paths;  // files or folders to analyse
  std::filesystem::path project_root;        // display paths and SARIF uris are relative to it
  std::optional<std::string> database_url;
  std::optional<std::string> schema_sql;
  std::optional<std::string> schema_json;
  bool allow_environment_connection = true;  // DATABASE_URL, .env, PG*
  std::map<std::string, std::string> environment;
  std::vector<std::string> schemas;
  std::vector<std::string> ignore_tables = {"alembic_version"};
  std::vector<std::string> exclude;
  std::vector<std::string> select;
  std::map<std::string, ir::Severity> severity_overrides;
  rules::TimestampPolicy timestamps;
  std::optional<ir::Severity> fail_on = ir::Severity::kNote;  // nullopt: never fail on findings
  // False for commands that are useful without a schema (inventory): then a missing schema
  // source is no error, and only the rules that need no schema run.
  bool require_schema = true;
  unsigned threads = 0;
  bool models_in_migrations = false;  // classes in migration files are models (default: not)
  bool models_in_tests = false;       // classes in test suites are models (default: not)
  // A run whose code uses SQLAlchemy but yields (almost) no models passes: its
  // input-models-not-read finding becomes a warning and no longer makes the run incomplete.
  bool allow_no_models = false;
};

struct CheckRun {
  // Set when the run could not do its job at all (no schema, unreadable schema file, refused
  // connection): the message is printed and the exit code is 2.
  std::optional<std::string> fatal_error;
  std::vector<std::string> warnings;  // printed on stderr (e.g. "no models found")
  reports::ReportInput report;
  ir::Catalog models;
  std::vector<ir::ModelClass> model_classes;
  std::vector<ir::FileQueries> queries;
  // Points into `queries`: a CheckRun may be moved, never copied.
  std::vector<rules::Facts::AnalyzedSite> analyzed_sites;
  std::optional<ir::Catalog> schema;
  size_t python_file_count = 0;
  bool incomplete = false;  // input was lost: exit code 2 even with findings
};

// The schema source `options` names, as LoadSchema takes it.
SchemaSourceRequest SchemaRequestOf(const CheckOptions& options);

// Runs discovery, the readers, the comparison and the selected rules. Never throws for bad
// input; everything the user should see is in the returned value.
CheckRun RunCheck(const CheckOptions& options);

// 0 nothing at or above fail_on, 1 findings, 2 the tool could not do its job.
int ExitCode(const CheckRun& run, const std::optional<ir::Severity>& fail_on);

}  // namespace dbaudit::driver

#include "analyzer/driver/cli.hpp"

#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "analyzer/driver/check.hpp"
#include "analyzer/driver/comma_list.hpp"
#include "analyzer/driver/config.hpp"
#include "analyzer/driver/output.hpp"
#include "analyzer/driver/rule_docs.hpp"
#include "analyzer/driver/version.hpp"
#include "db/connection.hpp"
#include "reports/report.hpp"
#include "rules/rule.hpp"

extern char** environ;

namespace dbaudit::driver {

namespace fs = std::filesystem;

namespace {

constexpr int kExitToolFailure = 2;

std::map<std::string, std::string> CurrentEnvironment() {
  std::map<std::string, std::string> environment;
  for (char** entry = environ; entry && *entry; ++entry) {
    const std::string text = *entry;
    const auto eq = text.find('=');
    if (eq != std::string::npos) environment[text.substr(0, eq)] = text.substr(eq + 1);
  }
  return environment;
}

// Command-line values for `check`, before they are merged with the configuration file.
struct CheckArguments {
  std::vector<std::string> paths;
  std::string project_root;
  std::string config;
  std::string database_url;
  std::string schema_sql;
  std::string schema_json;
  std::vector<std::string> schemas;
  std::vector<std::string> ignore_tables;
  std::vector<std::string> exclude;
  std::vector<std::string> select;
  std::string format;
  std::string output;
  std::string fail_on;
  std::string comparison_report;
  bool no_environment = false;
  unsigned threads = 0;
};

void PrintError(const std::string& message) {
  fmt::print(stderr, "dbaudit: error: {}\n", db::RedactSecrets(message));
}

int RunCheckCommand(const CheckArguments& arguments) {
  std::vector<fs::path> paths(arguments.paths.begin(), arguments.paths.end());
  if (paths.empty()) paths.push_back(".");
  fs::path project_root = arguments.project_root;
  if (project_root.empty()) {
    std::error_code error;
    project_root = fs::is_directory(paths.front(), error) ? paths.front() : paths.front().parent_path();
    if (project_root.empty()) project_root = ".";
  }

  auto config =
      LoadConfig(project_root, arguments.config.empty() ? std::nullopt : std::optional<fs::path>(arguments.config));
  if (!config.ok()) {
    PrintError(config.error().message);
    return kExitToolFailure;
  }
  const FileConfig& file = config.value();
  auto from_config_root = [&](const std::string& path) { return (project_root / path).lexically_normal().string(); };

  CheckOptions options;
  options.project_root = project_root;
  options.paths = paths;
  if (arguments.paths.empty() && !file.paths.empty()) {
    options.paths.clear();
    for (const auto& path : file.paths) options.paths.push_back(from_config_root(path));
  }
  options.environment = CurrentEnvironment();
  options.allow_environment_connection = !arguments.no_environment;
  if (!arguments.database_url.empty()) options.database_url = arguments.database_url;
  if (!arguments.schema_sql.empty()) {
    options.schema_sql = arguments.schema_sql;
  } else if (!arguments.schema_json.empty()) {
    options.schema_json = arguments.schema_json;
  } else if (!options.database_url && file.schema_sql) {
    options.schema_sql = from_config_root(*file.schema_sql);
  } else if (!options.database_url && file.schema_json) {
    options.schema_json = from_config_root(*file.schema_json);
  }
  options.schemas = !arguments.schemas.empty() ? SplitCommaList(arguments.schemas) : file.schemas;
  if (!arguments.ignore_tables.empty()) {
    options.ignore_tables = SplitCommaList(arguments.ignore_tables);
  } else if (!file.ignore_tables.empty()) {
    options.ignore_tables = file.ignore_tables;
  }
  options.exclude = file.exclude;
  for (const auto& pattern : SplitCommaList(arguments.exclude)) options.exclude.push_back(pattern);
  options.select = !arguments.select.empty() ? SplitCommaList(arguments.select) : file.select;
  options.severity_overrides = file.severity;
  options.threads = arguments.threads;

  const std::string fail_on = !arguments.fail_on.empty() ? arguments.fail_on : file.fail_on.value_or("note");
  options.fail_on = fail_on == "never" ? std::nullopt : ParseSeverity(fail_on);
  const std::string format = !arguments.format.empty() ? arguments.format : file.format.value_or("text");
  if (format != "text" && format != "json" && format != "sarif") {
    PrintError("unknown format '" + format + "' (text, json or sarif)");
    return kExitToolFailure;
  }

  // Unknown rule ids in --select or the severity table are mistakes worth stopping for.
  std::vector<std::string> known_ids;
  for (const auto& rule : rules::MakeAllRules()) known_ids.push_back(rule->Info().id);
  for (const auto& pattern : options.select) {
    const std::string bare = pattern.starts_with("-") ? pattern.substr(1) : pattern;
    const bool matches_any = std::any_of(known_ids.begin(), known_ids.end(),
                                         [&](const std::string& id) { return rules::IsSelected(id, {bare}); });
    if (!matches_any) {
      PrintError("--select pattern '" + pattern + "' matches no rule (see `dbaudit rules`)");
      return kExitToolFailure;
    }
  }
  for (const auto& [id, severity] : options.severity_overrides) {
    if (std::find(known_ids.begin(), known_ids.end(), id) == known_ids.end()) {
      PrintError(file.path.generic_string() + ": [severity] names unknown rule '" + id + "'");
      return kExitToolFailure;
    }
  }

  CheckRun run = RunCheck(options);
  if (run.fatal_error) {
    PrintError(*run.fatal_error);
    return kExitToolFailure;
  }
  for (const auto& warning : run.warnings) fmt::print(stderr, "dbaudit: warning: {}\n", warning);

  std::string rendered;
  if (format == "json") {
    rendered = reports::RenderJson(run.report);
  } else if (format == "sarif") {
    rendered = reports::RenderSarif(run.report);
  } else {
    rendered = reports::RenderText(run.report);
  }
  if (!arguments.output.empty()) {
    if (auto error = WriteFileAtomically(arguments.output, rendered)) {
      PrintError(*error);
      return kExitToolFailure;
    }
  } else {
    std::fwrite(rendered.data(), 1, rendered.size(), stdout);
  }
  std::string comparison_path = arguments.comparison_report;
  if (comparison_path.empty() && file.model_comparison_output) {
    comparison_path = from_config_root(*file.model_comparison_output);
  }
  if (!comparison_path.empty()) {
    if (auto error = WriteFileAtomically(comparison_path, reports::RenderModelComparison(run.report))) {
      PrintError(*error);
      return kExitToolFailure;
    }
  }
  const int code = ExitCode(run, options.fail_on);
  if (run.incomplete) {
    fmt::print(stderr,
               "dbaudit: error: the run is incomplete: some input could not be read (see the findings above)\n");
  }
  return code;
}

int RunRulesCommand(const std::string& id) {
  const auto all = rules::MakeAllRules();
  if (id.empty()) {
    size_t width = 0;
    for (const auto& rule : all) width = std::max(width, rule->Info().id.size());
    for (const auto& rule : all) {
      const auto& info = rule->Info();
      fmt::print("{:<{}}  {:<7}  {}\n", info.id, width, ir::ToString(info.default_severity), info.summary);
    }
    return 0;
  }
  for (const auto& rule : all) {
    if (rule->Info().id != id) continue;
    const RuleDoc* doc = FindRuleDoc(id);
    if (doc) {
      fmt::print("{}", doc->markdown);
    } else {
      fmt::print("# {}\n\n{}\n", id, rule->Info().summary);
    }
    return 0;
  }
  PrintError("unknown rule '" + id + "' (see `dbaudit rules`)");
  return kExitToolFailure;
}

}  // namespace

int RunCli(int argc, char** argv) {
  CLI::App app{
      "dbaudit audits how a Python application uses its PostgreSQL database: it compares the SQLAlchemy models "
      "with the real schema (live, read-only, or a pg_dump --schema-only file) and reports every disagreement.",
      "dbaudit"};
  app.set_version_flag("--version", std::string("dbaudit ") + kVersion);
  app.require_subcommand(1);
  app.footer("Exit codes: 0 nothing at or above --fail-on, 1 findings, 2 the tool could not do its job.");

  CheckArguments check_arguments;
  CLI::App* check = app.add_subcommand("check", "Compare the models with the schema and report findings");
  check->add_option("paths", check_arguments.paths, "Files or folders to analyse (default: the current folder)");
  check->add_option("--project-root", check_arguments.project_root,
                    "Root that reported paths are relative to (default: the first PATH if a folder)");
  check->add_option("--config", check_arguments.config, "Configuration file (default: dbaudit.toml or pyproject.toml)");
  check->add_option("--database-url", check_arguments.database_url,
                    "Live database to read (read-only), e.g. postgresql://user@host/db");
  check->add_option("--schema-sql", check_arguments.schema_sql, "A pg_dump --schema-only file to read instead")
      ->check(CLI::ExistingFile);
  check->add_option("--schema-json", check_arguments.schema_json, "A dbaudit JSON schema snapshot to read instead")
      ->check(CLI::ExistingFile);
  check->add_option("--schemas", check_arguments.schemas, "Database schemas to audit (default: every non-system one)")
      ->allow_extra_args(false);
  check
      ->add_option("--ignore-table", check_arguments.ignore_tables,
                   "Database tables to leave out (default: alembic_version)")
      ->allow_extra_args(false);
  check->add_option("--exclude", check_arguments.exclude, "Glob patterns of paths to skip")->allow_extra_args(false);
  check
      ->add_option("--select", check_arguments.select,
                   "Rules to run, as globs; a leading '-' removes: 'model-*,-model-index-not-in-models'")
      ->allow_extra_args(false);
  check->add_option("--format", check_arguments.format, "Output format: text (default), json or sarif")
      ->check(CLI::IsMember({"text", "json", "sarif"}));
  check->add_option("-o,--output", check_arguments.output, "Write the report to this file instead of stdout");
  check
      ->add_option("--fail-on", check_arguments.fail_on,
                   "Lowest severity that makes the exit code 1: note (default), warning, error or never")
      ->check(CLI::IsMember({"note", "warning", "error", "never"}));
  check->add_option("--comparison-report", check_arguments.comparison_report,
                    "Also write model_comparison_results.md to this path");
  check->add_flag("--no-env", check_arguments.no_environment,
                  "Never read DATABASE_URL, .env or PG* variables for the schema source");
  check->add_option("--threads", check_arguments.threads, "Parser threads (default: all cores)");

  std::string rule_id;
  CLI::App* rules_command = app.add_subcommand("rules", "List the rules, or print the documentation of one");
  rules_command->add_option("id", rule_id, "A rule id");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForVersion& version) {
    return app.exit(version);
  } catch (const CLI::ParseError& error) {
    app.exit(error);
    return kExitToolFailure;
  }

  try {
    if (check->parsed()) return RunCheckCommand(check_arguments);
    if (rules_command->parsed()) return RunRulesCommand(rule_id);
  } catch (const std::exception& error) {
    // A bug, not bad input: say so plainly rather than crash.
    PrintError(std::string("internal error: ") + error.what());
    return kExitToolFailure;
  }
  return kExitToolFailure;
}

}  // namespace dbaudit::driver

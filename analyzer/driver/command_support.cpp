#include "analyzer/driver/command_support.hpp"

#include <algorithm>

#include <fmt/core.h>

#include "analyzer/driver/comma_list.hpp"
#include "db/connection.hpp"
#include "rules/rule.hpp"

extern char** environ;

namespace dbaudit::driver {

namespace fs = std::filesystem;

void AddSourceOptions(CLI::App& command, SourceArguments& arguments) {
  command.add_option("--project-root", arguments.project_root,
                     "Root that reported paths are relative to (default: the first PATH if a folder)");
  command.add_option("--config", arguments.config, "Configuration file (default: dbaudit.toml or pyproject.toml)");
  command.add_option("--database-url", arguments.database_url,
                     "Live database to read (read-only), e.g. postgresql://user@host/db");
  command.add_option("--schema-sql", arguments.schema_sql, "A pg_dump --schema-only file to read instead")
      ->check(CLI::ExistingFile);
  command.add_option("--schema-json", arguments.schema_json, "A dbaudit JSON schema snapshot to read instead")
      ->check(CLI::ExistingFile);
  command.add_option("--schemas", arguments.schemas, "Database schemas to audit (default: every non-system one)")
      ->allow_extra_args(false);
  command
      .add_option("--ignore-table", arguments.ignore_tables, "Database tables to leave out (default: alembic_version)")
      ->allow_extra_args(false);
  command.add_flag("--no-env", arguments.no_environment,
                   "Never read DATABASE_URL, .env or PG* variables for the schema source");
}

std::string CommandContext::FromConfigRoot(const std::string& path) const {
  return (project_root / path).lexically_normal().string();
}

ir::Result<fs::path> CommandContext::ConfiguredOutput(const std::string& key, const std::string& path) const {
  const fs::path resolved = FromConfigRoot(path);
  // Symbolic links resolved on both sides: a link inside the project to a folder elsewhere
  // leaves it too.
  std::error_code error;
  const fs::path root = fs::weakly_canonical(fs::absolute(project_root, error), error);
  const fs::path target = fs::weakly_canonical(fs::absolute(resolved, error), error);
  const fs::path relative = target.lexically_relative(root);
  if (!error && !relative.empty() && *relative.begin() != "..") return resolved;
  const std::string file = config.path.empty() ? std::string("the configuration") : config.path.generic_string();
  return ir::Error{file + ": " + key + " = \"" + path + "\" is outside the project root " + root.generic_string() +
                       "; dbaudit writes outside the project only to a path given on the command line",
                   ir::Location{file}};
}

ir::Result<CommandContext> PrepareCommand(const SourceArguments& arguments, const std::string& first_path) {
  CommandContext context;
  context.project_root = arguments.project_root;
  if (context.project_root.empty()) {
    const fs::path first = first_path.empty() ? fs::path(".") : fs::path(first_path);
    std::error_code error;
    context.project_root = fs::is_directory(first, error) ? first : first.parent_path();
    if (context.project_root.empty()) context.project_root = ".";
  }
  auto config = LoadConfig(context.project_root,
                           arguments.config.empty() ? std::nullopt : std::optional<fs::path>(arguments.config));
  if (!config.ok()) return config.error();
  context.config = config.take();
  const FileConfig& file = context.config;

  SchemaSourceRequest& request = context.schema_request;
  request.project_root = context.project_root;
  request.environment = CurrentEnvironment();
  request.allow_environment = !arguments.no_environment;
  if (!arguments.database_url.empty()) request.database_url = arguments.database_url;
  if (!arguments.schema_sql.empty()) {
    request.schema_sql = arguments.schema_sql;
  } else if (!arguments.schema_json.empty()) {
    request.schema_json = arguments.schema_json;
  } else if (!request.database_url && file.schema_sql) {
    request.schema_sql = context.FromConfigRoot(*file.schema_sql);
  } else if (!request.database_url && file.schema_json) {
    request.schema_json = context.FromConfigRoot(*file.schema_json);
  }
  request.schemas = !arguments.schemas.empty() ? SplitCommaList(arguments.schemas) : file.schemas;
  request.ignore_tables = {"alembic_version"};
  if (!arguments.ignore_tables.empty()) {
    request.ignore_tables = SplitCommaList(arguments.ignore_tables);
  } else if (!file.ignore_tables.empty()) {
    request.ignore_tables = file.ignore_tables;
  }
  return context;
}

CheckOptions MakeCheckOptions(const CommandContext& context, const std::vector<std::string>& paths,
                              const std::vector<std::string>& exclude, unsigned threads) {
  const FileConfig& file = context.config;
  CheckOptions options;
  options.project_root = context.project_root;
  for (const auto& path : paths) options.paths.push_back(path);
  if (options.paths.empty()) {
    for (const auto& path : file.paths) options.paths.push_back(context.FromConfigRoot(path));
  }
  if (options.paths.empty()) options.paths.push_back(".");
  const SchemaSourceRequest& request = context.schema_request;
  options.environment = request.environment;
  options.allow_environment_connection = request.allow_environment;
  options.database_url = request.database_url;
  options.schema_sql = request.schema_sql;
  options.schema_json = request.schema_json;
  options.schemas = request.schemas;
  options.ignore_tables = request.ignore_tables;
  options.exclude = file.exclude;
  for (const auto& pattern : SplitCommaList(exclude)) options.exclude.push_back(pattern);
  options.severity_overrides = file.severity;
  options.timestamps = file.timestamps;
  options.threads = threads;
  options.models_in_migrations = file.models_in_migrations;
  options.models_in_tests = file.models_in_tests;
  options.allow_no_models = file.allow_no_models;
  return options;
}

std::optional<std::string> CheckRuleNames(const std::string& option, const std::vector<std::string>& patterns,
                                          const std::map<std::string, ir::Severity>& severities,
                                          const std::filesystem::path& config_path) {
  std::vector<std::string> known_ids;
  for (const auto& rule : rules::MakeAllRules()) known_ids.push_back(rule->Info().id);
  for (const auto& pattern : patterns) {
    const std::string bare = pattern.starts_with("-") ? pattern.substr(1) : pattern;
    const bool matches_any = std::any_of(known_ids.begin(), known_ids.end(),
                                         [&](const std::string& id) { return rules::IsSelected(id, {bare}); });
    if (!matches_any) return option + " pattern '" + pattern + "' matches no rule (see `dbaudit rules`)";
  }
  for (const auto& [id, severity] : severities) {
    if (std::find(known_ids.begin(), known_ids.end(), id) == known_ids.end()) {
      return config_path.generic_string() + ": [severity] names unknown rule '" + id + "'";
    }
  }
  return std::nullopt;
}

std::map<std::string, std::string> CurrentEnvironment() {
  std::map<std::string, std::string> environment;
  for (char** entry = environ; entry && *entry; ++entry) {
    const std::string text = *entry;
    const auto eq = text.find('=');
    if (eq != std::string::npos) environment[text.substr(0, eq)] = text.substr(eq + 1);
  }
  return environment;
}

void PrintError(const std::string& message) {
  fmt::print(stderr, "dbaudit: error: {}\n", db::RedactSecrets(message));
}

void PrintWarning(const std::string& message) {
  fmt::print(stderr, "dbaudit: warning: {}\n", db::RedactSecrets(message));
}

}  // namespace dbaudit::driver

#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "analyzer/driver/check.hpp"
#include "analyzer/driver/config.hpp"
#include "analyzer/driver/schema_source.hpp"
#include "analyzer/ir/result.hpp"

// What every subcommand shares: registration, the schema-source options, the configuration
// file, and how errors are printed.
namespace dbaudit::driver {

inline constexpr int kExitToolFailure = 2;

// A subcommand registered from its own file; `run` is called when it was the one parsed.
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

// Registered by cli.cpp in this order; each lives in <name>_command.cpp.
std::vector<Command> AddCheckCommand(CLI::App& app);
std::vector<Command> AddInventoryCommand(CLI::App& app);
std::vector<Command> AddSchemaCommands(CLI::App& app);  // schema export
std::vector<Command> AddDocsCommands(CLI::App& app);    // docs diff, docs sync
std::vector<Command> AddRulesCommand(CLI::App& app);
std::vector<Command> AddPlanCommand(CLI::App& app);   // plan_command.cpp
std::vector<Command> AddAuditCommand(CLI::App& app);  // audit_command.cpp
// `docs sync`, added to the `docs` command by AddDocsCommands (docs_sync_command.cpp).
std::vector<Command> AddDocsSyncCommand(CLI::App& docs);

// Options naming the project, its configuration file and the schema source.
struct SourceArguments {
  std::string project_root;
  std::string config;
  std::string database_url;
  std::string schema_sql;
  std::string schema_json;
  std::vector<std::string> schemas;
  std::vector<std::string> ignore_tables;
  bool no_environment = false;
};
void AddSourceOptions(CLI::App& command, SourceArguments& arguments);

// The configuration found for the project, and the schema request the command line and the
// configuration make together (the command line wins).
struct CommandContext {
  std::filesystem::path project_root;
  FileConfig config;
  SchemaSourceRequest schema_request;
  // A path from the configuration file, relative to the project root.
  std::string FromConfigRoot(const std::string& path) const;
  // A path the configuration file names for something dbaudit writes (an artifact, the
  // document `docs sync` rewrites, a backup or plan folder, the baseline), relative to the
  // project root: an Error naming the file and `key` when it leaves the root (through "..",
  // as an absolute path, or through a symbolic link), so that a project's configuration can
  // never make dbaudit overwrite a file elsewhere. Paths given on the command line are the
  // user's own and are not checked.
  ir::Result<std::filesystem::path> ConfiguredOutput(const std::string& key, const std::string& path) const;
};
// `first_path` (a PATH argument, may be empty) decides the default project root.
ir::Result<CommandContext> PrepareCommand(const SourceArguments& arguments, const std::string& first_path);

// The options `check` and `inventory` share: the paths (PATH arguments, else the
// configuration's `paths`, else "."), the schema request, excludes (configuration plus
// command line), configured severities, thread count.
CheckOptions MakeCheckOptions(const CommandContext& context, const std::vector<std::string>& paths,
                              const std::vector<std::string>& exclude, unsigned threads);

// Rule names a user typed must name rules: a pattern of `patterns` (globs, a leading '-'
// removes) that matches no rule, or a [severity] entry for an unknown id, is an error
// message. `option` names the source of the patterns in the message ("--select").
std::optional<std::string> CheckRuleNames(const std::string& option, const std::vector<std::string>& patterns,
                                          const std::map<std::string, ir::Severity>& severities = {},
                                          const std::filesystem::path& config_path = {});

std::map<std::string, std::string> CurrentEnvironment();
// "dbaudit: error: <message>" on stderr, secrets redacted.
void PrintError(const std::string& message);
// "dbaudit: warning: <message>" on stderr, secrets redacted.
void PrintWarning(const std::string& message);

}  // namespace dbaudit::driver

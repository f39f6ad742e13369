#include "analyzer/driver/cli.hpp"

#include <CLI/CLI.hpp>

#include "analyzer/driver/command_support.hpp"
#include "analyzer/driver/version.hpp"

namespace dbaudit::driver {

int RunCli(int argc, char** argv) {
  CLI::App app{
      "dbaudit audits how a Python application uses its PostgreSQL database: it compares the SQLAlchemy models "
      "with the real schema (live, read-only, or a pg_dump --schema-only file) and reports every disagreement.",
      "dbaudit"};
  app.set_version_flag("--version", std::string("dbaudit ") + kVersion);
  app.require_subcommand(1);
  app.footer("Exit codes: 0 nothing at or above --fail-on, 1 findings, 2 the tool could not do its job.");

  std::vector<Command> commands;
  for (auto add : {AddAuditCommand, AddCheckCommand, AddInventoryCommand, AddSchemaCommands, AddDocsCommands,
                   AddPlanCommand, AddRulesCommand}) {
    for (Command& command : add(app)) commands.push_back(std::move(command));
  }

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
    for (const Command& command : commands) {
      if (command.app->parsed()) return command.run();
    }
  } catch (const std::exception& error) {
    // A bug, not bad input: say so plainly rather than crash.
    PrintError(std::string("internal error: ") + error.what());
    return kExitToolFailure;
  }
  return kExitToolFailure;
}

}  // namespace dbaudit::driver

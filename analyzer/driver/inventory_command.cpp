#include <cstdio>

#include <fmt/core.h>

#include "analyzer/driver/check.hpp"
#include "analyzer/driver/comma_list.hpp"
#include "analyzer/driver/command_support.hpp"
#include "analyzer/driver/inventory.hpp"
#include "analyzer/driver/output.hpp"
#include "reports/inventory.hpp"

namespace dbaudit::driver {

namespace fs = std::filesystem;

namespace {

struct InventoryArguments {
  std::vector<std::string> paths;
  SourceArguments source;
  std::vector<std::string> exclude;
  std::string format;
  std::string output;
  unsigned threads = 0;
};

int RunInventoryCommand(const InventoryArguments& arguments) {
  auto context = PrepareCommand(arguments.source, arguments.paths.empty() ? std::string() : arguments.paths.front());
  if (!context.ok()) {
    PrintError(context.error().message);
    return kExitToolFailure;
  }
  const FileConfig& file = context.value().config;
  CheckOptions options = MakeCheckOptions(context.value(), arguments.paths, arguments.exclude, arguments.threads);
  // The OK / fix column comes from the query rules; the rest of the rules are check's.
  options.select = {"query-*"};
  options.require_schema = false;

  CheckRun run = RunCheck(options);
  if (run.fatal_error) {
    PrintError(*run.fatal_error);
    return kExitToolFailure;
  }
  for (const auto& warning : run.warnings) PrintWarning(warning);
  if (!run.schema) {
    fmt::print(stderr,
               "dbaudit: warning: no schema source: query sites are listed but not checked (give --database-url, "
               "--schema-sql or --schema-json)\n");
  }

  const reports::InventoryReport inventory = BuildInventory(run);
  const std::string format = arguments.format.empty() ? "markdown" : arguments.format;
  const std::string rendered =
      format == "json" ? reports::RenderInventoryJson(inventory) : reports::RenderInventoryMarkdown(inventory);
  std::string output = arguments.output;
  if (output.empty() && format == "markdown" && !file.inventory_output) output = "db_inventory.md";
  if (output.empty() && format == "markdown") {
    auto configured = context.value().ConfiguredOutput("inventory-output", *file.inventory_output);
    if (!configured.ok()) {
      PrintError(configured.error().message);
      return kExitToolFailure;
    }
    output = configured.value().string();
  }
  if (output.empty() || output == "-") {
    std::fwrite(rendered.data(), 1, rendered.size(), stdout);
  } else if (auto error = WriteFileAtomically(output, rendered)) {
    PrintError(*error);
    return kExitToolFailure;
  } else {
    std::size_t high = 0, to_fix = 0;
    for (const auto& row : inventory.files) {
      high += row.risk == reports::RiskLevel::kHigh;
      to_fix += !row.findings.empty();
    }
    fmt::print(stderr, "dbaudit: wrote {}: {} files touch the database ({} high risk, {} to fix)\n", output,
               inventory.files.size(), high, to_fix);
  }
  if (run.incomplete) {
    fmt::print(stderr, "dbaudit: error: the run is incomplete: some input could not be read\n");
    return kExitToolFailure;
  }
  return 0;
}

}  // namespace

std::vector<Command> AddInventoryCommand(CLI::App& app) {
  auto arguments = std::make_shared<InventoryArguments>();
  CLI::App* command = app.add_subcommand(
      "inventory", "List every Python file that touches the database, with interaction types, risk and OK / fix");
  command->add_option("paths", arguments->paths, "Files or folders to analyse (default: the current folder)");
  AddSourceOptions(*command, arguments->source);
  command->add_option("--exclude", arguments->exclude, "Glob patterns of paths to skip")->allow_extra_args(false);
  command->add_option("--format", arguments->format, "markdown (default) or json")
      ->check(CLI::IsMember({"markdown", "json"}));
  command->add_option("-o,--output", arguments->output,
                      "Where to write it (default: inventory-output from the configuration, else db_inventory.md "
                      "for markdown and stdout for json; '-' for stdout)");
  command->add_option("--threads", arguments->threads, "Parser threads (default: all cores)");
  return {{command, [arguments] { return RunInventoryCommand(*arguments); }}};
}

}  // namespace dbaudit::driver

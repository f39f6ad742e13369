#include <cstdio>
#include <memory>

#include <fmt/core.h>

#include "analyzer/driver/comma_list.hpp"
#include "analyzer/driver/command_support.hpp"
#include "analyzer/driver/docs_diff.hpp"
#include "analyzer/driver/output.hpp"
#include "reports/report.hpp"

namespace dbaudit::driver {

namespace fs = std::filesystem;

namespace {

constexpr const char* kDefaultDiscrepanciesPath = "schema_discrepancies.json";

struct DiffArguments {
  SourceArguments source;
  std::string docs;
  std::vector<std::string> select;
  std::string format;
  std::string output;
  std::string discrepancies;
  std::string fail_on;
};

int RunDiff(const DiffArguments& arguments) {
  auto context = PrepareCommand(arguments.source, {});
  if (!context.ok()) {
    PrintError(context.error().message);
    return kExitToolFailure;
  }
  const FileConfig& file = context.value().config;
  DocsDiffOptions options;
  options.project_root = context.value().project_root;
  options.schema = context.value().schema_request;
  options.severity_overrides = file.severity;
  options.select = SplitCommaList(arguments.select);
  if (!arguments.docs.empty()) {
    options.document = arguments.docs;
  } else if (file.docs) {
    options.document = context.value().FromConfigRoot(*file.docs);
  } else {
    PrintError("no schema document: give --docs PATH (or the configuration key docs)");
    return kExitToolFailure;
  }
  const std::string fail_on = !arguments.fail_on.empty() ? arguments.fail_on : file.fail_on.value_or("note");
  const std::optional<ir::Severity> fail_severity = fail_on == "never" ? std::nullopt : ParseSeverity(fail_on);
  const std::string format = !arguments.format.empty() ? arguments.format : file.format.value_or("text");
  if (format != "text" && format != "json" && format != "sarif") {
    PrintError("unknown format '" + format + "' (text, json or sarif)");
    return kExitToolFailure;
  }

  const DocsDiffRun run = RunDocsDiff(options);
  if (run.fatal_error) {
    PrintError(*run.fatal_error);
    return kExitToolFailure;
  }
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
  std::string discrepancies = arguments.discrepancies;
  if (discrepancies.empty() && !file.discrepancies_output) {
    discrepancies = context.value().FromConfigRoot(kDefaultDiscrepanciesPath);
  } else if (discrepancies.empty()) {
    auto configured = context.value().ConfiguredOutput("discrepancies-output", *file.discrepancies_output);
    if (!configured.ok()) {
      PrintError(configured.error().message);
      return kExitToolFailure;
    }
    discrepancies = configured.value().string();
  }
  if (auto error = WriteFileAtomically(discrepancies, RenderDiscrepancies(run))) {
    PrintError(*error);
    return kExitToolFailure;
  }

  if (run.incomplete) {
    fmt::print(stderr, "dbaudit: error: the run is incomplete: some of the document could not be read\n");
    return kExitToolFailure;
  }
  if (!fail_severity) return 0;
  for (const auto& finding : run.report.findings) {
    if (finding.severity >= *fail_severity) return 1;
  }
  return 0;
}

}  // namespace

std::vector<Command> AddDocsCommands(CLI::App& app) {
  CLI::App* docs = app.add_subcommand("docs", "Compare the team's schema document with the schema, or rewrite it");
  docs->require_subcommand(1);
  auto arguments = std::make_shared<DiffArguments>();
  CLI::App* diff = docs->add_subcommand(
      "diff", "Report where the Markdown schema document disagrees with the schema (writes schema_discrepancies.json)");
  diff->add_option("--docs", arguments->docs, "The Markdown schema document (default: the configuration key docs)");
  AddSourceOptions(*diff, arguments->source);
  diff->add_option("--select", arguments->select, "docs- rules to run, as globs (default: docs-*)")
      ->allow_extra_args(false);
  diff->add_option("--format", arguments->format, "Output format: text (default), json or sarif")
      ->check(CLI::IsMember({"text", "json", "sarif"}));
  diff->add_option("-o,--output", arguments->output, "Write the report to this file instead of stdout");
  diff->add_option("--discrepancies", arguments->discrepancies,
                   "Where to write the discrepancies JSON (default: the configuration key discrepancies-output, "
                   "else schema_discrepancies.json in the project root)");
  diff->add_option("--fail-on", arguments->fail_on,
                   "Lowest severity that makes the exit code 1: note (default), warning, error or never")
      ->check(CLI::IsMember({"note", "warning", "error", "never"}));

  std::vector<Command> commands = {{diff, [arguments] { return RunDiff(*arguments); }}};
  for (Command& command : AddDocsSyncCommand(*docs)) commands.push_back(std::move(command));
  return commands;
}

}  // namespace dbaudit::driver

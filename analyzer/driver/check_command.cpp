#include <algorithm>
#include <cstdio>

#include <fmt/core.h>

#include "analyzer/driver/baseline.hpp"
#include "analyzer/driver/check.hpp"
#include "analyzer/driver/comma_list.hpp"
#include "analyzer/driver/command_support.hpp"
#include "analyzer/driver/output.hpp"
#include "analyzer/driver/rule_docs.hpp"
#include "reports/report.hpp"
#include "rules/rule.hpp"

namespace dbaudit::driver {

namespace fs = std::filesystem;

namespace {

// Command-line values for `check`, before they are merged with the configuration file.
struct CheckArguments {
  std::vector<std::string> paths;
  SourceArguments source;
  std::vector<std::string> exclude;
  std::vector<std::string> select;
  std::string format;
  std::string output;
  std::string fail_on;
  std::string comparison_report;
  std::string baseline;
  std::string write_baseline;
  CLI::Option* write_baseline_option = nullptr;
  unsigned threads = 0;
  bool allow_no_models = false;
};

int RunCheckCommand(const CheckArguments& arguments) {
  auto context = PrepareCommand(arguments.source, arguments.paths.empty() ? std::string() : arguments.paths.front());
  if (!context.ok()) {
    PrintError(context.error().message);
    return kExitToolFailure;
  }
  const FileConfig& file = context.value().config;
  CheckOptions options = MakeCheckOptions(context.value(), arguments.paths, arguments.exclude, arguments.threads);
  if (arguments.allow_no_models) options.allow_no_models = true;
  options.select = !arguments.select.empty() ? SplitCommaList(arguments.select) : file.select;

  const std::string fail_on = !arguments.fail_on.empty() ? arguments.fail_on : file.fail_on.value_or("note");
  options.fail_on = fail_on == "never" ? std::nullopt : ParseSeverity(fail_on);
  const std::string format = !arguments.format.empty() ? arguments.format : file.format.value_or("text");
  if (format != "text" && format != "json" && format != "sarif") {
    PrintError("unknown format '" + format + "' (text, json or sarif)");
    return kExitToolFailure;
  }

  // Unknown rule ids in --select or the severity table are mistakes worth stopping for.
  if (auto error = CheckRuleNames("--select", options.select, options.severity_overrides, file.path)) {
    PrintError(*error);
    return kExitToolFailure;
  }

  // A baseline that cannot be read stops the run before the analysis, not after it.
  const bool write_baseline = arguments.write_baseline_option && arguments.write_baseline_option->count() > 0;
  auto baseline = write_baseline ? ir::Result<std::optional<LoadedBaseline>>(std::optional<LoadedBaseline>())
                                 : LoadBaselineFor(context.value(), arguments.baseline);
  if (!baseline.ok()) {
    PrintError(baseline.error().message);
    return kExitToolFailure;
  }

  CheckRun run = RunCheck(options);
  if (run.fatal_error) {
    PrintError(*run.fatal_error);
    return kExitToolFailure;
  }
  for (const auto& warning : run.warnings) PrintWarning(warning);

  // model_comparison_results.md records the whole state, known debt included (as `audit`
  // writes it): it is rendered before the baseline drops anything.
  std::string comparison_path = arguments.comparison_report;
  if (comparison_path.empty() && file.model_comparison_output) {
    auto configured = context.value().ConfiguredOutput("model-comparison-output", *file.model_comparison_output);
    if (!configured.ok()) {
      PrintError(configured.error().message);
      return kExitToolFailure;
    }
    comparison_path = configured.value().string();
  }
  if (!comparison_path.empty()) {
    if (auto error = WriteFileAtomically(comparison_path, reports::RenderModelComparison(run.report))) {
      PrintError(*error);
      return kExitToolFailure;
    }
  }
  // Known debt: --write-baseline records every finding; a baseline drops the recorded ones.
  if (write_baseline) {
    // Without `=PATH` CLI11 stores the empty default: the configured or default path.
    const auto baseline_path = BaselineWritePath(context.value(), arguments.write_baseline);
    if (!baseline_path.ok()) {
      PrintError(baseline_path.error().message);
      return kExitToolFailure;
    }
    const fs::path& path = baseline_path.value();
    if (auto error = WriteFileAtomically(path, RenderBaseline(run.report.findings))) {
      PrintError(*error);
      return kExitToolFailure;
    }
    fmt::print(stderr, "dbaudit: wrote {} finding{} to the baseline {}\n", run.report.findings.size(),
               run.report.findings.size() == 1 ? "" : "s", path.generic_string());
  } else if (baseline.value()) {
    BaselineSplit split = ApplyBaseline(std::move(run.report.findings), baseline.value()->baseline);
    run.report.findings = std::move(split.new_findings);
    fmt::print(stderr, "dbaudit: {} ({}): only new findings are reported\n", DescribeBaselineMatches(split.known),
               baseline.value()->display_path);
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
  int code = ExitCode(run, options.fail_on);
  // Every finding was just recorded as known: nothing new can fail this run.
  if (write_baseline && code == 1) code = 0;
  if (run.incomplete) {
    fmt::print(stderr,
               "dbaudit: error: the run is incomplete: some input could not be read (see the findings above)\n");
  }
  return code;
}

}  // namespace

std::vector<Command> AddCheckCommand(CLI::App& app) {
  auto arguments = std::make_shared<CheckArguments>();
  CLI::App* check = app.add_subcommand("check", "Compare the models with the schema and report findings");
  check->add_option("paths", arguments->paths, "Files or folders to analyse (default: the current folder)");
  AddSourceOptions(*check, arguments->source);
  check->add_option("--exclude", arguments->exclude, "Glob patterns of paths to skip")->allow_extra_args(false);
  check
      ->add_option("--select", arguments->select,
                   "Rules to run, as globs; a leading '-' removes: 'model-*,-model-index-not-in-models'")
      ->allow_extra_args(false);
  check->add_option("--format", arguments->format, "Output format: text (default), json or sarif")
      ->check(CLI::IsMember({"text", "json", "sarif"}));
  check->add_option("-o,--output", arguments->output, "Write the report to this file instead of stdout");
  check
      ->add_option("--fail-on", arguments->fail_on,
                   "Lowest severity that makes the exit code 1: note (default), warning, error or never")
      ->check(CLI::IsMember({"note", "warning", "error", "never"}));
  check->add_option("--comparison-report", arguments->comparison_report,
                    "Also write model_comparison_results.md to this path");
  check->add_option("--baseline", arguments->baseline,
                    "Drop the findings recorded in this baseline file (default: the configuration key baseline, "
                    "when that file exists)");
  // A flag with an optional `=PATH` ("{}": the empty default), so that it never takes a PATH
  // argument that follows it as its value.
  arguments->write_baseline_option = check->add_flag(
      "--write-baseline{}", arguments->write_baseline,
      "Record every current finding in a baseline file: --write-baseline or --write-baseline=PATH (default: the "
      "configuration key baseline, else dbaudit-baseline.json)");
  check->add_option("--threads", arguments->threads, "Parser threads (default: all cores)");
  check->add_flag("--allow-no-models", arguments->allow_no_models,
                  "Pass even when the code uses SQLAlchemy but (almost) no models could be read");
  return {{check, [arguments] { return RunCheckCommand(*arguments); }}};
}

}  // namespace dbaudit::driver

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>

#include <fmt/core.h>

#include "analyzer/driver/check.hpp"
#include "analyzer/driver/comma_list.hpp"
#include "analyzer/driver/command_support.hpp"
#include "analyzer/driver/output.hpp"
#include "analyzer/driver/plan.hpp"
#include "analyzer/driver/version.hpp"
#include "reports/change_log.hpp"
#include "reports/change_script.hpp"
#include "rules/rule.hpp"

namespace dbaudit::driver {

namespace fs = std::filesystem;

namespace {

struct PlanArguments {
  std::vector<std::string> paths;
  SourceArguments source;
  std::vector<std::string> rules;
  std::vector<std::string> tables;
  bool all = false;
  bool concurrently = false;
  bool allow_destructive = false;
  std::string output_dir;
  std::string changelog;
  std::string slug;
  std::string lock_timeout = "5s";
  std::string statement_timeout = "15min";
  bool dry_run = false;
};

// SOURCE_DATE_EPOCH (reproducible builds' convention) pins the date, e.g. for tests.
std::time_t Now() {
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
    char* end = nullptr;
    const long long value = std::strtoll(epoch, &end, 10);
    if (end && *end == '\0' && value >= 0) return static_cast<std::time_t>(value);
  }
  return std::time(nullptr);
}

std::optional<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The script as the change log names it: relative to the log's folder when it is below it.
std::string DisplayPathFrom(const fs::path& log, const fs::path& script) {
  std::error_code error;
  const fs::path base = fs::absolute(log, error).parent_path();
  const fs::path target = fs::absolute(script, error);
  const fs::path relative = target.lexically_relative(base);
  if (!relative.empty() && *relative.begin() != "..") return relative.generic_string();
  return target.generic_string();
}

int RunPlanCommand(const PlanArguments& arguments) {
  PlanSelection selection;
  selection.rules = SplitCommaList(arguments.rules);
  selection.tables = SplitCommaList(arguments.tables);
  selection.all = arguments.all;
  if (selection.Empty()) {
    PrintError("say what to plan: --rule ID (globs as in --select), --table NAME, or --all");
    return kExitToolFailure;
  }
  if (auto error = CheckRuleNames("--rule", selection.rules)) {
    PrintError(*error);
    return kExitToolFailure;
  }
  for (const auto* timeout : {&arguments.lock_timeout, &arguments.statement_timeout}) {
    if (!IsValidTimeout(*timeout)) {
      PrintError("'" + *timeout + "' is no timeout: digits with an optional unit (ms, s, min, h), e.g. 5s");
      return kExitToolFailure;
    }
  }

  auto context = PrepareCommand(arguments.source, arguments.paths.empty() ? std::string() : arguments.paths.front());
  if (!context.ok()) {
    PrintError(context.error().message);
    return kExitToolFailure;
  }
  const FileConfig& file = context.value().config;
  CheckOptions options = MakeCheckOptions(context.value(), arguments.paths, {}, 0);
  options.select = file.select;
  options.fail_on = std::nullopt;

  CheckRun run = RunCheck(options);
  if (run.fatal_error) {
    PrintError(*run.fatal_error);
    return kExitToolFailure;
  }
  for (const auto& warning : run.warnings) PrintWarning(warning);
  if (run.incomplete) {
    // A model file that could not be read would look like tables and columns "not in the
    // models": never plan from a partial picture.
    PrintError("some input could not be read (run `dbaudit check` to see it): no plan made from a partial picture");
    return kExitToolFailure;
  }

  std::vector<ir::Finding> selected;
  for (const auto& finding : run.report.findings) {
    if (IsFindingSelected(finding, selection)) selected.push_back(finding);
  }
  if (selected.empty()) {
    fmt::print("dbaudit: nothing to plan: no finding matches the selection ({} finding{} in all); nothing written\n",
               run.report.findings.size(), run.report.findings.size() == 1 ? "" : "s");
    return 0;
  }

  PlanOptions plan_options;
  plan_options.concurrently = arguments.concurrently;
  plan_options.allow_destructive = arguments.allow_destructive;
  plan_options.trigger_function = file.timestamps.trigger_function;
  plan_options.lock_timeout = arguments.lock_timeout;
  plan_options.statement_timeout = arguments.statement_timeout;
  const ir::Catalog* schema = run.schema ? &*run.schema : nullptr;
  reports::ChangeScriptInput input = BuildPlan(selected, &run.models, schema, plan_options);
  input.tool_version = kVersion;
  input.schema_source = run.report.schema_source;
  input.date = UtcDate(Now());
  const std::string script = reports::RenderChangeScript(input);
  const reports::ChangeCounts counts = reports::CountChanges(input);

  if (arguments.dry_run) {
    std::fwrite(script.data(), 1, script.size(), stdout);
    return 0;
  }

  fs::path dir = arguments.output_dir;
  if (dir.empty() && !file.plan_dir) dir = context.value().FromConfigRoot("temp");
  if (dir.empty()) {
    auto configured = context.value().ConfiguredOutput("plan-dir", *file.plan_dir);
    if (!configured.ok()) {
      PrintError(configured.error().message);
      return kExitToolFailure;
    }
    dir = configured.value();
  }
  fs::path log_path = arguments.changelog;
  if (log_path.empty() && !file.changelog) log_path = context.value().FromConfigRoot("pgdb_changes.md");
  if (log_path.empty()) {
    auto configured = context.value().ConfiguredOutput("changelog", *file.changelog);
    if (!configured.ok()) {
      PrintError(configured.error().message);
      return kExitToolFailure;
    }
    log_path = configured.value();
  }
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) {
    PrintError("cannot create " + dir.string() + ": " + error.message());
    return kExitToolFailure;
  }
  const std::string slug = !arguments.slug.empty() ? SanitizeSlug(arguments.slug) : SlugFor(selection);
  const fs::path script_path = UniqueScriptPath(dir, input.date, slug);
  if (auto write_error = WriteFileAtomically(script_path, script)) {
    PrintError(*write_error);
    return kExitToolFailure;
  }

  const std::optional<std::string> existing = ReadFile(log_path);
  const reports::ChangeLogEntry entry = MakeChangeLogEntry(input, script, DisplayPathFrom(log_path, script_path));
  if (!log_path.parent_path().empty()) fs::create_directories(log_path.parent_path(), error);
  if (auto write_error = WriteFileAtomically(
          log_path, reports::AppendChangeLogEntry(existing.value_or(""), existing.has_value(), entry))) {
    PrintError(*write_error + " (the script was written: " + script_path.string() + ")");
    return kExitToolFailure;
  }

  fmt::print(
      "dbaudit: wrote {} ({} change{} to run, {} destructive change{} commented out, {} finding{} not planned)\n",
      script_path.string(), counts.applied, counts.applied == 1 ? "" : "s", counts.destructive_commented,
      counts.destructive_commented == 1 ? "" : "s", counts.not_planned, counts.not_planned == 1 ? "" : "s");
  fmt::print("dbaudit: appended an entry to {} (sha256 {}, status: pending approval)\n", log_path.string(),
             entry.sha256);
  fmt::print("dbaudit: review it, then run it yourself: psql -X -f {}\n", script_path.string());
  return 0;
}

}  // namespace

std::vector<Command> AddPlanCommand(CLI::App& app) {
  auto arguments = std::make_shared<PlanArguments>();
  CLI::App* plan = app.add_subcommand(
      "plan", "Write a guarded, idempotent SQL script that converges the database (never run by dbaudit)");
  plan->add_option("paths", arguments->paths, "Files or folders to analyse (default: the current folder)");
  AddSourceOptions(*plan, arguments->source);
  plan->add_option("--rule", arguments->rules, "Plan findings of these rules (globs, as --select)")
      ->allow_extra_args(false);
  plan->add_option("--table", arguments->tables, "Plan findings about these tables (name or schema.name)")
      ->allow_extra_args(false);
  plan->add_flag("--all", arguments->all, "Plan every finding");
  plan->add_flag("--concurrently", arguments->concurrently,
                 "Build and drop indexes CONCURRENTLY, after COMMIT (writes go on during the build)");
  plan->add_flag("--allow-destructive", arguments->allow_destructive,
                 "Write drops and narrowing type changes as statements instead of comments");
  plan->add_option("--output-dir", arguments->output_dir, "Folder for the script (default: plan-dir, i.e. temp/)");
  plan->add_option("--changelog", arguments->changelog, "Change log to append to (default: pgdb_changes.md)");
  plan->add_option("--slug", arguments->slug, "File name part after the date (default: from the selection)");
  plan->add_option("--lock-timeout", arguments->lock_timeout, "lock_timeout the script sets (default: 5s)");
  plan->add_option("--statement-timeout", arguments->statement_timeout,
                   "statement_timeout the script sets (default: 15min)");
  plan->add_flag("--dry-run", arguments->dry_run, "Print the script on stdout; write nothing");
  return {{plan, [arguments] { return RunPlanCommand(*arguments); }}};
}

}  // namespace dbaudit::driver

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>
#include <optional>

#include <fmt/core.h>
#include <unistd.h>

#include "analyzer/driver/audit.hpp"
#include "analyzer/driver/baseline.hpp"
#include "analyzer/driver/comma_list.hpp"
#include "analyzer/driver/command_support.hpp"
#include "rules/rule.hpp"

namespace dbaudit::driver {

namespace fs = std::filesystem;

namespace {

struct AuditArguments {
  std::vector<std::string> paths;
  SourceArguments source;
  std::vector<std::string> exclude;
  std::vector<std::string> select;
  std::string docs;
  std::string output_dir;
  std::string fail_on;
  std::string baseline;
  bool no_backup = false;
  unsigned threads = 0;
  bool allow_no_models = false;
};

// A configured path (relative to the project root, and inside it) wins; else the default
// name in the output folder.
ir::Result<fs::path> ArtifactPath(const CommandContext& context, const char* key,
                                  const std::optional<std::string>& configured, const fs::path& output_dir,
                                  const char* default_name) {
  if (configured) return context.ConfiguredOutput(key, *configured);
  return (output_dir / default_name).lexically_normal();
}

int RunAuditCommand(const AuditArguments& arguments) {
  auto prepared = PrepareCommand(arguments.source, arguments.paths.empty() ? std::string() : arguments.paths.front());
  if (!prepared.ok()) {
    PrintError(prepared.error().message);
    return kExitToolFailure;
  }
  const CommandContext& context = prepared.value();
  const FileConfig& file = context.config;
  AuditOptions options;
  options.check = MakeCheckOptions(context, arguments.paths, arguments.exclude, arguments.threads);
  if (arguments.allow_no_models) options.check.allow_no_models = true;
  options.check.select = !arguments.select.empty() ? SplitCommaList(arguments.select) : file.select;
  const std::string fail_on = !arguments.fail_on.empty() ? arguments.fail_on : file.fail_on.value_or("note");
  options.check.fail_on = fail_on == "never" ? std::nullopt : ParseSeverity(fail_on);
  if (fail_on != "never" && !options.check.fail_on) {
    PrintError(file.path.generic_string() + ": fail-on must be note, warning, error or never, not '" + fail_on + "'");
    return kExitToolFailure;
  }
  if (auto error = CheckRuleNames("select", options.check.select, options.check.severity_overrides, file.path)) {
    PrintError(*error);
    return kExitToolFailure;
  }

  const fs::path output_dir = !arguments.output_dir.empty() ? fs::path(arguments.output_dir) : context.project_root;
  AuditPaths& paths = options.paths;
  struct Artifact {
    fs::path* path;
    const char* key;  // in the configuration
    const std::optional<std::string>* configured;
    const char* default_name;
  };
  const std::array<Artifact, 7> artifacts = {{
      {&paths.schema_export, "schema-export-output", &file.schema_export_output, kArtifactSchemaExport},
      {&paths.discrepancies, "discrepancies-output", &file.discrepancies_output, kArtifactDiscrepancies},
      {&paths.model_comparison, "model-comparison-output", &file.model_comparison_output, kArtifactModelComparison},
      {&paths.inventory, "inventory-output", &file.inventory_output, kArtifactInventory},
      {&paths.constraints_gap, "constraints-gap-output", &file.constraints_gap_output, kArtifactConstraintsGap},
      {&paths.sarif, "sarif-output", &file.sarif_output, kArtifactSarif},
      {&paths.backup_dir, "docs-backup-dir", &file.docs_backup_dir, "old_versions"},
  }};
  for (const Artifact& artifact : artifacts) {
    auto resolved = ArtifactPath(context, artifact.key, *artifact.configured, output_dir, artifact.default_name);
    if (!resolved.ok()) {
      PrintError(resolved.error().message + " (nothing was written)");
      return kExitToolFailure;
    }
    *artifact.path = resolved.take();
  }
  options.backup = !arguments.no_backup;
  if (!arguments.docs.empty()) {
    options.document = arguments.docs;
  } else if (file.docs) {
    options.document = context.FromConfigRoot(*file.docs);
  }
  options.schema_description = DescribeSchemaSource(context.schema_request);

  auto baseline = LoadBaselineFor(context, arguments.baseline);
  if (!baseline.ok()) {
    PrintError(baseline.error().message);
    return kExitToolFailure;
  }
  if (baseline.value()) options.baseline = baseline.value()->baseline;

  // Progress is for a person watching a terminal, never for a log or a pipe.
  if (isatty(STDERR_FILENO)) {
    options.progress = [](const std::string& line) { fmt::print(stderr, "dbaudit: {}\n", line); };
  }

  const AuditRun run = RunAudit(options);
  if (run.fatal_error) {
    PrintError(*run.fatal_error + " (nothing was written)");
    return kExitToolFailure;
  }
  for (const auto& warning : run.check.warnings) PrintWarning(warning);
  const std::string summary = RenderAuditSummary(run);
  std::fwrite(summary.data(), 1, summary.size(), stdout);
  return run.exit_code;
}

}  // namespace

std::vector<Command> AddAuditCommand(CLI::App& app) {
  auto arguments = std::make_shared<AuditArguments>();
  CLI::App* audit = app.add_subcommand(
      "audit",
      "Run the whole audit: every finding, and every artifact (schema export, discrepancies, model comparison, "
      "inventory, constraints gap, SARIF) written where it is configured");
  audit->add_option("paths", arguments->paths, "Files or folders to analyse (default: the current folder)");
  AddSourceOptions(*audit, arguments->source);
  audit->add_option("--exclude", arguments->exclude, "Glob patterns of paths to skip")->allow_extra_args(false);
  audit
      ->add_option("--select", arguments->select,
                   "Rules to run, as globs; a leading '-' removes (default: the configuration key select, else all)")
      ->allow_extra_args(false);
  audit->add_option("--docs", arguments->docs,
                    "The team's Markdown schema document (default: the configuration key docs); its docs- findings "
                    "join the report and schema_discrepancies.json is written");
  audit->add_option("--output-dir", arguments->output_dir,
                    "Folder for the artifacts whose path is not configured (default: the project root)");
  audit
      ->add_option("--fail-on", arguments->fail_on,
                   "Lowest severity that makes the exit code 1: note (default), warning, error or never")
      ->check(CLI::IsMember({"note", "warning", "error", "never"}));
  audit->add_option("--baseline", arguments->baseline,
                    "Drop the findings recorded in this baseline file (default: the configuration key baseline, "
                    "when that file exists)");
  audit->add_flag("--no-backup", arguments->no_backup,
                  "Replace changed artifacts without copying the old versions to docs-backup-dir (old_versions/)");
  audit->add_option("--threads", arguments->threads, "Parser threads (default: all cores)");
  audit->add_flag("--allow-no-models", arguments->allow_no_models,
                  "Pass even when the code uses SQLAlchemy but (almost) no models could be read");
  return {{audit, [arguments] { return RunAuditCommand(*arguments); }}};
}

}  // namespace dbaudit::driver

#include "analyzer/driver/audit.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "analyzer/driver/backup.hpp"
#include "analyzer/driver/constraints_gap.hpp"
#include "analyzer/driver/discovery.hpp"
#include "analyzer/driver/docs_sync.hpp"
#include "analyzer/driver/inventory.hpp"
#include "analyzer/driver/output.hpp"
#include "db/connection.hpp"
#include "reports/constraints_gap.hpp"
#include "reports/inventory.hpp"
#include "reports/report.hpp"
#include "reports/schema_markdown.hpp"

namespace dbaudit::driver {

namespace fs = std::filesystem;

namespace {

// An artifact rendered in memory, not yet written.
struct Rendered {
  std::string name;
  fs::path path;
  std::optional<std::string> contents;  // nullopt: skipped
  std::string skip_reason;
};

// Same bytes: left alone. Changed: the old version is copied to the backup folder first, and
// only then replaced (atomically), so a failed backup leaves the artifact as it was.
ArtifactOutcome WriteArtifact(const Rendered& artifact, const AuditOptions& options, const std::string& timestamp) {
  ArtifactOutcome outcome{artifact.name, artifact.path, ArtifactStatus::kSkipped, {}, artifact.skip_reason};
  if (!artifact.contents) return outcome;
  const std::optional<std::string> existing = ReadFileBytes(artifact.path);
  if (existing && *existing == *artifact.contents) {
    outcome.status = ArtifactStatus::kUnchanged;
    return outcome;
  }
  if (existing && options.backup) {
    const fs::path backup = BackupPath(options.paths.backup_dir, artifact.path, timestamp);
    if (auto error = WriteFileAtomically(backup, *existing, OwnershipOf(artifact.path))) {
      outcome.status = ArtifactStatus::kFailed;
      outcome.detail = "left unchanged: cannot back up the old version: " + *error;
      return outcome;
    }
    outcome.backup = backup;
  }
  if (auto error = WriteFileAtomically(artifact.path, *artifact.contents)) {
    outcome.status = ArtifactStatus::kFailed;
    outcome.detail = *error;
    return outcome;
  }
  outcome.status = existing ? ArtifactStatus::kUpdated : ArtifactStatus::kCreated;
  return outcome;
}

void Progress(const AuditOptions& options, const std::string& line) {
  if (options.progress) options.progress(line);
}

// The docs- findings and rules join the check's report, in report order.
void MergeDocsFindings(reports::ReportInput& report, reports::ReportInput docs) {
  for (auto& finding : docs.findings) report.findings.push_back(std::move(finding));
  for (auto& rule : docs.rules) report.rules.push_back(std::move(rule));
  std::stable_sort(report.findings.begin(), report.findings.end(), ir::FindingLess);
  std::sort(report.rules.begin(), report.rules.end(),
            [](const reports::RuleDescriptor& a, const reports::RuleDescriptor& b) { return a.id < b.id; });
}

std::string Plural(std::size_t count, const std::string& word) {
  return GroupThousands(count) + " " + word + (count == 1 ? "" : "s");
}

void DecideExitCode(AuditRun& run, bool docs_incomplete, const std::optional<ir::Severity>& fail_on) {
  const bool write_failed = std::any_of(run.artifacts.begin(), run.artifacts.end(),
                                        [](const ArtifactOutcome& a) { return a.status == ArtifactStatus::kFailed; });
  if (write_failed) {
    run.exit_code = 2;
    run.exit_reason = "exit code 2: an artifact could not be written (see above)";
    return;
  }
  if (run.check.incomplete || docs_incomplete) {
    run.exit_code = 2;
    run.exit_reason = "exit code 2: the run is incomplete: some input could not be read (see the input- findings)";
    return;
  }
  if (!fail_on) {
    run.exit_code = 0;
    run.exit_reason = "exit code 0: --fail-on never";
    return;
  }
  const std::size_t failing = std::count_if(run.check.report.findings.begin(), run.check.report.findings.end(),
                                            [&](const ir::Finding& finding) { return finding.severity >= *fail_on; });
  const std::string level = ir::ToString(*fail_on);
  const std::string word = run.baseline_known > 0 ? "new finding" : "finding";
  if (failing > 0) {
    run.exit_code = 1;
    run.exit_reason = fmt::format("exit code 1: {} at or above {} (fail-on {})", Plural(failing, word), level, level);
    return;
  }
  run.exit_code = 0;
  run.exit_reason = fmt::format("exit code 0: no {} at or above {} (fail-on {})", word, level, level);
}

}  // namespace

std::string GroupThousands(std::size_t number) {
  std::string digits = std::to_string(number);
  for (std::ptrdiff_t i = static_cast<std::ptrdiff_t>(digits.size()) - 3; i > 0; i -= 3) digits.insert(i, ",");
  return digits;
}

std::string DescribeSchemaSource(const SchemaSourceRequest& request) {
  // Mirrors LoadSchema's order and wording; resolving settings opens no connection.
  auto live = [](const db::ConnectionSettings& settings) {
    return settings.display + " (live, read-only, from " + settings.origin + ")";
  };
  if (request.database_url) {
    if (auto settings = db::ResolveConnection(request.database_url, {}, request.project_root)) return live(*settings);
    return {};
  }
  if (request.schema_sql) return DisplayPath(*request.schema_sql, request.project_root) + " (offline)";
  if (request.schema_json) return DisplayPath(*request.schema_json, request.project_root) + " (snapshot)";
  if (request.allow_environment) {
    if (auto settings = db::ResolveConnection(std::nullopt, request.environment, request.project_root)) {
      return live(*settings);
    }
  }
  return {};
}

AuditRun RunAudit(const AuditOptions& options) {
  AuditRun run;
  Progress(options, "reading the schema and parsing the Python files…");
  run.check = RunCheck(options.check);
  if (run.check.fatal_error) {
    run.fatal_error = run.check.fatal_error;
    run.exit_code = 2;
    run.exit_reason = "exit code 2: " + *run.fatal_error;
    return run;
  }
  run.python_files = run.check.python_file_count;
  Progress(options, "parsed " + Plural(run.python_files, "Python file") + "; rendering the artifacts…");

  // Every artifact is rendered before anything is written: a document that cannot be read
  // stops the run with nothing half-written.
  const CheckRun& check = run.check;
  std::vector<Rendered> rendered;
  if (check.schema) {
    ir::Catalog catalog = *check.schema;
    catalog.Normalize();
    reports::SchemaMarkdownOptions schema_options;
    schema_options.source = db::RedactSecrets(options.schema_description);
    rendered.push_back({kArtifactSchemaExport,
                        options.paths.schema_export,
                        reports::RenderSchemaMarkdown(catalog, schema_options),
                        {}});
  }
  std::optional<DocsDiffRun> docs;
  if (options.document) {
    Progress(options, "reading the schema document " + options.document->generic_string() + "…");
    DocsDiffOptions docs_options;
    docs_options.project_root = options.check.project_root;
    docs_options.document = *options.document;
    docs_options.schema = SchemaRequestOf(options.check);
    docs_options.select = options.check.select;
    docs_options.severity_overrides = options.check.severity_overrides;
    if (run.check.schema) docs_options.preloaded_schema = &*run.check.schema;
    docs = RunDocsDiff(docs_options);
    if (docs->fatal_error) {
      run.fatal_error = *docs->fatal_error;
      run.exit_code = 2;
      run.exit_reason = "exit code 2: " + *run.fatal_error;
      return run;
    }
    run.has_document = true;
    rendered.push_back({kArtifactDiscrepancies, options.paths.discrepancies, RenderDiscrepancies(*docs), {}});
  } else {
    rendered.push_back({kArtifactDiscrepancies, options.paths.discrepancies, std::nullopt,
                        "no schema document (give --docs PATH or the configuration key docs)"});
  }
  // The Markdown artifacts record the whole state, known debt included; the baseline only
  // decides what the findings report (SARIF, summary, exit code) calls new.
  rendered.push_back(
      {kArtifactModelComparison, options.paths.model_comparison, reports::RenderModelComparison(check.report), {}});
  rendered.push_back(
      {kArtifactInventory, options.paths.inventory, reports::RenderInventoryMarkdown(BuildInventory(check)), {}});
  rendered.push_back({kArtifactConstraintsGap,
                      options.paths.constraints_gap,
                      reports::RenderConstraintsGap(BuildConstraintsGap(check, options.check.ignore_tables)),
                      {}});

  if (docs) MergeDocsFindings(run.check.report, std::move(docs->report));
  if (options.baseline) {
    BaselineSplit split = ApplyBaseline(std::move(run.check.report.findings), *options.baseline);
    run.check.report.findings = std::move(split.new_findings);
    run.baseline_known = split.known;
  }
  rendered.push_back({kArtifactSarif, options.paths.sarif, reports::RenderSarif(run.check.report), {}});

  Progress(options, "writing the artifacts…");
  const std::string timestamp = options.timestamp.empty() ? UtcTimestamp() : options.timestamp;
  for (const Rendered& artifact : rendered) run.artifacts.push_back(WriteArtifact(artifact, options, timestamp));
  DecideExitCode(run, docs && docs->incomplete, options.check.fail_on);
  return run;
}

std::string RenderAuditSummary(const AuditRun& run) {
  std::string out;
  if (run.fatal_error) return run.exit_reason + "\n";
  const auto& findings = run.check.report.findings;
  // Families in the audit plan's order; a family no rule of this build has is still listed.
  std::vector<std::string> families = {"model", "query", "timestamp", "schema", "docs", "input"};
  std::map<std::string, std::array<std::size_t, 3>> counts;
  std::array<std::size_t, 3> total{};
  for (const auto& finding : findings) {
    const std::string family = finding.rule_id.substr(0, finding.rule_id.find('-'));
    if (std::find(families.begin(), families.end(), family) == families.end()) families.push_back(family);
    const auto index = static_cast<std::size_t>(finding.severity);
    ++counts[family][index];
    ++total[index];
  }
  const auto severity_index = [](ir::Severity severity) { return static_cast<std::size_t>(severity); };
  out += fmt::format("dbaudit audit: {} in {}", Plural(findings.size(), "finding"),
                     Plural(run.python_files, "Python file"));
  if (!run.check.report.schema_source.empty()) out += " against " + db::RedactSecrets(run.check.report.schema_source);
  out += "\n";
  if (run.baseline_known > 0) out += DescribeBaselineMatches(run.baseline_known) + " (not counted below)\n";
  out += "\n";
  out += fmt::format("  {:<10} {:>7} {:>9} {:>6}\n", "family", "errors", "warnings", "notes");
  for (const auto& family : families) {
    const auto& row = counts[family];
    out += fmt::format("  {:<10} {:>7} {:>9} {:>6}\n", family, row[severity_index(ir::Severity::kError)],
                       row[severity_index(ir::Severity::kWarning)], row[severity_index(ir::Severity::kNote)]);
  }
  out += fmt::format("  {:<10} {:>7} {:>9} {:>6}\n", "total", total[severity_index(ir::Severity::kError)],
                     total[severity_index(ir::Severity::kWarning)], total[severity_index(ir::Severity::kNote)]);
  out += "\nartifacts:\n";
  for (const auto& artifact : run.artifacts) {
    std::string status;
    switch (artifact.status) {
      case ArtifactStatus::kCreated: status = "created   " + artifact.path.generic_string(); break;
      case ArtifactStatus::kUpdated:
        status = "updated   " + artifact.path.generic_string();
        if (!artifact.backup.empty()) status += " (old version: " + artifact.backup.generic_string() + ")";
        break;
      case ArtifactStatus::kUnchanged: status = "unchanged " + artifact.path.generic_string(); break;
      case ArtifactStatus::kSkipped: status = "skipped   " + artifact.detail; break;
      case ArtifactStatus::kFailed:
        status = "FAILED    " + artifact.path.generic_string() + ": " + artifact.detail;
        break;
    }
    out += fmt::format("  {:<28} {}\n", artifact.name, status);
  }
  out += "\n" + run.exit_reason + "\n";
  return out;
}

}  // namespace dbaudit::driver

#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/driver/baseline.hpp"
#include "analyzer/driver/check.hpp"
#include "analyzer/driver/docs_diff.hpp"

// `dbaudit audit`: the whole audit plan in one run. One RunCheck (models, queries, timestamp
// and schema rules) feeds every artifact; the schema document, when there is one, adds the
// docs- findings and schema_discrepancies.json.
namespace dbaudit::driver {

// The artifacts, in the order they are written and listed.
inline constexpr const char* kArtifactSchemaExport = "database_schema_actual.md";
inline constexpr const char* kArtifactDiscrepancies = "schema_discrepancies.json";
inline constexpr const char* kArtifactModelComparison = "model_comparison_results.md";
inline constexpr const char* kArtifactInventory = "db_inventory.md";
inline constexpr const char* kArtifactConstraintsGap = "constraints_gap.md";
inline constexpr const char* kArtifactSarif = "dbaudit.sarif";

struct AuditPaths {
  std::filesystem::path schema_export;
  std::filesystem::path discrepancies;  // written only when there is a document
  std::filesystem::path model_comparison;
  std::filesystem::path inventory;
  std::filesystem::path constraints_gap;
  std::filesystem::path sarif;
  std::filesystem::path backup_dir;  // old versions of the artifacts a run changes
};

struct AuditOptions {
  CheckOptions check;
  // The team's schema document: its docs- findings join the report. The schema request and
  // the project root are taken from `check`.
  std::optional<std::filesystem::path> document;
  // The schema source as database_schema_actual.md names it ("schema.sql (offline)").
  std::string schema_description;
  AuditPaths paths;
  bool backup = true;
  std::string timestamp;  // UTC "YYYYMMDDTHHMMSSZ" for the backups' names; empty: now
  std::optional<Baseline> baseline;
  // Called with a short line before each slow step ("reading the schema…"); may be empty.
  std::function<void(const std::string&)> progress;
};

enum class ArtifactStatus {
  kCreated,    // there was no file
  kUpdated,    // the file changed (the old one was backed up unless backups are off)
  kUnchanged,  // same bytes: neither rewritten nor backed up
  kSkipped,    // not produced by this run (no schema document)
  kFailed,     // could not be written (`detail` says why)
};

struct ArtifactOutcome {
  std::string name;  // the default file name, e.g. "db_inventory.md"
  std::filesystem::path path;
  ArtifactStatus status = ArtifactStatus::kSkipped;
  std::filesystem::path backup;  // set when the old version was backed up
  std::string detail;            // why skipped or failed
};

struct AuditRun {
  // The run could not do its job (no schema, unreadable schema or document): nothing was
  // written, exit code 2.
  std::optional<std::string> fatal_error;
  CheckRun check;  // report: every finding not in the baseline, docs- ones included
  std::size_t python_files = 0;
  std::size_t baseline_known = 0;  // findings dropped because the baseline has them
  bool has_document = false;
  std::vector<ArtifactOutcome> artifacts;
  int exit_code = 0;
  std::string exit_reason;  // one line: why that exit code
};

// Runs the check (and the docs diff), renders every artifact in memory, then writes those
// whose content changed, each after backing up its old version. Never throws for bad input.
AuditRun RunAudit(const AuditOptions& options);

// The terminal summary: findings by family and severity, the artifacts and where they went,
// and the exit code's reason. Deterministic apart from the backups' names.
std::string RenderAuditSummary(const AuditRun& run);

// The schema source's description as `schema export` prints it, without reading it.
std::string DescribeSchemaSource(const SchemaSourceRequest& request);

// "1,234"
std::string GroupThousands(std::size_t number);

}  // namespace dbaudit::driver

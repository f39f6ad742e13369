#include "analyzer/driver/docs_sync.hpp"

#include <ctime>
#include <fstream>
#include <sstream>

#include "analyzer/docs/document.hpp"
#include "analyzer/docs/unified_diff.hpp"
#include "analyzer/driver/backup.hpp"
#include "analyzer/driver/output.hpp"

namespace dbaudit::driver {

namespace fs = std::filesystem;

namespace {

std::string List(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

}  // namespace

std::string UtcTimestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

DocsSyncOutcome RunDocsSync(const DocsSyncOptions& options, const ir::Catalog& schema) {
  DocsSyncOutcome outcome;
  const auto original = ReadFileBytes(options.document);
  if (!original) {
    outcome.exit_code = 2;
    outcome.error = "cannot read the schema document " + options.display_path;
    return outcome;
  }
  // Appending UTF-8 to a UTF-16 document would corrupt it.
  if (const auto encoding = docs::UnsupportedEncoding(*original)) {
    outcome.exit_code = 2;
    outcome.error = docs::UnsupportedEncodingMessage(options.display_path, *encoding);
    return outcome;
  }
  docs::SyncOptions sync_options;
  sync_options.ignored_tables = options.ignored_tables;
  outcome.result = docs::SyncSchemaDocument(*original, options.display_path, schema, sync_options);
  std::string& report = outcome.report;
  for (const auto& note : outcome.result.notes) {
    outcome.notes += options.display_path + ":" + std::to_string(note.location.line) + ": note: " + note.message +
                     " [" + note.rule_id + "] (left as written)\n";
  }
  if (!outcome.result.changed) {
    report += options.display_path + " already matches the schema; nothing to do\n";
    return outcome;
  }
  outcome.diff =
      docs::UnifiedDiff(*original, outcome.result.text, "a/" + options.display_path, "b/" + options.display_path);
  if (options.dry_run) {
    report += outcome.diff;
    return outcome;
  }
  const fs::path folder = options.backup_dir ? *options.backup_dir : options.document.parent_path() / "old_versions";
  const fs::path backup =
      BackupPath(folder, options.document, options.timestamp.empty() ? UtcTimestamp() : options.timestamp);
  // The old version is as private as the document was.
  if (auto error = WriteFileAtomically(backup, *original, OwnershipOf(options.document))) {
    outcome.exit_code = 2;
    outcome.error = "no change made: cannot back up the document: " + *error;
    return outcome;
  }
  outcome.backup = backup;
  // Through a temporary file and a rename: a failure here leaves the document as it was.
  if (auto error = WriteFileAtomically(options.document, outcome.result.text)) {
    outcome.exit_code = 2;
    outcome.error = "the document was left unchanged: " + *error;
    return outcome;
  }
  const auto& result = outcome.result;
  if (!result.tables_updated.empty()) report += "updated: " + List(result.tables_updated) + "\n";
  if (!result.tables_added.empty()) report += "added: " + List(result.tables_added) + "\n";
  if (!result.tables_removed.empty()) report += "removed: " + List(result.tables_removed) + "\n";
  report += "wrote " + options.display_path + " (old version: " + backup.generic_string() + ")\n";
  return outcome;
}

}  // namespace dbaudit::driver

#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/docs/sync.hpp"
#include "analyzer/ir/catalog.hpp"

// `docs sync` without the command line: read the document, rewrite it to match the schema,
// back the old one up, replace it atomically (or only show the diff).
namespace dbaudit::driver {

struct DocsSyncOptions {
  std::filesystem::path document;
  std::string display_path;  // in messages and the diff labels
  // Where the old version goes; default: old_versions/ next to the document.
  std::optional<std::filesystem::path> backup_dir;
  bool dry_run = false;
  std::vector<std::string> ignored_tables;
  // UTC "YYYYMMDDTHHMMSSZ" for the backup's name; empty: now.
  std::string timestamp;
};

struct DocsSyncOutcome {
  int exit_code = 0;  // 0 done or nothing to do, 2 the document could not be read or written
  std::string error;  // set with exit code 2
  docs::SyncResult result;
  std::string diff;              // what the run changes (unified diff), empty when nothing
  std::filesystem::path backup;  // the copy of the old document, when one was written
  std::string report;            // what to print on stdout (the diff alone with --dry-run)
  std::string notes;             // the reader's notes, for stderr
};

DocsSyncOutcome RunDocsSync(const DocsSyncOptions& options, const ir::Catalog& schema);

// "20261124T051200Z".
std::string UtcTimestamp();

}  // namespace dbaudit::driver

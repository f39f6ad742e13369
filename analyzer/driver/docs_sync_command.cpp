#include <cstdio>
#include <memory>

#include <fmt/core.h>

#include "analyzer/driver/command_support.hpp"
#include "analyzer/driver/docs_sync.hpp"

namespace dbaudit::driver {

namespace {

struct DocsSyncArguments {
  SourceArguments source;
  std::string docs;
  std::string backup_dir;
  bool dry_run = false;
};

int RunDocsSyncCommand(const DocsSyncArguments& arguments) {
  // The project is the current folder (or --project-root), as for `check` without paths.
  auto context = PrepareCommand(arguments.source, std::string());
  if (!context.ok()) {
    PrintError(context.error().message);
    return kExitToolFailure;
  }
  const FileConfig& file = context.value().config;
  DocsSyncOptions options;
  if (!arguments.docs.empty()) {
    options.document = arguments.docs;
  } else if (file.docs) {
    // The document is rewritten: the configuration may name one inside the project only.
    auto configured = context.value().ConfiguredOutput("docs", *file.docs);
    if (!configured.ok()) {
      PrintError(configured.error().message);
      return kExitToolFailure;
    }
    options.document = configured.value();
  } else {
    PrintError("docs sync needs the schema document: --docs PATH or `docs` in the configuration");
    return kExitToolFailure;
  }
  options.display_path = options.document.generic_string();
  if (!arguments.backup_dir.empty()) {
    options.backup_dir = arguments.backup_dir;
  } else if (file.docs_backup_dir) {
    auto configured = context.value().ConfiguredOutput("docs-backup-dir", *file.docs_backup_dir);
    if (!configured.ok()) {
      PrintError(configured.error().message);
      return kExitToolFailure;
    }
    options.backup_dir = configured.value();
  }
  options.dry_run = arguments.dry_run;
  options.ignored_tables = context.value().schema_request.ignore_tables;
  // Read the document before connecting: a wrong path is said without touching the database.
  std::error_code error;
  if (!std::filesystem::is_regular_file(options.document, error)) {
    PrintError("cannot read the schema document " + options.display_path);
    return kExitToolFailure;
  }
  auto schema = LoadSchema(context.value().schema_request);
  if (!schema.ok()) {
    PrintError(schema.error().message);
    return kExitToolFailure;
  }
  const DocsSyncOutcome outcome = RunDocsSync(options, schema.value().catalog);
  std::fputs(outcome.notes.c_str(), stderr);
  std::fputs(outcome.report.c_str(), stdout);
  if (outcome.exit_code != 0) PrintError(outcome.error);
  return outcome.exit_code;
}

}  // namespace

std::vector<Command> AddDocsSyncCommand(CLI::App& docs) {
  auto arguments = std::make_shared<DocsSyncArguments>();
  CLI::App* sync = docs.add_subcommand(
      "sync", "Rewrite the schema document to match the schema (the old version is kept in old_versions/)");
  sync->add_option("--docs", arguments->docs, "The schema document (default: `docs` in the configuration)");
  AddSourceOptions(*sync, arguments->source);
  sync->add_flag("--dry-run", arguments->dry_run, "Print the unified diff and write nothing");
  sync->add_option("--backup-dir", arguments->backup_dir,
                   "Where the old version goes (default: old_versions/ next to the document)");
  return {{sync, [arguments] { return RunDocsSyncCommand(*arguments); }}};
}

}  // namespace dbaudit::driver

#include <cstdio>
#include <memory>

#include "analyzer/driver/command_support.hpp"
#include "analyzer/driver/output.hpp"
#include "db/connection.hpp"
#include "db/snapshot.hpp"
#include "reports/schema_markdown.hpp"

namespace dbaudit::driver {

namespace {

constexpr const char* kDefaultExportPath = "database_schema_actual.md";

struct ExportArguments {
  SourceArguments source;
  std::string format;
  std::string output;
};

// An empty path or "-" is stdout.
int Emit(const std::string& rendered, const std::string& path) {
  if (path.empty() || path == "-") {
    std::fwrite(rendered.data(), 1, rendered.size(), stdout);
    return 0;
  }
  if (auto error = WriteFileAtomically(path, rendered)) {
    PrintError(*error);
    return kExitToolFailure;
  }
  return 0;
}

int RunExport(const ExportArguments& arguments) {
  auto context = PrepareCommand(arguments.source, {});
  if (!context.ok()) {
    PrintError(context.error().message);
    return kExitToolFailure;
  }
  auto schema = LoadSchema(context.value().schema_request);
  if (!schema.ok()) {
    PrintError(schema.error().message);
    return kExitToolFailure;
  }
  ir::Catalog& catalog = schema.value().catalog;
  catalog.Normalize();
  // Readers' notes (a relation the role may not read, a statement not parsed) do not stop
  // the export, but the user must know the document is not the whole schema.
  for (const auto& diagnostic : catalog.diagnostics) {
    PrintWarning(ir::Describe(diagnostic.location) + ": " + diagnostic.message);
  }

  if (arguments.format == "json") {
    return Emit(db::ToSnapshot(catalog).dump(2) + "\n", arguments.output);
  }
  reports::SchemaMarkdownOptions options;
  options.source = db::RedactSecrets(schema.value().description);
  std::string path = arguments.output;
  if (path.empty()) {
    const FileConfig& file = context.value().config;
    if (!file.schema_export_output) {
      path = context.value().FromConfigRoot(kDefaultExportPath);
    } else if (auto configured = context.value().ConfiguredOutput("schema-export-output", *file.schema_export_output)) {
      path = configured.value().string();
    } else {
      PrintError(configured.error().message);
      return kExitToolFailure;
    }
  }
  const int code = Emit(reports::RenderSchemaMarkdown(catalog, options), path);
  if (code == 0 && path != "-") std::fprintf(stderr, "dbaudit: wrote %s\n", path.c_str());
  return code;
}

}  // namespace

std::vector<Command> AddSchemaCommands(CLI::App& app) {
  CLI::App* schema = app.add_subcommand("schema", "Work with the actual database schema");
  schema->require_subcommand(1);
  auto arguments = std::make_shared<ExportArguments>();
  CLI::App* export_command =
      schema->add_subcommand("export", "Write the actual schema as Markdown (database_schema_actual.md) or JSON");
  AddSourceOptions(*export_command, arguments->source);
  export_command->add_option("--format", arguments->format, "markdown (default) or json (the --schema-json snapshot)")
      ->check(CLI::IsMember({"markdown", "json"}));
  export_command->add_option("-o,--output", arguments->output,
                             "Where to write (markdown default: config schema-export-output, else "
                             "database_schema_actual.md; json default: stdout)");
  return {{export_command, [arguments] { return RunExport(*arguments); }}};
}

}  // namespace dbaudit::driver

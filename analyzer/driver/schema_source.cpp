#include "analyzer/driver/schema_source.hpp"

#include "analyzer/driver/discovery.hpp"
#include "analyzer/sql/dump_reader.hpp"
#include "analyzer/sql/plpgsql.hpp"
#include "db/connection.hpp"
#include "db/introspect.hpp"
#include "db/snapshot.hpp"

namespace dbaudit::driver {

namespace {

ir::Result<LoadedSchema> FromConnection(const db::ConnectionSettings& settings, const SchemaSourceRequest& request) {
  if (!settings.problem.empty()) return ir::Error{db::RedactSecrets(settings.problem), {}};
  db::IntrospectOptions options;
  options.schemas = request.schemas;
  options.ignored_tables = request.ignore_tables;
  auto catalog = db::Introspect(settings, options);
  if (!catalog.ok()) {
    return ir::Error{db::RedactSecrets(catalog.error().message), catalog.error().location};
  }
  return LoadedSchema{catalog.take(), settings.display + " (live, read-only, from " + settings.origin + ")"};
}

}  // namespace

static ir::Result<LoadedSchema> ReadSchemaSource(const SchemaSourceRequest& request) {
  if (request.database_url) {
    auto settings = db::ResolveConnection(request.database_url, {}, request.project_root);
    if (!settings) return ir::Error{"--database-url is empty", {}};
    return FromConnection(*settings, request);
  }
  if (request.schema_sql) {
    sql::DumpReaderOptions options;
    options.schemas = request.schemas;
    options.ignored_tables = request.ignore_tables;
    const std::string display = DisplayPath(*request.schema_sql, request.project_root);
    auto catalog = sql::ReadDumpFile(*request.schema_sql, display, options);
    if (!catalog.ok()) return catalog.error();
    return LoadedSchema{catalog.take(), display + " (offline)"};
  }
  if (request.schema_json) {
    const std::string display = DisplayPath(*request.schema_json, request.project_root);
    auto catalog = db::ReadSnapshotFile(*request.schema_json, display);
    if (!catalog.ok()) return catalog.error();
    return LoadedSchema{catalog.take(), display + " (snapshot)"};
  }
  if (request.allow_environment) {
    if (auto settings = db::ResolveConnection(std::nullopt, request.environment, request.project_root)) {
      return FromConnection(*settings, request);
    }
  }
  return ir::Error{
      "no schema source: give --database-url URL (or set DATABASE_URL, in the environment or a .env file, or the PG* "
      "variables) for the live database, --schema-sql FILE for a pg_dump --schema-only file, or --schema-json FILE "
      "for a snapshot",
      {}};
}

ir::Result<LoadedSchema> LoadSchema(const SchemaSourceRequest& request) {
  auto loaded = ReadSchemaSource(request);
  // Whatever the source, the timestamp- rules need to know which columns each trigger sets.
  if (loaded.ok()) sql::ReadFunctionBodies(loaded.value().catalog);
  return loaded;
}

bool HasSchemaSource(const SchemaSourceRequest& request) {
  if (request.database_url || request.schema_sql || request.schema_json) return true;
  return request.allow_environment &&
         db::ResolveConnection(std::nullopt, request.environment, request.project_root).has_value();
}

}  // namespace dbaudit::driver

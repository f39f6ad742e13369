#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/ir/catalog.hpp"
#include "analyzer/ir/result.hpp"

namespace dbaudit::driver {

struct SchemaSourceRequest {
  std::optional<std::string> database_url;
  std::optional<std::string> schema_sql;
  std::optional<std::string> schema_json;
  bool allow_environment = true;
  std::map<std::string, std::string> environment;
  std::filesystem::path project_root;
  std::vector<std::string> schemas;
  std::vector<std::string> ignore_tables;
};

struct LoadedSchema {
  ir::Catalog catalog;
  std::string description;  // "schema.sql (offline)", "postgresql://app@db/app (live, read-only)"
};

// The schema source, first that is given: --database-url, --schema-sql, --schema-json (the
// command line or the configuration), then DATABASE_URL, a .env file, the PG* variables.
// An Error when none is given or the one given cannot be read; its message never holds a
// password.
ir::Result<LoadedSchema> LoadSchema(const SchemaSourceRequest& request);

// True when LoadSchema would find a source to read (it may still fail to read it).
bool HasSchemaSource(const SchemaSourceRequest& request);

}  // namespace dbaudit::driver

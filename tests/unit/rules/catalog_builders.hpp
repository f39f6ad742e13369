#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analyzer/ir/catalog.hpp"

// Small builders for hand-made catalogs in the rules tests.
namespace dbaudit::testing {

inline ir::Location ModelAt(const std::string& file, std::uint32_t line) {
  ir::Location location;
  location.file = file;
  location.line = line;
  location.column = 5;
  return location;
}

inline ir::Location DbObject(const std::string& object) {
  ir::Location location;
  location.object = "schema.sql#" + object;
  return location;
}

inline ir::Column Col(const std::string& name, const std::string& type, std::optional<bool> nullable = std::nullopt) {
  ir::Column column;
  column.name = name;
  column.type = type;
  column.nullable = nullable;
  return column;
}

inline ir::Table MakeTable(const std::string& name, std::vector<ir::Column> columns,
                           const std::string& schema = "public") {
  ir::Table table;
  table.schema = schema;
  table.name = name;
  table.columns = std::move(columns);
  return table;
}

inline ir::Table WithPk(ir::Table table, std::vector<std::string> columns, const std::string& name = "") {
  table.primary_key = ir::PrimaryKey{name, std::move(columns), {}};
  return table;
}

inline ir::ForeignKey Fk(std::vector<std::string> columns, const std::string& referenced_table,
                         std::vector<std::string> referenced_columns, const std::string& name = "") {
  ir::ForeignKey key;
  key.name = name;
  key.columns = std::move(columns);
  key.referenced_schema = "public";
  key.referenced_table = referenced_table;
  key.referenced_columns = std::move(referenced_columns);
  return key;
}

inline ir::Index Idx(const std::string& name, std::vector<std::string> keys, bool unique = false) {
  ir::Index index;
  index.name = name;
  index.keys = std::move(keys);
  index.unique = unique;
  return index;
}

// Gives every table and column of a models catalog a file location, and every object of a
// database catalog an object URI, so location assertions have something to check.
inline void LocateModels(ir::Catalog& catalog) {
  std::uint32_t line = 1;
  for (auto& table : catalog.tables) {
    table.location = ModelAt("models.py", line++);
    for (auto& column : table.columns) column.location = ModelAt("models.py", line++);
  }
}

inline void LocateDatabase(ir::Catalog& catalog) {
  for (auto& table : catalog.tables) {
    table.location = DbObject(table.QualifiedName());
    for (auto& column : table.columns) column.location = DbObject(table.QualifiedName() + "." + column.name);
  }
}

inline ir::Catalog Models(std::vector<ir::Table> tables) {
  ir::Catalog catalog;
  catalog.origin = ir::CatalogOrigin::kModels;
  catalog.source_name = "models";
  catalog.tables = std::move(tables);
  LocateModels(catalog);
  return catalog;
}

inline ir::Catalog Database(std::vector<ir::Table> tables) {
  ir::Catalog catalog;
  catalog.origin = ir::CatalogOrigin::kDump;
  catalog.source_name = "schema.sql";
  catalog.tables = std::move(tables);
  LocateDatabase(catalog);
  return catalog;
}

}  // namespace dbaudit::testing

#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analyzer/ir/catalog.hpp"
#include "rules/compare/catalog_diff.hpp"

// "Does an index support this foreign key?": one predicate for the
// schema-foreign-key-without-index rule and the constraints gap report, so the two never
// disagree.
namespace dbaudit::rules {

// The index, primary key or unique constraint that supports lookups on `columns` of `table`:
// a btree index (or a hash index for a one-column key), not partial, whose first
// columns.size() keys are plain columns and exactly the set `columns` (in any order). Primary keys and unique
// constraints count (they are backed by btree indexes; the Catalog does not list those indexes in Table::indexes).
struct SupportingIndex {
  std::string name;  // index or constraint name; may be empty (an unnamed model construct)
  std::string kind;  // "primary key", "unique constraint", "index"
};
std::optional<SupportingIndex> FindSupportingIndex(const ir::Table& table, const std::vector<std::string>& columns);

// A foreign key of a database table that no index supports.
struct UnsupportedForeignKey {
  const ir::Table* table = nullptr;
  const ir::ForeignKey* key = nullptr;
};

// Every such foreign key of the catalog's tables (views and foreign tables have none), in
// table (schema, name) order, then key order (name, columns). Tables named in
// `ignored_tables` (unqualified or schema-qualified) are skipped. The catalog must outlive the
// result.
std::vector<UnsupportedForeignKey> ForeignKeysWithoutIndex(const ir::Catalog& schema,
                                                           const std::vector<std::string>& ignored_tables = {});

// The models' declaration of the database foreign key `key` of `table` (the right side of
// `diff`), or null when the models do not declare it or `diff` is null.
const ir::ForeignKey* FindModelForeignKey(const CatalogDiff* diff, const ir::Table& table, const ir::ForeignKey& key);

// The index name the fix uses: <table>_<col>..._idx, cut to 63 bytes as PostgreSQL would.
std::string SupportingIndexName(const ir::Table& table, const ir::ForeignKey& key);
// CREATE INDEX CONCURRENTLY IF NOT EXISTS <name> ON <schema.table> (<cols>); the foreign key's
// columns in the key's order.
std::string SupportingIndexSql(const ir::Table& table, const ir::ForeignKey& key);

}  // namespace dbaudit::rules

#include "rules/schema/index_support.hpp"

#include <algorithm>
#include <tuple>

#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

std::vector<std::string> Sorted(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  return items;
}

// The leading keys of an index are the foreign key's columns, in any order. Keys are column
// names or expression text; an expression never equals a column of the table, so checking
// that each leading key names a column rules out expression keys.
bool LeadsWith(const ir::Table& table, const std::vector<std::string>& keys, const std::vector<std::string>& wanted) {
  if (wanted.empty() || keys.size() < wanted.size()) return false;
  std::vector<std::string> leading(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(wanted.size()));
  for (const auto& key : leading) {
    if (!table.FindColumn(key)) return false;
  }
  return Sorted(std::move(leading)) == Sorted(wanted);
}

// An empty method is a source that did not say: PostgreSQL's default is btree. The
// referential-integrity queries compare the key with `=`, which a hash index also answers, but
// only for one column (hash indexes have one key).
bool ServesEqualityLookups(const ir::Index& index, std::size_t column_count) {
  if (!index.valid) return false;  // a failed concurrent build: it exists, but no lookup uses it
  if (index.method.empty() || index.method == "btree") return true;
  return index.method == "hash" && column_count == 1;
}

bool IsIgnored(const ir::Table& table, const std::vector<std::string>& ignored_tables) {
  const std::string qualified = table.QualifiedName();
  return std::any_of(ignored_tables.begin(), ignored_tables.end(),
                     [&](const std::string& name) { return name == table.name || name == qualified; });
}

bool HasForeignKeys(const ir::Table& table) {
  return table.kind == ir::TableKind::kTable || table.kind == ir::TableKind::kPartitionedTable;
}

}  // namespace

std::optional<SupportingIndex> FindSupportingIndex(const ir::Table& table, const std::vector<std::string>& columns) {
  if (table.primary_key && LeadsWith(table, table.primary_key->columns, columns)) {
    return SupportingIndex{table.primary_key->name, "primary key"};
  }
  for (const auto& constraint : table.unique_constraints) {
    if (LeadsWith(table, constraint.columns, columns)) return SupportingIndex{constraint.name, "unique constraint"};
  }
  for (const auto& index : table.indexes) {
    if (!ServesEqualityLookups(index, columns.size()) || index.predicate) continue;
    if (LeadsWith(table, index.keys, columns)) return SupportingIndex{index.name, "index"};
  }
  return std::nullopt;
}

std::vector<UnsupportedForeignKey> ForeignKeysWithoutIndex(const ir::Catalog& schema,
                                                           const std::vector<std::string>& ignored_tables) {
  std::vector<UnsupportedForeignKey> unsupported;
  for (const auto& table : schema.tables) {
    if (!HasForeignKeys(table) || IsIgnored(table, ignored_tables)) continue;
    for (const auto& key : table.foreign_keys) {
      if (!FindSupportingIndex(table, key.columns)) unsupported.push_back({&table, &key});
    }
  }
  // The catalog may not be normalised: sort here so that every report is deterministic.
  std::stable_sort(unsupported.begin(), unsupported.end(),
                   [](const UnsupportedForeignKey& a, const UnsupportedForeignKey& b) {
                     return std::tie(a.table->schema, a.table->name, a.key->name, a.key->columns) <
                            std::tie(b.table->schema, b.table->name, b.key->name, b.key->columns);
                   });
  return unsupported;
}

// The comparison engine matched model and database keys by columns and target; it lists the
// matched keys whose actions differ, and for the others the first model key with the same
// columns and target is the one it matched.
const ir::ForeignKey* FindModelForeignKey(const CatalogDiff* diff, const ir::Table& table, const ir::ForeignKey& key) {
  if (!diff) return nullptr;
  for (const auto& difference : diff->foreign_keys_only_right) {
    if (difference.right == &key) return nullptr;
  }
  for (const auto& difference : diff->foreign_key_action_mismatches) {
    if (difference.right == &key) return difference.left;
  }
  const auto pair = std::find_if(diff->matched_tables.begin(), diff->matched_tables.end(),
                                 [&](const TablePair& candidate) { return candidate.right == &table; });
  if (pair == diff->matched_tables.end()) return nullptr;
  for (const auto& model_key : pair->left->foreign_keys) {
    if (model_key.columns == key.columns && model_key.referenced_table == key.referenced_table) return &model_key;
  }
  return nullptr;
}

std::string SupportingIndexName(const ir::Table& table, const ir::ForeignKey& key) {
  return DefaultConstraintName(table.name, key.columns, "idx");
}

std::string SupportingIndexSql(const ir::Table& table, const ir::ForeignKey& key) {
  return "CREATE INDEX CONCURRENTLY IF NOT EXISTS " + QuoteIdent(SupportingIndexName(table, key)) + " ON " +
         QualifiedSql(table.schema, table.name) + " " + ColumnListSql(key.columns) + ";";
}

}  // namespace dbaudit::rules

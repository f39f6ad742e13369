#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "analyzer/ir/catalog.hpp"

// One comparison engine for Catalog vs Catalog (models<->DB, docs<->DB, dump<->DB, DB<->DB);
// rules are thin views on its differences. "left" is the side under audit (models, the
// document), "right" the ground truth (the database).
namespace dbaudit::rules {

struct TableRef {
  const ir::Table* table = nullptr;
};

struct ColumnPair {
  const ir::Table* left_table = nullptr;
  const ir::Table* right_table = nullptr;
  const ir::Column* left = nullptr;
  const ir::Column* right = nullptr;
};

struct TablePair {
  const ir::Table* left = nullptr;
  const ir::Table* right = nullptr;
};

struct ForeignKeyDifference {
  const ir::Table* left_table = nullptr;
  const ir::Table* right_table = nullptr;
  const ir::ForeignKey* left = nullptr;   // null: only on the right
  const ir::ForeignKey* right = nullptr;  // null: only on the left
};

struct UniqueDifference {
  const ir::Table* left_table = nullptr;
  const ir::Table* right_table = nullptr;
  std::vector<std::string> columns;  // the unique column set
  ir::Location location;             // where the side that has it declares it
  std::string name;                  // constraint or index name on that side
  bool only_on_left = false;
};

struct IndexDifference {
  const ir::Table* left_table = nullptr;
  const ir::Table* right_table = nullptr;
  const ir::Index* index = nullptr;  // the side that has it
  bool only_on_left = false;
};

struct EnumDifference {
  const ir::EnumType* left = nullptr;
  const ir::EnumType* right = nullptr;
};

struct CompareOptions {
  // Tables of the right side to leave out (e.g. alembic_version), unqualified names.
  std::vector<std::string> ignored_tables;
  // Rename hints: two names count as similar when their edit distance is at most this, or
  // when one contains the other.
  std::size_t rename_max_distance = 3;
};

struct CatalogDiff {
  std::vector<const ir::Table*> tables_only_left;
  std::vector<const ir::Table*> tables_only_right;
  std::vector<TablePair> matched_tables;
  std::vector<ColumnPair> columns_only_left;   // right/right_table null
  std::vector<ColumnPair> columns_only_right;  // left/left_table... left_table set, left null
  std::vector<ColumnPair> type_mismatches;
  std::vector<ColumnPair> nullable_mismatches;
  std::vector<ColumnPair> default_mismatches;
  std::vector<TablePair> primary_key_mismatches;
  std::vector<ForeignKeyDifference> foreign_keys_only_left;
  std::vector<ForeignKeyDifference> foreign_keys_only_right;
  std::vector<ForeignKeyDifference> foreign_key_action_mismatches;  // both set
  std::vector<UniqueDifference> uniques_only_left;
  std::vector<UniqueDifference> uniques_only_right;
  std::vector<IndexDifference> indexes_only_left;
  std::vector<IndexDifference> indexes_only_right;
  std::vector<EnumDifference> enum_mismatches;  // both set, labels differ
  std::vector<EnumDifference> enums_only_left;  // right null (enum a model uses that the DB lacks)
  // Hints, not differences: an only-left table and an only-right table sharing most of their
  // columns, or an only-left and an only-right column of one matched table with compatible
  // types and similar names. The items stay in the *_only lists; rules add "possible rename".
  std::vector<TablePair> possible_table_renames;
  std::vector<ColumnPair> possible_column_renames;
};

// The rename hint that pairs `table` (left or right side) with a table of the other side.
const TablePair* FindTableRename(const CatalogDiff& diff, const ir::Table* table);
// The rename hint that pairs `column` (left or right side) with a column of the other side.
const ColumnPair* FindColumnRename(const CatalogDiff& diff, const ir::Column* column);

// Edit distance (insertions, deletions, substitutions), used for the rename hints.
std::size_t LevenshteinDistance(const std::string& a, const std::string& b);

// Both catalogs must outlive the diff (it points into them). Deterministic order.
CatalogDiff CompareCatalogs(const ir::Catalog& left, const ir::Catalog& right, const CompareOptions& options);

// Type equality with "unspecified means any": the models' `character varying` matches the
// database's `character varying(255)`; `numeric` matches `numeric(10,2)`.
bool TypesCompatible(const std::string& left_type, const std::string& right_type);

}  // namespace dbaudit::rules

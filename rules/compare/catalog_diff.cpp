#include "rules/compare/catalog_diff.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string_view>
#include <tuple>
#include <utility>

#include "analyzer/sql/normalize.hpp"

namespace dbaudit::rules {

namespace {

using ColumnSet = std::vector<std::string>;  // sorted column names

ColumnSet SortedSet(std::vector<std::string> columns) {
  std::sort(columns.begin(), columns.end());
  columns.erase(std::unique(columns.begin(), columns.end()), columns.end());
  return columns;
}

bool IsView(const ir::Table& table) {
  return table.kind == ir::TableKind::kView || table.kind == ir::TableKind::kMaterializedView;
}

bool IsIgnored(const ir::Table& table, const CompareOptions& options) {
  const std::string qualified = table.QualifiedName();
  return std::any_of(options.ignored_tables.begin(), options.ignored_tables.end(),
                     [&](const std::string& name) { return name == table.name || name == qualified; });
}

bool TableLess(const ir::Table* a, const ir::Table* b) {
  return std::tie(a->schema, a->name) < std::tie(b->schema, b->name);
}

std::vector<const ir::Table*> SortedTables(const ir::Catalog& catalog) {
  std::vector<const ir::Table*> tables;
  tables.reserve(catalog.tables.size());
  for (const auto& table : catalog.tables) tables.push_back(&table);
  std::stable_sort(tables.begin(), tables.end(), TableLess);
  return tables;
}

// --- Types ----------------------------------------------------------------------------------

std::string CollapseSpaces(const std::string& text) {
  std::string out;
  bool pending_space = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

// Splits "timestamp(3) without time zone" into the type without its modifiers
// ("timestamp without time zone") and the modifiers ("3"). Only the first parenthesised group
// is a type modifier in format_type()'s output.
struct SplitType {
  std::string base;
  std::string modifiers;
  bool has_modifiers = false;
};

SplitType Split(const std::string& type) {
  SplitType split;
  const std::string text = CollapseSpaces(type);
  const auto open = text.find('(');
  const auto close = open == std::string::npos ? std::string::npos : text.find(')', open);
  if (open == std::string::npos || close == std::string::npos) {
    split.base = text;
    return split;
  }
  split.has_modifiers = true;
  for (char c : text.substr(open + 1, close - open - 1)) {
    if (!std::isspace(static_cast<unsigned char>(c))) split.modifiers += c;
  }
  std::string before = text.substr(0, open);
  while (!before.empty() && before.back() == ' ') before.pop_back();
  split.base = CollapseSpaces(before + text.substr(close + 1));
  return split;
}

// --- Defaults -------------------------------------------------------------------------------

std::string ComparableDefault(const std::string& expression) {
  if (auto normalized = sql::NormalizeDefault(expression)) return *normalized;
  return CollapseSpaces(expression);
}

// SQLAlchemy sends server_default="0" as DEFAULT '0'; PostgreSQL coerces that untyped literal
// to the column's type and stores 0. Compare the literal as the server would have stored it.
std::string CoercedToColumnType(const std::string& expression, const std::string& column_type) {
  const bool plain_literal = expression.size() >= 2 && expression.front() == '\'' && expression.back() == '\'' &&
                             expression.find('\'', 1) == expression.size() - 1;
  if (!plain_literal || column_type.empty()) return expression;
  return expression + "::" + column_type;
}

bool IsAutoincrementDefault(const ir::Column& left, const ir::Column& right) {
  if (!left.autoincrement) return false;
  if (right.identity != ir::IdentityKind::kNone) return true;
  return right.server_default && sql::IsSequenceDefault(*right.server_default);
}

bool DefaultsDiffer(const ir::Column& left, const ir::Column& right) {
  if (!left.server_default) return false;  // a DB default the model does not declare is harmless
  if (IsAutoincrementDefault(left, right)) return false;
  if (!right.server_default) return true;
  return ComparableDefault(CoercedToColumnType(*left.server_default, right.type)) !=
         ComparableDefault(*right.server_default);
}

// --- Columns --------------------------------------------------------------------------------

void CompareColumns(const ir::Table& left, const ir::Table& right, CatalogDiff& diff) {
  // A view read from a dump has no columns: say nothing rather than report every column.
  const bool right_columns_known = !(IsView(right) && right.columns.empty());
  for (const auto& column : left.columns) {
    const ir::Column* other = right.FindColumn(column.name);
    if (!other) {
      if (right_columns_known) diff.columns_only_left.push_back({&left, &right, &column, nullptr});
      continue;
    }
    if (IsView(right) || IsView(left)) continue;  // views: compare column names only
    const ColumnPair pair{&left, &right, &column, other};
    if (!column.type.empty() && !other->type.empty() && !TypesCompatible(column.type, other->type)) {
      diff.type_mismatches.push_back(pair);
    }
    if (column.nullable && other->nullable && *column.nullable != *other->nullable) {
      diff.nullable_mismatches.push_back(pair);
    }
    if (DefaultsDiffer(column, *other)) diff.default_mismatches.push_back(pair);
  }
  for (const auto& column : right.columns) {
    if (!left.FindColumn(column.name) && left.unread_bases.empty()) {
      diff.columns_only_right.push_back({&left, &right, nullptr, &column});
    }
  }
}

// --- Primary keys ---------------------------------------------------------------------------

void ComparePrimaryKeys(const ir::Table& left, const ir::Table& right, CatalogDiff& diff) {
  if (IsView(left) || IsView(right)) return;
  const ColumnSet left_set = left.primary_key ? SortedSet(left.primary_key->columns) : ColumnSet{};
  const ColumnSet right_set = right.primary_key ? SortedSet(right.primary_key->columns) : ColumnSet{};
  if (left_set != right_set) diff.primary_key_mismatches.push_back({&left, &right});
}

// --- Foreign keys ---------------------------------------------------------------------------

std::string ReferencedSchema(const ir::Table& table, const ir::ForeignKey& key) {
  return key.referenced_schema.empty() ? table.schema : key.referenced_schema;
}

// Names are ignored: two keys are the same when columns and target agree. A side that did
// not spell the referenced columns (ForeignKey to a table) matches any.
bool SameForeignKey(const ir::Table& left_table, const ir::ForeignKey& left, const ir::Table& right_table,
                    const ir::ForeignKey& right) {
  if (left.columns != right.columns) return false;
  if (left.referenced_table != right.referenced_table) return false;
  if (ReferencedSchema(left_table, left) != ReferencedSchema(right_table, right)) return false;
  if (left.referenced_columns.empty() || right.referenced_columns.empty()) return true;
  return left.referenced_columns == right.referenced_columns;
}

ir::ReferentialAction Effective(ir::ReferentialAction action) {
  return action == ir::ReferentialAction::kUnspecified ? ir::ReferentialAction::kNoAction : action;
}

void CompareForeignKeys(const ir::Table& left, const ir::Table& right, CatalogDiff& diff) {
  if (IsView(left) || IsView(right)) return;
  std::vector<bool> right_used(right.foreign_keys.size(), false);
  for (const auto& key : left.foreign_keys) {
    bool found = false;
    for (std::size_t i = 0; i < right.foreign_keys.size(); ++i) {
      if (right_used[i] || !SameForeignKey(left, key, right, right.foreign_keys[i])) continue;
      right_used[i] = true;
      found = true;
      const auto& other = right.foreign_keys[i];
      if (Effective(key.on_delete) != Effective(other.on_delete) ||
          Effective(key.on_update) != Effective(other.on_update)) {
        diff.foreign_key_action_mismatches.push_back({&left, &right, &key, &other});
      }
      break;
    }
    if (!found) diff.foreign_keys_only_left.push_back({&left, &right, &key, nullptr});
  }
  for (std::size_t i = 0; i < right.foreign_keys.size(); ++i) {
    if (!right_used[i] && left.unread_bases.empty()) {
      diff.foreign_keys_only_right.push_back({&left, &right, nullptr, &right.foreign_keys[i]});
    }
  }
}

// --- Unique column sets ---------------------------------------------------------------------

struct UniqueSet {
  ColumnSet set;
  std::vector<std::string> columns;  // declared order
  ir::Location location;
  std::string name;
};

bool IsPlainColumnIndex(const ir::Table& table, const ir::Index& index) {
  return std::all_of(index.keys.begin(), index.keys.end(),
                     [&](const std::string& key) { return table.FindColumn(key) != nullptr; });
}

// Every column set the table declares unique, first declaration wins. Partial and expression
// unique indexes are left to the index comparison.
std::vector<UniqueSet> UniqueSets(const ir::Table& table) {
  std::vector<UniqueSet> sets;
  auto add = [&sets](const std::vector<std::string>& columns, const ir::Location& location, const std::string& name) {
    ColumnSet set = SortedSet(columns);
    if (set.empty()) return;
    for (const auto& existing : sets) {
      if (existing.set == set) return;
    }
    sets.push_back({std::move(set), columns, location, name});
  };
  for (const auto& constraint : table.unique_constraints) add(constraint.columns, constraint.location, constraint.name);
  for (const auto& index : table.indexes) {
    if (index.unique && !index.predicate && IsPlainColumnIndex(table, index))
      add(index.keys, index.location, index.name);
  }
  return sets;
}

bool Enforces(const std::vector<UniqueSet>& sets, const std::optional<ir::PrimaryKey>& primary_key,
              const ColumnSet& set) {
  if (primary_key && SortedSet(primary_key->columns) == set) return true;
  return std::any_of(sets.begin(), sets.end(), [&](const UniqueSet& other) { return other.set == set; });
}

void CompareUniques(const ir::Table& left, const ir::Table& right, CatalogDiff& diff) {
  if (IsView(left) || IsView(right)) return;
  const auto left_sets = UniqueSets(left);
  const auto right_sets = UniqueSets(right);
  for (const auto& unique : left_sets) {
    if (Enforces(right_sets, right.primary_key, unique.set)) continue;
    diff.uniques_only_left.push_back({&left, &right, unique.columns, unique.location, unique.name, true});
  }
  for (const auto& unique : right_sets) {
    // The database's own primary key column set never counts as a separate unique constraint.
    if (right.primary_key && SortedSet(right.primary_key->columns) == unique.set) continue;
    if (Enforces(left_sets, left.primary_key, unique.set)) continue;
    if (!left.unread_bases.empty()) continue;  // an unread base may declare it
    diff.uniques_only_right.push_back({&left, &right, unique.columns, unique.location, unique.name, false});
  }
}

// --- Indexes --------------------------------------------------------------------------------

// An index the comparison of indexes looks at: non-unique, partial, or on expressions (the
// plain unique ones are compared as unique column sets).
bool IsComparedAsIndex(const ir::Table& table, const ir::Index& index) {
  return !index.unique || index.predicate || !IsPlainColumnIndex(table, index);
}

// Index keys compare as written, or, for expressions, after sql::NormalizeIndexExpression
// (the model's lower(name) is the database's lower((name)::text)).
bool SameIndexKey(const std::string& a, const std::string& b) {
  if (a == b) return true;
  if (a.find('(') == std::string::npos && b.find('(') == std::string::npos) return false;
  const auto left = sql::NormalizeIndexExpression(a);
  return left && left == sql::NormalizeIndexExpression(b);
}

bool SameIndexKeys(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!SameIndexKey(a[i], b[i])) return false;
  }
  return true;
}

// Does `table` have any index (listed or implied by a key/unique constraint) on exactly `keys`?
bool HasIndexOn(const ir::Table& table, const std::vector<std::string>& keys) {
  if (table.primary_key && table.primary_key->columns == keys) return true;
  for (const auto& constraint : table.unique_constraints) {
    if (constraint.columns == keys) return true;
  }
  return std::any_of(table.indexes.begin(), table.indexes.end(),
                     [&](const ir::Index& index) { return SameIndexKeys(index.keys, keys); });
}

void CompareIndexes(const ir::Table& left, const ir::Table& right, CatalogDiff& diff) {
  if (IsView(left) || IsView(right)) return;
  for (const auto& index : left.indexes) {
    if (IsComparedAsIndex(left, index) && !HasIndexOn(right, index.keys)) {
      diff.indexes_only_left.push_back({&left, &right, &index, true});
    }
  }
  for (const auto& index : right.indexes) {
    if (IsComparedAsIndex(right, index) && !HasIndexOn(left, index.keys)) {
      if (left.unread_bases.empty()) diff.indexes_only_right.push_back({&left, &right, &index, false});
    }
  }
}

// --- Enums ----------------------------------------------------------------------------------

void CompareEnums(const ir::Catalog& left, const ir::Catalog& right, CatalogDiff& diff) {
  std::vector<const ir::EnumType*> enums;
  for (const auto& enum_type : left.enums) enums.push_back(&enum_type);
  std::stable_sort(enums.begin(), enums.end(), [](const ir::EnumType* a, const ir::EnumType* b) {
    return std::tie(a->schema, a->name) < std::tie(b->schema, b->name);
  });
  for (const auto* enum_type : enums) {
    const ir::EnumType* other = right.FindEnum(enum_type->schema, enum_type->name);
    if (!other) {
      diff.enums_only_left.push_back({enum_type, nullptr});
    } else if (other->labels != enum_type->labels) {
      diff.enum_mismatches.push_back({enum_type, other});
    }
  }
}

// --- Rename hints ---------------------------------------------------------------------------

bool SimilarNames(const std::string& a, const std::string& b, std::size_t max_distance) {
  if (a.find(b) != std::string::npos || b.find(a) != std::string::npos) return true;
  return LevenshteinDistance(a, b) <= max_distance;
}

std::size_t CommonColumns(const ir::Table& a, const ir::Table& b) {
  std::size_t common = 0;
  for (const auto& column : a.columns) {
    if (b.FindColumn(column.name)) ++common;
  }
  return common;
}

// Tables "share most columns" when more than half of the larger column list is common (and at
// least two columns, so that two one-column tables named differently are not paired).
void FindTableRenames(CatalogDiff& diff) {
  std::vector<bool> right_used(diff.tables_only_right.size(), false);
  for (const auto* left : diff.tables_only_left) {
    std::size_t best = diff.tables_only_right.size();
    std::size_t best_common = 0;
    for (std::size_t i = 0; i < diff.tables_only_right.size(); ++i) {
      if (right_used[i]) continue;
      const auto* right = diff.tables_only_right[i];
      if (left->schema != right->schema) continue;
      const std::size_t common = CommonColumns(*left, *right);
      const std::size_t larger = std::max(left->columns.size(), right->columns.size());
      if (common < 2 || common * 2 <= larger) continue;
      if (common > best_common) {
        best = i;
        best_common = common;
      }
    }
    if (best == diff.tables_only_right.size()) continue;
    right_used[best] = true;
    diff.possible_table_renames.push_back({left, diff.tables_only_right[best]});
  }
}

void FindColumnRenames(CatalogDiff& diff, std::size_t max_distance) {
  std::set<const ir::Column*> right_used;
  for (const auto& left : diff.columns_only_left) {
    const ColumnPair* best = nullptr;
    std::size_t best_distance = 0;
    for (const auto& right : diff.columns_only_right) {
      if (right.left_table != left.left_table || right_used.count(right.right)) continue;
      const auto& a = *left.left;
      const auto& b = *right.right;
      if (a.type.empty() || b.type.empty() || !TypesCompatible(a.type, b.type)) continue;
      if (!SimilarNames(a.name, b.name, max_distance)) continue;
      const std::size_t distance = LevenshteinDistance(a.name, b.name);
      if (!best || distance < best_distance) {
        best = &right;
        best_distance = distance;
      }
    }
    if (!best) continue;
    right_used.insert(best->right);
    diff.possible_column_renames.push_back({left.left_table, left.right_table, left.left, best->right});
  }
}

}  // namespace

std::size_t LevenshteinDistance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      const std::size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitution});
      diagonal = above;
    }
  }
  return row[b.size()];
}

bool TypesCompatible(const std::string& left_type, const std::string& right_type) {
  if (left_type.empty() || right_type.empty()) return true;  // unknown says nothing
  const SplitType left = Split(left_type);
  const SplitType right = Split(right_type);
  if (left.base != right.base) return false;
  if (!left.has_modifiers) return true;  // the models left length/precision unspecified
  return right.has_modifiers && left.modifiers == right.modifiers;
}

CatalogDiff CompareCatalogs(const ir::Catalog& left, const ir::Catalog& right, const CompareOptions& options) {
  CatalogDiff diff;
  std::set<const ir::Table*> matched_right;
  // An index instead of Catalog::FindTable's scan: schemas run to tens of thousands of tables.
  std::map<std::pair<std::string_view, std::string_view>, const ir::Table*> right_by_name;
  for (const auto& table : right.tables)
    right_by_name.emplace(std::pair<std::string_view, std::string_view>(table.schema, table.name), &table);
  for (const auto* table : SortedTables(left)) {
    const auto found = right_by_name.find({table->schema, table->name});
    const ir::Table* other = found == right_by_name.end() ? nullptr : found->second;
    if (other && IsIgnored(*other, options)) other = nullptr;
    if (!other) {
      diff.tables_only_left.push_back(table);
      continue;
    }
    matched_right.insert(other);
    diff.matched_tables.push_back({table, other});
  }
  for (const auto* table : SortedTables(right)) {
    if (matched_right.count(table) || IsIgnored(*table, options)) continue;
    if (IsView(*table)) continue;  // a view no model maps is not a missing model
    diff.tables_only_right.push_back(table);
  }
  // One pass per kind keeps each list in table order, then column order.
  for (const auto& pair : diff.matched_tables) CompareColumns(*pair.left, *pair.right, diff);
  for (const auto& pair : diff.matched_tables) ComparePrimaryKeys(*pair.left, *pair.right, diff);
  for (const auto& pair : diff.matched_tables) CompareForeignKeys(*pair.left, *pair.right, diff);
  for (const auto& pair : diff.matched_tables) CompareUniques(*pair.left, *pair.right, diff);
  for (const auto& pair : diff.matched_tables) CompareIndexes(*pair.left, *pair.right, diff);
  CompareEnums(left, right, diff);
  FindTableRenames(diff);
  FindColumnRenames(diff, options.rename_max_distance);
  return diff;
}

const TablePair* FindTableRename(const CatalogDiff& diff, const ir::Table* table) {
  for (const auto& pair : diff.possible_table_renames) {
    if (pair.left == table || pair.right == table) return &pair;
  }
  return nullptr;
}

const ColumnPair* FindColumnRename(const CatalogDiff& diff, const ir::Column* column) {
  for (const auto& pair : diff.possible_column_renames) {
    if (pair.left == column || pair.right == column) return &pair;
  }
  return nullptr;
}

}  // namespace dbaudit::rules

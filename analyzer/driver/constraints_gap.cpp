#include "analyzer/driver/constraints_gap.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "analyzer/sql/normalize.hpp"
#include "rules/compare/catalog_diff.hpp"
#include "rules/rule_support.hpp"
#include "rules/schema/index_support.hpp"

namespace dbaudit::driver {

namespace {

using reports::GapEntry;
using reports::GapKind;

bool IsView(const ir::Table& table) {
  return table.kind == ir::TableKind::kView || table.kind == ir::TableKind::kMaterializedView;
}

// --- Definitions ----------------------------------------------------------------------------

std::string KeySql(const ir::Table& table, const std::string& key) {
  if (table.FindColumn(key)) return rules::QuoteIdent(key);
  return "(" + key + ")";
}

std::string IndexDefinition(const ir::Table& table, const ir::Index& index) {
  std::string keys;
  for (const auto& key : index.keys) keys += (keys.empty() ? "" : ", ") + KeySql(table, key);
  std::string sql = index.unique ? "UNIQUE INDEX" : "INDEX";
  if (!index.method.empty() && index.method != "btree") sql += " USING " + index.method;
  sql += " (" + keys + ")";
  if (!index.include.empty()) sql += " INCLUDE " + rules::ColumnListSql(index.include);
  if (index.predicate) sql += " WHERE " + *index.predicate;
  return sql;
}

// --- Check constraints ----------------------------------------------------------------------

// The expression inside a database check's definition: "CHECK ((price > 0)) NOT VALID" gives
// "(price > 0)". The dump and the live reader both store pg_get_constraintdef()'s text.
std::string CheckBody(std::string definition) {
  for (const std::string suffix : {" NOT VALID", " NO INHERIT"}) {
    if (definition.ends_with(suffix)) definition.resize(definition.size() - suffix.size());
  }
  if (definition.starts_with("CHECK ")) definition.erase(0, 6);
  return definition;
}

// The identifiers of an expression that name columns of `table` (lower-case unless quoted;
// string literals skipped). The server's deparser adds casts and parentheses but never
// changes which columns a check reads: two checks reading different columns are different.
std::set<std::string> ColumnsRead(const std::string& expression, const ir::Table& table) {
  std::set<std::string> columns;
  auto add = [&](const std::string& word) {
    if (table.FindColumn(word)) columns.insert(word);
  };
  for (std::size_t i = 0; i < expression.size();) {
    const char c = expression[i];
    if (c == '\'') {
      const std::size_t end = expression.find('\'', i + 1);
      i = end == std::string::npos ? expression.size() : end + 1;
    } else if (c == '"') {
      const std::size_t end = expression.find('"', i + 1);
      if (end == std::string::npos) break;
      add(expression.substr(i + 1, end - i - 1));
      i = end + 1;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::string word;
      while (i < expression.size() &&
             (std::isalnum(static_cast<unsigned char>(expression[i])) || expression[i] == '_')) {
        word += static_cast<char>(std::tolower(static_cast<unsigned char>(expression[i])));
        ++i;
      }
      add(word);
    } else {
      ++i;
    }
  }
  return columns;
}

struct CheckSide {
  const ir::CheckConstraint* check = nullptr;
  std::string body;                       // the bare expression
  std::optional<std::string> normalized;  // nullopt: it did not parse as SQL
  std::set<std::string> columns;          // the table columns it reads
  bool matched = false;                   // an equal check exists on the other side
  bool accounted = false;                 // named in a note instead of a gap
};

// The model reader keeps a CheckConstraint argument it cannot evaluate (a variable, an
// f-string, a call) as its Python source and says so in a diagnostic.
bool KeptAsPythonSource(const ir::CheckConstraint& check, const std::vector<ir::Diagnostic>& diagnostics) {
  const std::string message = "check expression '" + check.expression + "' is kept as written";
  return std::any_of(diagnostics.begin(), diagnostics.end(), [&](const ir::Diagnostic& diagnostic) {
    return diagnostic.location.file == check.location.file && diagnostic.message == message;
  });
}

CheckSide MakeCheckSide(const ir::CheckConstraint& check, std::string body, const ir::Table& table, bool readable) {
  CheckSide side;
  side.check = &check;
  side.body = std::move(body);
  if (readable) side.normalized = sql::NormalizeDefault(side.body);
  side.columns = ColumnsRead(side.body, table);
  return side;
}

// Could `a` and `b` be one constraint written two ways? Equal names say yes; when either
// side cannot be read, nothing says no; else they are when they read the same columns.
bool MayBeTheSame(const CheckSide& model, const CheckSide& database) {
  const std::string& model_name = model.check->name;
  const std::string& database_name = database.check->name;
  if (!model_name.empty() && (database_name == model_name || database_name.ends_with("_" + model_name))) return true;
  if (!model.normalized || !database.normalized) return true;
  if (model.columns.empty() || database.columns.empty()) return true;
  return model.columns == database.columns;
}

std::string DescribeCheck(const CheckSide& side, const ir::Location& location) {
  const std::string named = side.check->name.empty() ? std::string{} : " " + side.check->name;
  return fmt::format("check{} `{}` ({})", named, side.body, ir::Describe(location));
}

class GapBuilder {
 public:
  GapBuilder(reports::ConstraintsGap& gap, const std::vector<ir::Diagnostic>& model_diagnostics)
      : gap_(gap), model_diagnostics_(model_diagnostics) {}

  void AddDifferences(const rules::CatalogDiff& diff) {
    for (const auto& unique : diff.uniques_only_left) {
      gap_.only_in_models.push_back(Entry(GapKind::kUnique, *unique.right_table, unique.name,
                                          "UNIQUE " + rules::ColumnListSql(unique.columns), unique.location, {}));
    }
    for (const auto& unique : diff.uniques_only_right) {
      gap_.only_in_database.push_back(Entry(GapKind::kUnique, *unique.right_table, unique.name,
                                            "UNIQUE " + rules::ColumnListSql(unique.columns), {}, unique.location));
    }
    for (const auto& index : diff.indexes_only_left) {
      gap_.only_in_models.push_back(Entry(GapKind::kIndex, *index.right_table, index.index->name,
                                          IndexDefinition(*index.left_table, *index.index), index.index->location, {}));
    }
    for (const auto& index : diff.indexes_only_right) {
      gap_.only_in_database.push_back(Entry(GapKind::kIndex, *index.right_table, index.index->name,
                                            IndexDefinition(*index.right_table, *index.index), {},
                                            index.index->location));
    }
    for (const auto& key : diff.foreign_keys_only_left) {
      gap_.only_in_models.push_back(Entry(GapKind::kForeignKey, *key.right_table, key.left->name,
                                          rules::ForeignKeyDefinitionSql(*key.left_table, *key.left),
                                          key.left->location, {}));
    }
    for (const auto& key : diff.foreign_keys_only_right) {
      gap_.only_in_database.push_back(Entry(GapKind::kForeignKey, *key.right_table, key.right->name,
                                            rules::ForeignKeyDefinitionSql(*key.right_table, *key.right), {},
                                            key.right->location));
    }
    for (const auto& pair : diff.matched_tables) {
      if (!IsView(*pair.left) && !IsView(*pair.right)) CompareChecks(*pair.left, *pair.right);
    }
  }

  void AddUnmatchedTables(const rules::CatalogDiff& diff) {
    if (!diff.tables_only_left.empty()) {
      gap_.notes.push_back(
          fmt::format("Tables the models map but the database lacks (their constraints are not listed; see "
                      "model-table-not-in-database): {}.",
                      Names(diff.tables_only_left)));
    }
    if (!diff.tables_only_right.empty()) {
      gap_.notes.push_back(
          fmt::format("Tables of the database that no model maps (their constraints are not listed; see "
                      "model-table-not-in-models): {}.",
                      Names(diff.tables_only_right)));
    }
  }

 private:
  static std::string Names(const std::vector<const ir::Table*>& tables) {
    std::string names;
    for (const auto* table : tables) names += (names.empty() ? "" : ", ") + rules::DisplayName(*table);
    return names;
  }

  static GapEntry Entry(GapKind kind, const ir::Table& table, const std::string& name, std::string definition,
                        const ir::Location& model_location, const ir::Location& database_location) {
    GapEntry entry;
    entry.kind = kind;
    entry.table = rules::DisplayName(table);
    entry.name = name;
    entry.definition = std::move(definition);
    entry.model_location = model_location;
    entry.database_location = database_location;
    return entry;
  }

  // CatalogDiff does not compare checks: the server stores a check's expression deparsed
  // ("CHECK ((price >= (0)::numeric))" for "price >= 0"), so equal meaning is equal
  // normalised parse trees. What normalisation cannot decide becomes a note, never a gap.
  void CompareChecks(const ir::Table& model_table, const ir::Table& database_table) {
    std::vector<CheckSide> models;
    for (const auto& check : model_table.check_constraints) {
      const bool readable = !check.expression.empty() && !KeptAsPythonSource(check, model_diagnostics_);
      models.push_back(MakeCheckSide(check, check.expression, database_table, readable));
      if (!readable) {
        gap_.notes.push_back(fmt::format("{}: the models' check on {} is not SQL the analyzer can read (`{}`).",
                                         ir::Describe(check.location), rules::DisplayName(database_table),
                                         check.expression));
      }
    }
    std::vector<CheckSide> database;
    for (const auto& check : database_table.check_constraints) {
      database.push_back(MakeCheckSide(check, CheckBody(check.expression), database_table, true));
    }
    for (auto& model : models) {
      if (!model.normalized) continue;
      for (auto& other : database) {
        if (other.matched || other.normalized != model.normalized) continue;
        model.matched = other.matched = true;
        break;
      }
    }
    for (auto& model : models) {
      if (model.matched) continue;
      std::vector<CheckSide*> candidates;
      for (auto& other : database) {
        if (!other.matched && MayBeTheSame(model, other)) candidates.push_back(&other);
      }
      if (candidates.empty()) {
        gap_.only_in_models.push_back(Entry(GapKind::kCheck, database_table, model.check->name,
                                            "CHECK (" + model.body + ")", model.check->location, {}));
        continue;
      }
      for (CheckSide* other : candidates) {
        other->accounted = true;
        gap_.notes.push_back(fmt::format(
            "{}: the models' {} and the database's {} may be one constraint written two ways: their expressions do "
            "not compare equal, and neither is listed as a gap.",
            rules::DisplayName(database_table), DescribeCheck(model, model.check->location),
            DescribeCheck(*other, other->check->location)));
      }
    }
    for (const auto& other : database) {
      if (other.matched || other.accounted) continue;
      gap_.only_in_database.push_back(Entry(GapKind::kCheck, database_table, other.check->name, other.check->expression,
                                            {}, other.check->location));
    }
  }

  reports::ConstraintsGap& gap_;
  const std::vector<ir::Diagnostic>& model_diagnostics_;
};

void AddForeignKeysWithoutIndex(const ir::Catalog& schema, const rules::CatalogDiff* diff,
                                const std::vector<std::string>& ignore_tables, reports::ConstraintsGap& gap) {
  for (const auto& unsupported : rules::ForeignKeysWithoutIndex(schema, ignore_tables)) {
    const ir::Table& table = *unsupported.table;
    const ir::ForeignKey& key = *unsupported.key;
    reports::ForeignKeyWithoutIndex entry;
    entry.table = rules::DisplayName(table);
    entry.name = key.name;
    entry.definition = rules::ForeignKeyDefinitionSql(table, key);
    entry.index_sql = rules::SupportingIndexSql(table, key);
    entry.database_location = key.location;
    if (const ir::ForeignKey* declared = rules::FindModelForeignKey(diff, table, key)) {
      entry.model_location = declared->location;
    }
    gap.foreign_keys_without_index.push_back(std::move(entry));
  }
}

}  // namespace

reports::ConstraintsGap BuildConstraintsGap(const CheckRun& run, const std::vector<std::string>& ignore_tables) {
  reports::ConstraintsGap gap;
  gap.models_source = run.report.models_source;
  gap.schema_source = run.report.schema_source;
  if (!run.schema) {
    gap.notes.push_back(
        "No schema source was given: nothing was compared, and no foreign key was checked for an index.");
    reports::SortConstraintsGap(gap);
    return gap;
  }
  std::optional<rules::CatalogDiff> diff;
  if (run.models.tables.empty()) {
    gap.notes.push_back(fmt::format(
        "No SQLAlchemy models were found ({}): the models were not compared with the database; the foreign keys "
        "without an index are the database's alone.",
        run.report.models_source.empty() ? "no Python files" : run.report.models_source));
  } else {
    rules::CompareOptions options;
    options.ignored_tables = ignore_tables;
    diff = rules::CompareCatalogs(run.models, *run.schema, options);
    GapBuilder builder(gap, run.models.diagnostics);
    builder.AddDifferences(*diff);
    builder.AddUnmatchedTables(*diff);
  }
  AddForeignKeysWithoutIndex(*run.schema, diff ? &*diff : nullptr, ignore_tables, gap);
  reports::SortConstraintsGap(gap);
  return gap;
}

}  // namespace dbaudit::driver

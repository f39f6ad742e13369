#include <memory>

#include <fmt/format.h>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

// A key is a column name or an expression; expressions need their own parentheses.
std::string KeySql(const ir::Table& table, const std::string& key) {
  if (table.FindColumn(key)) return QuoteIdent(key);
  return "(" + key + ")";
}

std::string CreateIndexSql(const ir::Table& table, const ir::Index& index, const std::string& name) {
  std::string keys;
  for (const auto& key : index.keys) {
    if (!keys.empty()) keys += ", ";
    keys += KeySql(table, key);
  }
  std::string sql = fmt::format("CREATE {}INDEX CONCURRENTLY IF NOT EXISTS {} ON {}", index.unique ? "UNIQUE " : "",
                                QuoteIdent(name), QualifiedSql(table.schema, table.name));
  if (!index.method.empty() && index.method != "btree") sql += " USING " + index.method;
  sql += " (" + keys + ")";
  if (!index.include.empty()) sql += " INCLUDE " + ColumnListSql(index.include);
  if (index.predicate) sql += " WHERE " + *index.predicate;
  return sql + ";";
}

class ModelIndexNotInDatabase final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"model-index-not-in-database", ir::Severity::kWarning,
                               "A model declares an index whose key list no database index has.",
                               "indexes_only_in_models"};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    if (!facts.model_diff) return;
    for (const IndexDifference& difference : facts.model_diff->indexes_only_left) {
      const ir::Table& table = *difference.right_table;
      const ir::Index& index = *difference.index;
      const std::string named = index.name.empty() ? std::string{} : " " + index.name;
      ir::Finding finding =
          MakeFinding(*this, fmt::format("index{} on {}{} is declared in the models but the database has no index on "
                                         "these keys",
                                         named, DisplayName(table), DisplayList(index.keys)));
      Locate(finding, index.location, table.location, kDeclaredInDatabase);
      finding.subject = {table.schema, table.name, index.keys, index.name};
      // Unnamed indexes on one table would share a subject; the key list tells them apart.
      finding.fingerprint = ir::ComputeFingerprint(finding, DisplayList(index.keys));
      const std::string name =
          index.name.empty() ? "ix_" + DefaultConstraintName(table.name, index.keys, "idx") : index.name;
      ir::Fix fix;
      fix.description = "create the index (CONCURRENTLY, outside a transaction), or drop index=True from the model";
      fix.sql = CreateIndexSql(table, index, name);
      finding.fix = std::move(fix);
      sink.Report(std::move(finding));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeModelIndexNotInDatabase() {
  return std::make_unique<ModelIndexNotInDatabase>();
}

}  // namespace dbaudit::rules

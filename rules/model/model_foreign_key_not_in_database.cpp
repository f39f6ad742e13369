#include <memory>

#include <fmt/format.h>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

class ModelForeignKeyNotInDatabase final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"model-foreign-key-not-in-database", ir::Severity::kWarning,
                               "A model declares a foreign key that the database does not enforce.",
                               "foreign_keys_only_in_models"};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    if (!facts.model_diff) return;
    for (const ForeignKeyDifference& difference : facts.model_diff->foreign_keys_only_left) {
      const ir::Table& table = *difference.right_table;
      const ir::ForeignKey& key = *difference.left;
      ir::Finding finding =
          MakeFinding(*this, fmt::format("foreign key {} is declared in the models but the database has no such "
                                         "constraint, so nothing stops orphan rows",
                                         DescribeForeignKey(table, key)));
      Locate(finding, key.location, table.location, kDeclaredInDatabase);
      finding.subject = {table.schema, table.name, key.columns, key.name};
      // Two keys on the same columns (to different tables) share a subject.
      finding.fingerprint = ir::ComputeFingerprint(finding, DescribeForeignKey(table, key));
      const std::string name = key.name.empty() ? DefaultConstraintName(table.name, key.columns, "fkey") : key.name;
      ir::Fix fix;
      fix.description = "add the constraint NOT VALID, fix orphan rows, then VALIDATE CONSTRAINT";
      fix.sql = fmt::format("ALTER TABLE {} ADD CONSTRAINT {} {} NOT VALID;", QualifiedSql(table.schema, table.name),
                            QuoteIdent(name), ForeignKeyDefinitionSql(table, key));
      finding.fix = std::move(fix);
      sink.Report(std::move(finding));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeModelForeignKeyNotInDatabase() {
  return std::make_unique<ModelForeignKeyNotInDatabase>();
}

}  // namespace dbaudit::rules

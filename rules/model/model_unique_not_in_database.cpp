#include <memory>

#include <fmt/format.h>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

class ModelUniqueNotInDatabase final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"model-unique-not-in-database", ir::Severity::kWarning,
                               "A unique column set of the models is enforced by no unique constraint or index in "
                               "the database.",
                               "unique_constraints_only_in_models"};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    if (!facts.model_diff) return;
    for (const UniqueDifference& difference : facts.model_diff->uniques_only_left) {
      const ir::Table& table = *difference.right_table;
      ir::Finding finding = MakeFinding(
          *this, fmt::format("{}{} is declared unique in the models but the database enforces it neither by a unique "
                             "constraint nor by a unique index",
                             DisplayName(table), DisplayList(difference.columns)));
      Locate(finding, difference.location, table.location, kDeclaredInDatabase);
      finding.subject = {table.schema, table.name, difference.columns, difference.name};
      const std::string name =
          difference.name.empty() ? DefaultConstraintName(table.name, difference.columns, "key") : difference.name;
      ir::Fix fix;
      fix.description = "remove duplicate rows, then add the constraint; or drop unique=True from the model";
      fix.sql = fmt::format("ALTER TABLE {} ADD CONSTRAINT {} UNIQUE {};", QualifiedSql(table.schema, table.name),
                            QuoteIdent(name), ColumnListSql(difference.columns));
      finding.fix = std::move(fix);
      sink.Report(std::move(finding));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeModelUniqueNotInDatabase() {
  return std::make_unique<ModelUniqueNotInDatabase>();
}

}  // namespace dbaudit::rules

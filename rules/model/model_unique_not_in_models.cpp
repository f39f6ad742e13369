#include <memory>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

class ModelUniqueNotInModels final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"model-unique-not-in-models", ir::Severity::kNote,
                               "The database enforces a unique column set that the models do not declare.",
                               "unique_constraints_only_in_schema"};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    if (!facts.model_diff) return;
    for (const UniqueDifference& difference : facts.model_diff->uniques_only_right) {
      const ir::Table& table = *difference.right_table;
      const std::string by = difference.name.empty() ? std::string{} : fmt::format(" (by {})", difference.name);
      ir::Finding finding =
          MakeFinding(*this, fmt::format("the database enforces uniqueness of {}{}{} but {} declare it",
                                         DisplayName(table), DisplayList(difference.columns), by,
                                         DescribeModelsWithVerb(*difference.left_table, "does not", "do not")));
      Locate(finding, difference.left_table->location, difference.location, kDeclaredInDatabase);
      finding.subject = {table.schema, table.name, difference.columns, difference.name};
      ir::Fix fix;
      fix.description = difference.columns.size() == 1
                            ? fmt::format("declare unique=True on the model column {}", difference.columns.front())
                            : fmt::format("declare UniqueConstraint('{}') in the model's __table_args__",
                                          fmt::join(difference.columns, "', '"));
      finding.fix = std::move(fix);
      sink.Report(std::move(finding));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeModelUniqueNotInModels() {
  return std::make_unique<ModelUniqueNotInModels>();
}

}  // namespace dbaudit::rules

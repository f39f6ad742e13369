#include <memory>

#include <fmt/format.h>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

class ModelTypeMismatch final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"model-type-mismatch", ir::Severity::kError,
                               "A column's type in the models differs from its type in the database.",
                               "type_mismatches"};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    if (!facts.model_diff) return;
    for (const ColumnPair& pair : facts.model_diff->type_mismatches) {
      const ir::Table& table = *pair.right_table;
      ir::Finding finding =
          MakeFinding(*this, fmt::format("column {} is {} in the models but {} in the database",
                                         DisplayColumn(table, pair.left->name), pair.left->type, pair.right->type));
      Locate(finding, pair.left->location, pair.right->location, kDeclaredInDatabase);
      finding.subject = {table.schema, table.name, {pair.left->name}, {}};
      ir::Fix fix;
      fix.description = fmt::format(
          "declare the model column with the database's type ({}), or migrate the column "
          "if the model is right",
          pair.right->type);
      finding.fix = std::move(fix);
      sink.Report(std::move(finding));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeModelTypeMismatch() {
  return std::make_unique<ModelTypeMismatch>();
}

}  // namespace dbaudit::rules

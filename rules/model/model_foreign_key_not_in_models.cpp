#include <memory>

#include <fmt/format.h>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

// Where the model should declare the key: its first column, else the model class.
const ir::Location& ModelSide(const ir::Table& table, const ir::ForeignKey& key) {
  if (!key.columns.empty()) {
    if (const ir::Column* column = table.FindColumn(key.columns.front()); column && column->location.IsKnown()) {
      return column->location;
    }
  }
  return table.location;
}

class ModelForeignKeyNotInModels final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"model-foreign-key-not-in-models", ir::Severity::kWarning,
                               "A database foreign key is not declared in the models.", "foreign_keys_only_in_schema"};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    if (!facts.model_diff) return;
    for (const ForeignKeyDifference& difference : facts.model_diff->foreign_keys_only_right) {
      const ir::Table& table = *difference.right_table;
      const ir::ForeignKey& key = *difference.right;
      const std::string named = key.name.empty() ? std::string{} : " " + key.name;
      ir::Finding finding =
          MakeFinding(*this, fmt::format("foreign key{} {} exists in the database but {} declare it", named,
                                         DescribeForeignKey(table, key),
                                         DescribeModelsWithVerb(*difference.left_table, "does not", "do not")));
      Locate(finding, ModelSide(*difference.left_table, key), key.location, kDeclaredInDatabase);
      finding.subject = {table.schema, table.name, key.columns, key.name};
      finding.fingerprint = ir::ComputeFingerprint(finding, DescribeForeignKey(table, key));
      ir::Fix fix;
      fix.description = fmt::format(
          "declare ForeignKey('{}.{}') on the model column so that the ORM knows the "
          "relationship and its {}",
          key.referenced_table, key.referenced_columns.empty() ? std::string("id") : key.referenced_columns.front(),
          DescribeActions(key));
      finding.fix = std::move(fix);
      sink.Report(std::move(finding));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeModelForeignKeyNotInModels() {
  return std::make_unique<ModelForeignKeyNotInModels>();
}

}  // namespace dbaudit::rules

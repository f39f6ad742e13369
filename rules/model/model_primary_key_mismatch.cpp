#include <memory>

#include <fmt/format.h>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

std::string DescribeKey(const std::optional<ir::PrimaryKey>& key, const char* side) {
  if (!key || key->columns.empty()) return fmt::format("no primary key in the {}", side);
  return fmt::format("{} in the {}", DisplayList(key->columns), side);
}

class ModelPrimaryKeyMismatch final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"model-primary-key-mismatch", ir::Severity::kError,
                               "The primary key column set differs between the models and the database.",
                               "primary_key_mismatch"};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    if (!facts.model_diff) return;
    for (const TablePair& pair : facts.model_diff->primary_key_mismatches) {
      const ir::Table& left = *pair.left;
      const ir::Table& right = *pair.right;
      ir::Finding finding = MakeFinding(
          *this, fmt::format("table {} has primary key {} but {}", DisplayName(right),
                             DescribeKey(left.primary_key, "models"), DescribeKey(right.primary_key, "database")));
      const ir::Location& left_location =
          left.primary_key && left.primary_key->location.IsKnown() ? left.primary_key->location : left.location;
      const ir::Location& right_location =
          right.primary_key && right.primary_key->location.IsKnown() ? right.primary_key->location : right.location;
      Locate(finding, left_location, right_location, kDeclaredInDatabase);
      const auto& key = left.primary_key ? left.primary_key : right.primary_key;
      finding.subject = {right.schema, right.name, key ? key->columns : std::vector<std::string>{},
                         right.primary_key ? right.primary_key->name : std::string{}};
      ir::Fix fix;
      fix.description = right.primary_key
                            ? fmt::format("declare primary_key=True on exactly the columns {} in the model",
                                          DisplayList(right.primary_key->columns))
                            : "add a primary key to the database table (the ORM needs one to identify rows)";
      finding.fix = std::move(fix);
      sink.Report(std::move(finding));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeModelPrimaryKeyMismatch() {
  return std::make_unique<ModelPrimaryKeyMismatch>();
}

}  // namespace dbaudit::rules

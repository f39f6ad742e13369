#include <memory>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

class ModelUnreadableConstruct final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{ir::kRuleModelUnreadable, ir::Severity::kNote,
                               "The model reader met a construct it cannot read statically.", ""};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override { ReportDiagnostics(*this, facts, sink); }
};

}  // namespace

std::unique_ptr<Rule> MakeModelUnreadableConstruct() {
  return std::make_unique<ModelUnreadableConstruct>();
}

}  // namespace dbaudit::rules

#include <memory>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

class InputModelsNotRead final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{ir::kRuleModelsNotRead, ir::Severity::kError,
                               "The code uses SQLAlchemy, but few or none of its models could be read.", ""};
    return info;
  }

  // The model reader measured its own coverage and wrote the reason; the rule gives it an id.
  void Check(const Facts& facts, FindingSink& sink) const override { ReportDiagnostics(*this, facts, sink); }
};

}  // namespace

std::unique_ptr<Rule> MakeInputModelsNotRead() {
  return std::make_unique<InputModelsNotRead>();
}

}  // namespace dbaudit::rules

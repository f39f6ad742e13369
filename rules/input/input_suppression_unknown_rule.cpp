#include <memory>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

class InputSuppressionUnknownRule final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"input-suppression-unknown-rule", ir::Severity::kWarning,
                               "A `# dbaudit: ignore[...]` comment names a rule id that does not exist.", ""};
    return info;
  }

  // The driver scans the comments (it has the files); the rule gives each unknown id its id
  // and its doc. The message names the id, so the fingerprint survives line moves.
  void Check(const Facts& facts, FindingSink& sink) const override { ReportDiagnostics(*this, facts, sink); }
};

}  // namespace

std::unique_ptr<Rule> MakeInputSuppressionUnknownRule() {
  return std::make_unique<InputSuppressionUnknownRule>();
}

}  // namespace dbaudit::rules

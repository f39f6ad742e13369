#include <memory>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

// PLACEHOLDER: registered so that the registry is complete; the rule's owner replaces this file.
class TimestampOnupdateWithoutTrigger final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"timestamp-onupdate-without-trigger", ir::Severity::kWarning, "(not written yet)", ""};
    return info;
  }
  void Check(const Facts&, FindingSink&) const override {}
};

}  // namespace

std::unique_ptr<Rule> MakeTimestampOnupdateWithoutTrigger() {
  return std::make_unique<TimestampOnupdateWithoutTrigger>();
}

}  // namespace dbaudit::rules

#include <memory>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

// PLACEHOLDER: registered so that the registry is complete; the rule's owner replaces this file.
class TimestampCreatedAtWithoutDatabaseDefault final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"timestamp-created-at-without-database-default", ir::Severity::kWarning,
                               "(not written yet)", ""};
    return info;
  }
  void Check(const Facts&, FindingSink&) const override {}
};

}  // namespace

std::unique_ptr<Rule> MakeTimestampCreatedAtWithoutDatabaseDefault() {
  return std::make_unique<TimestampCreatedAtWithoutDatabaseDefault>();
}

}  // namespace dbaudit::rules

#include <memory>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

class InputFileUnreadable final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{ir::kRuleFileUnreadable, ir::Severity::kError,
                               "A source file could not be read as text.", ""};
    return info;
  }

  // The reader already wrote the message and the location; the rule gives it an id and a doc.
  void Check(const Facts& facts, FindingSink& sink) const override { ReportDiagnostics(*this, facts, sink); }
};

}  // namespace

std::unique_ptr<Rule> MakeInputFileUnreadable() {
  return std::make_unique<InputFileUnreadable>();
}

}  // namespace dbaudit::rules

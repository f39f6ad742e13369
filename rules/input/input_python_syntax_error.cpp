#include <memory>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

class InputPythonSyntaxError final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{ir::kRulePythonSyntaxError, ir::Severity::kWarning,
                               "A Python file has a syntax error; the parts around it were read.", ""};
    return info;
  }

  // The reader already wrote the message and the location; the rule gives it an id and a doc.
  void Check(const Facts& facts, FindingSink& sink) const override { ReportDiagnostics(*this, facts, sink); }
};

}  // namespace

std::unique_ptr<Rule> MakeInputPythonSyntaxError() {
  return std::make_unique<InputPythonSyntaxError>();
}

}  // namespace dbaudit::rules

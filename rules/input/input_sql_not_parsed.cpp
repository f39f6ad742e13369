#include <memory>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

class InputSqlNotParsed final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{ir::kRuleSqlNotParsed, ir::Severity::kWarning,
                               "A SQL statement could not be parsed by the PostgreSQL 15 grammar.", ""};
    return info;
  }

  // The reader already wrote the message and the location; the rule gives it an id and a doc.
  void Check(const Facts& facts, FindingSink& sink) const override { ReportDiagnostics(*this, facts, sink); }
};

}  // namespace

std::unique_ptr<Rule> MakeInputSqlNotParsed() {
  return std::make_unique<InputSqlNotParsed>();
}

}  // namespace dbaudit::rules

#include <memory>

#include <fmt/format.h>

#include "rules/query/query_support.hpp"
#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

// The same construct as query-sql-injection-risk, but every interpolated value is a constant
// the analyzer could read: no injection today, one refactoring away from it.
class QuerySqlBuiltFromConstants final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"query-sql-built-from-constants", ir::Severity::kNote,
                               "SQL built by string formatting reaches a SQL sink, but only constants are "
                               "interpolated.",
                               ""};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    query::ReportBuiltSql(*this, facts, ir::SqlBuild::kConstantInterpolation, "SQL built by string formatting",
                          "only constants are interpolated today, but the pattern invites runtime values", std::nullopt,
                          sink);
  }
};

}  // namespace

std::unique_ptr<Rule> MakeQuerySqlBuiltFromConstants() {
  return std::make_unique<QuerySqlBuiltFromConstants>();
}

}  // namespace dbaudit::rules

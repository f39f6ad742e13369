#include <memory>

#include <fmt/format.h>

#include "rules/query/query_support.hpp"
#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

class QuerySqlInjectionRisk final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"query-sql-injection-risk", ir::Severity::kWarning,
                               "SQL built from runtime values (f-string, %, format(), +, join()) reaches a SQL sink.",
                               ""};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    query::ReportBuiltSql(*this, facts, ir::SqlBuild::kDynamic, "SQL built from a runtime value",
                          "pass values as bound parameters, and identifiers through an allow-list",
                          ir::Fix{"use placeholders (%s, :name, $1) and pass the values separately", "", "", {}}, sink);
  }
};

}  // namespace

std::unique_ptr<Rule> MakeQuerySqlInjectionRisk() {
  return std::make_unique<QuerySqlInjectionRisk>();
}

}  // namespace dbaudit::rules

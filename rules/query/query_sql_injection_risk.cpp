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
    if (!facts.queries) return;
    for (const ir::FileQueries& file : *facts.queries) {
      for (const ir::QuerySite& site : file.sites) {
        if (site.kind != ir::QueryKind::kRawSql || site.build != ir::SqlBuild::kDynamic) continue;
        std::string message = fmt::format("SQL built from a runtime value reaches {}", site.api);
        if (!site.build_detail.empty()) message += ": " + site.build_detail;
        message += "; pass values as bound parameters, and identifiers through an allow-list";
        ir::Finding finding = MakeFinding(*this, std::move(message));
        finding.location = site.build_location.IsKnown() ? site.build_location : site.location;
        if (site.build_location.IsKnown() && site.build_location != site.location) {
          finding.related.push_back({site.location, "the SQL is sent here"});
        }
        finding.fix = ir::Fix{"use placeholders (%s, :name, $1) and pass the values separately", "", "", {}};
        query::SetQueryFingerprint(finding, file.display_path + ":" + site.api + ":" + site.build_detail);
        sink.Report(std::move(finding));
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeQuerySqlInjectionRisk() {
  return std::make_unique<QuerySqlInjectionRisk>();
}

}  // namespace dbaudit::rules

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
    if (!facts.queries) return;
    for (const ir::FileQueries& file : *facts.queries) {
      for (const ir::QuerySite& site : file.sites) {
        if (site.kind != ir::QueryKind::kRawSql || site.build != ir::SqlBuild::kConstantInterpolation) continue;
        std::string message = fmt::format("SQL built by string formatting reaches {}", site.api);
        if (!site.build_detail.empty()) message += ": " + site.build_detail;
        message += "; only constants are interpolated today, but the pattern invites runtime values";
        ir::Finding finding = MakeFinding(*this, std::move(message));
        finding.location = site.build_location.IsKnown() ? site.build_location : site.location;
        if (site.build_location.IsKnown() && site.build_location != site.location) {
          finding.related.push_back({site.location, "the SQL is sent here"});
        }
        query::SetQueryFingerprint(finding, file.display_path + ":" + site.api + ":" + site.build_detail);
        sink.Report(std::move(finding));
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeQuerySqlBuiltFromConstants() {
  return std::make_unique<QuerySqlBuiltFromConstants>();
}

}  // namespace dbaudit::rules

#include <memory>

#include <fmt/format.h>

#include "rules/query/query_support.hpp"
#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

class QueryWriteWithoutWhere final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"query-write-without-where", ir::Severity::kWarning,
                               "An UPDATE or DELETE in the code has no WHERE clause: it changes every row.", ""};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    for (const Facts::AnalyzedSite& analyzed : facts.analyzed_sites) {
      for (const ir::SqlStatement& statement : analyzed.analysis.statements) {
        if (!statement.write_without_where) continue;
        const std::string target = statement.target_table.empty() ? "its table" : statement.target_table;
        ir::Finding finding =
            MakeFinding(*this, fmt::format("{} sent by {} has no WHERE clause: it changes every row of {}",
                                           statement.command, analyzed.site->api, target));
        finding.location = query::LocateInSite(*analyzed.site, statement.offset);
        const auto dot = statement.target_table.find('.');
        finding.subject.schema = dot == std::string::npos ? "" : statement.target_table.substr(0, dot);
        finding.subject.table =
            dot == std::string::npos ? statement.target_table : statement.target_table.substr(dot + 1);
        finding.fix = ir::Fix{"add a WHERE clause; write WHERE true when every row is meant", "", "", {}};
        query::SetQueryFingerprint(finding, finding.location.file + ":" + statement.command);
        sink.Report(std::move(finding));
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeQueryWriteWithoutWhere() {
  return std::make_unique<QueryWriteWithoutWhere>();
}

}  // namespace dbaudit::rules

#include <memory>

#include <fmt/format.h>

#include "rules/query/query_support.hpp"
#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

class QuerySyntaxError final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"query-syntax-error", ir::Severity::kError,
                               "A SQL string that reaches a SQL sink does not parse (42601).", ""};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    for (const Facts::AnalyzedSite& analyzed : facts.analyzed_sites) {
      const auto& error = analyzed.analysis.syntax_error;
      // SQL newer than the parser's grammar is query-sql-not-checked's note, not an error.
      if (!error || error->likely_newer_syntax) continue;
      // Another database's SQL (SQLite PRAGMA, a MySQL branch) is no PostgreSQL error: a note.
      if (!error->other_dialect.empty() || analyzed.site->target == ir::SqlTarget::kOtherDatabase) continue;
      ir::Finding finding = MakeFinding(
          *this, fmt::format("SQL sent by {} does not parse: {} (SQLSTATE 42601)", analyzed.site->api, error->message));
      finding.location = query::LocateInSite(*analyzed.site, error->offset);
      finding.related.push_back({analyzed.site->location, "the SQL is sent here"});
      query::SetQueryFingerprint(finding, finding.location.file + ":" + analyzed.site->api + ":" + error->message);
      sink.Report(std::move(finding));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeQuerySyntaxError() {
  return std::make_unique<QuerySyntaxError>();
}

}  // namespace dbaudit::rules

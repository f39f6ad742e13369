#include <memory>

#include <fmt/format.h>

#include "rules/query/query_support.hpp"
#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

// Unknown is said, not guessed: SQL the analyzer could not check completely is a note, so a
// clean report never pretends more was checked than was.
class QuerySqlNotChecked final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"query-sql-not-checked", ir::Severity::kNote,
                               "SQL in the code that dbaudit could not check completely (newer syntax, unresolved "
                               "references).",
                               ""};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    for (const Facts::AnalyzedSite& analyzed : facts.analyzed_sites) {
      const ir::QuerySite& site = *analyzed.site;
      const auto& error = analyzed.analysis.syntax_error;
      if (error && error->likely_newer_syntax) {
        Report(site, error->offset,
               fmt::format("SQL sent by {} uses syntax newer than the PostgreSQL 15 grammar dbaudit parses with "
                           "({}); its tables and columns were not checked",
                           site.api, error->message),
               sink);
      }
      for (const ir::SqlAnalysis::Note& note : analyzed.analysis.notes) {
        Report(site, note.offset, fmt::format("SQL sent by {}: {}", site.api, note.message), sink);
      }
    }
  }

 private:
  void Report(const ir::QuerySite& site, std::uint32_t offset, std::string message, FindingSink& sink) const {
    ir::Finding finding = MakeFinding(*this, std::move(message));
    finding.location = query::LocateInSite(site, offset);
    query::SetQueryFingerprint(finding, finding.location.file + ":" + finding.message);
    sink.Report(std::move(finding));
  }
};

}  // namespace

std::unique_ptr<Rule> MakeQuerySqlNotChecked() {
  return std::make_unique<QuerySqlNotChecked>();
}

}  // namespace dbaudit::rules

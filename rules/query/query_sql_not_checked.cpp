#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

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
      if (error && !error->likely_newer_syntax &&
          (!error->other_dialect.empty() || site.target == ir::SqlTarget::kOtherDatabase)) {
        const std::string whose = !error->other_dialect.empty()
                                      ? error->other_dialect + " SQL"
                                      : "SQL for another database (" + site.target_detail + ")";
        Report(site, error->offset,
               fmt::format("SQL sent by {} is {}, which PostgreSQL does not parse ({}); it was not checked", site.api,
                           whose, error->message),
               sink);
        continue;
      }
      if (facts.schema && (site.target == ir::SqlTarget::kMigration || site.target == ir::SqlTarget::kOtherDatabase)) {
        ReportUnchecked(site, analyzed.analysis, sink);
      }
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
  // Names today's schema lacks in SQL that is not meant for it: one note per site, so that a
  // reviewer can still look, without an error for a revision that ran long ago.
  void ReportUnchecked(const ir::QuerySite& site, const ir::SqlAnalysis& analysis, FindingSink& sink) const {
    std::vector<std::string> names;
    std::uint32_t first = 0;
    for (const ir::SqlReference& reference : analysis.references) {
      std::string name;
      if (reference.status == ir::SqlReferenceStatus::kUnknownTable) {
        name = fmt::format("relation \"{}\"",
                           reference.schema.empty() ? reference.table : reference.schema + "." + reference.table);
      } else if (reference.status == ir::SqlReferenceStatus::kUnknownColumn) {
        name = fmt::format("column \"{}\"", reference.qualifier.empty() ? reference.column
                                                                        : reference.qualifier + "." + reference.column);
      } else {
        continue;
      }
      if (names.empty()) first = reference.offset;
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(std::move(name));
    }
    if (names.empty()) return;
    const std::string why = site.target == ir::SqlTarget::kMigration
                                ? "a migration revision runs against the schema of its time"
                                : "it goes to another database (" + site.target_detail + ")";
    Report(site, first,
           fmt::format("SQL sent by {} names {}, which today's schema lacks; not reported as an error because {}",
                       site.api, fmt::join(names, ", "), why),
           sink);
  }

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

#include <memory>

#include <fmt/format.h>

#include "rules/query/query_support.hpp"
#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

class QueryUnknownTable final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"query-unknown-table", ir::Severity::kError,
                               "SQL in the code names a table or view the database does not have (42P01).", ""};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    if (!facts.schema) return;
    std::vector<std::string> table_names;
    for (const ir::Table& table : facts.schema->tables) table_names.push_back(table.name);
    for (const Facts::AnalyzedSite& analyzed : facts.analyzed_sites) {
      // Migrations ran against the schema of their time, tests may create their own tables, and
      // other databases have other tables (query-sql-not-checked says so where it matters).
      if (analyzed.site->target != ir::SqlTarget::kAuditedDatabase) continue;
      for (const ir::SqlReference& reference : analyzed.analysis.references) {
        if (reference.kind != ir::SqlReference::Kind::kTable) continue;
        if (reference.status != ir::SqlReferenceStatus::kUnknownTable) continue;
        const std::string shown =
            reference.schema.empty() ? reference.table : DisplayName(reference.schema, reference.table);
        std::string message = fmt::format("SQL sent by {} names relation \"{}\", which does not exist (SQLSTATE 42P01)",
                                          analyzed.site->api, shown);
        message += query::DidYouMean(reference.table, table_names);
        const ir::Table* modelled =
            facts.models
                ? facts.models->FindTable(reference.schema.empty() ? "public" : reference.schema, reference.table)
                : nullptr;
        if (modelled) message += fmt::format("; {} declares it, the database lacks it", DescribeModels(*modelled));
        ir::Finding finding = MakeFinding(*this, std::move(message));
        finding.location = query::LocateInSite(*analyzed.site, reference.offset);
        if (modelled && modelled->location.IsKnown()) {
          finding.related.push_back({modelled->location, kDeclaredInModels});
        }
        finding.subject = {reference.schema, reference.table, {}, {}};
        finding.fix = ir::Fix{"correct the table name, or create the table with a migration", "", "", {}};
        query::SetQueryFingerprint(finding, finding.location.file);
        sink.Report(std::move(finding));
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeQueryUnknownTable() {
  return std::make_unique<QueryUnknownTable>();
}

}  // namespace dbaudit::rules

#include <memory>
#include <set>

#include <fmt/format.h>

#include "rules/query/query_support.hpp"
#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

// "public.users" -> the table, or null.
const ir::Table* FindQualified(const ir::Catalog& catalog, const std::string& qualified) {
  const auto dot = qualified.find('.');
  if (dot == std::string::npos) return catalog.FindTable("public", qualified);
  return catalog.FindTable(qualified.substr(0, dot), qualified.substr(dot + 1));
}

class QueryUnknownColumn final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"query-unknown-column", ir::Severity::kError,
                               "SQL in the code names a column no table in its scope has (42703).", ""};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    if (!facts.schema) return;
    for (const Facts::AnalyzedSite& analyzed : facts.analyzed_sites) {
      // Migrations ran against the schema of their time, tests may create their own tables, and
      // other databases have other tables (query-sql-not-checked says so where it matters).
      if (analyzed.site->target != ir::SqlTarget::kAuditedDatabase) continue;
      for (const ir::SqlReference& reference : analyzed.analysis.references) {
        if (reference.kind != ir::SqlReference::Kind::kColumn) continue;
        if (reference.status != ir::SqlReferenceStatus::kUnknownColumn) continue;
        Report(facts, *analyzed.site, reference, sink);
      }
    }
  }

 private:
  void Report(const Facts& facts, const ir::QuerySite& site, const ir::SqlReference& reference,
              FindingSink& sink) const {
    std::vector<const ir::Table*> scope;
    std::set<std::string> columns;
    for (const std::string& candidate : reference.candidate_tables) {
      if (const ir::Table* table = FindQualified(*facts.schema, candidate)) {
        scope.push_back(table);
        for (const ir::Column& column : table->columns) columns.insert(column.name);
      }
    }
    const std::string shown =
        reference.qualifier.empty() ? reference.column : reference.qualifier + "." + reference.column;
    std::string where;
    if (scope.size() == 1) {
      where = fmt::format(" in {}", DisplayName(*scope.front()));
    } else if (!scope.empty()) {
      std::vector<std::string> names;
      for (const ir::Table* table : scope) names.push_back(DisplayName(*table));
      where = fmt::format(" in any of {}", fmt::join(names, ", "));
    }
    std::string message = fmt::format("SQL sent by {} names column \"{}\", which does not exist{} (SQLSTATE 42703)",
                                      site.api, shown, where);
    message += query::DidYouMean(reference.column, {columns.begin(), columns.end()});
    // The models may declare it: then models and database disagree, and the query is right
    // about the models but wrong about the database.
    const ir::Column* modelled = nullptr;
    if (facts.models && scope.size() == 1) {
      if (const ir::Table* table = facts.models->FindTable(scope.front()->schema, scope.front()->name)) {
        modelled = table->FindColumn(reference.column);
        if (modelled) message += fmt::format("; {} declares it, the database lacks it", DescribeModels(*table));
      }
    }
    ir::Finding finding = MakeFinding(*this, std::move(message));
    finding.location = query::LocateInSite(site, reference.offset);
    if (modelled && modelled->location.IsKnown()) finding.related.push_back({modelled->location, kDeclaredInModels});
    const ir::Table* table = scope.size() == 1 ? scope.front() : nullptr;
    finding.subject = {
        table ? table->schema : reference.schema, table ? table->name : reference.table, {reference.column}, {}};
    finding.fix = ir::Fix{"correct the column name, or add the column with a migration", "", "", {}};
    query::SetQueryFingerprint(finding, finding.location.file);
    sink.Report(std::move(finding));
  }
};

}  // namespace

std::unique_ptr<Rule> MakeQueryUnknownColumn() {
  return std::make_unique<QueryUnknownColumn>();
}

}  // namespace dbaudit::rules

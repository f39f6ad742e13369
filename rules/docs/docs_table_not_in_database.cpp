#include <memory>

#include <fmt/format.h>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

class DocsTableNotInDatabase final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"docs-table-not-in-database", ir::Severity::kWarning,
                               "The schema document describes a table that does not exist in the database.", ""};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    if (!facts.document_diff) return;
    for (const ir::Table* table : facts.document_diff->tables_only_left) {
      const TablePair* rename = FindTableRename(*facts.document_diff, table);
      std::string message =
          fmt::format("table {} is documented but does not exist in the database", DisplayName(*table));
      if (rename) message += fmt::format("; possible rename of database table {}", DisplayName(*rename->right));
      ir::Finding finding = MakeFinding(*this, std::move(message));
      finding.location = table->location;
      if (rename && rename->right->location.IsKnown()) {
        finding.related.push_back({rename->right->location, "the database table that shares most columns"});
      }
      finding.subject = {table->schema, table->name, {}, {}};
      ir::Fix fix;
      fix.description = rename ? fmt::format("rename the section to {} if the table was renamed, else remove it",
                                             DisplayName(*rename->right))
                               : "remove the section, or create the table if the document is right";
      finding.fix = std::move(fix);
      sink.Report(std::move(finding));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeDocsTableNotInDatabase() {
  return std::make_unique<DocsTableNotInDatabase>();
}

}  // namespace dbaudit::rules

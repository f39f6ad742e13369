#include <memory>

#include <fmt/format.h>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

class DocsColumnNotInDatabase final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"docs-column-not-in-database", ir::Severity::kWarning,
                               "The schema document lists a column that the database table does not have.", ""};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    if (!facts.document_diff) return;
    for (const ColumnPair& pair : facts.document_diff->columns_only_left) {
      const ir::Table& table = *pair.left_table;
      std::string message = fmt::format("column {} is documented but the database table has no such column",
                                        DisplayColumn(table, pair.left->name));
      const ColumnPair* rename = FindColumnRename(*facts.document_diff, pair.left);
      if (rename) message += fmt::format("; possible rename of database column {}", rename->right->name);
      ir::Finding finding = MakeFinding(*this, std::move(message));
      Locate(finding, pair.left->location, pair.right_table ? pair.right_table->location : ir::Location{},
             kDeclaredInDatabase);
      finding.subject = {table.schema, table.name, {pair.left->name}, {}};
      ir::Fix fix;
      fix.description = rename ? fmt::format("rename the row to {}", rename->right->name) : "remove the row";
      finding.fix = std::move(fix);
      sink.Report(std::move(finding));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeDocsColumnNotInDatabase() {
  return std::make_unique<DocsColumnNotInDatabase>();
}

}  // namespace dbaudit::rules

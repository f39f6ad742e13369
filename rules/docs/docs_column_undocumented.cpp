#include <memory>

#include <fmt/format.h>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

class DocsColumnUndocumented final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"docs-column-undocumented", ir::Severity::kWarning,
                               "A database column is not listed in its table's section of the schema document.", ""};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    if (!facts.document_diff) return;
    for (const ColumnPair& pair : facts.document_diff->columns_only_right) {
      const ir::Table& table = *pair.right_table;
      if (FindColumnRename(*facts.document_diff, pair.right)) continue;  // reported on the documented side
      ir::Finding finding =
          MakeFinding(*this, fmt::format("column {} ({}) exists in the database but is not documented",
                                         DisplayColumn(table, pair.right->name), DisplayType(pair.right->type)));
      // At the table's section of the document: that is where the row goes.
      Locate(finding, pair.left_table ? pair.left_table->location : ir::Location{}, pair.right->location,
             kDeclaredInDatabase);
      finding.subject = {table.schema, table.name, {pair.right->name}, {}};
      ir::Fix fix;
      fix.description = fmt::format("add a row for {} to the section", pair.right->name);
      finding.fix = std::move(fix);
      sink.Report(std::move(finding));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeDocsColumnUndocumented() {
  return std::make_unique<DocsColumnUndocumented>();
}

}  // namespace dbaudit::rules

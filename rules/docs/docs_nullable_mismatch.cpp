#include <memory>

#include <fmt/format.h>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

class DocsNullableMismatch final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"docs-nullable-mismatch", ir::Severity::kWarning,
                               "A column is documented as nullable but is NOT NULL in the database, or the reverse.",
                               ""};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    if (!facts.document_diff) return;
    for (const ColumnPair& pair : facts.document_diff->nullable_mismatches) {
      const ir::Table& table = *pair.right_table;
      auto describe = [](bool nullable) { return nullable ? "nullable" : "NOT NULL"; };
      ir::Finding finding = MakeFinding(
          *this,
          fmt::format("column {} is documented as {} but is {} in the database", DisplayColumn(table, pair.left->name),
                      describe(pair.left->nullable.value_or(true)), describe(pair.right->nullable.value_or(true))));
      Locate(finding, pair.left->location, pair.right->location, kDeclaredInDatabase);
      finding.subject = {table.schema, table.name, {pair.left->name}, {}};
      ir::Fix fix;
      fix.description = fmt::format("document the column as {}", describe(pair.right->nullable.value_or(true)));
      finding.fix = std::move(fix);
      sink.Report(std::move(finding));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeDocsNullableMismatch() {
  return std::make_unique<DocsNullableMismatch>();
}

}  // namespace dbaudit::rules

#include <memory>

#include <fmt/format.h>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

class DocsTypeMismatch final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"docs-type-mismatch", ir::Severity::kWarning,
                               "A column's type in the schema document differs from its type in the database.", ""};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    if (!facts.document_diff) return;
    for (const ColumnPair& pair : facts.document_diff->type_mismatches) {
      const ir::Table& table = *pair.right_table;
      ir::Finding finding =
          MakeFinding(*this, fmt::format("column {} is documented as {} but is {} in the database",
                                         DisplayColumn(table, pair.left->name), pair.left->type, pair.right->type));
      Locate(finding, pair.left->location, pair.right->location, kDeclaredInDatabase);
      finding.subject = {table.schema, table.name, {pair.left->name}, {}};
      ir::Fix fix;
      fix.description = fmt::format("document the type as {}", pair.right->type);
      finding.fix = std::move(fix);
      sink.Report(std::move(finding));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeDocsTypeMismatch() {
  return std::make_unique<DocsTypeMismatch>();
}

}  // namespace dbaudit::rules

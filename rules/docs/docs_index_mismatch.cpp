#include <memory>

#include <fmt/format.h>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

class DocsIndexMismatch final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"docs-index-mismatch", ir::Severity::kNote,
                               "An index key list is in the schema document but not in the database, or the reverse.",
                               ""};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    if (!facts.document_diff) return;
    for (const auto& difference : facts.document_diff->indexes_only_left) {
      const ir::Table& table = *difference.right_table;
      ir::Finding finding = MakeFinding(
          *this, fmt::format("index {} on {} {} is documented but the database has no index on these keys",
                             difference.index->name, DisplayName(table), DisplayList(difference.index->keys)));
      Locate(finding, difference.index->location, table.location, kDeclaredInDatabase);
      finding.subject = {table.schema, table.name, difference.index->keys, difference.index->name};
      ir::Fix fix;
      fix.description = "remove the index from the document, or create it if the document is right";
      finding.fix = std::move(fix);
      sink.Report(std::move(finding));
    }
    for (const auto& difference : facts.document_diff->indexes_only_right) {
      const ir::Table& table = *difference.right_table;
      ir::Finding finding = MakeFinding(
          *this, fmt::format("index {} on {} {} exists in the database but is not documented", difference.index->name,
                             DisplayName(table), DisplayList(difference.index->keys)));
      Locate(finding, difference.left_table->location, difference.index->location, kDeclaredInDatabase);
      finding.subject = {table.schema, table.name, difference.index->keys, difference.index->name};
      ir::Fix fix;
      fix.description = "document the index";
      finding.fix = std::move(fix);
      sink.Report(std::move(finding));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeDocsIndexMismatch() {
  return std::make_unique<DocsIndexMismatch>();
}

}  // namespace dbaudit::rules

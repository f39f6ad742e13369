#include <memory>

#include <fmt/format.h>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

class DocsForeignKeyMismatch final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{
        "docs-foreign-key-mismatch", ir::Severity::kWarning,
        "A foreign key or its ON DELETE / ON UPDATE action differs between the schema document and the database.", ""};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    if (!facts.document_diff) return;
    for (const auto& difference : facts.document_diff->foreign_keys_only_left) {
      const ir::Table& table = *difference.left_table;
      ir::Finding finding =
          MakeFinding(*this, fmt::format("foreign key {} is documented but the database does not enforce it",
                                         DescribeForeignKey(table, *difference.left)));
      Locate(finding, difference.left->location, difference.right_table->location, kDeclaredInDatabase);
      finding.subject = {table.schema, table.name, difference.left->columns, difference.left->name};
      Fix(finding, "remove the reference from the document, or add the constraint if the document is right");
      sink.Report(std::move(finding));
    }
    for (const auto& difference : facts.document_diff->foreign_keys_only_right) {
      const ir::Table& table = *difference.right_table;
      ir::Finding finding =
          MakeFinding(*this, fmt::format("foreign key {} ({}) exists in the database but is not documented",
                                         DescribeForeignKey(table, *difference.right), difference.right->name));
      Locate(finding, difference.left_table->location, difference.right->location, kDeclaredInDatabase);
      finding.subject = {table.schema, table.name, difference.right->columns, difference.right->name};
      Fix(finding, "document the reference");
      sink.Report(std::move(finding));
    }
    for (const auto& difference : facts.document_diff->foreign_key_action_mismatches) {
      const ir::Table& table = *difference.right_table;
      ir::Finding finding =
          MakeFinding(*this, fmt::format("foreign key {} is documented with {} but the database has {}",
                                         DescribeForeignKey(table, *difference.right),
                                         DescribeActions(*difference.left), DescribeActions(*difference.right)));
      Locate(finding, difference.left->location, difference.right->location, kDeclaredInDatabase);
      finding.subject = {table.schema, table.name, difference.right->columns, difference.right->name};
      Fix(finding, fmt::format("document the actions as {}", DescribeActions(*difference.right)));
      sink.Report(std::move(finding));
    }
  }

 private:
  static void Fix(ir::Finding& finding, std::string description) {
    ir::Fix fix;
    fix.description = std::move(description);
    finding.fix = std::move(fix);
  }
};

}  // namespace

std::unique_ptr<Rule> MakeDocsForeignKeyMismatch() {
  return std::make_unique<DocsForeignKeyMismatch>();
}

}  // namespace dbaudit::rules

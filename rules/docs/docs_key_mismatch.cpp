#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

class DocsKeyMismatch final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{
        "docs-key-mismatch", ir::Severity::kWarning,
        "The primary key or a unique column set differs between the schema document and the database.", ""};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    if (!facts.document_diff) return;
    for (const TablePair& pair : facts.document_diff->primary_key_mismatches) ReportPrimaryKey(pair, sink);
    for (const UniqueDifference& unique : facts.document_diff->uniques_only_left) ReportUnique(unique, sink);
    for (const UniqueDifference& unique : facts.document_diff->uniques_only_right) ReportUnique(unique, sink);
  }

 private:
  static std::string KeyText(const std::optional<ir::PrimaryKey>& key) {
    return key ? DisplayList(key->columns) : std::string("none");
  }

  void ReportPrimaryKey(const TablePair& pair, FindingSink& sink) const {
    const ir::Table& table = *pair.right;
    ir::Finding finding = MakeFinding(
        *this, fmt::format("the primary key of {} is documented as {} but is {} in the database", DisplayName(table),
                           KeyText(pair.left->primary_key), KeyText(pair.right->primary_key)));
    const ir::Location documented = pair.left->primary_key && pair.left->primary_key->location.IsKnown()
                                        ? pair.left->primary_key->location
                                        : pair.left->location;
    Locate(finding, documented, pair.right->primary_key ? pair.right->primary_key->location : pair.right->location,
           kDeclaredInDatabase);
    finding.subject = {table.schema, table.name, {}, pair.right->primary_key ? pair.right->primary_key->name : ""};
    ir::Fix fix;
    fix.description = fmt::format("document the primary key as {}", KeyText(pair.right->primary_key));
    finding.fix = std::move(fix);
    sink.Report(std::move(finding));
  }

  void ReportUnique(const UniqueDifference& unique, FindingSink& sink) const {
    const ir::Table& table = *unique.right_table;
    const std::string message =
        unique.only_on_left
            ? fmt::format("{} {} is documented as unique but the database enforces no unique constraint or index on it",
                          DisplayName(table), DisplayList(unique.columns))
            : fmt::format("the database enforces {} {} as unique ({}) but the document does not say so",
                          DisplayName(table), DisplayList(unique.columns), unique.name);
    ir::Finding finding = MakeFinding(*this, message);
    if (unique.only_on_left) {
      Locate(finding, unique.location, table.location, kDeclaredInDatabase);
    } else {
      Locate(finding, unique.left_table->location, unique.location, kDeclaredInDatabase);
    }
    finding.subject = {table.schema, table.name, unique.columns, unique.name};
    ir::Fix fix;
    fix.description = unique.only_on_left ? "remove the unique mark, or add the constraint if the document is right"
                                          : "mark the column set as unique in the document";
    finding.fix = std::move(fix);
    sink.Report(std::move(finding));
  }
};

}  // namespace

std::unique_ptr<Rule> MakeDocsKeyMismatch() {
  return std::make_unique<DocsKeyMismatch>();
}

}  // namespace dbaudit::rules

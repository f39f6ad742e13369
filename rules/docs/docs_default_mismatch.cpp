#include <memory>

#include <fmt/format.h>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

class DocsDefaultMismatch final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"docs-default-mismatch", ir::Severity::kWarning,
                               "A column's default in the schema document differs from its default in the database.",
                               ""};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    if (!facts.document_diff) return;
    for (const ColumnPair& pair : facts.document_diff->default_mismatches) {
      const ir::Table& table = *pair.right_table;
      const std::string documented = pair.left->server_default ? "documented with default " + *pair.left->server_default
                                                               : std::string("documented without a default");
      const std::string actual =
          pair.right->server_default ? "has default " + *pair.right->server_default : std::string("has no default");
      ir::Finding finding = MakeFinding(*this, fmt::format("column {} is {} but {} in the database",
                                                           DisplayColumn(table, pair.left->name), documented, actual));
      Locate(finding, pair.left->location, pair.right->location, kDeclaredInDatabase);
      finding.subject = {table.schema, table.name, {pair.left->name}, {}};
      ir::Fix fix;
      fix.description = pair.right->server_default
                            ? fmt::format("document the default as {}", *pair.right->server_default)
                            : "remove the default from the document";
      finding.fix = std::move(fix);
      sink.Report(std::move(finding));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeDocsDefaultMismatch() {
  return std::make_unique<DocsDefaultMismatch>();
}

}  // namespace dbaudit::rules

#include <memory>

#include <fmt/format.h>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

class DocsTableUndocumented final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"docs-table-undocumented", ir::Severity::kWarning,
                               "A database table or view is not described in the schema document.", ""};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    if (!facts.document_diff) return;
    for (const ir::Table* table : facts.document_diff->tables_only_right) {
      if (FindTableRename(*facts.document_diff, table)) continue;  // reported as a documented table gone
      ir::Finding finding = MakeFinding(*this, fmt::format("{} {} exists in the database but is not documented",
                                                           ir::ToString(table->kind), DisplayName(*table)));
      finding.location = table->location;
      finding.subject = {table->schema, table->name, {}, {}};
      ir::Fix fix;
      fix.description = "add a section for it (`dbaudit schema export` writes one to copy)";
      finding.fix = std::move(fix);
      sink.Report(std::move(finding));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeDocsTableUndocumented() {
  return std::make_unique<DocsTableUndocumented>();
}

}  // namespace dbaudit::rules

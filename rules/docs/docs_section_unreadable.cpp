#include <memory>

#include <fmt/format.h>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

class DocsSectionUnreadable final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"docs-section-unreadable", ir::Severity::kNote,
                               "A part of the schema document could not be read as a table description.", ""};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override { ReportDiagnostics(*this, facts, sink); }
};

}  // namespace

std::unique_ptr<Rule> MakeDocsSectionUnreadable() {
  return std::make_unique<DocsSectionUnreadable>();
}

}  // namespace dbaudit::rules

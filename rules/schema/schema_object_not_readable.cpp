#include <memory>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

class SchemaObjectNotReadable final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"schema-object-not-readable", ir::Severity::kNote,
                               "The database role may not read a relation of the audited schemas.", ""};
    return info;
  }

  // The reader already wrote the message and the location; the rule gives it an id and a doc.
  void Check(const Facts& facts, FindingSink& sink) const override { ReportDiagnostics(*this, facts, sink); }
};

}  // namespace

std::unique_ptr<Rule> MakeSchemaObjectNotReadable() {
  return std::make_unique<SchemaObjectNotReadable>();
}

}  // namespace dbaudit::rules

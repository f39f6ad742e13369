#include <memory>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

// PLACEHOLDER: registered so that the registry is complete; the rule's owner replaces this file.
class SchemaForeignKeyWithoutIndex final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"schema-foreign-key-without-index", ir::Severity::kWarning, "(not written yet)", ""};
    return info;
  }
  void Check(const Facts&, FindingSink&) const override {}
};

}  // namespace

std::unique_ptr<Rule> MakeSchemaForeignKeyWithoutIndex() {
  return std::make_unique<SchemaForeignKeyWithoutIndex>();
}

}  // namespace dbaudit::rules

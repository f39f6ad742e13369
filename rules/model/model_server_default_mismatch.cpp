#include <memory>

#include <fmt/format.h>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

class ModelServerDefaultMismatch final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"model-server-default-mismatch", ir::Severity::kWarning,
                               "A model's server_default is missing from the database or differs from its default.",
                               "server_default_mismatches"};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    if (!facts.model_diff) return;
    for (const ColumnPair& pair : facts.model_diff->default_mismatches) {
      const ir::Table& table = *pair.right_table;
      const std::string& model_default = *pair.left->server_default;
      const std::string database_default =
          pair.right->server_default ? "DEFAULT " + *pair.right->server_default : std::string("no default");
      ir::Finding finding =
          MakeFinding(*this, fmt::format("column {} has server_default {} in the models but {} in the database",
                                         DisplayColumn(table, pair.left->name), model_default, database_default));
      Locate(finding, pair.left->location, pair.right->location, kDeclaredInDatabase);
      finding.subject = {table.schema, table.name, {pair.left->name}, {}};
      ir::Fix fix;
      fix.description = "set the database default to the model's server_default, or change the model";
      fix.sql = fmt::format("ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {};", QualifiedSql(table.schema, table.name),
                            QuoteIdent(pair.right->name), model_default);
      finding.fix = std::move(fix);
      sink.Report(std::move(finding));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeModelServerDefaultMismatch() {
  return std::make_unique<ModelServerDefaultMismatch>();
}

}  // namespace dbaudit::rules

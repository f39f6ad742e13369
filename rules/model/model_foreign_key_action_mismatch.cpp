#include <memory>

#include <fmt/format.h>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

bool SameAction(ir::ReferentialAction a, ir::ReferentialAction b) {
  // ToSql prints an unspecified action as NO ACTION, which is what PostgreSQL applies.
  return std::string(ir::ToSql(a)) == ir::ToSql(b);
}

std::string DescribeDifferences(const ir::ForeignKey& left, const ir::ForeignKey& right) {
  std::string text;
  auto add = [&text](const char* what, ir::ReferentialAction model, ir::ReferentialAction database) {
    if (SameAction(model, database)) return;
    if (!text.empty()) text += ", and ";
    text +=
        fmt::format("{} {} in the models but {} {} in the database", what, ir::ToSql(model), what, ir::ToSql(database));
  };
  add("ON DELETE", left.on_delete, right.on_delete);
  add("ON UPDATE", left.on_update, right.on_update);
  return text;
}

class ModelForeignKeyActionMismatch final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"model-foreign-key-action-mismatch", ir::Severity::kWarning,
                               "A foreign key's ON DELETE / ON UPDATE action differs between the models and the "
                               "database.",
                               "foreign_key_action_mismatches"};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    if (!facts.model_diff) return;
    for (const ForeignKeyDifference& difference : facts.model_diff->foreign_key_action_mismatches) {
      const ir::Table& table = *difference.right_table;
      const ir::ForeignKey& left = *difference.left;
      const ir::ForeignKey& right = *difference.right;
      ir::Finding finding = MakeFinding(*this, fmt::format("foreign key {} has {}", DescribeForeignKey(table, right),
                                                           DescribeDifferences(left, right)));
      Locate(finding, left.location, right.location, kDeclaredInDatabase);
      finding.subject = {table.schema, table.name, right.columns, right.name};
      finding.fingerprint = ir::ComputeFingerprint(finding, DescribeForeignKey(table, right));
      ir::Fix fix;
      fix.description = fmt::format(
          "set ondelete=/onupdate= on the model's ForeignKey to match the database ({}), or replace the constraint",
          DescribeActions(right));
      if (!right.name.empty()) {
        fix.sql = fmt::format(
            "ALTER TABLE {} DROP CONSTRAINT {}, ADD CONSTRAINT {} {} NOT VALID;",
            QualifiedSql(table.schema, table.name), QuoteIdent(right.name), QuoteIdent(right.name),
            ForeignKeyDefinitionSql(
                table, ir::ForeignKey{right.name, right.columns, right.referenced_schema, right.referenced_table,
                                      right.referenced_columns, left.on_delete, left.on_update}));
      }
      finding.fix = std::move(fix);
      sink.Report(std::move(finding));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeModelForeignKeyActionMismatch() {
  return std::make_unique<ModelForeignKeyActionMismatch>();
}

}  // namespace dbaudit::rules

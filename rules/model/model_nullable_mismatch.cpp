#include <memory>

#include <fmt/format.h>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

const char* Nullability(bool nullable) {
  return nullable ? "nullable" : "NOT NULL";
}

class ModelNullableMismatch final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"model-nullable-mismatch", ir::Severity::kWarning,
                               "A column is nullable on one side and NOT NULL on the other.", "nullable_mismatches"};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    if (!facts.model_diff) return;
    for (const ColumnPair& pair : facts.model_diff->nullable_mismatches) {
      const ir::Table& table = *pair.right_table;
      const bool model_nullable = *pair.left->nullable;
      ir::Finding finding =
          MakeFinding(*this, fmt::format("column {} is {} in the models but {} in the database",
                                         DisplayColumn(table, pair.left->name), Nullability(model_nullable),
                                         Nullability(*pair.right->nullable)));
      Locate(finding, pair.left->location, pair.right->location, kDeclaredInDatabase);
      finding.subject = {table.schema, table.name, {pair.left->name}, {}};
      ir::Fix fix;
      if (model_nullable) {
        // The database is stricter: the model lets the application build rows the DB rejects.
        fix.description = "set nullable=False on the model column";
      } else {
        fix.description =
            "make the database enforce it once no NULL rows remain, or set nullable=True on the model column";
        fix.sql = fmt::format("ALTER TABLE {} ALTER COLUMN {} SET NOT NULL;", QualifiedSql(table.schema, table.name),
                              QuoteIdent(pair.right->name));
      }
      finding.fix = std::move(fix);
      sink.Report(std::move(finding));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeModelNullableMismatch() {
  return std::make_unique<ModelNullableMismatch>();
}

}  // namespace dbaudit::rules

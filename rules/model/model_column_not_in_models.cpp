#include <memory>

#include <fmt/format.h>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

// A NOT NULL column without a default that the model does not know makes every ORM insert fail.
bool BreaksInserts(const ir::Column& column) {
  return column.nullable == false && !column.server_default && column.identity == ir::IdentityKind::kNone &&
         !column.generated;
}

class ModelColumnNotInModels final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"model-column-not-in-models", ir::Severity::kWarning,
                               "A database column is declared by no model of its table.", "columns_only_in_schema"};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    if (!facts.model_diff) return;
    for (const ColumnPair& pair : facts.model_diff->columns_only_right) {
      const ir::Table& table = *pair.right_table;
      const ir::Column& column = *pair.right;
      std::string message =
          fmt::format("column {} ({}) exists in the database but {} declare it", DisplayColumn(table, column.name),
                      DisplayType(column.type), DescribeModelsWithVerb(*pair.left_table, "does not", "do not"));
      if (BreaksInserts(column)) message += "; it is NOT NULL without a default, so inserts through the model fail";
      const ColumnPair* rename = FindColumnRename(*facts.model_diff, &column);
      if (rename) message += fmt::format("; possible rename to model column {}", rename->left->name);
      ir::Finding finding = MakeFinding(*this, std::move(message));
      Locate(finding, pair.left_table->location, column.location, kDeclaredInDatabase);
      finding.subject = {table.schema, table.name, {column.name}, {}};
      ir::Fix fix;
      fix.description = fmt::format("declare {} = Column({}) on the model, or drop the column if nothing uses it",
                                    column.name, DisplayType(column.type));
      finding.fix = std::move(fix);
      sink.Report(std::move(finding));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeModelColumnNotInModels() {
  return std::make_unique<ModelColumnNotInModels>();
}

}  // namespace dbaudit::rules

#include <memory>

#include <fmt/format.h>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

class ModelColumnNotInDatabase final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"model-column-not-in-database", ir::Severity::kError,
                               "A model declares a column that the database table does not have.",
                               "columns_only_in_models"};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    if (!facts.model_diff) return;
    for (const ColumnPair& pair : facts.model_diff->columns_only_left) {
      const ir::Table& table = *pair.right_table;
      const ir::Column& column = *pair.left;
      std::string message = fmt::format("column {} ({}) is declared by {} but the database {} {} has no such column",
                                        DisplayColumn(table, column.name), DisplayType(column.type),
                                        DescribeModels(*pair.left_table), ir::ToString(table.kind), DisplayName(table));
      const ColumnPair* rename = FindColumnRename(*facts.model_diff, &column);
      if (rename) message += fmt::format("; possible rename of database column {}", rename->right->name);
      ir::Finding finding = MakeFinding(*this, std::move(message));
      const ir::Location& other = rename ? rename->right->location : table.location;
      Locate(finding, column.location, other,
             rename ? "the database column with a similar name and type" : kDeclaredInDatabase);
      finding.subject = {table.schema, table.name, {column.name}, {}};
      ir::Fix fix;
      if (rename) {
        fix.description = fmt::format("if the column was renamed, map the attribute to '{}' (Column('{}', ...))",
                                      rename->right->name, rename->right->name);
      } else {
        fix.description = "add the column with a migration, or remove it from the model";
        if (table.kind == ir::TableKind::kTable && !column.type.empty()) {
          fix.sql = fmt::format("ALTER TABLE {} ADD COLUMN IF NOT EXISTS {} {};",
                                QualifiedSql(table.schema, table.name), QuoteIdent(column.name), column.type);
        }
      }
      finding.fix = std::move(fix);
      sink.Report(std::move(finding));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeModelColumnNotInDatabase() {
  return std::make_unique<ModelColumnNotInDatabase>();
}

}  // namespace dbaudit::rules

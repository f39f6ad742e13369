#include <memory>

#include <fmt/format.h>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

class ModelTableNotInDatabase final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"model-table-not-in-database", ir::Severity::kError,
                               "A model maps a table that does not exist in the database.", "tables_only_in_models"};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    if (!facts.model_diff) return;
    for (const ir::Table* table : facts.model_diff->tables_only_left) {
      const TablePair* rename = FindTableRename(*facts.model_diff, table);
      std::string message = fmt::format("table {} is mapped by {} but does not exist in the database",
                                        DisplayName(*table), DescribeModels(*table));
      if (rename) message += fmt::format("; possible rename of database table {}", DisplayName(*rename->right));
      ir::Finding finding = MakeFinding(*this, std::move(message));
      finding.location = table->location;
      if (rename && rename->right->location.IsKnown()) {
        finding.related.push_back({rename->right->location, "the database table that shares most columns"});
      }
      finding.subject = {table->schema, table->name, {}, {}};
      ir::Fix fix;
      fix.description = rename ? fmt::format(
                                     "if the table was renamed, set __tablename__ = '{}' on the model; "
                                     "otherwise create the table with a migration",
                                     rename->right->name)
                               : "create the table with a migration, or remove the model if it is dead code";
      finding.fix = std::move(fix);
      sink.Report(std::move(finding));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeModelTableNotInDatabase() {
  return std::make_unique<ModelTableNotInDatabase>();
}

}  // namespace dbaudit::rules

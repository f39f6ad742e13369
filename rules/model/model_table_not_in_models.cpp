#include <algorithm>
#include <cctype>
#include <memory>

#include <fmt/format.h>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

class ModelTableNotInModels final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"model-table-not-in-models", ir::Severity::kWarning,
                               "A database table is mapped by no model.", "tables_only_in_schema"};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    if (!facts.model_diff) return;
    for (const ir::Table* table : facts.model_diff->tables_only_right) {
      std::string message = fmt::format("{} {} exists in the database but no model maps it", ir::ToString(table->kind),
                                        DisplayName(*table));
      const bool named_in_code =
          std::binary_search(facts.names_in_code.begin(), facts.names_in_code.end(), Lower(table->name));
      message += named_in_code ? "; the code names it outside the models (raw SQL?)"
                               : "; nothing in the analysed code names it either";
      const TablePair* rename = FindTableRename(*facts.model_diff, table);
      if (rename) message += fmt::format("; possible rename to model table {}", DisplayName(*rename->left));
      ir::Finding finding = MakeFinding(*this, std::move(message));
      finding.location = table->location;
      if (rename && rename->left->location.IsKnown()) {
        finding.related.push_back({rename->left->location, "the model table that shares most columns"});
      }
      finding.subject = {table->schema, table->name, {}, {}};
      ir::Fix fix;
      fix.description = named_in_code ? "declare a model (or a Table()) for it so that the models describe the schema"
                                      : "declare a model for it, or drop the table if nothing uses it";
      finding.fix = std::move(fix);
      sink.Report(std::move(finding));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeModelTableNotInModels() {
  return std::make_unique<ModelTableNotInModels>();
}

}  // namespace dbaudit::rules

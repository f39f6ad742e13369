#include <algorithm>
#include <memory>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

std::string LabelList(const std::vector<std::string>& labels) {
  std::vector<std::string> quoted;
  for (const auto& label : labels) quoted.push_back(QuoteLiteral(label));
  return fmt::format("({})", fmt::join(quoted, ", "));
}

// When the database's labels are the models' labels with some missing (same relative order),
// ALTER TYPE ... ADD VALUE converges it; any other difference needs a hand-written migration.
std::string AddValuesSql(const ir::EnumType& model, const ir::EnumType& database) {
  std::size_t next = 0;
  for (const auto& label : model.labels) {
    if (next < database.labels.size() && database.labels[next] == label) ++next;
  }
  if (next != database.labels.size()) return {};
  std::string sql;
  const std::string type = QualifiedSql(database.schema, database.name);
  for (std::size_t i = 0; i < model.labels.size(); ++i) {
    const auto& label = model.labels[i];
    if (std::find(database.labels.begin(), database.labels.end(), label) != database.labels.end()) continue;
    if (!sql.empty()) sql += "\n";
    sql += fmt::format("ALTER TYPE {} ADD VALUE IF NOT EXISTS {}", type, QuoteLiteral(label));
    if (i > 0) sql += " AFTER " + QuoteLiteral(model.labels[i - 1]);
    sql += ";";
  }
  return sql;
}

class ModelEnumMismatch final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"model-enum-mismatch", ir::Severity::kError,
                               "An enum type the models use has other labels in the database, or does not exist "
                               "there.",
                               "enum_mismatches"};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    if (!facts.model_diff) return;
    for (const EnumDifference& difference : facts.model_diff->enums_only_left) {
      const ir::EnumType& model = *difference.left;
      ir::Finding finding =
          MakeFinding(*this, fmt::format("enum type {}.{} {} is used by the models but does not exist in the database",
                                         model.schema, model.name, LabelList(model.labels)));
      finding.location = model.location;
      finding.subject = {model.schema, {}, {}, model.name};
      ir::Fix fix;
      fix.description = "create the type with a migration";
      fix.sql =
          fmt::format("CREATE TYPE {} AS ENUM {};", QualifiedSql(model.schema, model.name), LabelList(model.labels));
      finding.fix = std::move(fix);
      sink.Report(std::move(finding));
    }
    for (const EnumDifference& difference : facts.model_diff->enum_mismatches) {
      const ir::EnumType& model = *difference.left;
      const ir::EnumType& database = *difference.right;
      ir::Finding finding = MakeFinding(
          *this, fmt::format("enum type {}.{} has labels {} in the models but {} in the database", model.schema,
                             model.name, LabelList(model.labels), LabelList(database.labels)));
      Locate(finding, model.location, database.location, kDeclaredInDatabase);
      finding.subject = {model.schema, {}, {}, model.name};
      ir::Fix fix;
      fix.sql = AddValuesSql(model, database);
      fix.description = fix.sql.empty()
                            ? "align the Enum(...) labels with the database (labels cannot be removed or reordered "
                              "in place: that needs a new type and a column rewrite)"
                            : "add the missing labels to the database type, or remove them from the model";
      finding.fix = std::move(fix);
      sink.Report(std::move(finding));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeModelEnumMismatch() {
  return std::make_unique<ModelEnumMismatch>();
}

}  // namespace dbaudit::rules

#include <memory>

#include <fmt/format.h>

#include "rules/query/query_support.hpp"
#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

// The models and the database disagree, and this query is where it hurts: the ORM renders
// the column into SQL and PostgreSQL rejects it.
// Under joined-table inheritance (`class Solves(Submissions)` with its own table) a column the
// parent declares lives in the parent's table: the ORM joins it in. The parent is the mapped
// class that declares the same attribute at the same place and whose table has the column.
// A mixin shared by two mapped classes is told apart by where the attribute is written: inside
// the parent's own body, i.e. the parent is the last mapped class of that file to start before it.
bool InheritedFromJoinedParent(const Facts& facts, const ir::ModelClass& model, const ir::ModelAttribute& attribute) {
  if (!facts.model_classes || !attribute.location.IsKnown()) return false;
  const ir::ModelClass* owner = nullptr;
  for (const ir::ModelClass& other : *facts.model_classes) {
    if (other.location.file != attribute.location.file || other.location.line > attribute.location.line) continue;
    if (!owner || other.location.line > owner->location.line) owner = &other;
  }
  if (!owner || owner == &model || (owner->schema == model.schema && owner->table == model.table)) return false;
  const ir::ModelAttribute* declared = owner->Find(attribute.name);
  if (!declared || declared->location != attribute.location || declared->column.empty()) return false;
  const ir::Table* table = facts.schema->FindTable(owner->schema, owner->table);
  return table && table->FindColumn(declared->column);
}

class QueryColumnNotInDatabase final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"query-column-not-in-database", ir::Severity::kError,
                               "A query uses a model column that the database table does not have: it fails at "
                               "runtime (42703).",
                               ""};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    if (!facts.queries || !facts.schema) return;
    for (const ir::FileQueries& file : *facts.queries) {
      for (const ir::ModelAttributeUse& use : file.attribute_uses) {
        const ir::ModelClass* model = query::FindModelClass(facts, use.model_class);
        if (!model) continue;
        const ir::ModelAttribute* attribute = model->Find(use.attribute);
        if (!attribute || attribute->kind != ir::ModelAttributeKind::kColumn || attribute->column.empty()) continue;
        const ir::Table* table = facts.schema->FindTable(model->schema, model->table);
        // A missing table is model-table-not-in-database's finding; views without known
        // columns (read from a dump) cannot be judged.
        if (!table || table->columns.empty() || table->FindColumn(attribute->column)) continue;
        if (InheritedFromJoinedParent(facts, *model, *attribute)) continue;
        const std::string short_name = query::ShortClassName(model->qualified_name);
        std::string message = fmt::format(
            "{}.{} maps column {}, which the database {} {} does not have: this query fails with SQLSTATE 42703",
            short_name, use.attribute, DisplayColumn(*table, attribute->column), ir::ToString(table->kind),
            DisplayName(*table));
        ir::Finding finding = MakeFinding(*this, std::move(message));
        finding.location = use.location;
        if (attribute->location.IsKnown()) finding.related.push_back({attribute->location, kDeclaredInModels});
        finding.subject = {table->schema, table->name, {attribute->column}, {}};
        finding.fix = ir::Fix{"add the column with a migration (see model-column-not-in-database)", "", "", {}};
        query::SetQueryFingerprint(finding, file.display_path);
        sink.Report(std::move(finding));
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeQueryColumnNotInDatabase() {
  return std::make_unique<QueryColumnNotInDatabase>();
}

}  // namespace dbaudit::rules

#include <memory>

#include <fmt/format.h>

#include "rules/query/query_support.hpp"
#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

std::vector<std::string> ColumnAttributes(const ir::ModelClass& model) {
  std::vector<std::string> names;
  for (const ir::ModelAttribute& attribute : model.attributes) {
    if (attribute.kind == ir::ModelAttributeKind::kColumn) names.push_back(attribute.name);
  }
  return names;
}

// filter_by(name=value) looks `name` up among the mapped attributes of the query's entity:
// a column, a relationship or a synonym works; a property, a method or a typo raises
// InvalidRequestError at runtime.
class QueryFilterByUnknownColumn final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"query-filter-by-unknown-column", ir::Severity::kError,
                               "A filter_by() keyword is not a mapped attribute of the queried model.", ""};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    if (!facts.queries) return;
    for (const ir::FileQueries& file : *facts.queries) {
      for (const ir::ModelAttributeUse& use : file.attribute_uses) {
        if (use.kind != ir::AttributeUseKind::kFilterByKeyword) continue;
        const ir::ModelClass* model = query::FindModelClass(facts, use.model_class);
        if (!model) continue;
        const ir::ModelAttribute* attribute = model->Find(use.attribute);
        const std::string short_name = query::ShortClassName(model->qualified_name);
        std::string problem;
        if (attribute) {
          if (attribute->kind != ir::ModelAttributeKind::kProperty &&
              attribute->kind != ir::ModelAttributeKind::kMethod) {
            continue;
          }
          problem = fmt::format("'{}' is a {} of {}, not a mapped attribute", use.attribute,
                                attribute->kind == ir::ModelAttributeKind::kProperty ? "Python property" : "method",
                                short_name);
        } else {
          if (!model->complete) continue;  // an unread base class may declare it
          problem = fmt::format("{} has no attribute '{}'", short_name, use.attribute);
        }
        std::string message = fmt::format("filter_by({}=...) on {}: {} (SQLAlchemy raises InvalidRequestError)",
                                          use.attribute, short_name, problem);
        message += query::DidYouMean(use.attribute, ColumnAttributes(*model));
        ir::Finding finding = MakeFinding(*this, std::move(message));
        finding.location = use.location;
        if (attribute && attribute->location.IsKnown()) {
          finding.related.push_back({attribute->location, "defined here"});
        } else if (model->location.IsKnown()) {
          finding.related.push_back({model->location, "the model class"});
        }
        finding.subject = {model->schema, model->table, {use.attribute}, {}};
        query::SetQueryFingerprint(finding, file.display_path);
        sink.Report(std::move(finding));
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeQueryFilterByUnknownColumn() {
  return std::make_unique<QueryFilterByUnknownColumn>();
}

}  // namespace dbaudit::rules

#include <memory>

#include <fmt/format.h>

#include "rules/query/query_support.hpp"
#include "rules/rule.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules {

namespace {

std::vector<std::string> AttributeNames(const ir::ModelClass& model) {
  std::vector<std::string> names;
  for (const ir::ModelAttribute& attribute : model.attributes) names.push_back(attribute.name);
  return names;
}

class QueryUnknownModelAttribute final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"query-unknown-model-attribute", ir::Severity::kError,
                               "Code uses an attribute of a model class that is neither a column, a relationship, "
                               "a property nor a method.",
                               ""};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    if (!facts.queries) return;
    for (const ir::FileQueries& file : *facts.queries) {
      for (const ir::ModelAttributeUse& use : file.attribute_uses) {
        if (use.kind != ir::AttributeUseKind::kClassAttribute) continue;
        if (query::IsFrameworkAttribute(use.attribute)) continue;
        const ir::ModelClass* model = query::FindModelClass(facts, use.model_class);
        // An incomplete class (a base the analyzer could not read) may well have it.
        if (!model || !model->complete || model->Find(use.attribute)) continue;
        const std::string short_name = query::ShortClassName(model->qualified_name);
        std::string message = fmt::format("{}.{} is not an attribute of model {} (AttributeError at runtime)",
                                          short_name, use.attribute, model->qualified_name);
        message += query::DidYouMean(use.attribute, AttributeNames(*model));
        ir::Finding finding = MakeFinding(*this, std::move(message));
        finding.location = use.location;
        if (model->location.IsKnown()) finding.related.push_back({model->location, "the model class"});
        finding.subject = {model->schema, model->table, {use.attribute}, {}};
        query::SetQueryFingerprint(finding, file.display_path);
        sink.Report(std::move(finding));
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeQueryUnknownModelAttribute() {
  return std::make_unique<QueryUnknownModelAttribute>();
}

}  // namespace dbaudit::rules

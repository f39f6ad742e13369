#include <algorithm>

#include "analyzer/python/model_reader_internal.hpp"

// Reader: what the query reader asks of the models (ProjectModels: Resolve, Classes).
namespace dbaudit::python::detail {

// ----- names and classes for the query reader -----

auto Reader::Resolve(std::uint32_t file, const std::vector<std::string>& path) -> NameTarget {
  NameTarget target;
  if (path.empty() || file >= files_.size()) return target;
  Expr expr = PathExpr(file, path);
  Ref ref = ResolveExpr(expr);
  switch (ref.kind) {
    case Ref::kClass: {
      ClassKey key{ref.file, ref.index};
      Analyze(key);
      auto state = states_.find(key);
      if (state == states_.end() || state->second.table < 0) {
        target.kind = NameTarget::Kind::kOther;
        return target;
      }
      target.kind = NameTarget::Kind::kModelClass;
      target.qualified = QualifiedClass(key);
      target.rest = ref.rest;
      return target;
    }
    case Ref::kAssign:
      if (!ref.rest.empty()) break;
      target.kind = NameTarget::Kind::kConstant;
      target.file = ref.file;
      target.name = Assignment(ref).name;
      return target;
    case Ref::kExternal:
      target.kind = NameTarget::Kind::kExternal;
      target.qualified = ref.external;
      return target;
    default: break;
  }
  target.kind = ref.kind == Ref::kNone ? NameTarget::Kind::kNone : NameTarget::Kind::kOther;
  return target;
}

auto Reader::Classes(const std::vector<FileQueryFacts>& facts) -> std::vector<ir::ModelClass> {
  std::map<ClassKey, std::vector<ir::ModelAttribute>> added;  // `X.attr = ...`, backrefs
  std::set<ClassKey> unreadable;
  bool backref_lost = false;
  for (const auto& file_facts : facts) {
    if (file_facts.file >= files_.size()) continue;
    for (const auto& assignment : file_facts.attribute_assignments) {
      Ref ref = ResolveExpr(PathExpr(file_facts.file, assignment.path));
      if (ref.kind != Ref::kClass || !ref.rest.empty()) continue;
      ir::ModelAttribute attribute;
      attribute.name = assignment.attribute;
      attribute.location = Loc(file_facts.file, assignment.span.line, assignment.span.column);
      added[{ref.file, ref.index}].push_back(std::move(attribute));
    }
    for (const auto& name : file_facts.unreadable_classes) {
      auto it = indexes_[file_facts.file].classes.find(name);
      if (it != indexes_[file_facts.file].classes.end()) unreadable.insert({file_facts.file, it->second});
    }
  }
  for (const auto& key : all_classes_) {
    for (const Binding& binding : Class(key).body) {
      if (!binding.value || binding.value->kind != ExprKind::kCall) continue;
      CallView view = View(*binding.value);
      if (!IsRelationship(view.canonical)) continue;
      const Expr* backref = view.Kw("backref");
      if (!backref) continue;
      std::optional<std::string> name = EvalString(backref);
      if (!name && backref->kind == ExprKind::kCall && backref->PositionalCount() > 0) {
        name = EvalString(&backref->Positional(0));
      }
      std::optional<ClassKey> other;
      if (!view.positional.empty()) other = RelationshipTarget(*view.positional[0]);
      if (!name || !other) {
        backref_lost = true;
        continue;
      }
      ir::ModelAttribute attribute;
      attribute.name = *name;
      attribute.kind = ir::ModelAttributeKind::kRelationship;
      attribute.location = Loc(key.file, binding.line, binding.column);
      added[*other].push_back(std::move(attribute));
    }
  }
  std::vector<ir::ModelClass> classes;
  for (const auto& key : all_classes_) {
    auto state_it = states_.find(key);
    if (state_it == states_.end() || state_it->second.table < 0) continue;
    classes.push_back(ModelClassOf(key, added, unreadable, backref_lost));
  }
  std::sort(classes.begin(), classes.end(),
            [](const ir::ModelClass& a, const ir::ModelClass& b) { return a.qualified_name < b.qualified_name; });
  // Reading columns again re-noted what the catalog already reported.
  diagnostics_.clear();
  return classes;
}

auto Reader::PathExpr(std::uint32_t file, const std::vector<std::string>& path) const -> Expr {
  Expr expr;
  expr.kind = ExprKind::kName;
  expr.text = path[0];
  expr.source = path[0];
  expr.file = file;
  for (std::size_t i = 1; i < path.size(); ++i) {
    Expr attribute;
    attribute.kind = ExprKind::kAttribute;
    attribute.text = path[i];
    attribute.file = file;
    attribute.source = expr.source + "." + path[i];
    attribute.children.push_back(std::move(expr));
    expr = std::move(attribute);
  }
  return expr;
}

auto Reader::IsRelationship(const std::string& canonical) -> bool {
  return canonical == "relationship" || canonical == "Relationship" || canonical == "relation" ||
         canonical == "dynamic_loader";
}

auto Reader::RelationshipTarget(const Expr& argument) -> std::optional<ClassKey> {
  if (auto text = EvalString(&argument)) {
    std::string simple = text->substr(text->rfind('.') == std::string::npos ? 0 : text->rfind('.') + 1);
    std::optional<ClassKey> found;
    for (const auto& key : all_classes_) {
      auto state = states_.find(key);
      if (state == states_.end() || state->second.table < 0) continue;
      bool match = text->find('.') == std::string::npos ? Class(key).name == simple : QualifiedClass(key) == *text;
      if (!match) continue;
      if (found) return std::nullopt;  // two mapped classes by that name: the registry would refuse too
      found = key;
    }
    return found;
  }
  if (argument.kind == ExprKind::kName || argument.kind == ExprKind::kAttribute) return ProjectClass(argument);
  return std::nullopt;
}

auto Reader::KnownBase(const std::string& canonical) -> bool {
  static const std::set<std::string> kKnown = {"object",
                                               "Generic",
                                               "ABC",
                                               "Protocol",
                                               "DeclarativeBase",
                                               "DeclarativeBaseNoMeta",
                                               "Model",
                                               "flask.Model",
                                               "AsyncAttrs",
                                               "MappedAsDataclass",
                                               "SQLModel",
                                               "TypeDecorator",
                                               "Enum",
                                               "IntEnum",
                                               "StrEnum",
                                               "Flag",
                                               "IntFlag"};
  return kKnown.count(canonical) > 0;
}

auto Reader::KnownClassDecorator(const std::string& leaf) -> bool {
  return leaf == "mapped" || leaf == "mapped_as_dataclass" || leaf == "as_declarative" ||
         leaf == "as_declarative_base" || leaf == "dataclass" || leaf == "declarative_mixin" ||
         leaf == "total_ordering" || leaf == "final";
}

auto Reader::ClassReadable(ClassKey key) -> bool {
  const ClassDef& klass = Class(key);
  for (const Expr& base : klass.bases) {
    BaseInfo info = ClassifyBase(base);
    if (info.kind != BaseKind::kOther) continue;
    if (!KnownBase(info.canonical)) return false;
  }
  for (const Expr& decorator : klass.decorators) {
    const Expr* target = decorator.kind == ExprKind::kCall ? &decorator.Callee() : &decorator;
    std::string leaf = target->kind == ExprKind::kAttribute ? target->text
                       : target->kind == ExprKind::kName    ? target->text
                                                            : "";
    if (!KnownClassDecorator(leaf)) return false;
  }
  return true;
}

auto Reader::BindingColumnName(const Binding& binding, std::uint32_t file, Flavor flavor)
    -> std::optional<std::string> {
  const auto key = std::make_pair(&binding, flavor);
  if (auto known = column_names_.find(key); known != column_names_.end()) return known->second;
  auto column = BindingColumn(binding, file, flavor);
  std::optional<std::string> name;
  if (column) name = column->column.name;
  column_names_.emplace(key, name);
  return name;
}

auto Reader::AttributeOf(const Binding& binding, ClassKey owner, Flavor flavor) -> ir::ModelAttribute {
  ir::ModelAttribute attribute;
  attribute.name = binding.name;
  attribute.location = Loc(owner.file, binding.line, binding.column);
  if (binding.is_method) {
    attribute.kind = ir::ModelAttributeKind::kMethod;
    for (const Expr& decorator : binding.decorators) {
      const Expr* target = decorator.kind == ExprKind::kCall ? &decorator.Callee() : &decorator;
      std::string leaf = target->kind == ExprKind::kAttribute || target->kind == ExprKind::kName ? target->text : "";
      if (leaf == "property" || leaf == "cached_property" || leaf == "hybrid_property" || leaf == "setter" ||
          leaf == "getter" || leaf == "deleter" || leaf == "expression" || leaf == "comparator" || leaf == "inplace" ||
          leaf == "hybrid_method") {
        attribute.kind = ir::ModelAttributeKind::kProperty;
      }
      if (leaf == "declared_attr" ||
          (target->kind == ExprKind::kAttribute && target->source.find("declared_attr") != std::string::npos)) {
        attribute.kind = ir::ModelAttributeKind::kOther;
        if (auto column = BindingColumnName(binding, owner.file, flavor)) {
          attribute.kind = ir::ModelAttributeKind::kColumn;
          attribute.column = *column;
        } else if (binding.returned && binding.returned->kind == ExprKind::kCall &&
                   IsRelationship(View(*binding.returned).canonical)) {
          attribute.kind = ir::ModelAttributeKind::kRelationship;
        }
        return attribute;
      }
    }
    return attribute;
  }
  if (auto column = BindingColumnName(binding, owner.file, flavor)) {
    attribute.kind = ir::ModelAttributeKind::kColumn;
    attribute.column = *column;
    return attribute;
  }
  if (binding.value && binding.value->kind == ExprKind::kCall) {
    std::string canonical = View(*binding.value).canonical;
    if (IsRelationship(canonical)) {
      attribute.kind = ir::ModelAttributeKind::kRelationship;
    } else if (canonical == "hybrid_property" || canonical == "property" || canonical == "cached_property") {
      attribute.kind = ir::ModelAttributeKind::kProperty;
    }
    return attribute;
  }
  if (binding.annotation && !binding.value) {
    bool relationship_like = false;
    const Expr* mapped = MappedInner(*binding.annotation, &relationship_like);
    if (relationship_like || mapped) attribute.kind = ir::ModelAttributeKind::kRelationship;
  }
  return attribute;
}

auto Reader::ModelClassOf(ClassKey key, const std::map<ClassKey, std::vector<ir::ModelAttribute>>& added,
                          const std::set<ClassKey>& unreadable, bool backref_lost) -> ir::ModelClass {
  const ClassState& state = states_[key];
  const TableDraft& draft = drafts_[state.table];
  ir::ModelClass model;
  model.qualified_name = QualifiedClass(key);
  model.schema = draft.schema;
  model.table = draft.name;
  model.location = Loc(key.file, Class(key).line, Class(key).column);
  model.complete = !backref_lost && state.flavor != Flavor::kSqlModel;
  std::map<std::string, ir::ModelAttribute> attributes;
  auto put = [&](ir::ModelAttribute attribute) { attributes[attribute.name] = std::move(attribute); };
  // What the ORM puts on every mapped class.
  for (const char* name : {"metadata", "registry", "__table__", "__mapper__"}) {
    ir::ModelAttribute builtin;
    builtin.name = name;
    builtin.location = model.location;
    put(builtin);
  }
  if (state.flavor == Flavor::kFlask) {
    for (const char* name : {"query", "query_class"}) {
      ir::ModelAttribute builtin;
      builtin.name = name;
      builtin.location = model.location;
      put(builtin);
    }
  }
  // Base classes first, so that the most derived definition wins.
  for (auto it = state.mro.rbegin(); it != state.mro.rend(); ++it) {
    const ClassKey owner = *it;
    if (!ClassReadable(owner) || unreadable.count(owner)) model.complete = false;
    Flavor flavor = states_[owner].flavor == Flavor::kNone ? state.flavor : states_[owner].flavor;
    // Columns of a `__table__ = Table(...)` class come from the table.
    if (const Binding* table = Class(owner).Find("__table__"); table && states_[owner].table >= 0) {
      for (const auto& column : drafts_[states_[owner].table].columns) {
        ir::ModelAttribute attribute;
        attribute.name = column.attribute.empty() ? column.column.name : column.attribute;
        attribute.kind = ir::ModelAttributeKind::kColumn;
        attribute.column = column.column.name;
        attribute.location = column.column.location;
        put(attribute);
      }
    }
    for (const Binding& binding : Class(owner).body) put(AttributeOf(binding, owner, flavor));
    auto extra = added.find(owner);
    if (extra != added.end()) {
      for (const auto& attribute : extra->second) put(attribute);
    }
  }
  for (auto& [name, attribute] : attributes) model.attributes.push_back(std::move(attribute));
  return model;
}

}  // namespace dbaudit::python::detail

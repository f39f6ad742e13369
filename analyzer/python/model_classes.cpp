#include <algorithm>

#include "analyzer/python/model_reader_internal.hpp"

// Reader: base classes, lineage and MRO; which table each class maps; classes that mixins
// build with type().
namespace dbaudit::python::detail {

// ----- classes: bases, lineage, MRO -----

auto Reader::ClassifyBase(const Expr& expr, int depth) -> BaseInfo {
  BaseInfo info;
  // `Warn = Warn` re-exports and alias chains may loop: give up past the resolve depth.
  if (depth > kMaxResolveDepth) return info;
  const Expr* target = &expr;
  if (target->kind == ExprKind::kSubscript) target = &target->children[0];  // Generic[T]
  Ref ref = ResolveExpr(*target);
  if (ref.kind == Ref::kClass && ref.rest.empty()) {
    info.kind = BaseKind::kProjectClass;
    info.key = {ref.file, ref.index};
    return info;
  }
  if (ref.kind == Ref::kAssign) {
    const Binding& binding = Assignment(ref);
    if (!ref.rest.empty()) {
      if (ref.rest.size() == 1 && ref.rest[0] == "Model" && IsSqlAlchemyInstance(binding, 0)) {
        info.kind = BaseKind::kModelBase;
        info.flavor = Flavor::kFlask;
        info.meta = MetaFromBaseBinding(binding, 0);
      }
      return info;
    }
    if (binding.value && binding.value->kind == ExprKind::kCall) {
      const Expr& value = *binding.value;
      std::string canonical = Canonical(value.Callee());
      bool generate = value.Callee().kind == ExprKind::kAttribute && value.Callee().text == "generate_base";
      if (canonical == "declarative_base" || generate) {
        info.kind = BaseKind::kModelBase;
        info.flavor = Flavor::kDeclarative;
        info.meta = MetaFromBaseBinding(binding, 0);
      }
      return info;
    }
    if (binding.value) return ClassifyBase(*binding.value, depth + 1);  // Model = db.Model
    return info;
  }
  info.canonical = Canonical(*target);
  if (ref.kind == Ref::kExternal) info.external = ref.external;
  if (info.canonical == "DeclarativeBase" || info.canonical == "DeclarativeBaseNoMeta") {
    info.kind = BaseKind::kRootParent;
    info.flavor = Flavor::kDeclarative;
  } else if (info.canonical == "SQLModel") {
    info.kind = BaseKind::kModelBase;
    info.flavor = Flavor::kSqlModel;
    info.meta = Meta{};
    info.meta->identity = "SQLModel.metadata";
  } else if (info.canonical == "flask.Model" || info.canonical == "Model") {
    info.kind = BaseKind::kModelBase;
    info.flavor = Flavor::kFlask;
    info.meta = Meta{};
    if (ref.kind == Ref::kAssign) info.meta = MetaFromBaseBinding(Assignment(ref), 0);
  }
  return info;
}

auto Reader::Analyze(ClassKey key) -> void {
  ClassState& state = states_[key];
  if (state.status != 0) return;
  state.status = 1;
  const ClassDef& klass = Class(key);
  std::optional<Meta> meta;
  for (const Expr& base_expr : klass.bases) {
    BaseInfo base = ClassifyBase(base_expr);
    switch (base.kind) {
      case BaseKind::kProjectClass: {
        if (base.key == key) break;
        Analyze(base.key);
        const ClassState& parent = states_[base.key];
        if (parent.status == 1) break;  // a cycle: ignore the edge
        states_[key].bases.push_back(base.key);
        if (parent.lineage || parent.root) states_[key].lineage = true;
        if (states_[key].flavor == Flavor::kNone) states_[key].flavor = parent.flavor;
        if (parent.type_decorator) states_[key].type_decorator = true;
        if (parent.py_enum) states_[key].py_enum = true;
        if (!meta && parent.has_meta) meta = parent.meta;
        break;
      }
      case BaseKind::kRootParent:
        states_[key].root = true;
        if (states_[key].flavor == Flavor::kNone) states_[key].flavor = base.flavor;
        break;
      case BaseKind::kModelBase:
        states_[key].lineage = true;
        if (states_[key].flavor == Flavor::kNone || base.flavor == Flavor::kSqlModel) states_[key].flavor = base.flavor;
        if (!meta && base.meta) meta = base.meta;
        break;
      case BaseKind::kOther:
        if (base.canonical == "AbstractConcreteBase") states_[key].abstract_concrete = true;
        if (base.canonical == "TypeDecorator" || base.canonical == "UserDefinedType") {
          states_[key].type_decorator = base.canonical == "TypeDecorator";
        }
        if (base.canonical == "Enum" || base.canonical == "IntEnum" || base.canonical == "StrEnum" ||
            base.canonical == "Flag" || base.canonical == "IntFlag") {
          states_[key].py_enum = true;
        }
        if (MayDeclareColumns(base.external)) states_[key].unread_bases.push_back(base.external);
        break;
    }
  }
  for (const Expr& decorator : klass.decorators) {
    const Expr* target = decorator.kind == ExprKind::kCall ? &decorator.Callee() : &decorator;
    if (target->kind != ExprKind::kAttribute && target->kind != ExprKind::kName) continue;
    std::string leaf = target->kind == ExprKind::kAttribute ? target->text : target->source;
    std::string canonical = Canonical(*target);
    if (leaf == "mapped" || leaf == "mapped_as_dataclass") {
      states_[key].lineage = true;
      if (states_[key].flavor == Flavor::kNone) states_[key].flavor = Flavor::kDeclarative;
      if (!meta && target->kind == ExprKind::kAttribute) meta = MetaFromRegistry(&target->children[0], 0);
    } else if (canonical == "as_declarative" || leaf == "as_declarative_base") {
      states_[key].root = true;
      if (states_[key].flavor == Flavor::kNone) states_[key].flavor = Flavor::kDeclarative;
      if (decorator.kind == ExprKind::kCall) {
        if (const Expr* metadata = decorator.Keyword("metadata")) meta = MetaFromExpression(metadata);
      }
      if (!meta && target->kind == ExprKind::kAttribute) meta = MetaFromRegistry(&target->children[0], 0);
    }
  }
  if (states_[key].root) {
    // class Base(DeclarativeBase): metadata = MetaData(...)
    if (const Binding* binding = klass.Find("metadata"); binding && binding->value) {
      if (auto own = MetaFromExpression(&*binding->value)) meta = own;
    }
    if (const Binding* binding = klass.Find("registry"); binding && binding->value) {
      if (auto own = MetaFromRegistry(&*binding->value, 0)) meta = own;
    }
  }
  if (states_[key].root && (!meta || meta->identity.empty())) {
    // A declarative base class without a MetaData of its own: it makes one.
    if (!meta) meta = Meta{};
    meta->identity =
        files_[key.file].display_path + ":" + std::to_string(klass.line) + ":" + std::to_string(klass.column);
  }
  ClassState& done = states_[key];
  if (meta) {
    done.meta = *meta;
    done.has_meta = true;
  }
  done.mro = Linearize(key);
  done.status = 2;
}

auto Reader::MayDeclareColumns(const std::string& external) -> bool {
  if (external.empty()) return false;
  static const std::set<std::string> kNoColumns = {"object",
                                                   "ABC",
                                                   "Generic",
                                                   "Protocol",
                                                   "UserMixin",
                                                   "RoleMixin",
                                                   "AsyncAttrs",
                                                   "MappedAsDataclass",
                                                   "SerializerMixin",
                                                   "AnonymousUserMixin",
                                                   "Exception",
                                                   "str",
                                                   "int",
                                                   "dict",
                                                   "BaseModel",
                                                   "ComparableEntity",
                                                   "Hashable"};
  const std::size_t dot = external.rfind('.');
  const std::string leaf = dot == std::string::npos ? external : external.substr(dot + 1);
  if (kNoColumns.count(leaf)) return false;
  for (const char* library : {"sqlalchemy", "typing", "abc", "enum", "builtins", "collections", "dataclasses",
                              "flask_sqlalchemy", "sqlmodel", "pydantic"}) {
    const std::string prefix = library;
    if (external == prefix || external.rfind(prefix + ".", 0) == 0) return false;
  }
  return true;
}

auto Reader::Linearize(ClassKey key) -> std::vector<ClassKey> {
  std::vector<std::vector<ClassKey>> sequences;
  const auto& bases = states_[key].bases;
  for (const auto& base : bases) sequences.push_back(states_[base].mro);
  sequences.push_back(bases);
  std::vector<ClassKey> result{key};
  while (true) {
    bool any = false;
    for (const auto& sequence : sequences) any = any || !sequence.empty();
    if (!any) return result;
    std::optional<ClassKey> chosen;
    for (const auto& sequence : sequences) {
      if (sequence.empty()) continue;
      ClassKey head = sequence.front();
      bool in_tail = false;
      for (const auto& other : sequences) {
        if (std::find(other.begin() + (other.empty() ? 0 : 1), other.end(), head) != other.end()) in_tail = true;
      }
      if (!in_tail) {
        chosen = head;
        break;
      }
    }
    if (!chosen) {
      std::vector<ClassKey> fallback{key};
      for (const auto& base : bases) {
        for (const auto& k : states_[base].mro) {
          if (std::find(fallback.begin(), fallback.end(), k) == fallback.end()) fallback.push_back(k);
        }
      }
      return fallback;
    }
    result.push_back(*chosen);
    for (auto& sequence : sequences) {
      sequence.erase(std::remove(sequence.begin(), sequence.end(), *chosen), sequence.end());
    }
  }
}

auto Reader::FindIn(const std::vector<ClassKey>& classes, const std::string& name)
    -> std::pair<const Binding*, ClassKey> {
  for (const auto& key : classes) {
    if (const Binding* binding = Class(key).Find(name)) return {binding, key};
  }
  return {nullptr, {}};
}

// ----- table names and mapping -----

auto Reader::DecoratedDeclaredAttr(const Binding& binding) -> bool {
  for (const Expr& decorator : binding.decorators) {
    if (decorator.source.find("declared_attr") != std::string::npos) return true;
  }
  return false;
}

auto Reader::TableNameFrom(const Binding& binding, ClassKey target, std::vector<std::string>* alternatives)
    -> std::optional<std::string> {
  if (!binding.is_method) {
    if (auto text = EvalString(binding.value ? &*binding.value : nullptr)) return text;
    Note(Loc(binding.value ? binding.value->file : target.file, binding.line, binding.column),
         "__tablename__ of class " + Class(target).name + " is not a string the analyzer can read; class skipped");
    return std::nullopt;
  }
  if (auto text = EvalFunctionString(binding, {ClassArgument{}}, target, 0)) return text;
  std::vector<std::string> candidates = SnakeCaseCandidates(Class(target).name);
  if (alternatives && !candidates.empty()) {
    *alternatives = candidates;  // the first is the name used until the database decides
    return candidates.front();
  }
  Note(Loc(ReturnedFile(binding, target), binding.line, binding.column),
       "__tablename__ is computed by a declared_attr function the analyzer cannot read; class " + Class(target).name +
           " is skipped");
  return std::nullopt;
}

auto Reader::OwnPrimaryKey(ClassKey key) -> bool {
  for (const Binding& binding : Class(key).body) {
    const Expr* value = binding.value ? &*binding.value : nullptr;
    if (binding.is_method && DecoratedDeclaredAttr(binding)) value = ReturnedValue(binding);
    if (value && value->kind == ExprKind::kCall) {
      CallView view = View(*value);
      if (view.canonical == "Column" || view.canonical == "mapped_column" || view.canonical == "Field") {
        if (EvalBool(view.Kw("primary_key")).value_or(false)) return true;
      }
    }
    if (binding.annotation) {
      if (auto annotated = AnnotatedColumn(*binding.annotation)) {
        if (EvalBool(annotated->Kw("primary_key")).value_or(false)) return true;
      }
    }
  }
  return false;
}

auto Reader::NewDraft(std::string name, std::string schema, ir::Location location, std::uint32_t file, Meta meta)
    -> int {
  TableDraft draft;
  draft.name = std::move(name);
  draft.schema = schema.empty() ? (meta.schema.empty() ? options_.default_schema : meta.schema) : schema;
  draft.location = std::move(location);
  draft.file = file;
  draft.meta = std::move(meta);
  drafts_.push_back(std::move(draft));
  return static_cast<int>(drafts_.size() - 1);
}

auto Reader::DecideTable(ClassKey key) -> void {
  ClassState& state = states_[key];
  if (state.table_status != 0) return;
  state.table_status = 1;
  const ClassDef& klass = Class(key);
  if (!state.lineage || state.root) {
    states_[key].table_status = 2;
    return;
  }
  std::vector<std::string> alternatives;  // other names a computed __tablename__ may give
  auto finish = [&](int table, bool own) {
    states_[key].table = table;
    states_[key].own_table = own;
    states_[key].table_status = 2;
    if (table >= 0 && own) drafts_[table].name_alternatives = alternatives;
  };
  if (!DeclaresModels(key.file) && !klass.built_by_mixin) return finish(-1, false);
  if (const Binding* abstract = klass.Find("__abstract__")) {
    if (EvalBool(abstract->value ? &*abstract->value : nullptr).value_or(false)) return finish(-1, false);
  }
  // The columns of an AbstractConcreteBase go into each concrete subclass's own table.
  if (state.abstract_concrete) return finish(-1, false);
  Flavor flavor = state.flavor;
  std::vector<ClassKey> mro = state.mro;
  Meta meta = state.meta;
  ir::Location location = Loc(key.file, klass.line, klass.column);
  if (flavor == Flavor::kSqlModel) {
    if (!EvalBool(klass.Keyword("table")).value_or(false)) return finish(-1, false);
    std::string name = Lower(klass.name);
    if (const Binding* own = klass.Find("__tablename__")) {
      auto text = TableNameFrom(*own, key, &alternatives);
      if (!text) return finish(-1, false);
      name = *text;
    }
    return finish(NewDraft(name, TableArgsSchema(mro), location, key.file, meta), true);
  }
  if (const Binding* own_table = klass.Find("__table__"); own_table && own_table->value) {
    // `__table__ = Table(...)` or `__table__ = some_module_level_table`.
    const Expr* value = Deref(&*own_table->value);
    auto known = module_tables_.find(CallKey(*value));
    int table = known != module_tables_.end() ? known->second : TableFromCall(*value, &meta);
    if (table < 0) {
      Note(Loc(key.file, own_table->line, own_table->column),
           "__table__ of class " + klass.name + " is not a Table() the analyzer can read");
    }
    if (table >= 0) drafts_[table].mapped_by.push_back(QualifiedClass(key));
    return finish(table, false);
  }
  if (const Binding* own = klass.Find("__tablename__")) {
    if (flavor == Flavor::kFlask && !OwnPrimaryKey(key)) {
      // Flask-SQLAlchemy makes a subclass without a primary key of its own single-table
      // inheritance of its mapped parent, even when it names a table (__table_cls__).
      for (std::size_t i = 1; i < mro.size(); ++i) {
        DecideTable(mro[i]);
        if (states_[mro[i]].table < 0) continue;
        const int table = states_[mro[i]].table;
        drafts_[table].mapped_by.push_back(QualifiedClass(key));
        return finish(table, false);
      }
    }
    auto text = TableNameFrom(*own, key, &alternatives);
    if (!text) return finish(-1, false);
    return finish(NewDraft(*text, TableArgsSchema(mro), location, key.file, meta), true);
  }
  // The nearest mapped ancestor and the __tablename__ the class inherits from non-mapped ones.
  std::optional<ClassKey> mapped_parent;
  for (std::size_t i = 1; i < mro.size(); ++i) {
    DecideTable(mro[i]);
    if (states_[mro[i]].table >= 0) {
      mapped_parent = mro[i];
      break;
    }
  }
  const Binding* inherited_name = nullptr;
  for (std::size_t i = 1; i < mro.size(); ++i) {
    if (states_[mro[i]].table >= 0) continue;
    if (const Binding* binding = Class(mro[i]).Find("__tablename__")) {
      inherited_name = binding;
      break;
    }
  }
  if (mapped_parent && !OwnPrimaryKey(key)) {
    // Single-table inheritance: the class shares its parent's table.
    int table = states_[*mapped_parent].table;
    drafts_[table].mapped_by.push_back(QualifiedClass(key));
    return finish(table, false);
  }
  std::optional<std::string> name;
  if (inherited_name && (inherited_name->is_method || !mapped_parent)) {
    name = TableNameFrom(*inherited_name, key, &alternatives);
    if (!name) return finish(-1, false);
  } else if (flavor == Flavor::kFlask) {
    name = FlaskSqlalchemyTableName(klass.name);
  }
  if (!name) {
    Note(location, "class " + klass.name +
                       " derives from a declarative base but has no __tablename__ the analyzer can read; skipped");
    return finish(-1, false);
  }
  return finish(NewDraft(*name, TableArgsSchema(mro), location, key.file, meta), true);
}

auto Reader::TableArgsSchema(const std::vector<ClassKey>& mro) -> std::string {
  auto [binding, owner] = FindIn(mro, "__table_args__");
  if (!binding || !binding->value) return "";
  const Expr* args = Deref(&*binding->value);
  const Expr* dict = nullptr;
  if (args->kind == ExprKind::kDict) dict = args;
  if ((args->kind == ExprKind::kTuple || args->kind == ExprKind::kList) && !args->children.empty() &&
      Deref(&args->children.back())->kind == ExprKind::kDict) {
    dict = Deref(&args->children.back());
  }
  if (!dict) return "";
  for (std::size_t i = 0; i + 1 < dict->children.size(); i += 2) {
    if (dict->children[i].kind == ExprKind::kString && dict->children[i].text == "schema") {
      return EvalString(&dict->children[i + 1]).value_or("");
    }
  }
  return "";
}

// ----- classes built by mixins -----

auto Reader::MayBuildClasses() -> bool {
  return std::any_of(all_classes_.begin(), all_classes_.end(), [&](ClassKey key) {
    const auto& body = Class(key).body;
    return std::any_of(body.begin(), body.end(), [&](const Binding& binding) {
      return binding.is_method && !binding.built_classes.empty() && DecoratedDeclaredAttr(binding);
    });
  });
}

auto Reader::ClassesBuiltByMixins() -> BuiltClasses {
  BuiltClasses built;
  for (const auto& key : all_classes_) Analyze(key);
  ReadModuleTables();
  for (const auto& key : all_classes_) DecideTable(key);
  std::set<std::pair<std::uint32_t, std::string>> taken;
  for (std::uint32_t f = 0; f < files_.size(); ++f) {
    for (const auto& klass : files_[f].classes) taken.insert({f, klass.name});
  }
  std::set<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>> unreadable;  // type() calls noted once
  for (const auto& key : all_classes_) {
    const ClassState& state = states_[key];
    if (!state.own_table || state.table < 0) continue;
    for (const auto& owner : state.mro) {
      for (const Binding& binding : Class(owner).body) {
        if (!binding.is_method || binding.built_classes.empty() || !DecoratedDeclaredAttr(binding)) continue;
        for (const Expr& call : binding.built_classes) {
          std::string problem;
          auto klass = BuildClass(call, binding, key, &problem);
          if (!klass) {
            if (unreadable.insert(CallKey(call)).second) {
              ir::Diagnostic note;
              note.rule_id = ir::kRuleModelUnreadable;
              note.severity = ir::Severity::kNote;
              note.location = Loc(call);
              note.message = "declared_attr '" + binding.name + "' builds a mapped class with type() that the " +
                             "analyzer cannot read (" + problem + "); the tables it makes are not known";
              built.notes.push_back(std::move(note));
            }
            continue;
          }
          std::string name = klass->name;
          for (int n = 2; taken.count({owner.file, name}); ++n) name = klass->name + "_" + std::to_string(n);
          klass->name = name;
          taken.insert({owner.file, name});
          built.classes.emplace_back(owner.file, std::move(*klass));
        }
      }
    }
  }
  return built;
}

auto Reader::BuildClass(const Expr& call, const Binding& function, ClassKey target, std::string* problem)
    -> std::optional<ClassDef> {
  const ClassScope scope = ScopeOf(function);
  const Expr& bases = *Deref(&call.Positional(1));
  const Expr& namespace_dict = *Deref(&call.Positional(2));
  if (bases.kind != ExprKind::kTuple && bases.kind != ExprKind::kList) {
    *problem = "its bases are not a tuple";
    return std::nullopt;
  }
  if (namespace_dict.kind != ExprKind::kDict) {
    *problem = "its namespace is not a dict literal";
    return std::nullopt;
  }
  ClassDef klass;
  klass.built_by_mixin = true;
  klass.line = call.line;
  klass.column = call.column;
  const Expr name = Specialize(call.Positional(0), target, scope);
  klass.name = name.kind == ExprKind::kString ? name.text : Class(target).name + "_" + function.name;
  for (const Expr& base : bases.children) {
    if (Mentions(base, scope.names)) {
      *problem = "a base depends on the class it is built for";
      return std::nullopt;
    }
    klass.bases.push_back(base);
  }
  for (std::size_t i = 0; i + 1 < namespace_dict.children.size(); i += 2) {
    const Expr& key = namespace_dict.children[i];
    if (key.kind != ExprKind::kString) {
      *problem = "a namespace key is not a string";
      return std::nullopt;
    }
    const Expr& value = namespace_dict.children[i + 1];
    Binding attribute;
    attribute.name = key.text;
    attribute.value = Specialize(value, target, scope);
    attribute.line = value.line;
    attribute.column = value.column;
    klass.body.push_back(std::move(attribute));
  }
  // `"__tablename__": None`: no table of its own (single-table inheritance of its base).
  klass.body.erase(std::remove_if(klass.body.begin(), klass.body.end(),
                                  [](const Binding& b) {
                                    return b.name == "__tablename__" && b.value && b.value->kind == ExprKind::kNone;
                                  }),
                   klass.body.end());
  if (const Binding* table_name = klass.Find("__tablename__");
      table_name && table_name->value && table_name->value->kind != ExprKind::kString) {
    *problem = "its __tablename__ '" + table_name->value->source + "' is not readable";
    return std::nullopt;
  }
  return klass;
}

auto Reader::CallKey(const Expr& expr) -> std::tuple<std::uint32_t, std::uint32_t, std::uint32_t> {
  return {expr.file, expr.line, expr.column};
}

}  // namespace dbaudit::python::detail

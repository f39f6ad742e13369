#include <algorithm>

#include "analyzer/python/model_reader_internal.hpp"

// Reader: columns of Column()/mapped_column()/Field() and of class bodies; foreign keys;
// server defaults.
namespace dbaudit::python::detail {

namespace {

bool IsDunder(const std::string& name) {
  return name.size() > 4 && name.compare(0, 2, "__") == 0 && name.compare(name.size() - 2, 2, "__") == 0;
}

ir::ReferentialAction ParseAction(const std::string& text) {
  std::string upper = Upper(text);
  if (upper == "CASCADE") return ir::ReferentialAction::kCascade;
  if (upper == "SET NULL") return ir::ReferentialAction::kSetNull;
  if (upper == "SET DEFAULT") return ir::ReferentialAction::kSetDefault;
  if (upper == "RESTRICT") return ir::ReferentialAction::kRestrict;
  if (upper == "NO ACTION") return ir::ReferentialAction::kNoAction;
  return ir::ReferentialAction::kUnspecified;
}

std::string QuoteSqlString(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

}  // namespace

// ----- columns -----

auto Reader::RenderSql(const Expr* expr, bool* exact, int depth) -> std::optional<std::string> {
  if (!expr) return std::nullopt;
  if (depth > kMaxResolveDepth) {
    *exact = false;
    return expr->source;
  }
  switch (expr->kind) {
    case ExprKind::kString: return QuoteSqlString(expr->text);
    case ExprKind::kNumber: return expr->text;
    case ExprKind::kTrue: return std::string("true");
    case ExprKind::kFalse: return std::string("false");
    case ExprKind::kName:
    case ExprKind::kAttribute: {
      const Expr* value = Deref(expr);
      if (value != expr) return RenderSql(value, exact, depth + 1);
      if (auto text = EvalString(expr)) return QuoteSqlString(*text);  // an enum member's .value
      if (expr->kind == ExprKind::kAttribute) {
        // Model.attribute inside an expression (func.lower(User.email)): the column.
        if (auto key = ProjectClass(expr->children[0]); key && (states_[*key].lineage || states_[*key].root)) {
          return ColumnNameOf(*key, expr->text);
        }
        // cls.created inside a declared_attr's __table_args__: the mapped class's attribute.
        const Expr& owner = expr->children[0];
        if (owner.kind == ExprKind::kName && (owner.text == "cls" || owner.text == "self")) return expr->text;
        // A member of a str-based enum as server_default: SQLAlchemy renders its value.
        Ref ref = ResolveExpr(*expr);
        if (ref.kind == Ref::kClass && ref.rest.size() == 1) {
          if (auto value = EnumMemberString({ref.file, ref.index}, ref.rest[0], true, depth)) {
            return QuoteSqlString(*value);
          }
        }
      }
      break;
    }
    case ExprKind::kCall: {
      std::string canonical = Canonical(expr->Callee());
      if ((canonical == "text" || canonical == "literal_column") && expr->PositionalCount() >= 1) {
        if (auto text = EvalString(&expr->Positional(0))) return text;
      }
      if (canonical == "DefaultClause" && expr->PositionalCount() >= 1) {
        return RenderSql(&expr->Positional(0), exact, depth + 1);
      }
      if (canonical == "false" || canonical == "true") return canonical;
      if (canonical == "null") return std::string("NULL");
      if (canonical == "literal" && expr->PositionalCount() >= 1) {
        if (auto text = EvalString(&expr->Positional(0))) return QuoteSqlString(*text);
      }
      if ((canonical == "column" || canonical == "Column") && expr->PositionalCount() >= 1) {
        if (auto name = EvalString(&expr->Positional(0))) return *name;  // func.lower(column("email"))
      }
      if (expr->Callee().kind == ExprKind::kAttribute && expr->PositionalCount() == 0 && expr->keywords.empty()) {
        const std::string& method = expr->Callee().text;
        if (method == "desc" || method == "asc") {
          // User.created.desc() as an index key: the database readers keep a key's column
          // or expression without its sort order too, so the order is not compared (yet).
          return RenderSql(&expr->Callee().children[0], exact, depth + 1);
        }
      }
      if (canonical.rfind("func.", 0) == 0) {
        std::string function = canonical.substr(5);
        static const std::set<std::string> kNoParens = {
            "current_timestamp", "current_date", "current_time", "localtime",
            "localtimestamp",    "current_user", "session_user", "user"};
        if (kNoParens.count(Lower(function)) && expr->children.size() == 1) return Upper(function);
        std::string out = function + "(";
        for (std::size_t i = 0; i < expr->PositionalCount(); ++i) {
          auto argument = RenderSql(&expr->Positional(i), exact, depth + 1);
          if (!argument) return std::nullopt;
          out += (i ? ", " : "") + *argument;
        }
        if (!expr->keywords.empty()) *exact = false;
        return out + ")";
      }
      break;
    }
    default: break;
  }
  *exact = false;
  return expr->source;
}

auto Reader::ReadServerDefault(const Expr* expr, ColumnDraft* draft, bool onupdate) -> void {
  if (!expr || expr->kind == ExprKind::kNone) return;
  if (expr->kind == ExprKind::kCall && Canonical(expr->Callee()) == "FetchedValue") {
    if (!onupdate)
      Note(Loc(*expr), "server_default=FetchedValue(): the default lives in the database and is not known");
    if (onupdate) draft->column.server_onupdate = expr->source;
    return;
  }
  bool exact = true;
  auto text = RenderSql(expr, &exact);
  if (!text) return;
  if (!exact) {
    // Unknown, not guessed: comparing the Python text with the database's default would only
    // ever report a difference.
    Note(Loc(*expr), std::string(onupdate ? "server_onupdate" : "server_default") + " '" + expr->source +
                         "' is not an expression the analyzer can render as SQL; not compared");
    return;
  }
  if (onupdate) {
    draft->column.server_onupdate = *text;
  } else {
    draft->column.server_default = *text;
  }
}

auto Reader::ReadForeignKey(const CallView& view) -> std::optional<FkDraft> {
  FkDraft fk;
  fk.location = Loc(*view.call);
  const Expr* target = view.positional.empty() ? view.Kw("column") : view.positional[0];
  if (!target) {
    Note(fk.location, "ForeignKey without a target");
    return std::nullopt;
  }
  if (!ReadReference(*target, &fk)) {
    Note(Loc(*target), "foreign key target '" + target->source + "' is not readable");
    return std::nullopt;
  }
  ReadFkOptions(view, &fk);
  return fk;
}

auto Reader::ReadFkOptions(const CallView& view, FkDraft* fk) -> void {
  if (auto name = EvalString(view.Kw("name"))) fk->name = *name;
  if (auto action = EvalString(view.Kw("ondelete"))) fk->on_delete = ParseAction(*action);
  if (auto action = EvalString(view.Kw("onupdate"))) fk->on_update = ParseAction(*action);
  if (auto deferrable = EvalBool(view.Kw("deferrable"))) fk->deferrable = *deferrable;
  if (auto initially = EvalString(view.Kw("initially"))) fk->initially_deferred = Upper(*initially) == "DEFERRED";
}

auto Reader::ReadReference(const Expr& target, FkDraft* fk) -> bool {
  if (target.kind == ExprKind::kName && filling_) {
    // `parent_id = Column(ForeignKey(id))`: a column of the same class body, by its Python name.
    const auto [owner, mapped] = *filling_;
    const Binding* column = Class(owner).Find(target.text);
    const int table = states_[mapped].table;
    if (column && !column->is_method && column->value && column->value->kind == ExprKind::kCall && table >= 0 &&
        (View(*column->value).canonical == "Column" || View(*column->value).canonical == "mapped_column")) {
      fk->table = drafts_[table].name;
      fk->schema = drafts_[table].schema;
      fk->referenced.push_back(ColumnNameOf(mapped, target.text));
      return true;
    }
  }
  if (auto text = EvalString(&target)) {
    auto parts = Split(*text, '.');
    if (parts.size() < 2) return false;
    std::string column = parts.back();
    std::string table = parts[parts.size() - 2];
    std::string schema = parts.size() >= 3 ? parts[parts.size() - 3] : "";
    fk->table = table;
    fk->schema = schema;
    fk->referenced.push_back(column);
    return true;
  }
  if (target.kind != ExprKind::kAttribute) return false;
  const Expr& owner = target.children[0];
  // table.c.col / table.columns.col
  if (owner.kind == ExprKind::kAttribute && (owner.text == "c" || owner.text == "columns")) {
    const Expr* table_expr = Deref(&owner.children[0]);
    if (table_expr && table_expr->kind == ExprKind::kCall && Canonical(table_expr->Callee()) == "Table" &&
        table_expr->PositionalCount() >= 1) {
      auto name = EvalString(&table_expr->Positional(0));
      if (!name) return false;
      fk->table = *name;
      fk->schema = EvalString(table_expr->Keyword("schema")).value_or("");
      fk->referenced.push_back(target.text);
      return true;
    }
    return false;
  }
  auto key = ProjectClass(owner);
  if (!key) return false;
  DecideTable(*key);
  int table = states_[*key].table;
  if (table < 0) return false;
  fk->table = drafts_[table].name;
  fk->schema = drafts_[table].schema;
  fk->referenced.push_back(ColumnNameOf(*key, target.text));
  return true;
}

auto Reader::ColumnNameOf(ClassKey key, const std::string& attribute) -> std::string {
  auto [binding, owner] = FindIn(states_[key].mro, attribute);
  if (binding && binding->value && binding->value->kind == ExprKind::kCall) {
    CallView view = View(*binding->value);
    if (!view.positional.empty()) {
      if (auto name = EvalString(view.positional[0])) return *name;
    }
    if (auto name = EvalString(view.Kw("name"))) return *name;
  }
  return attribute;
}

auto Reader::ReadColumn(const CallView* view, const ColumnContext& context, const CallView* annotated)
    -> std::optional<ColumnDraft> {
  ColumnDraft draft;
  draft.column.location = context.location;
  draft.column.name = context.attribute;
  draft.attribute = context.attribute;
  bool is_field = view && view->canonical == "Field";
  CallView merged;
  if (view) merged = *view;
  if (annotated) {
    std::vector<std::pair<std::string, const Expr*>> keywords = annotated->keywords;
    for (auto& kw : merged.keywords) keywords.push_back(kw);
    merged.keywords = std::move(keywords);
    if (merged.positional.empty()) merged.positional = annotated->positional;
  }
  // SQLModel: Field(sa_column=Column(...)) is the column itself.
  if (is_field) {
    if (const Expr* sa_column = merged.Kw("sa_column"); sa_column && sa_column->kind == ExprKind::kCall) {
      CallView inner = View(*sa_column);
      ColumnContext inner_context = context;
      inner_context.sqlmodel_annotation = nullptr;
      auto result = ReadColumn(&inner, inner_context);
      if (result && !result->column.nullable.has_value()) result->column.nullable = true;
      return result;
    }
    if (const Expr* extra = Deref(merged.Kw("sa_column_kwargs")); extra && extra->kind == ExprKind::kDict) {
      for (std::size_t i = 0; i + 1 < extra->children.size(); i += 2) {
        if (extra->children[i].kind == ExprKind::kString) {
          merged.keywords.emplace_back(extra->children[i].text, &extra->children[i + 1]);
        }
      }
    }
  }
  TypeResult type;
  bool type_given = false;
  bool explicit_type = false;  // a type argument, not the Mapped[] annotation
  std::size_t first = 0;
  if (!is_field && !merged.positional.empty()) {
    const std::string& first_source = merged.positional[0]->source;
    if ((merged.positional[0]->kind == ExprKind::kFString && !EvalString(merged.positional[0])) ||
        (merged.positional[0]->kind == ExprKind::kOther && first_source.size() > 1 &&
         (first_source[0] == 'f' || first_source[0] == 'F') && (first_source[1] == '"' || first_source[1] == '\''))) {
      Note(context.location, "column name " + first_source + " is computed at run time; column not read");
      return std::nullopt;
    }
    if (auto name = EvalString(merged.positional[0])) {
      draft.column.name = *name;
      first = 1;
    } else if (merged.positional.size() >= 2 && merged.positional[0]->kind != ExprKind::kCall &&
               !ResolveType(*merged.positional[1]).type.empty()) {
      // Column(<something unread>, Integer): the type comes second, so the first is the name.
      Note(context.location, "column name " + first_source + " is computed at run time; column not read");
      return std::nullopt;
    }
  }
  if (auto name = EvalString(merged.Kw("name")); name && !is_field) draft.column.name = *name;
  if (auto key = EvalString(merged.Kw("key"))) draft.attribute = *key;
  if (draft.column.name.empty()) {
    Note(context.location, "column without a readable name");
    return std::nullopt;
  }
  for (std::size_t i = first; !is_field && i < merged.positional.size(); ++i) {
    const Expr* argument = merged.positional[i];
    std::string canonical;
    if (argument->kind == ExprKind::kCall) canonical = View(*argument).canonical;
    if (canonical == "ForeignKey") {
      if (auto fk = ReadForeignKey(View(*argument))) draft.fks.push_back(std::move(*fk));
    } else if (canonical == "Identity") {
      bool always = EvalBool(argument->Keyword("always")).value_or(false);
      draft.column.identity = always ? ir::IdentityKind::kAlways : ir::IdentityKind::kByDefault;
    } else if (canonical == "Computed") {
      if (argument->PositionalCount() >= 1) {
        auto text = EvalString(&argument->Positional(0));
        draft.column.generated = text ? *text : argument->Positional(0).source;
      }
    } else if (canonical == "CheckConstraint") {
      ir::CheckConstraint check;
      check.location = Loc(*argument);
      if (argument->PositionalCount() >= 1) {
        auto text = EvalString(&argument->Positional(0));
        check.expression = text ? *text : argument->Positional(0).source;
      }
      check.name = EvalString(argument->Keyword("name")).value_or("");
      draft.checks.push_back(std::move(check));
    } else if (canonical == "DefaultClause" || canonical == "FetchedValue") {
      // Column(DateTime, DefaultClause(func.now())): the server default, given positionally.
      ReadServerDefault(argument, &draft, false);
    } else if (canonical == "Sequence") {
      // The sequence feeds the default; nothing for the catalog's column shape.
    } else if (!type_given) {
      type = ResolveType(*argument);
      type_given = true;
      explicit_type = true;
      const Expr& type_callee = argument->kind == ExprKind::kCall ? argument->Callee() : *argument;
      draft.search_vector = Canonical(type_callee) == "TSVectorType";
    }
  }
  if (const Expr* type_kw = merged.Kw(is_field ? "sa_type" : "type_")) {
    type = ResolveType(*type_kw);
    type_given = true;
    explicit_type = true;
  }
  bool optional = false;
  bool annotated_type = false;
  if (!type_given && (context.mapped || context.sqlmodel_annotation)) {
    const Expr* annotation = context.mapped ? context.mapped : context.sqlmodel_annotation;
    Unwrapped unwrapped = Unwrap(*annotation);
    optional = unwrapped.optional;
    annotated_type = true;
    if (unwrapped.inner) {
      type = PythonType(*unwrapped.inner, context.sqlmodel_annotation != nullptr, is_field ? &merged : nullptr);
    } else {
      type.problem = "annotation '" + annotation->source + "' has no single column type";
    }
    type_given = true;
  } else if (context.mapped || context.sqlmodel_annotation) {
    const Expr* annotation = context.mapped ? context.mapped : context.sqlmodel_annotation;
    optional = Unwrap(*annotation).optional;
    annotated_type = true;
  }
  if (is_field) {
    if (const Expr* foreign_key = merged.Kw("foreign_key")) {
      FkDraft fk;
      fk.location = Loc(*foreign_key);
      if (ReadReference(*foreign_key, &fk)) {
        if (auto action = EvalString(merged.Kw("ondelete"))) fk.on_delete = ParseAction(*action);
        draft.fks.push_back(std::move(fk));
      } else {
        Note(Loc(*foreign_key), "foreign_key '" + foreign_key->source + "' is not readable");
      }
    }
  }
  // A column typed only by its Mapped[] annotation takes the referenced column's type when
  // it has a ForeignKey: SQLAlchemy 2.0 resolves the FK's type over the annotation's.
  draft.type_from_fk = (!type_given || (annotated_type && !explicit_type)) && !draft.fks.empty();
  draft.column.type = type.type;
  draft.integer = type.integer;
  draft.enum_draft = type.enum_draft;
  if (!type_given && !draft.type_from_fk)
    type.problem = "column " + draft.column.name + " has no type the analyzer can read";
  if (draft.column.type.empty() && !draft.type_from_fk && !type.problem.empty()) {
    NoteUnknownType(context.location, type.problem);
  }
  draft.primary_key = EvalBool(merged.Kw("primary_key")).value_or(false);
  draft.unique = EvalBool(merged.Kw("unique")).value_or(false);
  draft.index = EvalBool(merged.Kw("index")).value_or(false);
  if (const Expr* autoincrement = merged.Kw("autoincrement")) {
    if (auto value = EvalBool(autoincrement)) draft.autoincrement = *value;
  }
  if (const Expr* nullable = merged.Kw("nullable")) {
    if (auto value = EvalBool(nullable)) {
      draft.column.nullable = *value;
    } else {
      Note(Loc(*nullable), "nullable='" + nullable->source + "' is not a constant the analyzer can read");
    }
  }
  if (draft.primary_key) {
    draft.column.nullable = false;
  } else if (!draft.column.nullable.has_value()) {
    draft.column.nullable = annotated_type ? optional : true;
  }
  ReadServerDefault(merged.Kw("server_default"), &draft, false);
  ReadServerDefault(merged.Kw("server_onupdate"), &draft, true);
  const Expr* python_default = merged.Kw("default");
  if (!python_default) python_default = merged.Kw("insert_default");
  if (!python_default && is_field) python_default = merged.Kw("default_factory");
  if (python_default && !(is_field && python_default->kind == ExprKind::kNone)) {
    draft.column.python_default = python_default->source;
  }
  if (is_field && !python_default && !view->positional.empty() && view->positional[0]->kind != ExprKind::kNone) {
    draft.column.python_default = view->positional[0]->source;  // Field(5)
  }
  if (const Expr* onupdate = merged.Kw("onupdate")) draft.column.python_onupdate = onupdate->source;
  if (auto comment = EvalString(merged.Kw("comment"))) draft.column.comment = *comment;
  if (draft.attribute != draft.column.name) draft.column.attribute = draft.attribute;
  return draft;
}

// ----- class columns -----

auto Reader::SkippedAttribute(const std::string& name) -> bool {
  static const std::set<std::string> kSkipped = {
      "metadata", "registry", "query", "query_class", "type_annotation_map", "model_config", "impl", "cache_ok"};
  return IsDunder(name) || kSkipped.count(name) > 0;
}

auto Reader::NotAColumn(const std::string& canonical) -> bool {
  static const std::set<std::string> kNotColumns = {
      "relationship",    "Relationship",    "backref",   "association_proxy", "synonym",
      "composite",       "column_property", "deferred",  "query_expression",  "dynamic_loader",
      "hybrid_property", "relation",        "validates", "declared_attr",     "ClassVar"};
  return kNotColumns.count(canonical) > 0;
}

auto Reader::NamesModels(const Expr& annotation) -> bool {
  const Expr* inner = Unwrap(annotation).inner;
  if (!inner) return false;
  if (inner->kind == ExprKind::kString) return true;  // "User": a forward reference to a model
  if (inner->kind == ExprKind::kSubscript) {
    const std::string head = Canonical(inner->children[0]);
    if (head == "list" || head == "List" || head == "Set" || head == "set") return true;
  }
  const auto key = ProjectClass(*inner);
  return key && (states_[*key].lineage || states_[*key].root);
}

auto Reader::BindingColumn(const Binding& binding, std::uint32_t file, Flavor flavor, std::optional<ClassKey> target)
    -> std::optional<ColumnDraft> {
  ColumnContext context;
  context.attribute = binding.name;
  context.location = Loc(file, binding.line, binding.column);
  const Expr* value = binding.value ? &*binding.value : nullptr;
  if (binding.is_method) {
    if (!DecoratedDeclaredAttr(binding)) return std::nullopt;
    value = target ? DeclaredAttrValue(binding, *target) : (binding.returned ? &*binding.returned : nullptr);
    if (!value) {
      // A body that ends in `return relationship(...)` maps no column, whatever it does before.
      if (binding.last_returned && binding.last_returned->kind == ExprKind::kCall &&
          NotAColumn(View(*binding.last_returned).canonical)) {
        return std::nullopt;
      }
      Note(context.location, "declared_attr '" + binding.name + "' is computed by code the analyzer does not read");
      return std::nullopt;
    }
  }
  if (value && value->kind == ExprKind::kAttribute && !binding.annotation && alias_depth_ < kMaxResolveDepth) {
    // `id = BaseMixin.id`: the column another (mixin) class declares, under this name.
    Ref ref = ResolveExpr(*value);
    if (ref.kind == Ref::kClass && ref.rest.size() == 1) {
      ClassKey other{ref.file, ref.index};
      Analyze(other);
      auto [source, owner] = FindIn(states_[other].mro, ref.rest[0]);
      if (source && source != &binding && !source->is_method) {
        Binding renamed = *source;
        renamed.name = binding.name;
        ++alias_depth_;
        auto column = BindingColumn(renamed, owner.file, flavor);
        --alias_depth_;
        if (column) column->column.location = context.location;
        return column;
      }
    }
  }
  bool relationship_like = false;
  const Expr* mapped = binding.annotation ? MappedInner(*binding.annotation, &relationship_like) : nullptr;
  if (relationship_like) return std::nullopt;
  context.mapped = mapped;
  std::optional<CallView> annotated;
  if (binding.annotation) annotated = AnnotatedColumn(*binding.annotation);
  if (value && value->kind == ExprKind::kCall) {
    CallView view = View(*value);
    if ((view.canonical == "deferred" || view.canonical == "column_property") && !view.positional.empty() &&
        view.positional[0]->kind == ExprKind::kCall) {
      CallView inner = View(*view.positional[0]);
      if (inner.canonical == "Column" || inner.canonical == "mapped_column") view = inner;
    }
    if (view.canonical == "Column" || view.canonical == "mapped_column") {
      return ReadColumn(&view, context, annotated ? &*annotated : nullptr);
    }
    if (view.canonical == "Field" && flavor == Flavor::kSqlModel) {
      if (!binding.annotation) return std::nullopt;
      context.sqlmodel_annotation = &*binding.annotation;
      return ReadColumn(&view, context);
    }
    if (NotAColumn(view.canonical)) return std::nullopt;
    Ref ref = ResolveExpr(*view.callee);
    if (ref.kind == Ref::kFunction && ref.rest.empty()) {
      // A helper that returns relationship(...) (or another non-column) maps no column.
      const Binding& helper = Assignment(ref);
      // The helper's last return, whatever computes its arguments before it: what depends
      // on them stays unknown, what the call writes literally (primary_key=True) is read.
      const Expr* result = helper.last_returned ? &*helper.last_returned : ReturnedValue(helper);
      if (result && result->kind == ExprKind::kCall && NotAColumn(View(*result).canonical)) {
        return std::nullopt;
      }
      // `id = primary_key("User")` with `def primary_key(name): return Column(..., primary_key=True)`:
      // the helper's Column(); what depends on the helper's arguments stays unknown.
      if (result && result->kind == ExprKind::kCall && column_helper_depth_ < kMaxResolveDepth) {
        CallView inner = View(*result);
        if (inner.canonical == "Column" || inner.canonical == "mapped_column") {
          ++column_helper_depth_;
          auto column = ReadColumn(&inner, context, annotated ? &*annotated : nullptr);
          --column_helper_depth_;
          if (column) return column;
        }
      }
    }
    if (ref.kind == Ref::kFunction) {
      Note(context.location, "column '" + binding.name + "' is built by the helper function '" + view.callee->source +
                                 "()', which the analyzer does not follow");
      // The column exists even though its details are unknown: keep it by name (type,
      // nullability and default unknown) so the database's column is not reported as
      // missing from the models.
      ColumnDraft unknown;
      unknown.column.name = binding.name;
      unknown.column.location = context.location;
      unknown.attribute = binding.name;
      return unknown;
    }
    if (mapped) {
      Note(context.location, "Mapped attribute '" + binding.name + "' is assigned '" + value->source +
                                 "', which the analyzer does not understand");
    }
    return std::nullopt;
  }
  if (mapped && (!value || value->kind != ExprKind::kCall)) {
    // `x: Mapped[int]` (optionally `= <python default>`): a column typed by the annotation,
    // unless the annotation names a model (a relationship declared elsewhere).
    if (NamesModels(*mapped)) return std::nullopt;
    auto draft = ReadColumn(annotated ? &*annotated : nullptr, context);
    if (draft && value && value->kind != ExprKind::kNone) draft->column.python_default = value->source;
    return draft;
  }
  if (flavor == Flavor::kSqlModel && binding.annotation && !binding.is_method) {
    const Expr& annotation = *binding.annotation;
    if (annotation.kind == ExprKind::kSubscript && Canonical(annotation.children[0]) == "ClassVar") return std::nullopt;
    if (NamesModels(annotation)) return std::nullopt;
    context.sqlmodel_annotation = &annotation;
    CallView empty_field;
    empty_field.canonical = "Field";
    auto draft = ReadColumn(&empty_field, context);
    if (draft && value && value->kind != ExprKind::kNone) draft->column.python_default = value->source;
    return draft;
  }
  return std::nullopt;
}

auto Reader::FillClassColumns(ClassKey key) -> void {
  const ClassState& state = states_[key];
  if (state.table < 0) return;
  if (!state.own_table && Class(key).Find("__table__")) return;  // columns come from Table()
  // Classes whose attributes belong to this class's columns: its MRO minus mapped ancestors
  // (their columns live in their own tables) and everything above them.
  std::set<ClassKey> excluded;
  for (std::size_t i = 1; i < state.mro.size(); ++i) {
    if (states_[state.mro[i]].table >= 0) {
      for (const auto& above : states_[state.mro[i]].mro) excluded.insert(above);
    }
  }
  std::vector<ClassKey> classes;
  for (const auto& k : state.mro) {
    if (!excluded.count(k)) classes.push_back(k);
  }
  std::vector<std::string> unread;
  for (const auto& k : classes) {
    for (const auto& base : states_[k].unread_bases) {
      if (std::find(unread.begin(), unread.end(), base) == unread.end()) unread.push_back(base);
    }
  }
  if (!unread.empty() && state.own_table) {
    drafts_[state.table].unread_bases = unread;
    // Said once per library class, at its first model; the count follows (FinishUnknownTypeNotes).
    auto [use, first] = unread_base_notes_.try_emplace(unread.front(), UnknownTypeUse{diagnostics_.size(), 0});
    ++use->second.columns;
    if (first) {
      Note(Loc(key.file, Class(key).line, Class(key).column),
           "class " + Class(key).name + " derives from " + unread.front() +
               ", which the analyzer cannot read: columns, keys and indexes of table " + drafts_[state.table].name +
               " that the model does not declare are not reported");
    }
  }
  // `type_annotation_map` of the declarative base (anywhere in the full MRO): Mapped[X]
  // annotations of this class take their column types from it.
  auto [annotation_map, map_owner] = FindIn(state.mro, "type_annotation_map");
  annotation_map_ = annotation_map && annotation_map->value ? Deref(&*annotation_map->value) : nullptr;
  std::vector<std::string> order;
  std::set<std::string> seen;
  for (auto it = classes.rbegin(); it != classes.rend(); ++it) {
    for (const Binding& binding : Class(*it).body) {
      if (SkippedAttribute(binding.name) || seen.count(binding.name)) continue;
      seen.insert(binding.name);
      order.push_back(binding.name);
    }
  }
  const int table_index = state.table;
  for (const auto& name : order) {
    auto [binding, owner] = FindIn(classes, name);
    if (!binding) continue;
    const Flavor flavor = states_[owner].flavor == Flavor::kNone ? state.flavor : states_[owner].flavor;
    filling_ = std::make_pair(owner, key);
    auto column = BindingColumn(*binding, owner.file, flavor, key);
    filling_.reset();
    column_names_[{binding, flavor}] = column ? std::optional<std::string>(column->column.name) : std::nullopt;
    drafts_[table_index].class_attributes.push_back(name);
    if (!column && !binding->is_method && binding->value && binding->value->kind == ExprKind::kCall &&
        View(*binding->value).canonical == "Index") {
      // `by_expiry = Index("ix_x", expires_at)` in the class body: SQLAlchemy attaches it
      // to the table through its columns, as if it were in __table_args__.
      drafts_[table_index].constraint_items.push_back(&*binding->value);
    }
    if (!column) continue;
    // mapped_column(use_existing_column=True) in a single-table subclass: the table's column
    // stays as its first declaration made it.
    const bool reuse = !binding->is_method && binding->value && binding->value->kind == ExprKind::kCall &&
                       EvalBool(binding->value->Keyword("use_existing_column")).value_or(false);
    bool replaced = false;
    for (auto& existing : drafts_[state.table].columns) {
      if (existing.column.name == column->column.name) {
        if (!reuse) existing = std::move(*column);
        replaced = true;
        break;
      }
    }
    if (!replaced) drafts_[state.table].columns.push_back(std::move(*column));
  }
  annotation_map_ = nullptr;
  if (!state.own_table) return;  // single-table inheritance: the parent's __table_args__ rule
  TableDraft& own = drafts_[state.table];
  own.mapped_by.push_back(QualifiedClass(key));
  auto [args, owner] = FindIn(classes, "__table_args__");
  if (args) ReadTableArgs(*args, owner, key, &own);
}

}  // namespace dbaudit::python::detail

#include <algorithm>

#include "analyzer/python/model_reader_internal.hpp"
#include "analyzer/sql/normalize.hpp"

// Reader: MetaData (schema, naming conventions); __table_args__; Table() calls, module-level
// tables and indexes; constraints.
namespace dbaudit::python::detail {

// ----- metadata and naming conventions -----

auto Reader::MetaFromCall(const Expr* expr) -> Meta {
  Meta meta;
  expr = Deref(expr);
  if (!expr || expr->kind != ExprKind::kCall || Canonical(expr->Callee()) != "MetaData") return meta;
  meta.identity = Place(*expr);
  if (auto schema = EvalString(expr->Keyword("schema"))) meta.schema = *schema;
  const Expr* convention = Deref(expr->Keyword("naming_convention"));
  if (convention && convention->kind == ExprKind::kDict) {
    for (std::size_t i = 0; i + 1 < convention->children.size(); i += 2) {
      const Expr& key = convention->children[i];
      auto value = EvalString(&convention->children[i + 1]);
      if (!value) continue;
      std::string name;
      if (key.kind == ExprKind::kString) {
        name = key.text;
      } else {
        std::string canonical = Canonical(key);
        if (canonical == "Index") name = "ix";
        if (canonical == "UniqueConstraint") name = "uq";
        if (canonical == "CheckConstraint") name = "ck";
        if (canonical == "ForeignKeyConstraint") name = "fk";
        if (canonical == "PrimaryKeyConstraint") name = "pk";
      }
      if (!name.empty()) meta.convention[name] = *value;
    }
  }
  return meta;
}

auto Reader::MetaFromExpression(const Expr* expr, int depth) -> std::optional<Meta> {
  if (!expr || depth > kMaxResolveDepth) return std::nullopt;
  if (expr->kind == ExprKind::kCall) {
    if (Canonical(expr->Callee()) == "MetaData") return MetaFromCall(expr);
    return std::nullopt;
  }
  if (expr->kind == ExprKind::kAttribute && expr->text == "metadata") {
    const Expr& owner = expr->children[0];
    Ref ref = ResolveExpr(owner);
    if (ref.kind == Ref::kClass && ref.rest.empty()) {
      ClassKey key{ref.file, ref.index};
      Analyze(key);
      return states_[key].meta;
    }
    if (ref.kind == Ref::kAssign && ref.rest.empty()) return MetaFromBaseBinding(Assignment(ref), depth + 1);
    return std::nullopt;
  }
  if (expr->kind == ExprKind::kName || expr->kind == ExprKind::kAttribute) {
    Ref ref = ResolveExpr(*expr);
    if (ref.kind == Ref::kAssign && ref.rest.empty() && Assignment(ref).value) {
      return MetaFromExpression(&*Assignment(ref).value, depth + 1);
    }
  }
  return std::nullopt;
}

auto Reader::MetaFromBaseBinding(const Binding& binding, int depth) -> std::optional<Meta> {
  if (!binding.value || depth > kMaxResolveDepth) return std::nullopt;
  const Expr& value = *binding.value;
  if (value.kind != ExprKind::kCall) return MetaFromExpression(&value, depth + 1);
  std::string canonical = FactoryCanonical(value.Callee());
  if (canonical == "SQLAlchemy" || canonical == "declarative_base" || canonical == "registry") {
    if (const Expr* metadata = value.Keyword("metadata")) return MetaFromExpression(metadata, depth + 1);
    // SQLAlchemy(model_class=Base): db.Model uses Base's metadata.
    if (const Expr* model_class = value.Keyword("model_class")) {
      if (auto key = ProjectClass(*model_class); key && states_[*key].status == 2 && states_[*key].has_meta) {
        return states_[*key].meta;
      }
    }
    Meta own;  // the factory makes a MetaData of its own
    own.identity = Place(value);
    return own;
  }
  if (value.Callee().kind == ExprKind::kAttribute && value.Callee().text == "generate_base") {
    return MetaFromRegistry(&value.Callee().children[0], depth + 1);
  }
  return std::nullopt;
}

auto Reader::MetaFromRegistry(const Expr* registry, int depth) -> std::optional<Meta> {
  registry = Deref(registry);
  if (!registry || registry->kind != ExprKind::kCall || Canonical(registry->Callee()) != "registry") {
    return std::nullopt;
  }
  if (const Expr* metadata = registry->Keyword("metadata")) return MetaFromExpression(metadata, depth + 1);
  Meta own;
  own.identity = Place(*registry);
  return own;
}

// ----- __table_args__ -----

auto Reader::ReadTableArgs(const Binding& binding, ClassKey owner, ClassKey target, TableDraft* table) -> void {
  const Expr* args = binding.value ? Deref(&*binding.value) : nullptr;
  if (binding.is_method) {
    args = DeclaredAttrValue(binding, target);
    if (args) args = Deref(args);
  }
  if (!args) {
    Note(Loc(owner.file, binding.line, binding.column),
         "__table_args__ is computed by code the analyzer does not read");
    return;
  }
  std::vector<const Expr*> items;
  const Expr* dict = nullptr;
  if (args->kind == ExprKind::kDict) {
    dict = args;
  } else if (args->kind == ExprKind::kTuple || args->kind == ExprKind::kList) {
    for (const Expr& item : args->children) {
      const Expr* resolved = Deref(&item);
      if (resolved->kind == ExprKind::kDict && &item == &args->children.back()) {
        dict = resolved;
      } else {
        items.push_back(resolved);
      }
    }
  } else {
    Note(Loc(*args), "__table_args__ '" + args->source + "' is not a tuple or dict the analyzer can read");
    return;
  }
  for (const Expr* item : items) table->constraint_items.push_back(item);
  if (dict) {
    for (std::size_t i = 0; i + 1 < dict->children.size(); i += 2) {
      if (dict->children[i].kind != ExprKind::kString) continue;
      const std::string& key = dict->children[i].text;
      if (key == "comment") table->comment = EvalString(&dict->children[i + 1]).value_or("");
    }
  }
}

// ----- Table(...) -----

auto Reader::TableFromCall(const Expr& call, Meta* class_meta) -> int {
  if (call.kind != ExprKind::kCall) return -1;
  CallView view = View(call);
  if (view.canonical != "Table") return -1;
  if (view.positional.empty()) {
    Note(Loc(call), "Table() without a name");
    return -1;
  }
  auto name = EvalString(view.positional[0]);
  if (!name) {
    Note(Loc(*view.positional[0]), "Table name '" + view.positional[0]->source + "' is not readable");
    return -1;
  }
  Meta meta;
  if (class_meta) meta = *class_meta;
  // db.Table(...) uses db's metadata.
  if (view.callee->kind == ExprKind::kAttribute) {
    Ref owner = ResolveExpr(view.callee->children[0]);
    if (owner.kind == Ref::kAssign && owner.rest.empty()) {
      if (auto own = MetaFromBaseBinding(Assignment(owner), 0)) meta = *own;
    }
  }
  std::vector<const Expr*> columns;
  std::vector<const Expr*> constraints;
  for (std::size_t i = 1; i < view.positional.size(); ++i) {
    const Expr* argument = view.positional[i];
    if (argument->kind == ExprKind::kCall) {
      CallView inner = View(*argument);
      if (inner.canonical == "Column" || inner.canonical == "mapped_column") {
        columns.push_back(argument);
      } else if (inner.canonical == "MetaData") {
        meta = MetaFromCall(argument);
      } else {
        constraints.push_back(argument);
      }
    } else if (auto own = MetaFromExpression(argument)) {
      meta = *own;
    }
  }
  std::string schema = EvalString(view.Kw("schema")).value_or("");
  int index = NewDraft(*name, schema, Loc(call), call.file, meta);
  for (const Expr* column_call : columns) {
    CallView column_view = View(*column_call);
    ColumnContext context;
    context.table_column = true;
    context.location = Loc(*column_call);
    auto draft = ReadColumn(&column_view, context);
    if (draft) drafts_[index].columns.push_back(std::move(*draft));
  }
  drafts_[index].constraint_items = constraints;
  if (auto comment = EvalString(view.Kw("comment"))) drafts_[index].comment = *comment;
  return index;
}

auto Reader::ReadModuleTables() -> void {
  for (std::uint32_t f = 0; f < files_.size(); ++f) {
    if (!DeclaresModels(f)) continue;
    // Table() objects kept as attributes of a plain (unmapped) class, a registry of tables.
    for (std::uint32_t c = 0; c < files_[f].classes.size(); ++c) {
      const ClassState& state = states_[{f, c}];
      if (state.lineage || state.root) continue;
      for (const Binding& binding : files_[f].classes[c].body) {
        if (binding.is_method || !binding.value || binding.value->kind != ExprKind::kCall) continue;
        if (View(*binding.value).canonical != "Table") continue;
        int table = TableFromCall(*binding.value, nullptr);
        if (table >= 0) module_tables_[CallKey(*binding.value)] = table;
      }
      for (const Expr& call : files_[f].classes[c].calls) class_index_calls_.push_back({&call, {f, c}});
    }
    for (const Binding& binding : files_[f].assignments) {
      if (binding.is_method || !binding.value || binding.value->kind != ExprKind::kCall) continue;
      if (Canonical(binding.value->Callee()) != "Table" && View(*binding.value).canonical != "Table") continue;
      int table = TableFromCall(*binding.value, nullptr);
      if (table >= 0) module_tables_[CallKey(*binding.value)] = table;
    }
    for (const Expr& call : files_[f].calls) module_index_calls_.push_back(&call);
  }
}

auto Reader::FirstModelAttribute(const Expr& expr, int depth) -> const Expr* {
  if (depth > kMaxResolveDepth) return nullptr;
  if (expr.kind == ExprKind::kAttribute) {
    if (auto key = ProjectClass(expr.children[0]); key && states_[*key].lineage) return &expr;
  }
  if (expr.kind != ExprKind::kCall && expr.kind != ExprKind::kBinaryOp && expr.kind != ExprKind::kAttribute) {
    return nullptr;
  }
  for (std::size_t i = expr.kind == ExprKind::kCall ? 1 : 0; i < expr.children.size(); ++i) {
    if (const Expr* found = FirstModelAttribute(expr.children[i], depth + 1)) return found;
  }
  if (expr.kind == ExprKind::kCall && expr.Callee().kind == ExprKind::kAttribute) {
    return FirstModelAttribute(expr.Callee().children[0], depth + 1);  // User.name.desc()
  }
  return nullptr;
}

auto Reader::ReadModuleIndex(const Expr& call, std::optional<ClassKey> scope) -> void {
  if (Canonical(call.Callee()) != "Index" || call.PositionalCount() < 2) return;
  const Expr* found = FirstModelAttribute(call.Positional(1));
  const Expr& first = found ? *found : call.Positional(1);
  int table = -1;
  if (first.kind == ExprKind::kAttribute) {
    const Expr& owner = first.children[0];
    if (auto key = ProjectClass(owner)) {
      DecideTable(*key);
      table = states_[*key].table;
    } else if (owner.kind == ExprKind::kAttribute && (owner.text == "c" || owner.text == "columns")) {
      const Expr* table_expr = Deref(&owner.children[0]);
      if (scope && owner.children[0].kind == ExprKind::kName) {
        const Binding* attribute = Class(*scope).Find(owner.children[0].text);
        if (attribute && attribute->value && !attribute->is_method) table_expr = &*attribute->value;
      }
      auto known = table_expr ? module_tables_.find(CallKey(*table_expr)) : module_tables_.end();
      if (known != module_tables_.end()) table = known->second;
    }
  }
  if (table < 0) {
    Note(Loc(call), "Index() at module level whose table the analyzer cannot tell");
    return;
  }
  drafts_[table].constraint_items.push_back(&call);
}

// ----- constraints -----

auto Reader::ColumnRef(const Expr& expr, const TableDraft& table, bool* ok) -> std::string {
  auto by_attribute = [&](const std::string& key) {
    for (const auto& column : table.columns) {
      if (column.attribute == key || column.column.name == key) return column.column.name;
    }
    return key;
  };
  if (auto text = EvalString(&expr)) return by_attribute(*text);
  if (expr.kind == ExprKind::kAttribute) return by_attribute(expr.text);
  if (expr.kind == ExprKind::kName) {
    if (std::find(table.class_attributes.begin(), table.class_attributes.end(), expr.text) !=
        table.class_attributes.end()) {
      return by_attribute(expr.text);
    }
  }
  *ok = false;
  return expr.source;
}

auto Reader::Named(const Meta& meta, const char* kind, const std::string& explicit_name, ConventionTokens tokens)
    -> std::string {
  auto templ = meta.convention.find(kind);
  if (templ == meta.convention.end()) return explicit_name;
  bool uses_name = templ->second.find("%(constraint_name)s") != std::string::npos;
  if (!explicit_name.empty() && !uses_name) return explicit_name;
  if (explicit_name.empty() && uses_name) return "";
  tokens.constraint_name = explicit_name;
  return ApplyConvention(templ->second, tokens);
}

auto Reader::ReadConstraint(const Expr& item, const TableDraft& draft, ir::Table* table) -> void {
  if (item.kind != ExprKind::kCall) {
    Note(Loc(item), "table argument '" + item.source + "' is not readable");
    return;
  }
  CallView view = View(item);
  const std::string& kind = view.canonical;
  ConventionTokens tokens;
  tokens.table_name = draft.name;
  bool ok = true;
  std::string explicit_name = EvalString(view.Kw("name")).value_or("");
  if (kind == "UniqueConstraint" || kind == "PrimaryKeyConstraint") {
    std::vector<std::string> columns;
    for (const Expr* argument : view.positional) columns.push_back(ColumnRef(*argument, draft, &ok));
    if (!ok) {
      Note(Loc(item), kind + " names a column the analyzer cannot read");
      return;
    }
    tokens.columns = columns;
    if (kind == "UniqueConstraint") {
      ir::UniqueConstraint unique;
      unique.columns = columns;
      unique.location = Loc(item);
      unique.name = Named(draft.meta, "uq", explicit_name, tokens);
      table->unique_constraints.push_back(std::move(unique));
    } else {
      ir::PrimaryKey pk;
      pk.columns = columns;
      pk.location = Loc(item);
      pk.name = explicit_name;
      table->primary_key = pk;
      for (auto& column : table->columns) {
        if (std::find(columns.begin(), columns.end(), column.name) != columns.end()) column.nullable = false;
      }
    }
    return;
  }
  if (kind == "Index") {
    ir::Index index;
    index.location = Loc(item);
    std::size_t first = 0;
    if (!view.positional.empty()) {
      if (auto name = EvalString(view.positional[0])) {
        index.name = *name;
        first = 1;
      }
    }
    for (std::size_t i = first; i < view.positional.size(); ++i) {
      const Expr* key = view.positional[i];
      if (key->kind == ExprKind::kCall) {
        bool exact = true;
        auto text = RenderSql(key, &exact);
        const std::string callee = Canonical(key->Callee());
        if ((callee == "text" || callee == "literal_column") && text) {
          index.keys.push_back(sql::WithoutSortOrder(*text));
          continue;
        }
        if (!exact || !text) Note(Loc(*key), "index expression '" + key->source + "' is kept as written");
        index.keys.push_back(text ? *text : key->source);
        continue;
      }
      bool key_ok = true;
      index.keys.push_back(ColumnRef(*key, draft, &key_ok));
      if (!key_ok) Note(Loc(*key), "index key '" + key->source + "' is not readable");
    }
    index.unique = EvalBool(view.Kw("unique")).value_or(false);
    if (auto method = EvalString(view.Kw("postgresql_using"))) index.method = *method;
    if (const Expr* where = view.Kw("postgresql_where")) {
      bool exact = true;
      auto text = where->kind == ExprKind::kCall ? RenderSql(where, &exact) : std::optional<std::string>{};
      if (text && exact) {
        index.predicate = *text;
      } else {
        index.predicate = where->source;
        Note(Loc(*where), "partial index predicate '" + where->source + "' is kept as written");
      }
    }
    if (const Expr* include = view.Kw("postgresql_include");
        include && (include->kind == ExprKind::kList || include->kind == ExprKind::kTuple)) {
      for (const Expr& column : include->children) {
        bool include_ok = true;
        index.include.push_back(ColumnRef(column, draft, &include_ok));
      }
    }
    if (index.name.empty()) {
      tokens.columns = index.keys;
      index.name = Named(draft.meta, "ix", "", tokens);
    }
    table->indexes.push_back(std::move(index));
    return;
  }
  if (kind == "CheckConstraint") {
    ir::CheckConstraint check;
    check.location = Loc(item);
    const Expr* expression = view.positional.empty() ? view.Kw("sqltext") : view.positional[0];
    if (!expression) {
      Note(Loc(item), "CheckConstraint without an expression");
      return;
    }
    auto text = EvalString(expression);
    if (!text && expression->kind == ExprKind::kCall && Canonical(expression->Callee()) == "text" &&
        expression->PositionalCount() > 0) {
      text = EvalString(&expression->Positional(0));
    }
    if (!text) Note(Loc(*expression), "check expression '" + expression->source + "' is kept as written");
    check.expression = text ? *text : expression->source;
    check.name = Named(draft.meta, "ck", explicit_name, tokens);
    table->check_constraints.push_back(std::move(check));
    return;
  }
  if (kind == "ForeignKeyConstraint") {
    if (view.positional.size() < 2) {
      Note(Loc(item), "ForeignKeyConstraint without column lists");
      return;
    }
    const Expr* local = Deref(view.positional[0]);
    const Expr* remote = Deref(view.positional[1]);
    if ((local->kind != ExprKind::kList && local->kind != ExprKind::kTuple) ||
        (remote->kind != ExprKind::kList && remote->kind != ExprKind::kTuple)) {
      Note(Loc(item), "ForeignKeyConstraint column lists are not readable");
      return;
    }
    FkDraft fk;
    fk.location = Loc(item);
    for (const Expr& column : local->children) fk.columns.push_back(ColumnRef(column, draft, &ok));
    for (const Expr& target : remote->children) {
      if (!ReadReference(target, &fk)) ok = false;
    }
    if (!ok || fk.columns.size() != fk.referenced.size()) {
      Note(Loc(item), "ForeignKeyConstraint '" + item.source + "' is not readable");
      return;
    }
    ReadFkOptions(view, &fk);
    fk.name = explicit_name;
    table->foreign_keys.push_back(MakeForeignKey(fk, draft));
    return;
  }
  Note(Loc(item), "table argument '" + item.source.substr(0, 80) + "' is not one the analyzer reads");
}

}  // namespace dbaudit::python::detail

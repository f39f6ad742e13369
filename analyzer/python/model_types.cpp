#include <algorithm>

#include "analyzer/python/known_types.hpp"
#include "analyzer/python/model_reader_internal.hpp"

// Reader: column types from SQLAlchemy type expressions, enums and Python annotations
// (type_annotation_map included).
namespace dbaudit::python::detail {

// ----- types -----

auto Reader::EnumMembers(ClassKey key, bool values) -> std::vector<std::string> {
  std::vector<std::string> labels;
  for (const Binding& binding : Class(key).body) {
    if (binding.is_method || !binding.value || binding.name.empty() || binding.name[0] == '_') continue;
    if (values) {
      // A member written as a tuple (`ACTIVE = ("active", "Active")`) has its first item as value.
      const Expr* value = &*binding.value;
      if (value->kind == ExprKind::kTuple && !value->children.empty()) value = &value->children[0];
      auto text = EvalString(value);
      labels.push_back(text ? *text : value->source);
    } else {
      labels.push_back(binding.name);
    }
  }
  return labels;
}

auto Reader::EnumType(const CallView& view, const Expr& where) -> TypeResult {
  TypeResult result;
  EnumDraft draft;
  std::optional<ClassKey> enum_class;
  for (const Expr* argument : view.positional) {
    if (auto text = EvalString(argument)) {
      draft.labels.push_back(*text);
    } else if (auto key = ProjectClass(*argument); key && states_[*key].py_enum) {
      enum_class = key;
    } else if (argument->kind == ExprKind::kList || argument->kind == ExprKind::kTuple) {
      for (const Expr& item : argument->children) {
        if (auto text = EvalString(&item)) draft.labels.push_back(*text);
      }
    } else {
      result.problem = "Enum argument '" + argument->source + "' is not readable";
      return result;
    }
  }
  if (enum_class) draft.labels = EnumMembers(*enum_class, view.Kw("values_callable") != nullptr);
  if (auto name = EvalString(view.Kw("name"))) {
    draft.name = *name;
  } else if (enum_class) {
    draft.name = Lower(Class(*enum_class).name);
  }
  if (auto schema = EvalString(view.Kw("schema"))) draft.schema = *schema;
  if (draft.schema.empty()) {
    if (auto meta = MetaFromExpression(view.Kw("metadata"))) draft.schema = meta->schema;
  }
  draft.inherit_schema = EvalBool(view.Kw("inherit_schema")).value_or(false);
  if (!EvalBool(view.Kw("native_enum")).value_or(true)) {
    std::size_t longest = 0;
    for (const auto& label : draft.labels) longest = std::max(longest, label.size());
    auto length = EvalInt(view.Kw("length"));
    result.type = "character varying(" + std::to_string(length ? *length : static_cast<long long>(longest)) + ")";
    return result;
  }
  if (draft.name.empty()) {
    result.problem = "Enum without name=: PostgreSQL needs a type name";
    return result;
  }
  result.type = draft.name;  // qualified with the schema when the table is known
  if (!draft.labels.empty()) result.enum_draft = draft;
  if (draft.labels.empty()) result.enum_draft = EnumDraft{draft.name, draft.schema, {}, draft.inherit_schema};
  return result;
}

auto Reader::ResolveType(const Expr& expr, int depth) -> TypeResult {
  TypeResult result;
  if (depth > kMaxResolveDepth) {
    result.problem = "type alias chain too deep";
    return result;
  }
  const Expr* callee = expr.kind == ExprKind::kCall ? &expr.Callee() : &expr;
  if (expr.kind == ExprKind::kCall && callee->kind == ExprKind::kAttribute && callee->text == "with_variant") {
    const Expr* dialect = expr.PositionalCount() > 1 ? &expr.Positional(1) : expr.Keyword("dialect_name");
    auto name = EvalString(dialect);
    if (name && (*name == "postgresql" || *name == "postgres") && expr.PositionalCount() > 0) {
      return ResolveType(expr.Positional(0), depth + 1);
    }
    return ResolveType(callee->children[0], depth + 1);
  }
  if (expr.kind == ExprKind::kCall && callee->kind == ExprKind::kAttribute && callee->text == "as_mutable" &&
      expr.PositionalCount() > 0) {
    // MutableDict.as_mutable(JSONB), or a project's own Mutable subclass: the wrapped type.
    return ResolveType(expr.Positional(0), depth + 1);
  }
  if (callee->kind != ExprKind::kName && callee->kind != ExprKind::kAttribute) {
    result.problem = "column type '" + expr.source + "' is not readable";
    return result;
  }
  Ref ref = ResolveExpr(*callee);
  if (ref.kind == Ref::kClass && ref.rest.empty()) {
    ClassKey key{ref.file, ref.index};
    Analyze(key);
    if (states_[key].type_decorator) {
      // load_dialect_impl() decides the type per dialect (the GUID recipe: CHAR(32) impl,
      // UUID on PostgreSQL); the impl attribute is what every other dialect gets.
      auto [dialect_impl, dialect_owner] = FindIn(states_[key].mro, "load_dialect_impl");
      if (dialect_impl && dialect_impl->is_method) {
        const Expr* chosen = dialect_impl->postgres_returned ? &*dialect_impl->postgres_returned
                             : dialect_impl->returned        ? &*dialect_impl->returned
                                                             : nullptr;
        if (chosen && chosen->kind == ExprKind::kCall && chosen->Callee().kind == ExprKind::kAttribute &&
            chosen->Callee().text == "type_descriptor" && chosen->PositionalCount() >= 1) {
          chosen = &chosen->Positional(0);  // dialect.type_descriptor(UUID())
        }
        if (chosen) {
          TypeResult on_postgres = ResolveType(*chosen, depth + 1);
          if (!on_postgres.type.empty()) return on_postgres;
        }
      }
      auto [impl, owner] = FindIn(states_[key].mro, "impl");
      if (impl && impl->value) {
        const Expr& impl_type = *impl->value;
        if (expr.kind == ExprKind::kCall && expr.children.size() > 1 &&
            (impl_type.kind == ExprKind::kName || impl_type.kind == ExprKind::kAttribute)) {
          // TypeDecorator.__init__ passes its arguments to the impl class:
          // UTCDateTime(timezone=True) with impl = DateTime is DateTime(timezone=True).
          Expr forwarded = expr;
          forwarded.children[0] = impl_type;
          return ResolveType(forwarded, depth + 1);
        }
        return ResolveType(impl_type, depth + 1);
      }
      result.problem = "TypeDecorator " + Class(key).name + " has no readable impl";
      return result;
    }
    result.problem = "project type class " + Class(key).name + " is not a TypeDecorator the analyzer can read";
    return result;
  }
  if (ref.kind == Ref::kFunction && ref.rest.empty() && expr.kind == ExprKind::kCall) {
    // A helper returning a type (`key_type("Query")`): what it returns, when that does not
    // depend on its arguments.
    const Binding& helper = Assignment(ref);
    const Expr* returned = ReturnedValue(helper);
    if (returned && helper.locals.empty()) {
      TypeResult inner = ResolveType(*returned, depth + 1);
      if (!inner.type.empty()) return inner;
    }
    result.problem = "column type '" + callee->source + "(...)' is computed by a function the analyzer cannot follow";
    return result;
  }
  if (ref.kind == Ref::kAssign && ref.rest.empty()) {
    const Binding& binding = Assignment(ref);
    if (binding.value) {
      if (expr.kind == ExprKind::kCall && binding.value->kind == ExprKind::kCall) {
        result.problem = "column type '" + expr.source + "' is built by a call the analyzer cannot follow";
        return result;
      }
      if (expr.kind != ExprKind::kCall) return ResolveType(*binding.value, depth + 1);
    }
  }
  std::string name = Canonical(*callee);
  CallView view;
  if (expr.kind == ExprKind::kCall) view = View(expr);
  auto arg = [&](std::size_t i, const char* keyword) -> const Expr* {
    if (expr.kind != ExprKind::kCall) return nullptr;
    if (const Expr* value = view.Kw(keyword)) return value;
    return i < view.positional.size() ? view.positional[i] : nullptr;
  };
  auto length_type = [&](const std::string& base, const char* unsized) {
    const Expr* length = arg(0, "length");
    if (!length) return std::string(unsized);
    if (auto n = EvalInt(length)) return base + "(" + std::to_string(*n) + ")";
    result.problem = "length '" + length->source + "' is not a constant the analyzer can read";
    return std::string();
  };
  auto timed = [&](const std::string& base) {
    const Expr* tz = arg(0, "timezone");
    bool with_tz = EvalBool(tz).value_or(false);
    std::string precision;
    if (auto p = EvalInt(expr.kind == ExprKind::kCall ? view.Kw("precision") : nullptr)) {
      precision = "(" + std::to_string(*p) + ")";
    }
    return base + precision + (with_tz ? " with time zone" : " without time zone");
  };
  if (name == "String" || name == "VARCHAR" || name == "Unicode" || name == "NVARCHAR" || name == "AutoString") {
    result.type = length_type("character varying", "character varying");
  } else if (name == "CHAR" || name == "NCHAR") {
    result.type = length_type("character", "character(1)");
  } else if (name == "BIT") {
    result.type = length_type("bit", "bit(1)");
  } else if (name == "DateTime" || name == "TIMESTAMP" || name == "DATETIME") {
    result.type = timed("timestamp");
  } else if (name == "Time" || name == "TIME") {
    result.type = timed("time");
  } else if (name == "Float" || name == "FLOAT") {
    auto precision = EvalInt(arg(0, "precision"));
    result.type = precision && *precision <= 24 ? "real" : "double precision";
  } else if (name == "Numeric" || name == "NUMERIC" || name == "DECIMAL") {
    auto precision = EvalInt(arg(0, "precision"));
    auto scale = EvalInt(arg(1, "scale"));
    result.type =
        precision ? "numeric(" + std::to_string(*precision) + "," + std::to_string(scale.value_or(0)) + ")" : "numeric";
  } else if (name == "ARRAY") {
    const Expr* item = arg(0, "item_type");
    if (!item) {
      result.problem = "ARRAY without an item type";
      return result;
    }
    TypeResult inner = ResolveType(*item, depth + 1);
    if (inner.type.empty()) return inner;
    result.type = inner.type + "[]";
    result.enum_draft = inner.enum_draft;
  } else if (name == "Enum" || name == "ENUM") {
    if (expr.kind != ExprKind::kCall) {
      result.problem = "Enum used without arguments";
      return result;
    }
    return EnumType(view, expr);
  } else if (name == "ChoiceType") {
    // sqlalchemy_utils: ChoiceType(choices, impl=Integer()); without impl, Unicode(255).
    if (const Expr* impl = arg(1, "impl")) return ResolveType(*impl, depth + 1);
    result.type = "character varying(255)";
  } else if (name == "ArrowType") {
    result.type = timed("timestamp");  // sqlalchemy_utils: impl DateTime(timezone=...)
  } else if (name == "PasswordType") {
    // sqlalchemy_utils: VARBINARY(max_length) -> bytea on PostgreSQL.
    result.type = "bytea";
  } else if (name == "StringEncryptedType" || name == "EncryptedType") {
    // sqlalchemy_utils: impl String -> varchar, unbounded unless length= is given.
    result.type = length_type("character varying", "character varying");
  } else if (const KnownType* known = FindKnownType(name)) {
    result.type = known->postgres;
  } else if (result.problem.empty()) {
    result.problem = "column type '" + callee->source + "' is not one the analyzer knows";
  }
  result.integer = result.type == "integer" || result.type == "bigint" || result.type == "smallint";
  return result;
}

// ----- annotations -----

auto Reader::CollectUnion(const Expr* expr, std::vector<const Expr*>* out, bool* none, int depth) -> void {
  if (depth > kMaxResolveDepth) return;
  if (expr->kind == ExprKind::kNone) {
    *none = true;
  } else if (expr->kind == ExprKind::kBinaryOp && expr->text == "|") {
    CollectUnion(&expr->children[0], out, none, depth + 1);
    CollectUnion(&expr->children[1], out, none, depth + 1);
  } else if (expr->kind == ExprKind::kSubscript && Canonical(expr->children[0]) == "Optional" &&
             expr->children.size() == 2) {
    *none = true;
    CollectUnion(&expr->children[1], out, none, depth + 1);
  } else if (expr->kind == ExprKind::kSubscript && Canonical(expr->children[0]) == "Union") {
    for (std::size_t i = 1; i < expr->children.size(); ++i) CollectUnion(&expr->children[i], out, none, depth + 1);
  } else if (expr->kind == ExprKind::kName && expr->text == "None") {
    *none = true;
  } else {
    out->push_back(expr);
  }
}

auto Reader::Unwrap(const Expr& expr) -> Unwrapped {
  Unwrapped result;
  std::vector<const Expr*> items;
  CollectUnion(&expr, &items, &result.optional);
  if (items.size() == 1) result.inner = items[0];
  result.several = items.size() > 1;
  return result;
}

auto Reader::MappedInner(const Expr& annotation, bool* relationship_like) -> const Expr* {
  const Expr* expr = &annotation;
  if (expr->kind == ExprKind::kString) return nullptr;  // "Mapped[int]" as a string: not read
  if (expr->kind != ExprKind::kSubscript || expr->children.size() != 2) return nullptr;
  std::string canonical = Canonical(expr->children[0]);
  if (canonical == "WriteOnlyMapped" || canonical == "DynamicMapped") *relationship_like = true;
  if (canonical != "Mapped") return nullptr;
  return &expr->children[1];
}

auto Reader::AnnotatedColumn(const Expr& annotation) -> std::optional<CallView> {
  bool relationship_like = false;
  const Expr* inner = MappedInner(annotation, &relationship_like);
  if (!inner) return std::nullopt;
  Unwrapped unwrapped = Unwrap(*inner);
  if (!unwrapped.inner) return std::nullopt;
  const Expr* target = Deref(unwrapped.inner);
  if (!target || target->kind != ExprKind::kSubscript || Canonical(target->children[0]) != "Annotated") {
    return std::nullopt;
  }
  for (std::size_t i = 2; i < target->children.size(); ++i) {
    const Expr& item = target->children[i];
    if (item.kind == ExprKind::kCall) {
      CallView view = View(item);
      if (view.canonical == "mapped_column") return view;
    }
  }
  return std::nullopt;
}

auto Reader::AnnotationMapEntry(const Expr& annotation) -> const Expr* {
  if (!annotation_map_ || annotation_map_->kind != ExprKind::kDict) return nullptr;
  if (annotation.kind != ExprKind::kName && annotation.kind != ExprKind::kAttribute &&
      annotation.kind != ExprKind::kSubscript) {
    return nullptr;
  }
  auto same = [&](const Expr& key) {
    if (key.source == annotation.source) return true;
    if (key.kind == ExprKind::kSubscript || annotation.kind == ExprKind::kSubscript) return false;
    auto key_class = ProjectClass(key);
    auto annotation_class = ProjectClass(annotation);
    if (key_class || annotation_class) return key_class == annotation_class;
    const std::string canonical = Canonical(key);
    return !canonical.empty() && canonical == Canonical(annotation);
  };
  for (std::size_t i = 0; i + 1 < annotation_map_->children.size(); i += 2) {
    if (same(annotation_map_->children[i])) return &annotation_map_->children[i + 1];
  }
  return nullptr;
}

auto Reader::GenericEnumEntry() -> const Expr* {
  if (!annotation_map_ || annotation_map_->kind != ExprKind::kDict) return nullptr;
  for (std::size_t i = 0; i + 1 < annotation_map_->children.size(); i += 2) {
    const Expr& key = annotation_map_->children[i];
    if ((key.kind == ExprKind::kName || key.kind == ExprKind::kAttribute) && !ProjectClass(key) &&
        Canonical(key) == "Enum") {
      return &annotation_map_->children[i + 1];
    }
  }
  return nullptr;
}

auto Reader::PythonType(const Expr& expr, bool sqlmodel, const CallView* field, int depth) -> TypeResult {
  TypeResult result;
  if (depth > kMaxResolveDepth) {
    result.problem = "annotation alias chain too deep";
    return result;
  }
  if (const Expr* mapped_type = AnnotationMapEntry(expr)) return ResolveType(*mapped_type, depth + 1);
  if (const Expr* generic = GenericEnumEntry();
      generic && generic->kind == ExprKind::kCall && generic->PositionalCount() >= 1) {
    // `enum.Enum: Enum(enum.Enum, values_callable=...)` in the map serves every enum class
    // (SQLAlchemy looks the annotation's bases up): the same Enum() for this class.
    if (auto key = ProjectClass(expr); key && states_[*key].py_enum) {
      Expr specific = *generic;
      specific.children[1] = expr;
      return ResolveType(specific, depth + 1);
    }
  }
  if (expr.kind == ExprKind::kSubscript) {
    std::string head = Canonical(expr.children[0]);
    if (head == "Annotated" && expr.children.size() >= 2) {
      return PythonType(expr.children[1], sqlmodel, field, depth + 1);
    }
    result.problem = "annotation '" + expr.source + "' has no default column type";
    return result;
  }
  if (expr.kind != ExprKind::kName && expr.kind != ExprKind::kAttribute) {
    result.problem = "annotation '" + expr.source + "' is not readable";
    return result;
  }
  Ref ref = ResolveExpr(expr);
  if (ref.kind == Ref::kClass && ref.rest.empty()) {
    ClassKey key{ref.file, ref.index};
    Analyze(key);
    if (states_[key].py_enum) {
      EnumDraft draft{Lower(Class(key).name), "", EnumMembers(key, false)};
      result.type = draft.name;
      result.enum_draft = draft;
      return result;
    }
    result.problem = "annotation '" + expr.source + "' names a class that is no column type";
    return result;
  }
  if (ref.kind == Ref::kAssign && ref.rest.empty() && Assignment(ref).value) {
    const Expr& value = *Assignment(ref).value;
    if (value.kind == ExprKind::kSubscript && Canonical(value.children[0]) == "Annotated" &&
        value.children.size() >= 2) {
      Unwrapped unwrapped = Unwrap(value.children[1]);
      if (unwrapped.inner) return PythonType(*unwrapped.inner, sqlmodel, field, depth + 1);
    }
    return PythonType(value, sqlmodel, field, depth + 1);
  }
  std::string name = Canonical(expr);
  if (name == "int") {
    result.type = "integer";
    result.integer = true;
  } else if (name == "str" || (sqlmodel && (name == "EmailStr" || name == "IPv4Address" || name == "IPv6Address" ||
                                            name == "IPv4Network" || name == "IPv6Network" || name == "Path"))) {
    // SQLModel maps str and the str-like types it lists (get_sqlalchemy_type) to AutoString.
    result.type = "character varying";
    if (field) {
      if (auto length = EvalInt(field->Kw("max_length"))) result.type += "(" + std::to_string(*length) + ")";
    }
  } else if (name == "bool") {
    result.type = "boolean";
  } else if (name == "float") {
    result.type = "double precision";
  } else if (name == "Decimal") {
    result.type = "numeric";
    if (field) {
      auto digits = EvalInt(field->Kw("max_digits"));
      auto places = EvalInt(field->Kw("decimal_places"));
      if (digits) result.type += "(" + std::to_string(*digits) + "," + std::to_string(places.value_or(0)) + ")";
    }
  } else if (name == "datetime") {
    result.type = "timestamp without time zone";
  } else if (name == "date") {
    result.type = "date";
  } else if (name == "time") {
    result.type = "time without time zone";
  } else if (name == "timedelta") {
    result.type = "interval";
  } else if (name == "bytes") {
    result.type = "bytea";
  } else if (name == "UUID") {
    result.type = "uuid";
  } else {
    result.problem = "annotation '" + expr.source + "' has no default column type";
  }
  return result;
}

}  // namespace dbaudit::python::detail

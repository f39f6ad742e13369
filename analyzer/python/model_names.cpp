#include <algorithm>

#include "analyzer/python/model_reader_internal.hpp"

// Reader: modules, imports and names; library names behind project aliases; constants; strings a
// declared_attr computes from its class.
namespace dbaudit::python::detail {

namespace {

std::string Join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? separator : "") + parts[i];
  return out;
}

}  // namespace

// ----- name resolution -----

auto Reader::FindModule(const std::string& name) -> int {
  auto exact = modules_.find(name);
  if (exact != modules_.end()) return static_cast<int>(exact->second);
  // The other name a file imports as (the package chain, or the path below the project root).
  if (auto alias = alias_modules_.find(name); alias != alias_modules_.end()) return static_cast<int>(alias->second);
  auto cached = module_cache_.find(name);
  if (cached != module_cache_.end()) return cached->second;
  // A src/ layout or a project root above the package: match on a unique dotted suffix.
  if (!module_suffixes_built_) IndexModuleSuffixes();
  int found = -1;
  if (auto match = module_suffixes_.find(name); match != module_suffixes_.end()) found = match->second;
  if (found < 0) found = -1;
  module_cache_[name] = found;
  return found;
}

auto Reader::IndexModuleSuffixes() -> void {
  module_suffixes_built_ = true;
  for (const auto& [module, file] : modules_) {
    for (std::size_t dot = module.find('.'); dot != std::string::npos; dot = module.find('.', dot + 1)) {
      auto [it, inserted] = module_suffixes_.emplace(module.substr(dot + 1), static_cast<int>(file));
      if (!inserted) it->second = -2;
    }
  }
}

auto Reader::ResolveName(std::uint32_t file, const std::string& name, int depth, bool allow_bare) -> Ref {
  Ref ref;
  if (depth > kMaxResolveDepth) return ref;
  const auto& index = indexes_[file];
  auto klass = index.classes.find(name);
  auto binding = index.bindings.find(name);
  if (klass != index.classes.end() || binding != index.bindings.end()) {
    bool use_class = binding == index.bindings.end() ||
                     (klass != index.classes.end() &&
                      files_[file].classes[klass->second].line > files_[file].assignments[binding->second].line);
    ref.file = file;
    if (use_class) {
      ref.kind = Ref::kClass;
      ref.index = klass->second;
    } else {
      ref.kind = files_[file].assignments[binding->second].is_method ? Ref::kFunction : Ref::kAssign;
      ref.index = binding->second;
    }
    return ref;
  }
  auto import = files_[file].imports.find(name);
  if (import != files_[file].imports.end()) return ResolveQualified(import->second, depth + 1);
  for (const auto& star : files_[file].star_imports) {
    int module = FindModule(star);
    if (module < 0) continue;
    Ref inner = ResolveName(static_cast<std::uint32_t>(module), name, depth + 1, false);
    if (inner.kind != Ref::kNone && inner.kind != Ref::kExternal) return inner;
  }
  if (!allow_bare) return ref;
  ref.kind = Ref::kExternal;
  ref.external = name;
  return ref;
}

auto Reader::ResolveQualified(const std::string& qualified, int depth) -> Ref {
  Ref ref;
  if (depth > kMaxResolveDepth) return ref;
  auto parts = Split(qualified, '.');
  for (std::size_t k = parts.size(); k >= 1; --k) {
    std::vector<std::string> head(parts.begin(), parts.begin() + k);
    int module = FindModule(Join(head, "."));
    if (module < 0) continue;
    if (k == parts.size()) {
      ref.kind = Ref::kModule;
      ref.file = static_cast<std::uint32_t>(module);
      ref.external = files_[module].module;
      return ref;
    }
    Ref inner = ResolveName(static_cast<std::uint32_t>(module), parts[k], depth + 1, false);
    if (inner.kind == Ref::kNone) {
      // `from pkg import module` where pkg/__init__.py does not mention it.
      int submodule = FindModule(files_[module].module + "." + parts[k]);
      if (submodule >= 0) {
        inner.kind = Ref::kModule;
        inner.file = static_cast<std::uint32_t>(submodule);
        inner.external = files_[submodule].module;
      } else {
        break;
      }
    }
    for (std::size_t r = k + 1; r < parts.size(); ++r) inner.rest.push_back(parts[r]);
    if (inner.kind == Ref::kModule && !inner.rest.empty()) {
      return ResolveQualified(inner.external + "." + Join(inner.rest, "."), depth + 1);
    }
    if (inner.kind == Ref::kExternal && !inner.rest.empty()) {
      inner.external += "." + Join(inner.rest, ".");
      inner.rest.clear();
    }
    return inner;
  }
  ref.kind = Ref::kExternal;
  ref.external = qualified;
  return ref;
}

auto Reader::ResolveExpr(const Expr& expr, int depth) -> Ref {
  std::vector<std::string> path;
  const Expr* current = &expr;
  while (current->kind == ExprKind::kAttribute) {
    path.push_back(current->text);
    current = &current->children[0];
  }
  if (current->kind != ExprKind::kName) return {};
  path.push_back(current->text);
  std::reverse(path.begin(), path.end());
  // Name lookups depend only on the file and the dotted path: the same `db.Column` is
  // resolved thousands of times in a large project, so top-level results are cached.
  // Python runs a module top to bottom: a name used above a class statement of that name is
  // still what the module imported under it (`ForeignKey(Service.id)` before a pydantic
  // `class Service` further down).
  const FileSummary& file = files_[expr.file];
  const FileIndex& index = indexes_[expr.file];
  const bool imported_before = !index.imported_and_defined.empty() && index.imported_and_defined.count(path[0]) &&
                               expr.line > 0 && file.classes[index.classes.at(path[0])].line > expr.line;
  std::string cache_key;
  if (depth == 0) {
    cache_key = std::to_string(expr.file) + ':' + Join(path, ".") + (imported_before ? "<" : "");
    if (auto cached = resolve_cache_.find(cache_key); cached != resolve_cache_.end()) return cached->second;
  }
  Ref ref = ResolveTopLevel(expr, path, depth, imported_before ? &file.imports.at(path[0]) : nullptr);
  if (depth == 0) resolve_cache_.emplace(std::move(cache_key), ref);
  return ref;
}

auto Reader::ResolveTopLevel(const Expr& expr, const std::vector<std::string>& path, int depth,
                             const std::string* imported) -> Ref {
  Ref ref = imported ? ResolveQualified(*imported, depth + 1) : ResolveName(expr.file, path[0], depth, true);
  for (std::size_t i = 1; i < path.size(); ++i) ref.rest.push_back(path[i]);
  if (ref.kind == Ref::kModule && !ref.rest.empty()) {
    return ResolveQualified(ref.external + "." + Join(ref.rest, "."), depth + 1);
  }
  if (ref.kind == Ref::kExternal && !ref.rest.empty()) {
    ref.external += "." + Join(ref.rest, ".");
    ref.rest.clear();
  }
  return ref;
}

auto Reader::Leaf(const std::string& qualified) -> std::string {
  auto parts = Split(qualified, '.');
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    if (parts[i] == "func") return "func." + parts.back();
  }
  return parts.back();
}

auto Reader::IsSqlAlchemyInstance(const Binding& binding, int depth) -> bool {
  if (!binding.value || binding.value->kind != ExprKind::kCall) return false;
  return FactoryCanonical(binding.value->Callee(), depth + 1) == "SQLAlchemy";
}

auto Reader::FactoryCanonical(const Expr& callee, int depth) -> std::string {
  std::string canonical = Canonical(callee, depth);
  if (!canonical.empty() || depth > kMaxResolveDepth) return canonical;
  if (callee.kind != ExprKind::kName && callee.kind != ExprKind::kAttribute) return "";
  Ref ref = ResolveExpr(callee);
  if (ref.kind != Ref::kClass || !ref.rest.empty()) return "";
  for (const Expr& base : files_[ref.file].classes[ref.index].bases) {
    if (FactoryCanonical(base, depth + 1) == "SQLAlchemy") return "SQLAlchemy";
  }
  return "";
}

auto Reader::Canonical(const Expr& expr, int depth) -> std::string {
  if (depth > kMaxResolveDepth) return "";
  if (expr.kind != ExprKind::kName && expr.kind != ExprKind::kAttribute) return "";
  if (depth != 0) return CanonicalOf(expr, depth);
  // Like ResolveExpr's cache: a top-level answer depends only on the file and the dotted
  // path, and the same `db.Column` is asked for thousands of times.
  const Expr* root = &expr;
  while (root->kind == ExprKind::kAttribute) root = &root->children[0];
  if (root->kind != ExprKind::kName) return "";  // what ResolveExpr answers for such chains
  std::string cache_key = CacheKey(expr);
  if (auto cached = canonical_cache_.find(cache_key); cached != canonical_cache_.end()) return cached->second;
  std::string canonical = CanonicalOf(expr, depth);
  canonical_cache_.emplace(std::move(cache_key), canonical);
  return canonical;
}

auto Reader::CacheKey(const Expr& expr) -> std::string {
  std::string dotted;
  const Expr* current = &expr;
  while (current->kind == ExprKind::kAttribute) {
    dotted.insert(0, "." + current->text);
    current = &current->children[0];
  }
  return std::to_string(expr.file) + ':' + current->text + dotted;
}

auto Reader::CanonicalOf(const Expr& expr, int depth) -> std::string {
  Ref ref = ResolveExpr(expr, depth);
  if (ref.kind == Ref::kExternal) return Leaf(ref.external);
  if (ref.kind != Ref::kAssign) return "";
  const Binding& binding = Assignment(ref);
  if (!binding.value) return "";
  if (ref.rest.empty()) {
    if (binding.value->kind == ExprKind::kName || binding.value->kind == ExprKind::kAttribute) {
      return Canonical(*binding.value, depth + 1);
    }
    return "";
  }
  // `db.Column`, `db.func.now` where db = SQLAlchemy().
  if (IsSqlAlchemyInstance(binding, depth)) {
    if (ref.rest.size() == 1 && ref.rest[0] == "Model") return "flask.Model";
    return Leaf(Join(ref.rest, "."));
  }
  if (binding.value->kind == ExprKind::kName || binding.value->kind == ExprKind::kAttribute) {
    std::string base = Canonical(*binding.value, depth + 1);
    if (!base.empty()) return Leaf(base + "." + Join(ref.rest, "."));
  }
  return "";
}

auto Reader::View(const Expr& call, int depth) -> CallView {
  CallView view;
  view.call = &call;
  view.callee = &call.Callee();
  for (std::size_t i = 0; i < call.PositionalCount(); ++i) view.positional.push_back(&call.Positional(i));
  for (std::size_t i = 0; i < call.keywords.size(); ++i)
    view.keywords.emplace_back(call.keywords[i], &call.KeywordValue(i));
  if (depth < kMaxResolveDepth && (view.callee->kind == ExprKind::kName || view.callee->kind == ExprKind::kAttribute)) {
    Ref ref = ResolveExpr(*view.callee);
    if (ref.kind == Ref::kAssign && ref.rest.empty()) {
      const Binding& binding = Assignment(ref);
      if (binding.value && binding.value->kind == ExprKind::kCall && Canonical(binding.value->Callee()) == "partial" &&
          binding.value->PositionalCount() >= 1) {
        // NotNullColumn = partial(db.Column, nullable=False)
        const Expr& factory = *binding.value;
        CallView inner;
        inner.call = &call;
        inner.callee = &factory.Positional(0);
        for (std::size_t i = 1; i < factory.PositionalCount(); ++i) inner.positional.push_back(&factory.Positional(i));
        for (auto* p : view.positional) inner.positional.push_back(p);
        for (std::size_t i = 0; i < factory.keywords.size(); ++i) {
          inner.keywords.emplace_back(factory.keywords[i], &factory.KeywordValue(i));
        }
        for (auto& kw : view.keywords) inner.keywords.push_back(kw);
        inner.canonical = Canonical(*inner.callee);
        return inner;
      }
    }
  }
  view.canonical = Canonical(*view.callee);
  if (view.canonical.empty()) view.canonical = ForwardedCanonical(*view.callee);
  return view;
}

auto Reader::ForwardedCanonical(const Expr& callee) -> std::string {
  if (callee.kind != ExprKind::kName && callee.kind != ExprKind::kAttribute) return "";
  Ref ref = ResolveExpr(callee);
  if (ref.kind != Ref::kFunction || !ref.rest.empty()) return "";
  const Binding& function = Assignment(ref);
  const Expr* returned = function.last_returned ? &*function.last_returned : ReturnedValue(function);
  if (!returned || returned->kind != ExprKind::kCall || returned->PositionalCount() == 0) return "";
  const std::string& first = returned->Positional(0).source;
  if (first.size() < 2 || first[0] != '*' || first[1] == '*') return "";
  return Canonical(returned->Callee());
}

auto Reader::ProjectClass(const Expr& expr) -> std::optional<ClassKey> {
  if (expr.kind != ExprKind::kName && expr.kind != ExprKind::kAttribute) return std::nullopt;
  Ref ref = ResolveExpr(expr);
  if (ref.kind != Ref::kClass || !ref.rest.empty()) return std::nullopt;
  ClassKey key{ref.file, ref.index};
  Analyze(key);
  return key;
}

// ----- constants -----

auto Reader::EvalInt(const Expr* expr, int depth) -> std::optional<long long> {
  if (!expr || depth > kMaxResolveDepth) return std::nullopt;
  switch (expr->kind) {
    case ExprKind::kNumber: {
      std::string digits;
      for (char c : expr->text) {
        if (c != '_') digits += c;
      }
      try {
        std::size_t used = 0;
        long long value = std::stoll(digits, &used, 0);
        if (used == digits.size()) return value;
      } catch (...) {
      }
      return std::nullopt;
    }
    case ExprKind::kName:
    case ExprKind::kAttribute: {
      Ref ref = ResolveExpr(*expr);
      if (ref.kind != Ref::kAssign || !ref.rest.empty()) return std::nullopt;
      const Binding& binding = Assignment(ref);
      return binding.value ? EvalInt(&*binding.value, depth + 1) : std::nullopt;
    }
    case ExprKind::kBinaryOp: {
      auto left = EvalInt(&expr->children[0], depth + 1);
      auto right = EvalInt(&expr->children[1], depth + 1);
      if (!left || !right) return std::nullopt;
      if (expr->text == "+") return *left + *right;
      if (expr->text == "-") return *left - *right;
      if (expr->text == "*") return *left * *right;
      if (expr->text == "//" && *right != 0) return *left / *right;
      return std::nullopt;
    }
    default: return std::nullopt;
  }
}

auto Reader::EvalString(const Expr* expr, int depth) -> std::optional<std::string> {
  if (!expr || depth > kMaxResolveDepth) return std::nullopt;
  if (expr->kind == ExprKind::kString) return expr->text;
  if (expr->kind == ExprKind::kAttribute && (expr->text == "name" || expr->text == "value") &&
      expr->children[0].kind == ExprKind::kCall) {
    // `Mode.default().name` with `@classmethod def default(cls): return cls.ON` on an enum.
    const Expr& call = expr->children[0];
    if (call.PositionalCount() != 0 || !call.keywords.empty() || call.Callee().kind != ExprKind::kAttribute) {
      return std::nullopt;
    }
    Ref ref = ResolveExpr(call.Callee());
    if (ref.kind != Ref::kClass || ref.rest.size() != 1) return std::nullopt;
    const ClassKey key{ref.file, ref.index};
    Analyze(key);
    auto [method, owner] = FindIn(states_[key].mro, ref.rest[0]);
    const Expr* result = method && method->is_method && !method->parameters.empty() ? ReturnedValue(*method) : nullptr;
    if (!result || result->kind != ExprKind::kAttribute || result->children[0].kind != ExprKind::kName ||
        result->children[0].text != method->parameters[0]) {
      return std::nullopt;
    }
    return EnumMemberString(key, result->text, expr->text == "value", depth + 1);
  }
  if (expr->kind == ExprKind::kName || expr->kind == ExprKind::kAttribute) {
    Ref ref = ResolveExpr(*expr);
    if (ref.kind == Ref::kClass && ref.rest.size() == 2 && (ref.rest[1] == "value" || ref.rest[1] == "name")) {
      return EnumMemberString({ref.file, ref.index}, ref.rest[0], ref.rest[1] == "value", depth);
    }
    if (ref.kind == Ref::kClass && ref.rest.size() == 1 && ref.rest[0] == "__tablename__") {
      // `Other.__tablename__`: the name decided for that model, however it is computed.
      const ClassKey key{ref.file, ref.index};
      Analyze(key);
      DecideTable(key);
      const ClassState& state = states_[key];
      if (state.table_status == 2 && state.table >= 0 && state.own_table) return drafts_[state.table].name;
      const Binding* own = Class(key).Find("__tablename__");
      return own && own->value ? EvalString(&*own->value, depth + 1) : std::nullopt;
    }
    if (ref.kind != Ref::kAssign || !ref.rest.empty()) return std::nullopt;
    const Binding& binding = Assignment(ref);
    return binding.value ? EvalString(&*binding.value, depth + 1) : std::nullopt;
  }
  if (expr->kind == ExprKind::kBinaryOp && expr->text == "+") {
    auto left = EvalString(&expr->children[0], depth + 1);
    auto right = EvalString(&expr->children[1], depth + 1);
    if (left && right) return *left + *right;
  }
  if (expr->kind == ExprKind::kFString) {
    std::string text;
    for (const Expr& part : expr->children) {
      auto value = EvalString(&part, depth + 1);
      if (!value) return std::nullopt;
      text += *value;
    }
    return text;
  }
  return std::nullopt;
}

auto Reader::EnumMemberString(ClassKey key, const std::string& member, bool value, int depth)
    -> std::optional<std::string> {
  Analyze(key);
  if (!states_[key].py_enum) return std::nullopt;
  const Binding* binding = Class(key).Find(member);
  if (!binding || binding->is_method || !binding->value) return std::nullopt;
  if (!value) return member;
  const Expr* item = &*binding->value;
  if (item->kind == ExprKind::kTuple && !item->children.empty()) item = &item->children[0];
  return EvalString(item, depth + 1);
}

auto Reader::EvalBool(const Expr* expr, int depth) -> std::optional<bool> {
  if (!expr || depth > kMaxResolveDepth) return std::nullopt;
  if (expr->kind == ExprKind::kTrue) return true;
  if (expr->kind == ExprKind::kFalse) return false;
  if (expr->kind == ExprKind::kNone) return false;
  if (expr->kind == ExprKind::kNumber) return expr->text != "0";
  if (expr->kind == ExprKind::kName || expr->kind == ExprKind::kAttribute) {
    Ref ref = ResolveExpr(*expr);
    if (ref.kind != Ref::kAssign || !ref.rest.empty()) return std::nullopt;
    const Binding& binding = Assignment(ref);
    return binding.value ? EvalBool(&*binding.value, depth + 1) : std::nullopt;
  }
  return std::nullopt;
}

auto Reader::Deref(const Expr* expr, int depth) -> const Expr* {
  while (expr && (expr->kind == ExprKind::kName || expr->kind == ExprKind::kAttribute) && depth++ < kMaxResolveDepth) {
    Ref ref = ResolveExpr(*expr);
    if (ref.kind != Ref::kAssign || !ref.rest.empty()) return expr;
    const Binding& binding = Assignment(ref);
    if (!binding.value) return expr;
    expr = &*binding.value;
  }
  return expr;
}

// ----- strings computed from the class (declared_attr recipes) -----

auto Reader::ReturnedValue(const Binding& function) -> const Expr* {
  if (function.final_returned) return &*function.final_returned;
  return function.returned ? &*function.returned : nullptr;
}

auto Reader::EvalFunctionString(const Binding& function, const std::vector<ClassArgument>& arguments, ClassKey target,
                                int depth) -> std::optional<std::string> {
  if (depth > kMaxResolveDepth) return std::nullopt;
  const Expr* result = ReturnedValue(function);
  if (!result) return std::nullopt;
  StringEnv env;
  for (std::size_t i = 0; i < arguments.size() && i < function.parameters.size(); ++i) {
    if (arguments[i].text) {
      env.strings[function.parameters[i]] = *arguments[i].text;
    } else {
      env.classes.insert(function.parameters[i]);
    }
  }
  if (function.parameters.empty() && arguments.size() == 1 && !arguments[0].text) env.classes.insert("cls");
  for (const auto& [name, value] : function.locals) {
    auto text = EvalClassString(value, target, env, depth + 1);
    if (!text) return std::nullopt;
    env.strings[name] = *text;
    env.classes.erase(name);
  }
  return EvalClassString(*result, target, env, depth + 1);
}

auto Reader::EvalClassString(const Expr& expr, ClassKey target, const StringEnv& env, int depth)
    -> std::optional<std::string> {
  if (depth > kMaxResolveDepth) return std::nullopt;
  switch (expr.kind) {
    case ExprKind::kString: return expr.text;
    case ExprKind::kName: {
      if (auto bound = env.strings.find(expr.text); bound != env.strings.end()) return bound->second;
      if (env.classes.count(expr.text)) return std::nullopt;
      return EvalString(&expr, depth + 1);
    }
    case ExprKind::kAttribute: {
      const Expr& object = expr.children[0];
      if (object.kind == ExprKind::kName && env.classes.count(object.text)) {
        if (expr.text == "__name__") return Class(target).name;
        if (expr.text == "__tablename__" && states_[target].table_status == 2 && states_[target].table >= 0 &&
            states_[target].own_table) {
          return drafts_[states_[target].table].name;  // the name decided for the class, however computed
        }
        // cls.__flavor__: the most derived class attribute of the mapped class.
        auto [attribute, owner] = FindIn(states_[target].mro, expr.text);
        if (!attribute || attribute->is_method || !attribute->value) return std::nullopt;
        return EvalClassString(*attribute->value, target, StringEnv{}, depth + 1);
      }
      return EvalString(&expr, depth + 1);
    }
    case ExprKind::kBinaryOp: {
      auto left = EvalClassString(expr.children[0], target, env, depth + 1);
      auto right = EvalClassString(expr.children[1], target, env, depth + 1);
      if (!left || !right) return std::nullopt;
      if (expr.text == "+") return *left + *right;
      if (expr.text == "%") {
        const std::size_t at = left->find("%s");
        if (at == std::string::npos) return std::nullopt;
        return left->substr(0, at) + *right + left->substr(at + 2);
      }
      return std::nullopt;
    }
    case ExprKind::kCall: return EvalStringCall(expr, target, env, depth);
    case ExprKind::kFString: {
      std::string text;
      for (const Expr& part : expr.children) {
        auto value = EvalClassString(part, target, env, depth + 1);
        if (!value) return std::nullopt;
        text += *value;
      }
      return text;
    }
    default: return std::nullopt;
  }
}

auto Reader::EvalStringCall(const Expr& call, ClassKey target, const StringEnv& env, int depth)
    -> std::optional<std::string> {
  const Expr& callee = call.Callee();
  std::vector<std::optional<std::string>> args;
  for (std::size_t i = 0; i < call.PositionalCount(); ++i) {
    args.push_back(EvalClassString(call.Positional(i), target, env, depth + 1));
  }
  auto all_known = [&] {
    return std::all_of(args.begin(), args.end(), [](const auto& arg) { return arg.has_value(); });
  };
  if (callee.kind == ExprKind::kAttribute && call.keywords.empty()) {
    // str methods on a computed string.
    const std::string& method = callee.text;
    if (auto object = EvalClassString(callee.children[0], target, env, depth + 1); object && all_known()) {
      std::string text = *object;
      if (method == "lower" && args.empty()) return Lower(text);
      if (method == "upper" && args.empty()) return Upper(text);
      if ((method == "strip" || method == "lstrip" || method == "rstrip") && args.size() <= 1) {
        const std::string chars = args.empty() ? std::string(" \t\n") : *args[0];
        std::size_t begin = 0;
        std::size_t end = text.size();
        if (method != "rstrip") begin = std::min(text.find_first_not_of(chars), text.size());
        if (method != "lstrip")
          end = text.find_last_not_of(chars) == std::string::npos ? begin : text.find_last_not_of(chars) + 1;
        return text.substr(begin, end > begin ? end - begin : 0);
      }
      if (method == "replace" && args.size() == 2 && !args[0]->empty()) {
        for (std::size_t at = text.find(*args[0]); at != std::string::npos;
             at = text.find(*args[0], at + args[1]->size())) {
          text.replace(at, args[0]->size(), *args[1]);
        }
        return text;
      }
      if (method == "format") {
        for (const auto& arg : args) {
          const std::size_t at = text.find("{}");
          if (at == std::string::npos) return std::nullopt;
          text.replace(at, 2, *arg);
        }
        return text;
      }
      return std::nullopt;
    }
  }
  const std::string canonical = Canonical(callee);
  if (canonical == "sub" && args.size() == 3 && all_known() && call.keywords.empty()) {
    return ApplyCaseSplitSub(*args[0], *args[1], *args[2]);  // re.sub(pattern, repl, text)
  }
  if (callee.kind == ExprKind::kAttribute && callee.children[0].kind == ExprKind::kName &&
      env.classes.count(callee.children[0].text)) {
    // cls._table_prefix(name): a classmethod of the mapped class, with cls bound to it.
    auto [method, owner] = FindIn(states_[target].mro, callee.text);
    if (!method || !method->is_method) return std::nullopt;
    std::vector<ClassArgument> arguments = {ClassArgument{}};
    for (const auto& arg : args) {
      if (!arg) return std::nullopt;
      arguments.push_back({arg});
    }
    return EvalFunctionString(*method, arguments, target, depth + 1);
  }
  Ref ref = callee.kind == ExprKind::kName || callee.kind == ExprKind::kAttribute ? ResolveExpr(callee) : Ref{};
  if (ref.kind == Ref::kFunction && ref.rest.empty()) {
    std::vector<ClassArgument> arguments;
    for (std::size_t i = 0; i < call.PositionalCount(); ++i) {
      const Expr& argument = call.Positional(i);
      if (argument.kind == ExprKind::kName && env.classes.count(argument.text)) {
        arguments.push_back({});
      } else if (args[i]) {
        arguments.push_back({args[i]});
      } else {
        return std::nullopt;
      }
    }
    return EvalFunctionString(Assignment(ref), arguments, target, depth + 1);
  }
  return std::nullopt;
}

// ----- declared_attr bodies bound to one mapped class -----

auto Reader::Mentions(const Expr& expr, const std::set<std::string>& names) -> bool {
  if (expr.kind == ExprKind::kName && names.count(expr.text)) return true;
  for (const Expr& child : expr.children) {
    if (Mentions(child, names)) return true;
  }
  return false;
}

auto Reader::StringAt(const Expr& where, std::string text) -> Expr {
  Expr literal;
  literal.kind = ExprKind::kString;
  literal.source = "'" + text + "'";
  literal.text = std::move(text);
  literal.file = where.file;
  literal.line = where.line;
  literal.column = where.column;
  return literal;
}

auto Reader::ScopeOf(const Binding& function) -> ClassScope {
  ClassScope scope;
  scope.env.classes.insert(function.parameters.empty() ? std::string("cls") : function.parameters[0]);
  scope.names = scope.env.classes;
  return scope;
}

auto Reader::Specialize(const Expr& expr, ClassKey target, const ClassScope& scope, int depth) -> Expr {
  if (depth > kMaxResolveDepth * 8 || !Mentions(expr, scope.names)) return expr;
  if (expr.kind == ExprKind::kName) {
    if (auto text = scope.env.strings.find(expr.text); text != scope.env.strings.end()) {
      return StringAt(expr, text->second);
    }
    if (auto local = scope.locals.find(expr.text); local != scope.locals.end()) return local->second;
    return expr;
  }
  Expr bound = expr;
  for (Expr& child : bound.children) child = Specialize(child, target, scope, depth + 1);
  switch (bound.kind) {
    case ExprKind::kAttribute:
    case ExprKind::kCall:
    case ExprKind::kBinaryOp:
    case ExprKind::kFString:
      if (Mentions(bound, scope.env.classes)) {
        if (auto text = EvalClassString(bound, target, scope.env, 0)) return StringAt(expr, *text);
      } else if (bound.kind == ExprKind::kFString || bound.kind == ExprKind::kBinaryOp) {
        if (auto text = EvalClassString(bound, target, StringEnv{}, 0)) return StringAt(expr, *text);
      }
      break;
    default: break;
  }
  return bound;
}

auto Reader::DeclaredAttrValue(const Binding& function, ClassKey target) -> const Expr* {
  const Expr* result = ReturnedValue(function);
  if (!result) return nullptr;
  ClassScope scope = ScopeOf(function);
  for (const auto& [name, value] : function.locals) {
    Expr bound = Specialize(value, target, scope);
    scope.env.classes.erase(name);
    scope.env.strings.erase(name);
    scope.locals.erase(name);
    if (bound.kind == ExprKind::kString) {
      scope.env.strings[name] = bound.text;
    } else {
      scope.locals[name] = std::move(bound);
    }
    scope.names.insert(name);
  }
  if (!Mentions(*result, scope.names)) return result;
  specialized_.push_back(Specialize(*result, target, scope));
  return &specialized_.back();
}

auto Reader::ReturnedFile(const Binding& binding, ClassKey fallback) -> std::uint32_t {
  if (binding.returned) return binding.returned->file;
  if (!binding.decorators.empty()) return binding.decorators[0].file;
  return fallback.file;
}

}  // namespace dbaudit::python::detail

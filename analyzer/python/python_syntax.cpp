#include "analyzer/python/python_syntax.hpp"

#include <cstring>
#include <memory>
#include <string_view>
#include <unordered_map>

#include <tree_sitter/api.h>

#include "analyzer/python/query_collect.hpp"

extern "C" const TSLanguage* tree_sitter_python(void);

namespace dbaudit::python {

const Expr* Expr::Keyword(const std::string& name) const {
  if (kind != ExprKind::kCall) return nullptr;
  for (std::size_t i = 0; i < keywords.size(); ++i) {
    if (keywords[i] == name) return &KeywordValue(i);
  }
  return nullptr;
}

const Binding* ClassDef::Find(const std::string& name) const {
  const Binding* found = nullptr;
  for (const auto& binding : body) {
    if (binding.name == name) found = &binding;  // the last definition wins, as in Python
  }
  return found;
}

const Expr* ClassDef::Keyword(const std::string& name) const {
  for (std::size_t i = 0; i < keyword_names.size(); ++i) {
    if (keyword_names[i] == name) return &keyword_values[i];
  }
  return nullptr;
}

std::string ModuleNameFromPath(const std::string& display_path, bool* is_package) {
  std::string path = display_path;
  if (path.size() > 3 && path.compare(path.size() - 3, 3, ".py") == 0) path.resize(path.size() - 3);
  *is_package = false;
  static const std::string kInit = "__init__";
  if (path == kInit) {
    *is_package = true;
    return "";
  }
  if (path.size() > kInit.size() + 1 &&
      path.compare(path.size() - kInit.size() - 1, std::string::npos, "/" + kInit) == 0) {
    path.resize(path.size() - kInit.size() - 1);
    *is_package = true;
  }
  for (char& c : path) {
    if (c == '/' || c == '\\') c = '.';
  }
  return path;
}

namespace {

constexpr std::size_t kMaxSourceText = 4000;
constexpr int kMaxExprDepth = 80;
constexpr int kMaxStatementDepth = 4;
constexpr std::size_t kMaxUnrolledValues = 64;

struct TreeDeleter {
  void operator()(TSTree* tree) const { ts_tree_delete(tree); }
};
struct ParserDeleter {
  void operator()(TSParser* parser) const { ts_parser_delete(parser); }
};

class Summarizer {
 public:
  Summarizer(const std::string& source, std::uint32_t file_index, FileSummary& out)
      : source_(source), file_index_(file_index), out_(out) {
    line_starts_.push_back(0);
    for (std::size_t i = 0; i < source_.size(); ++i) {
      if (source_[i] == '\n') line_starts_.push_back(static_cast<std::uint32_t>(i + 1));
    }
  }

  void Run(TSNode root) {
    ReportFirstError(root);
    Statements(root, 0, nullptr);
  }

 private:
  std::string_view Text(TSNode node) const {
    std::uint32_t start = ts_node_start_byte(node);
    std::uint32_t end = ts_node_end_byte(node);
    if (start > source_.size() || end > source_.size() || end < start) return {};
    return std::string_view(source_).substr(start, end - start);
  }

  static bool Is(TSNode node, const char* type) { return std::strcmp(ts_node_type(node), type) == 0; }

  // ts_node_child_by_field_name compares the name with every field name of the grammar on each
  // call; the names here are literals, so each thread looks each one up once.
  static TSNode Field(TSNode node, const char* name) {
    thread_local std::unordered_map<const char*, TSFieldId> ids;
    auto [it, inserted] = ids.try_emplace(name, 0);
    if (inserted) {
      it->second = ts_language_field_id_for_name(ts_tree_language(node.tree), name,
                                                 static_cast<std::uint32_t>(std::strlen(name)));
    }
    return ts_node_child_by_field_id(node, it->second);
  }

  // 1-based line and character column of a node's start.
  void Position(TSNode node, std::uint32_t* line, std::uint32_t* column) const {
    TSPoint point = ts_node_start_point(node);
    *line = point.row + 1;
    std::uint32_t line_start = point.row < line_starts_.size() ? line_starts_[point.row] : 0;
    std::uint32_t end = std::min<std::uint32_t>(line_start + point.column, static_cast<std::uint32_t>(source_.size()));
    std::uint32_t chars = 0;
    for (std::uint32_t i = line_start; i < end; ++i) {
      if ((static_cast<unsigned char>(source_[i]) & 0xC0) != 0x80) ++chars;
    }
    *column = chars + 1;
  }

  void ReportFirstError(TSNode root) {
    if (!ts_node_has_error(root)) return;
    // Iterative pre-order walk: deep trees must not overflow the stack.
    TSTreeCursor cursor = ts_tree_cursor_new(root);
    bool found = false;
    TSNode error_node = root;
    while (!found) {
      TSNode node = ts_tree_cursor_current_node(&cursor);
      if (ts_node_is_missing(node) || Is(node, "ERROR")) {
        error_node = node;
        found = true;
        break;
      }
      if (ts_node_has_error(node) && ts_tree_cursor_goto_first_child(&cursor)) continue;
      bool moved = false;
      while (!moved) {
        if (ts_tree_cursor_goto_next_sibling(&cursor)) {
          moved = true;
        } else if (!ts_tree_cursor_goto_parent(&cursor)) {
          break;
        }
      }
      if (!moved) break;
    }
    ts_tree_cursor_delete(&cursor);
    ir::Diagnostic diagnostic;
    diagnostic.rule_id = ir::kRulePythonSyntaxError;
    diagnostic.severity = ir::Severity::kWarning;
    diagnostic.location.file = out_.display_path;
    Position(error_node, &diagnostic.location.line, &diagnostic.location.column);
    if (found && ts_node_is_missing(error_node)) {
      diagnostic.message = std::string("Python syntax error: missing '") + ts_node_type(error_node) +
                           "'; the rest of the file is still read";
    } else {
      diagnostic.message = "Python syntax error; the rest of the file is still read";
    }
    out_.diagnostics.push_back(std::move(diagnostic));
  }

  // Module-level statements; compound statements (if/try/with) are entered a few levels deep
  // because imports and models are often guarded (`if TYPE_CHECKING:`).
  void Statements(TSNode parent, int depth, ClassDef* klass) {
    std::uint32_t count = ts_node_named_child_count(parent);
    for (std::uint32_t i = 0; i < count; ++i) {
      TSNode node = ts_node_named_child(parent, i);
      if (Is(node, "expression_statement")) {
        ExpressionStatement(node, klass);
      } else if (Is(node, "import_statement") && !klass) {
        Import(node);
      } else if (Is(node, "import_from_statement") && !klass) {
        ImportFrom(node);
      } else if (Is(node, "class_definition")) {
        if (!klass) Class(node, {});
      } else if (Is(node, "function_definition")) {
        Function(node, {}, klass);
      } else if (Is(node, "decorated_definition")) {
        Decorated(node, klass);
      } else if (Is(node, "for_statement") && !klass && depth < kMaxStatementDepth) {
        UnrolledLoop(node, depth);
      } else if (depth < kMaxStatementDepth && !klass &&
                 (Is(node, "if_statement") || Is(node, "try_statement") || Is(node, "with_statement") ||
                  Is(node, "block") || Is(node, "else_clause") || Is(node, "elif_clause") ||
                  Is(node, "except_clause") || Is(node, "finally_clause") || Is(node, "ERROR"))) {
        Statements(node, depth + 1, klass);
      } else if (depth < kMaxStatementDepth && klass && Is(node, "ERROR")) {
        Statements(node, depth + 1, klass);
      }
    }
  }

  // `for entity in ("user", "group"): <body>` at module level, over a literal tuple or list of
  // strings: the body is read once per value with the loop variable replaced by it, so that
  // tables made in such a loop (`Table(f"{entity}_map", ...)`) are read like written ones.
  void UnrolledLoop(TSNode node, int depth) {
    TSNode left = Field(node, "left");
    TSNode right = Field(node, "right");
    TSNode body = Field(node, "body");
    if (ts_node_is_null(left) || ts_node_is_null(right) || ts_node_is_null(body) || !Is(left, "identifier")) return;
    if (!Is(right, "tuple") && !Is(right, "list")) return;
    std::vector<std::string> values;
    std::uint32_t count = ts_node_named_child_count(right);
    for (std::uint32_t i = 0; i < count; ++i) {
      TSNode item = ts_node_named_child(right, i);
      bool interpolated = false;
      if (!Is(item, "string")) return;
      values.push_back(DecodeString(item, &interpolated));
      if (interpolated) return;
    }
    const std::string name(Text(left));
    if (loop_values_.count(name) || values.size() > kMaxUnrolledValues) return;
    // Definitions in the loop would be declared once per value: such a loop is left unread.
    std::uint32_t statements = ts_node_named_child_count(body);
    for (std::uint32_t i = 0; i < statements; ++i) {
      TSNode statement = ts_node_named_child(body, i);
      if (Is(statement, "class_definition") || Is(statement, "decorated_definition") ||
          Is(statement, "function_definition")) {
        return;
      }
    }
    for (const std::string& value : values) {
      loop_values_[name] = value;
      Statements(body, depth + 1, nullptr);
    }
    loop_values_.erase(name);
  }

  void ExpressionStatement(TSNode statement, ClassDef* klass) {
    TSNode node = ts_node_named_child(statement, 0);
    if (ts_node_is_null(node)) return;
    if (Is(node, "assignment")) {
      Assignment(node, klass);
    } else if (Is(node, "call")) {
      (klass ? klass->calls : out_.calls).push_back(Convert(node, 0));
    }
  }

  void Assignment(TSNode node, ClassDef* klass) {
    TSNode left = Field(node, "left");
    TSNode right = Field(node, "right");
    TSNode type = Field(node, "type");
    // `a = b = value`: every target gets the innermost value.
    while (!ts_node_is_null(right) && Is(right, "assignment")) right = Field(right, "right");
    if (ts_node_is_null(left) || !Is(left, "identifier")) return;
    Binding binding;
    binding.name = std::string(Text(left));
    Position(left, &binding.line, &binding.column);
    if (!ts_node_is_null(type)) binding.annotation = Convert(type, 0);
    if (!ts_node_is_null(right)) binding.value = Convert(right, 0);
    if (klass) {
      klass->body.push_back(std::move(binding));
    } else {
      out_.assignments.push_back(std::move(binding));
    }
  }

  void Import(TSNode node) {
    std::uint32_t count = ts_node_named_child_count(node);
    for (std::uint32_t i = 0; i < count; ++i) {
      TSNode name = ts_node_named_child(node, i);
      if (Is(name, "dotted_name")) {
        std::string dotted(Text(name));
        std::string head = dotted.substr(0, dotted.find('.'));
        out_.imports[head] = head;
      } else if (Is(name, "aliased_import")) {
        TSNode target = Field(name, "name");
        TSNode alias = Field(name, "alias");
        if (!ts_node_is_null(target) && !ts_node_is_null(alias)) {
          out_.imports[std::string(Text(alias))] = Dotted(target);
        }
      }
    }
  }

  std::string Dotted(TSNode node) const {
    std::string result;
    for (char c : Text(node)) {
      if (c != ' ' && c != '\t' && c != '\n' && c != '\\' && c != '\r') result += c;
    }
    return result;
  }

  std::string ResolveRelative(TSNode module_node) const {
    if (!Is(module_node, "relative_import")) return Dotted(module_node);
    std::string text = Dotted(module_node);
    std::size_t dots = 0;
    while (dots < text.size() && text[dots] == '.') ++dots;
    std::string rest = text.substr(dots);
    // The package of this module: the module itself for __init__.py, else its parent.
    std::string package = out_.module;
    if (!out_.is_package) {
      std::size_t cut = package.rfind('.');
      package = cut == std::string::npos ? "" : package.substr(0, cut);
    }
    for (std::size_t i = 1; i < dots; ++i) {
      std::size_t cut = package.rfind('.');
      package = cut == std::string::npos ? "" : package.substr(0, cut);
    }
    if (package.empty()) return rest;
    return rest.empty() ? package : package + "." + rest;
  }

  void ImportFrom(TSNode node) {
    TSNode module_node = Field(node, "module_name");
    if (ts_node_is_null(module_node)) return;
    std::string module = ResolveRelative(module_node);
    std::uint32_t count = ts_node_named_child_count(node);
    for (std::uint32_t i = 0; i < count; ++i) {
      TSNode child = ts_node_named_child(node, i);
      if (ts_node_eq(child, module_node)) continue;
      std::string prefix = module.empty() ? "" : module + ".";
      if (Is(child, "wildcard_import")) {
        out_.star_imports.push_back(module);
      } else if (Is(child, "dotted_name")) {
        std::string name = Dotted(child);
        out_.imports[name] = prefix + name;
      } else if (Is(child, "aliased_import")) {
        TSNode target = Field(child, "name");
        TSNode alias = Field(child, "alias");
        if (!ts_node_is_null(target) && !ts_node_is_null(alias)) {
          out_.imports[std::string(Text(alias))] = prefix + Dotted(target);
        }
      }
    }
  }

  void Decorated(TSNode node, ClassDef* klass) {
    std::vector<Expr> decorators;
    std::uint32_t count = ts_node_named_child_count(node);
    for (std::uint32_t i = 0; i < count; ++i) {
      TSNode child = ts_node_named_child(node, i);
      if (Is(child, "decorator")) {
        TSNode expression = ts_node_named_child(child, 0);
        if (!ts_node_is_null(expression)) decorators.push_back(Convert(expression, 0));
      }
    }
    TSNode definition = Field(node, "definition");
    if (ts_node_is_null(definition)) return;
    if (Is(definition, "class_definition")) {
      if (!klass) Class(definition, std::move(decorators));
    } else if (Is(definition, "function_definition")) {
      Function(definition, std::move(decorators), klass);
    }
  }

  // `name = <expr>` as a statement of a function body.
  std::optional<std::pair<std::string, Expr>> LocalAssignment(TSNode statement) {
    if (!Is(statement, "expression_statement")) return std::nullopt;
    TSNode assignment = ts_node_named_child(statement, 0);
    if (ts_node_is_null(assignment) || !Is(assignment, "assignment")) return std::nullopt;
    TSNode left = Field(assignment, "left");
    TSNode right = Field(assignment, "right");
    if (ts_node_is_null(left) || ts_node_is_null(right) || !Is(left, "identifier")) return std::nullopt;
    return std::make_pair(std::string(Text(left)), Convert(right, 0));
  }

  // Statement `index` of `body` when it is `<target> = type(name, bases, namespace)`: the call,
  // with a `name` that is a local assigned earlier in the body replaced by that value.
  std::optional<Expr> BuiltClass(TSNode body, std::uint32_t index) {
    TSNode statement = ts_node_named_child(body, index);
    if (!Is(statement, "expression_statement")) return std::nullopt;
    TSNode assignment = ts_node_named_child(statement, 0);
    if (ts_node_is_null(assignment) || !Is(assignment, "assignment")) return std::nullopt;
    TSNode right = Field(assignment, "right");
    if (ts_node_is_null(right) || !Is(right, "call")) return std::nullopt;
    TSNode function = Field(right, "function");
    if (ts_node_is_null(function) || !Is(function, "identifier") || Text(function) != "type") return std::nullopt;
    Expr call = Convert(right, 0);
    if (call.kind != ExprKind::kCall || call.PositionalCount() != 3 || !call.keywords.empty()) return std::nullopt;
    Expr& name = call.children[1];
    if (name.kind == ExprKind::kName) {
      for (std::uint32_t i = index; i-- > 0;) {
        auto local = LocalAssignment(ts_node_named_child(body, i));
        if (local && local->first == name.text) {
          name = std::move(local->second);
          break;
        }
      }
    }
    return call;
  }

  // `if dialect.name == "postgresql": return X` -> X; `if dialect.name != "postgresql": ...
  // else: return X` -> X. Only a return directly in the chosen block counts.
  std::optional<Expr> PostgresBranchReturn(TSNode if_statement) {
    TSNode condition = Field(if_statement, "condition");
    if (ts_node_is_null(condition)) return std::nullopt;
    const std::string test(Text(condition));
    if (test.find("postgres") == std::string::npos) return std::nullopt;
    const bool negated = test.find("!=") != std::string::npos || test.find("not in") != std::string::npos;
    TSNode block = Field(if_statement, "consequence");
    if (negated) {
      block = TSNode{};
      std::uint32_t count = ts_node_named_child_count(if_statement);
      for (std::uint32_t i = 0; i < count; ++i) {
        TSNode child = ts_node_named_child(if_statement, i);
        if (Is(child, "else_clause")) block = Field(child, "body");
      }
    }
    if (ts_node_is_null(block)) return std::nullopt;
    std::uint32_t count = ts_node_named_child_count(block);
    for (std::uint32_t i = 0; i < count; ++i) {
      TSNode statement = ts_node_named_child(block, i);
      if (Is(statement, "return_statement") && ts_node_named_child_count(statement) > 0) {
        return Convert(ts_node_named_child(statement, 0), 0);
      }
    }
    return std::nullopt;
  }

  void Function(TSNode node, std::vector<Expr> decorators, ClassDef* klass) {
    TSNode name = Field(node, "name");
    if (ts_node_is_null(name)) return;
    Binding binding;
    binding.name = std::string(Text(name));
    binding.is_method = true;
    binding.decorators = std::move(decorators);
    Position(name, &binding.line, &binding.column);
    TSNode parameters = Field(node, "parameters");
    if (!ts_node_is_null(parameters)) {
      std::uint32_t count = ts_node_named_child_count(parameters);
      for (std::uint32_t i = 0; i < count; ++i) {
        TSNode parameter = ts_node_named_child(parameters, i);
        if (Is(parameter, "identifier")) {
          binding.parameters.emplace_back(Text(parameter));
        } else if (Is(parameter, "typed_parameter") || Is(parameter, "default_parameter") ||
                   Is(parameter, "typed_default_parameter")) {
          TSNode name_node = Field(parameter, "name");
          if (ts_node_is_null(name_node)) name_node = ts_node_named_child(parameter, 0);
          if (!ts_node_is_null(name_node) && Is(name_node, "identifier"))
            binding.parameters.emplace_back(Text(name_node));
        }
      }
    }
    TSNode body = Field(node, "body");
    if (!ts_node_is_null(body)) {
      std::uint32_t count = ts_node_named_child_count(body);
      bool first_statement = true;
      bool straight = true;
      for (std::uint32_t i = 0; i < count; ++i) {
        TSNode statement = ts_node_named_child(body, i);
        if (Is(statement, "comment")) continue;
        if (auto built = BuiltClass(body, i)) binding.built_classes.push_back(std::move(*built));
        if (Is(statement, "expression_statement") && i == 0) {
          TSNode inner = ts_node_named_child(statement, 0);
          if (!ts_node_is_null(inner) && Is(inner, "string")) continue;  // docstring
        }
        const bool returns = Is(statement, "return_statement") && ts_node_named_child_count(statement) > 0;
        if (first_statement && returns) binding.returned = Convert(ts_node_named_child(statement, 0), 0);
        first_statement = false;
        if (Is(statement, "if_statement") && !binding.postgres_returned) {
          binding.postgres_returned = PostgresBranchReturn(statement);
        }
        if (!straight) continue;
        if (returns) {
          // A body that is only a return has it in `returned` already: kept once.
          if (!binding.locals.empty()) binding.final_returned = Convert(ts_node_named_child(statement, 0), 0);
          straight = false;
        } else if (auto local = LocalAssignment(statement)) {
          binding.locals.push_back(std::move(*local));
        } else {
          straight = false;
        }
      }
      if (!binding.final_returned) binding.locals.clear();
      // A body of simple statements (no branch, loop or other return) that ends with a return.
      bool simple = true;
      for (std::uint32_t i = 0; i + 1 < count; ++i) {
        TSNode statement = ts_node_named_child(body, i);
        if (!Is(statement, "expression_statement") && !Is(statement, "comment")) simple = false;
      }
      if (simple && count > 0 && !binding.returned && !binding.final_returned) {
        TSNode statement = ts_node_named_child(body, count - 1);
        if (Is(statement, "return_statement") && ts_node_named_child_count(statement) > 0) {
          binding.last_returned = Convert(ts_node_named_child(statement, 0), 0);
        }
      }
    }
    if (klass) {
      klass->body.push_back(std::move(binding));
    } else {
      out_.assignments.push_back(std::move(binding));
    }
  }

  void Class(TSNode node, std::vector<Expr> decorators) {
    TSNode name = Field(node, "name");
    if (ts_node_is_null(name)) return;
    ClassDef klass;
    klass.name = std::string(Text(name));
    klass.decorators = std::move(decorators);
    Position(name, &klass.line, &klass.column);
    TSNode superclasses = Field(node, "superclasses");
    if (!ts_node_is_null(superclasses)) {
      std::uint32_t count = ts_node_named_child_count(superclasses);
      for (std::uint32_t i = 0; i < count; ++i) {
        TSNode base = ts_node_named_child(superclasses, i);
        if (Is(base, "comment")) continue;
        if (Is(base, "keyword_argument")) {
          TSNode key = Field(base, "name");
          TSNode value = Field(base, "value");
          if (ts_node_is_null(key) || ts_node_is_null(value)) continue;
          klass.keyword_names.emplace_back(Text(key));
          klass.keyword_values.push_back(Convert(value, 0));
        } else {
          klass.bases.push_back(Convert(base, 0));
        }
      }
    }
    TSNode body = Field(node, "body");
    if (!ts_node_is_null(body)) Statements(body, 0, &klass);
    out_.classes.push_back(std::move(klass));
  }

  std::string DecodeString(TSNode node, bool* interpolated) const {
    std::string result;
    std::string prefix;
    std::uint32_t count = ts_node_named_child_count(node);
    std::uint32_t content_start = ts_node_start_byte(node);
    std::uint32_t content_end = ts_node_end_byte(node);
    for (std::uint32_t i = 0; i < count; ++i) {
      TSNode child = ts_node_named_child(node, i);
      if (Is(child, "string_start")) {
        for (char c : Text(child)) {
          if (c != '"' && c != '\'') prefix += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        content_start = ts_node_end_byte(child);
      } else if (Is(child, "string_end")) {
        content_end = ts_node_start_byte(child);
      } else if (Is(child, "interpolation")) {
        *interpolated = true;
      }
    }
    if (content_end < content_start || content_end > source_.size()) return result;
    std::string_view raw = std::string_view(source_).substr(content_start, content_end - content_start);
    if (prefix.find('r') != std::string::npos) return std::string(raw);
    for (std::size_t i = 0; i < raw.size(); ++i) {
      char c = raw[i];
      if (c != '\\' || i + 1 >= raw.size()) {
        result += c;
        continue;
      }
      char next = raw[++i];
      switch (next) {
        case 'n': result += '\n'; break;
        case 't': result += '\t'; break;
        case '\\': result += '\\'; break;
        case '\'': result += '\''; break;
        case '"': result += '"'; break;
        case '\n': break;
        default: result += '\\'; result += next;
      }
    }
    return result;
  }

  // f"{PREFIX}_users": literal pieces and the interpolated expressions, so that names built
  // from module constants can be evaluated. `{x!r}` / `{x:>3}` are left unread (kOther);
  // `{x!s}` / `{x:s}` are `{x}` for the strings names are made of.
  Expr ConvertFString(TSNode node, int depth) const {
    Expr expr = Make(node, ExprKind::kFString);
    std::uint32_t count = ts_node_named_child_count(node);
    for (std::uint32_t i = 0; i < count; ++i) {
      TSNode child = ts_node_named_child(node, i);
      if (Is(child, "string_content")) {
        Expr piece = Make(child, ExprKind::kString);
        std::string_view raw = Text(child);
        for (std::size_t k = 0; k < raw.size(); ++k) {
          if ((raw[k] == '{' || raw[k] == '}') && k + 1 < raw.size() && raw[k + 1] == raw[k]) ++k;
          if (raw[k] == '\\') return Make(node, ExprKind::kOther);  // escapes: not worth decoding here
          piece.text += raw[k];
        }
        expr.children.push_back(std::move(piece));
      } else if (Is(child, "interpolation")) {
        TSNode inner = Field(child, "expression");
        if (ts_node_is_null(inner)) return Make(node, ExprKind::kOther);
        for (std::uint32_t k = 0; k < ts_node_named_child_count(child); ++k) {
          // `{x!s}` and `{x:s}` render a string as it is; any other conversion or format does not.
          TSNode extra = ts_node_named_child(child, k);
          if (ts_node_eq(extra, inner)) continue;
          const std::string_view text = Text(extra);
          if (!(Is(extra, "type_conversion") && text == "!s") && !(Is(extra, "format_specifier") && text == ":s")) {
            return Make(node, ExprKind::kOther);
          }
        }
        expr.children.push_back(Convert(inner, depth + 1));
      }
    }
    return expr;
  }

  Expr Make(TSNode node, ExprKind kind) const {
    Expr expr;
    expr.kind = kind;
    expr.file = file_index_;
    std::string_view text = Text(node);
    expr.source = std::string(text.substr(0, kMaxSourceText));
    Position(node, &expr.line, &expr.column);
    return expr;
  }

  Expr Convert(TSNode node, int depth) const {
    if (depth > kMaxExprDepth) return Make(node, ExprKind::kOther);
    const char* type = ts_node_type(node);
    std::string_view t(type);
    if (t == "identifier") {
      Expr expr = Make(node, ExprKind::kName);
      expr.text = expr.source;
      if (auto value = loop_values_.find(expr.text); value != loop_values_.end()) {
        expr.kind = ExprKind::kString;  // the loop variable of an unrolled module-level loop
        expr.text = value->second;
      }
      return expr;
    }
    if (t == "attribute") {
      TSNode object = Field(node, "object");
      TSNode attribute = Field(node, "attribute");
      if (ts_node_is_null(object) || ts_node_is_null(attribute)) return Make(node, ExprKind::kOther);
      Expr expr = Make(node, ExprKind::kAttribute);
      expr.text = std::string(Text(attribute));
      expr.children.push_back(Convert(object, depth + 1));
      return expr;
    }
    if (t == "call") return ConvertCall(node, depth);
    if (t == "string") {
      bool interpolated = false;
      Expr expr = Make(node, ExprKind::kString);
      expr.text = DecodeString(node, &interpolated);
      if (interpolated) return ConvertFString(node, depth);
      return expr;
    }
    if (t == "concatenated_string") {
      Expr expr = Make(node, ExprKind::kString);
      std::uint32_t count = ts_node_named_child_count(node);
      for (std::uint32_t i = 0; i < count; ++i) {
        TSNode part = ts_node_named_child(node, i);
        if (!Is(part, "string")) continue;
        bool interpolated = false;
        expr.text += DecodeString(part, &interpolated);
        if (interpolated) expr.kind = ExprKind::kOther;
      }
      return expr;
    }
    if (t == "integer" || t == "float") {
      Expr expr = Make(node, ExprKind::kNumber);
      expr.text = expr.source;
      return expr;
    }
    if (t == "true") return Make(node, ExprKind::kTrue);
    if (t == "false") return Make(node, ExprKind::kFalse);
    if (t == "none") return Make(node, ExprKind::kNone);
    if (t == "unary_operator") {
      TSNode operand = Field(node, "argument");
      if (!ts_node_is_null(operand) && (Is(operand, "integer") || Is(operand, "float"))) {
        Expr expr = Make(node, ExprKind::kNumber);
        expr.text = expr.source;
        return expr;
      }
      return Make(node, ExprKind::kOther);
    }
    if (t == "parenthesized_expression" || t == "type") {
      TSNode inner = FirstNamed(node);
      if (ts_node_is_null(inner)) return Make(node, ExprKind::kOther);
      return Convert(inner, depth + 1);
    }
    if (t == "subscript") {
      Expr expr = Make(node, ExprKind::kSubscript);
      TSNode value = Field(node, "value");
      if (ts_node_is_null(value)) return Make(node, ExprKind::kOther);
      expr.children.push_back(Convert(value, depth + 1));
      std::uint32_t count = ts_node_named_child_count(node);
      for (std::uint32_t i = 0; i < count; ++i) {
        TSNode child = ts_node_named_child(node, i);
        if (ts_node_eq(child, value) || Is(child, "comment")) continue;
        AppendFlattened(child, depth, &expr);
      }
      return expr;
    }
    if (t == "generic_type") {
      // `Mapped[int]` in an annotation: identifier + type_parameter.
      Expr expr = Make(node, ExprKind::kSubscript);
      std::uint32_t count = ts_node_named_child_count(node);
      for (std::uint32_t i = 0; i < count; ++i) {
        TSNode child = ts_node_named_child(node, i);
        if (Is(child, "type_parameter")) {
          std::uint32_t params = ts_node_named_child_count(child);
          for (std::uint32_t j = 0; j < params; ++j) {
            AppendFlattened(ts_node_named_child(child, j), depth, &expr);
          }
        } else {
          expr.children.push_back(Convert(child, depth + 1));
        }
      }
      if (expr.children.empty()) return Make(node, ExprKind::kOther);
      return expr;
    }
    if (t == "member_type") {
      // `sa.orm.Mapped` inside an annotation.
      std::uint32_t count = ts_node_named_child_count(node);
      if (count == 0) return Make(node, ExprKind::kOther);
      Expr current = Convert(ts_node_named_child(node, 0), depth + 1);
      for (std::uint32_t i = 1; i < count; ++i) {
        TSNode child = ts_node_named_child(node, i);
        Expr attribute = Make(node, ExprKind::kAttribute);
        attribute.text = std::string(Text(child));
        attribute.children.push_back(std::move(current));
        current = std::move(attribute);
      }
      return current;
    }
    if (t == "union_type" || t == "binary_operator") {
      Expr expr = Make(node, ExprKind::kBinaryOp);
      if (t == "union_type") {
        expr.text = "|";
      } else {
        TSNode op = Field(node, "operator");
        if (!ts_node_is_null(op)) expr.text = std::string(Text(op));
      }
      std::uint32_t count = ts_node_named_child_count(node);
      for (std::uint32_t i = 0; i < count; ++i) {
        TSNode child = ts_node_named_child(node, i);
        if (Is(child, "comment")) continue;
        expr.children.push_back(Convert(child, depth + 1));
      }
      if (expr.children.size() != 2) return Make(node, ExprKind::kOther);
      return expr;
    }
    if (t == "tuple" || t == "list" || t == "expression_list" || t == "set") {
      Expr expr = Make(node, t == "list" ? ExprKind::kList : ExprKind::kTuple);
      std::uint32_t count = ts_node_named_child_count(node);
      for (std::uint32_t i = 0; i < count; ++i) {
        TSNode child = ts_node_named_child(node, i);
        if (Is(child, "comment")) continue;
        expr.children.push_back(Convert(child, depth + 1));
      }
      return expr;
    }
    if (t == "dictionary") {
      Expr expr = Make(node, ExprKind::kDict);
      std::uint32_t count = ts_node_named_child_count(node);
      for (std::uint32_t i = 0; i < count; ++i) {
        TSNode pair = ts_node_named_child(node, i);
        if (!Is(pair, "pair")) continue;
        TSNode key = Field(pair, "key");
        TSNode value = Field(pair, "value");
        if (ts_node_is_null(key) || ts_node_is_null(value)) continue;
        expr.children.push_back(Convert(key, depth + 1));
        expr.children.push_back(Convert(value, depth + 1));
      }
      return expr;
    }
    if (t == "lambda") return Make(node, ExprKind::kLambda);
    return Make(node, ExprKind::kOther);
  }

  static TSNode FirstNamed(TSNode node) {
    std::uint32_t count = ts_node_named_child_count(node);
    for (std::uint32_t i = 0; i < count; ++i) {
      TSNode child = ts_node_named_child(node, i);
      if (!Is(child, "comment")) return child;
    }
    return TSNode{};
  }

  // Subscript items: `Annotated[int, x]` gives two items, whether tree-sitter made a tuple or not.
  void AppendFlattened(TSNode child, int depth, Expr* expr) const {
    if (Is(child, "expression_list") || Is(child, "tuple")) {
      std::uint32_t count = ts_node_named_child_count(child);
      for (std::uint32_t i = 0; i < count; ++i) {
        TSNode item = ts_node_named_child(child, i);
        if (!Is(item, "comment")) expr->children.push_back(Convert(item, depth + 1));
      }
      return;
    }
    expr->children.push_back(Convert(child, depth + 1));
  }

  Expr ConvertCall(TSNode node, int depth) const {
    TSNode function = Field(node, "function");
    TSNode arguments = Field(node, "arguments");
    if (ts_node_is_null(function)) return Make(node, ExprKind::kOther);
    Expr expr = Make(node, ExprKind::kCall);
    expr.children.push_back(Convert(function, depth + 1));
    if (ts_node_is_null(arguments) || !Is(arguments, "argument_list")) return expr;
    std::vector<Expr> keyword_values;
    std::uint32_t count = ts_node_named_child_count(arguments);
    for (std::uint32_t i = 0; i < count; ++i) {
      TSNode argument = ts_node_named_child(arguments, i);
      if (Is(argument, "comment")) continue;
      if (Is(argument, "keyword_argument")) {
        TSNode key = Field(argument, "name");
        TSNode value = Field(argument, "value");
        if (ts_node_is_null(key) || ts_node_is_null(value)) continue;
        expr.keywords.emplace_back(Text(key));
        keyword_values.push_back(Convert(value, depth + 1));
      } else {
        expr.children.push_back(Convert(argument, depth + 1));
      }
    }
    for (auto& value : keyword_values) expr.children.push_back(std::move(value));
    return expr;
  }

  const std::string& source_;
  std::uint32_t file_index_;
  FileSummary& out_;
  std::map<std::string, std::string> loop_values_;  // UnrolledLoop's variable -> current value
  std::vector<std::uint32_t> line_starts_;
};

}  // namespace

FileSummary SummarizePython(const std::string& source, const std::string& display_path, std::uint32_t file_index,
                            FileQueryFacts* query_facts, const std::string* module, bool is_package) {
  FileSummary summary;
  summary.display_path = display_path;
  summary.module = ModuleNameFromPath(display_path, &summary.is_package);
  if (module) {
    if (*module != summary.module) summary.module_alias = summary.module;
    summary.module = *module;
    summary.is_package = is_package;
  }
  // One parser per thread, reused across files.
  thread_local std::unique_ptr<TSParser, ParserDeleter> parser;
  if (!parser) {
    parser.reset(ts_parser_new());
    ts_parser_set_language(parser.get(), tree_sitter_python());
  }
  std::unique_ptr<TSTree, TreeDeleter> tree(
      ts_parser_parse_string(parser.get(), nullptr, source.data(), static_cast<std::uint32_t>(source.size())));
  if (!tree) {
    ir::Diagnostic diagnostic;
    diagnostic.rule_id = ir::kRulePythonSyntaxError;
    diagnostic.severity = ir::Severity::kWarning;
    diagnostic.message = "the Python parser gave up on this file";
    diagnostic.location.file = display_path;
    diagnostic.incomplete = true;
    summary.diagnostics.push_back(std::move(diagnostic));
    return summary;
  }
  Summarizer summarizer(source, file_index, summary);
  summarizer.Run(ts_tree_root_node(tree.get()));
  if (query_facts) {
    query_facts->display_path = display_path;
    query_facts->file = file_index;
    CollectQueryFacts(ts_tree_root_node(tree.get()), source, query_facts);
  }
  return summary;
}

}  // namespace dbaudit::python

#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/ir/diagnostic.hpp"
#include "analyzer/ir/location.hpp"

// A small, tree-sitter-free view of one Python file: just what the model reader needs, so
// trees can be freed right after parsing and cross-file resolution runs on plain structs.
namespace dbaudit::python {

enum class ExprKind {
  kName,       // text = identifier
  kAttribute,  // children[0] = object, text = attribute name
  kCall,       // children[0] = callee, then positional args, then keyword values (names in `keywords`)
  kString,     // text = decoded value
  kNumber,     // text = literal as written
  kTrue,
  kFalse,
  kNone,
  kSubscript,  // children[0] = value, then the index items
  kTuple,
  kList,
  kDict,      // children = key0, value0, key1, value1, ...
  kBinaryOp,  // text = operator, children = left, right ("|" unions included)
  kLambda,
  kFString,  // f"...": children = literal pieces (kString) and interpolated expressions, in
             // order; an interpolation with a conversion or format spec makes it kOther
  kOther,    // anything else (kept as source text)
};

struct Expr {
  ExprKind kind = ExprKind::kOther;
  std::string text;
  std::string source;  // source text (truncated for very large expressions)
  std::vector<Expr> children;
  std::vector<std::string> keywords;  // kCall: names of the trailing keyword arguments
  std::uint32_t file = 0;             // index of the file the expression comes from
  std::uint32_t line = 0;             // 1-based
  std::uint32_t column = 0;           // 1-based, in characters

  // kCall helpers.
  const Expr& Callee() const { return children[0]; }
  std::size_t PositionalCount() const { return children.size() - 1 - keywords.size(); }
  const Expr& Positional(std::size_t i) const { return children[1 + i]; }
  const Expr* Keyword(const std::string& name) const;
  const Expr& KeywordValue(std::size_t i) const { return children[1 + PositionalCount() + i]; }
};

// A statement of a class body or of the module: `name[: annotation] [= value]`, or a method.
struct Binding {
  std::string name;
  std::optional<Expr> annotation;
  std::optional<Expr> value;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  // Methods (def) only.
  bool is_method = false;
  std::vector<Expr> decorators;
  std::optional<Expr> returned;         // the value of a body that is just `return <expr>` (docstring allowed)
  std::vector<std::string> parameters;  // names, in order (`self` / `cls` included)
  // A straight-line body (`a = f(x)`, `b = g(a)`, `return h(b)`): its local assignments in
  // order and the final return; empty / unset when the body has any other statement or is
  // only a return (then `returned` has it).
  std::vector<std::pair<std::string, Expr>> locals;
  std::optional<Expr> final_returned;
  // The return that ends any other body of simple statements (assignments, calls; no branch,
  // loop or other return), whatever they compute; unset when `returned` or
  // `final_returned` holds it. Each expression is kept once: every function of every file has
  // these.
  std::optional<Expr> last_returned;
  // What the function returns on PostgreSQL: the return inside `if <...postgres...>:` (or
  // the else of a `!=` test), as TypeDecorator.load_dialect_impl recipes are written.
  std::optional<Expr> postgres_returned;
  // `X = type(name, bases, namespace)` statements of the body (a mixin's declared_attr that
  // makes a mapped class per subclass): the type() calls, with a name argument that is a local
  // of the body replaced by the value assigned to it before.
  std::vector<Expr> built_classes;
};

struct ClassDef {
  std::string name;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  // Made by the model reader, not written in the file: a class a mixin's declared_attr builds
  // with type() for one mapped class (line / column: the type() call). It maps a table
  // whatever the role of the mixin's file, as the class it was built for does.
  bool built_by_mixin = false;
  std::vector<Expr> bases;
  std::vector<std::string> keyword_names;  // class Foo(Base, table=True)
  std::vector<Expr> keyword_values;
  std::vector<Expr> decorators;
  std::vector<Binding> body;  // in source order
  std::vector<Expr> calls;    // expression statements that are calls (`sa.Index(...)` in the body)
  const Binding* Find(const std::string& name) const;
  const Expr* Keyword(const std::string& name) const;
};

// What a file is to the model reader: only application files declare today's models.
enum class SourceRole {
  kApplication,
  kMigration,  // an Alembic / Flask-Migrate revision or a file under a migrations tree
  kTest,       // a test suite's file
  kContext,    // outside the given paths, read only to resolve what the given files import
};

struct FileSummary {
  std::string display_path;
  std::string module;        // dotted module name from the package layout (module_layout.hpp)
  std::string module_alias;  // another name the file imports as (module_layout.hpp), or ""
  bool is_package = false;
  SourceRole role = SourceRole::kApplication;
  std::map<std::string, std::string> imports;  // local name -> qualified name
  std::vector<std::string> star_imports;
  std::vector<Binding> assignments;  // module level, in order; functions have is_method set
  std::vector<ClassDef> classes;
  std::vector<Expr> calls;  // module-level expression statements that are calls (Index(...))
  std::vector<ir::Diagnostic> diagnostics;
};

struct FileQueryFacts;  // analyzer/python/query_facts.hpp

// Parses `source` (already checked to be text) and fills a summary. Never throws; syntax
// errors become a diagnostic and the readable rest is kept. With `query_facts`, the same tree
// also yields the file's query sites (the file is parsed once either way).
// `module` is the file's dotted name (ModuleNameFromPath(display_path) when empty and
// `is_package` unset).
FileSummary SummarizePython(const std::string& source, const std::string& display_path, std::uint32_t file_index,
                            FileQueryFacts* query_facts = nullptr, const std::string* module = nullptr,
                            bool is_package = false);

// "pkg/models/user.py" -> "pkg.models.user"; "pkg/__init__.py" -> "pkg".
std::string ModuleNameFromPath(const std::string& display_path, bool* is_package);

}  // namespace dbaudit::python

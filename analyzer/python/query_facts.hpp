#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/ir/query.hpp"

// What one Python file says about its database use, taken from the same tree as its model
// summary and kept without the tree: the value reaching each SQL sink as a small expression
// graph (function-local variables already substituted), plus names to resolve across files.
namespace dbaudit::python {

struct SqlValue;
using SqlValuePtr = std::shared_ptr<const SqlValue>;

// A position in the file the fact comes from (the file index is on the owning record).
struct Span {
  std::uint32_t line = 0;    // 1-based
  std::uint32_t column = 0;  // 1-based, in characters
  std::uint32_t end_line = 0;
  std::uint32_t end_column = 0;
};

struct SqlValue {
  enum class Kind {
    kLiteral,        // text + spans (string literals, implicit concatenation)
    kNumber,         // text = the number as written
    kRef,            // text = dotted name of a module-level value, resolved after all files are read
    kConcat,         // children joined (`+`, implicit concatenation with f-strings)
    kFString,        // children: kLiteral parts and kInterpolation parts
    kInterpolation,  // children[0] = value, text = expression source, spec = conversion / format spec
    kPercent,        // children[0] % children[1]
    kFormat,         // children[0].format(children[1..]); names = keyword names of the trailing children
    kJoin,           // children[0].join(children[1..]) (items of a literal list) or one unknown iterable
    kTuple,          // tuple / list literal
    kDict,           // names = string keys, children = values
    kText,           // sqlalchemy text(children[0])
    kConstruct,      // select()/insert()/update()/delete() or another SQLAlchemy statement object
    kHandle,         // a DB handle: text = "cursor" / "connection" / "engine" / "pool" / "session", spec = driver
    kAlternatives,   // assigned differently on different paths
    kUnknown,        // a parameter, a call result, ...: text = source (shortened)
  };
  Kind kind = Kind::kUnknown;
  std::string text;
  std::string spec;
  std::vector<ir::SqlSourceSpan> spans;  // kLiteral; `file` is left empty (the value's file)
  std::vector<SqlValuePtr> children;
  std::vector<std::string> names;
  std::uint32_t file = 0;
  Span span;
  std::uint32_t depth = 1;  // longest path to a leaf, to bound evaluation
};

// A call that may be a query site; confirmed and completed after resolution.
struct RawSite {
  ir::QueryKind kind = ir::QueryKind::kOrm;
  std::string api;
  Span span;
  ir::ParamStyle param_style = ir::ParamStyle::kUnknown;
  SqlValuePtr sql;  // raw SQL sinks: the value handed to the driver
  // Raw sinks whose argument may turn out to be a text()/select() object (reported where it is
  // built): drop the site when it does.
  bool drop_if_construct = false;
  bool no_sql = false;  // read_sql_table: a table name, no SQL
  bool execute = false;
  bool session_use = false;
  bool model_query = false;  // session.query / select: counts as a model query
  // Model.query: the dotted name before `.query`; the site exists only if it names a mapped class.
  std::vector<std::string> model_root;
  // The SQL goes to a database other than the audited PostgreSQL one: why ("sqlite3.connect",
  // "a branch for mysql"); empty when nothing says so.
  std::string other_database;
  ir::SqlPosition position = ir::SqlPosition::kUnknown;  // text(): where the fragment is used
};

struct RawEvent {
  ir::Interaction interaction = ir::Interaction::kRawSql;
  Span span;
};

// `X.a.b` with some capitalised part: X.a may be a model attribute.
struct RawAttributeUse {
  std::vector<std::string> path;
  std::vector<Span> spans;      // of each name in path
  std::string enclosing_class;  // the module-level class whose body holds the use ("" outside)
};

struct RawFilterBy {
  std::vector<std::string> entity;  // dotted name of the queried class
  std::string keyword;
  Span span;
};

// A name a class gets outside the bindings the model summary keeps, added to class X (and its
// subclasses): `X.attr = value` at module level, a class nested in X's body (`X.Status`),
// `cls.attr = value` in a declared_attr / classmethod of X. Also each hybrid_property /
// hybrid_method of X: a SQL expression at class level, so the attribute the summary keeps as a
// Python property is re-added as a plain attribute (filter_by and comparisons accept it).
struct RawAttributeAssignment {
  std::vector<std::string> path;
  std::string attribute;
  Span span;
};

struct FileQueryFacts {
  std::string display_path;
  std::uint32_t file = 0;
  std::vector<RawSite> sites;  // in source order
  std::vector<RawEvent> events;
  std::vector<RawAttributeUse> attribute_uses;
  std::vector<RawFilterBy> filter_by;
  std::vector<RawAttributeAssignment> attribute_assignments;
  std::map<std::string, SqlValuePtr> constants;  // module-level `NAME = value` (last wins)
  // Module-level classes whose body holds statements the summary does not read (if/for/try,
  // tuple targets, bare calls): attributes may be missing from them.
  std::vector<std::string> unreadable_classes;
  bool is_migration = false;
};

}  // namespace dbaudit::python

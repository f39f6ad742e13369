#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/ir/location.hpp"

// Where and how the code talks to the database: query sites found in the Python sources,
// what the SQL analysis learned from the SQL they send, and the model classes the ORM
// checks resolve attributes against. Filled by analyzer/python (sites, classes) and
// analyzer/sql (analyses); read by the query- rules and the inventory.
namespace dbaudit::ir {

// ----- SQL text as the code builds it -----

// How the string that reaches a SQL sink was built.
enum class SqlBuild {
  kLiteral,                // string literals only: implicit/constant concatenation, constants
  kConstantInterpolation,  // f-string, %, .format(), + or join() of values all known constants
  kDynamic,                // some part is a runtime value: injection risk, SQL not checkable
};
const char* ToString(SqlBuild build);

// The placeholder style the sink's driver expects; tells the normaliser what `%` and `?` mean.
enum class ParamStyle {
  kUnknown,   // accept every style
  kNamed,     // :name (sqlalchemy text(), session.execute(str))
  kPyformat,  // %s, %(name)s, %% is a literal % (psycopg2, psycopg 3, pandas with psycopg)
  kNumeric,   // $1 (asyncpg)
  kQmark,     // ? (sqlite3-style DB-API)
};

// A run of SqlText::text that came from one string literal, so that a byte offset in the
// SQL maps back to the Python file. A constant substituted into the SQL (a module constant, an
// imported one, an f-string of constants) gets spans at its own literal, possibly in another
// file. Bytes outside every span (values the reader computed) map to the site.
struct SqlSourceSpan {
  std::uint32_t text_begin = 0;  // byte offset in SqlText::text
  std::uint32_t text_end = 0;    // one past the last byte
  std::string file;              // display path of the file holding the literal
  std::uint32_t line = 0;        // 1-based position of text_begin's character in that file
  std::uint32_t column = 0;      // 1-based, in characters
  // False when the literal has escapes (\n, \x41, ...) that make decoded offsets drift from
  // the source columns: then offsets inside the span map to the span's start.
  bool exact = true;
};

struct SqlText {
  std::string text;                  // decoded SQL as it reaches the driver (constants substituted)
  std::vector<SqlSourceSpan> spans;  // sorted by text_begin, not overlapping
};

// ----- query sites (analyzer/python) -----

enum class QueryKind {
  kOrm,     // db.session.query(...), Model.query, select(Model), session.add/delete, ...
  kRawSql,  // a string (or a value built from strings) handed to a SQL sink
};

// Which database, in which state, a raw SQL site's text is written for. Only
// kAuditedDatabase SQL is resolved against the schema; the rest is checked for what still
// holds (syntax, how it is built) and its references are left alone or said as notes.
enum class SqlTarget {
  kAuditedDatabase,  // the application's PostgreSQL database as it is today
  kMigration,        // a migration revision: it ran against the schema of its time
  kTest,             // a test suite: it may create the tables it queries
  kOtherDatabase,    // SQLite, MySQL, another driver's database, a branch for another dialect
};
const char* ToString(SqlTarget target);

// Where in a statement a text() fragment is used: `.where(text("x > 1"))` is an expression,
// `.order_by(text("created_at DESC"))` an ORDER BY item, `select_from(text("t"))` a FROM item.
// kUnknown: a whole statement unless it only parses as a fragment.
enum class SqlPosition { kUnknown, kStatement, kExpression, kOrderBy, kFromItem };

struct QuerySite {
  QueryKind kind = QueryKind::kOrm;
  // What the code calls, normalised: "text", "session.execute", "connection.exec_driver_sql",
  // "cursor.execute", "cursor.executemany", "asyncpg.fetch", "pandas.read_sql",
  // "session.query", "Model.query", "select", "insert", "update", "delete", ...
  std::string api;
  Location location;  // the call (start and end)
  ParamStyle param_style = ParamStyle::kUnknown;
  // Raw SQL only. `sql` holds the text when it is known (kLiteral, kConstantInterpolation).
  SqlBuild build = SqlBuild::kLiteral;
  std::optional<SqlText> sql;
  // kConstantInterpolation / kDynamic: what was interpolated and where, for the message
  // ("f-string interpolates `table_name`", "`%` formats `user_input`").
  std::string build_detail;
  Location build_location;
  // Raw SQL whose value the reader could not follow (a parameter, a call result): not
  // checkable, not known to be built either. Inventory counts it; no rule reports it.
  bool unresolved = false;
  SqlTarget target = SqlTarget::kAuditedDatabase;
  std::string target_detail;  // kOtherDatabase: why ("sqlite3.connect", "a branch for mysql")
  SqlPosition position = SqlPosition::kUnknown;
};

// The ORM naming a model attribute: `User.emial`, `filter_by(emial=...)`.
enum class AttributeUseKind { kClassAttribute, kFilterByKeyword };

struct ModelAttributeUse {
  AttributeUseKind kind = AttributeUseKind::kClassAttribute;
  std::string model_class;  // qualified "app.models.user.User" (ModelClass::qualified_name)
  std::string attribute;
  Location location;  // the attribute or keyword name
};

// What a file does with the database, for the inventory (counts per kind).
enum class Interaction {
  kSqlalchemyImport,
  kFlaskSqlalchemyImport,
  kModelDefinition,
  kSessionUse,   // session.add/commit/execute/query/...
  kModelQuery,   // Model.query..., session.query(Model), select(Model)
  kRawSql,       // a raw SQL string reaching a sink
  kExecute,      // an execute-family call (session/engine/connection/cursor)
  kDdl,          // CREATE/ALTER/DROP/TRUNCATE in SQL, or metadata.create_all/drop_all
  kDbApiDriver,  // psycopg2/psycopg/asyncpg/pg8000 import or connect()
  kMigration,    // alembic op.* / a migrations folder
  kStringBuiltSql,
};
const char* ToString(Interaction interaction);  // "sqlalchemy-import", "raw-sql", ...

struct InteractionCount {
  Interaction interaction = Interaction::kRawSql;
  std::uint32_t count = 0;
  Location first;  // first occurrence in the file
};

// One per file with at least one interaction or one model attribute use (the ORM rules need
// the uses even in a file that imports nothing from SQLAlchemy itself).
struct FileQueries {
  std::string display_path;
  std::vector<QuerySite> sites;  // in source order
  std::vector<ModelAttributeUse> attribute_uses;
  std::vector<InteractionCount> interactions;  // sorted by interaction, counts > 0 only
  bool is_migration = false;                   // alembic version file or under a migrations/ folder
  bool is_test = false;                        // a test suite's module or conftest.py
};

// A mapped model class with every attribute name the ORM accepts on it, inherited ones
// included, so `User.emial` can be told from `User.full_name` (a property).
enum class ModelAttributeKind { kColumn, kRelationship, kProperty, kMethod, kOther };

struct ModelAttribute {
  std::string name;
  ModelAttributeKind kind = ModelAttributeKind::kOther;
  std::string column;  // kColumn: the database column name
  Location location;
};

struct ModelClass {
  std::string qualified_name;  // "app.models.user.User", as in Table::mapped_by
  std::string schema;
  std::string table;
  std::vector<ModelAttribute> attributes;  // sorted by name
  // False when a base class, mixin or class body could not be read completely: then an
  // attribute missing from `attributes` may still exist, and no rule may say it does not.
  bool complete = true;
  Location location;

  const ModelAttribute* Find(const std::string& name) const;
};

// ----- SQL analysis (analyzer/sql) -----

enum class SqlReferenceStatus {
  kResolved,
  kUnknownTable,   // no such table/view in the search path (42P01)
  kUnknownColumn,  // no table in scope has it (42703)
  kUncertain,      // cannot tell (SELECT * through a function, dynamic target): never reported
};

struct SqlReference {
  enum class Kind { kTable, kColumn };
  Kind kind = Kind::kTable;
  SqlReferenceStatus status = SqlReferenceStatus::kResolved;
  std::string schema;     // resolved or as written; empty when unqualified and unknown
  std::string table;      // kTable: the relation; kColumn: the relation it resolved to, or its qualifier
  std::string column;     // kColumn only
  std::string qualifier;  // kColumn: alias or table name as written before the dot, if any
  // kUnknownColumn: the relations in scope ("public.users"), for the closest-name hint.
  std::vector<std::string> candidate_tables;
  std::uint32_t offset = 0;  // byte offset of the name in SqlText::text
  std::uint32_t length = 0;
};

struct SqlStatement {
  std::string command;  // "SELECT", "INSERT", "UPDATE", "DELETE", "CREATE TABLE", "DROP TABLE", ...
  bool is_ddl = false;
  bool is_destructive = false;       // DROP, TRUNCATE, DELETE/UPDATE without WHERE, ALTER ... DROP
  bool write_without_where = false;  // UPDATE or DELETE without WHERE (and without USING/CURRENT OF)
  std::string target_table;          // UPDATE/DELETE/INSERT/DDL target, schema-qualified when known
  std::uint32_t offset = 0;          // byte offset of the statement in SqlText::text
  std::uint32_t length = 0;
};

struct SqlAnalysis {
  bool parsed = false;
  // The parser rejected the SQL. `likely_newer_syntax` when it fails on a construct newer
  // than the parser's grammar (then a note, not an error).
  struct SyntaxError {
    std::string message;       // as libpg_query words it
    std::uint32_t offset = 0;  // byte offset in SqlText::text
    bool likely_newer_syntax = false;
    // The statement is another database's (SQLite PRAGMA, MySQL SHOW VARIABLES, backquoted
    // names): "SQLite", "MySQL"; empty when it looks like PostgreSQL that is wrong.
    std::string other_dialect;
  };
  std::optional<SyntaxError> syntax_error;
  std::vector<SqlStatement> statements;
  std::vector<SqlReference> references;  // in text order
  // Things that could not be resolved with certainty, worded for a note.
  struct Note {
    std::string message;
    std::uint32_t offset = 0;
  };
  std::vector<Note> notes;
};

// Maps a byte offset of `sql` back to the Python source: inside a span, to the exact line
// and column (when the span is exact); otherwise to `site` (the call).
Location LocateInSql(const SqlText& sql, std::uint32_t offset, const Location& site);

}  // namespace dbaudit::ir

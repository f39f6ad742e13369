#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analyzer/ir/diagnostic.hpp"
#include "analyzer/ir/location.hpp"

// One shape for every schema source: the models, the live database, a pg_dump file, a
// Markdown document and a JSON snapshot all fill a Catalog. Equality ignores locations, so
// the Catalog read live and the one read from a dump of the same database compare equal.
//
// Conventions every reader follows (so that live == dump):
// - Type names: format_type() with an empty search_path: builtins unqualified
//   ("character varying(255)", "timestamp(3) without time zone", "integer[]"), every other
//   type schema-qualified ("public.mood").
// - Expression text (defaults, generated columns, CHECK bodies, index expression keys,
//   partial-index predicates, trigger WHEN, view definitions) is exactly what pg_dump prints,
//   i.e. what the server's deparser returns with an empty search_path:
//   default = pg_get_expr(adbin, adrelid); check expression = pg_get_constraintdef(oid)
//   ("CHECK ((price > (0)::numeric))"); index predicate = the text after " WHERE " in
//   pg_get_indexdef(); expression key = pg_get_indexdef(indexrelid, k, false); view definition
//   = pg_get_viewdef(oid) without surrounding white space and trailing ';'.
// - Table::indexes lists only indexes that no constraint owns: the index behind a PRIMARY
//   KEY, UNIQUE or EXCLUDE constraint is implied by the constraint and not listed.
// - Views and materialized views: columns are recorded when the source knows them (live);
//   SameSchema does not compare view columns (a dump does not spell them out).
// - Sequences: those a column owns through SERIAL / OWNED BY, and free-standing ones;
//   identity columns' internal sequences are not listed.
// - Functions: every function of the audited schemas; arguments as
//   pg_get_function_identity_arguments() writes them, returns as pg_get_function_result().
namespace dbaudit::ir {

enum class CatalogOrigin { kModels, kDatabase, kDump, kDocument, kSnapshot };
const char* ToString(CatalogOrigin origin);

// PostgreSQL's referential actions. kUnspecified is "the source did not say" (the models'
// default), which compares equal to kNoAction.
enum class ReferentialAction { kUnspecified, kNoAction, kRestrict, kCascade, kSetNull, kSetDefault };
const char* ToSql(ReferentialAction action);  // "NO ACTION", "CASCADE", ...

enum class TableKind { kTable, kPartitionedTable, kView, kMaterializedView, kForeignTable };
const char* ToString(TableKind kind);

enum class IdentityKind { kNone, kAlways, kByDefault };

struct Column {
  std::string name;
  // PostgreSQL's canonical spelling as format_type() writes it with an empty search_path:
  // "character varying(255)", "timestamp with time zone", "integer[]", "public.mood".
  // Empty when the source could not tell (then type comparisons say nothing).
  std::string type;
  std::optional<bool> nullable;               // nullopt: unknown
  std::optional<std::string> server_default;  // expression text as the source wrote it
  IdentityKind identity = IdentityKind::kNone;
  std::optional<std::string> generated;  // GENERATED ALWAYS AS (expr) STORED
  std::string comment;
  // Models only: the column is an autoincrementing integer key (SERIAL/identity implied),
  // the Python attribute name when it differs, and the app-side behaviours that are not
  // server defaults.
  bool autoincrement = false;
  std::string attribute;
  std::optional<std::string> python_default;
  std::optional<std::string> python_onupdate;
  std::optional<std::string> server_onupdate;
  Location location;
};

struct PrimaryKey {
  std::string name;  // may be empty (models rarely name it)
  std::vector<std::string> columns;
  Location location;
};

struct ForeignKey {
  std::string name;
  std::vector<std::string> columns;
  std::string referenced_schema;
  std::string referenced_table;
  std::vector<std::string> referenced_columns;
  ReferentialAction on_delete = ReferentialAction::kUnspecified;
  ReferentialAction on_update = ReferentialAction::kUnspecified;
  bool deferrable = false;
  bool initially_deferred = false;
  Location location;
};

struct UniqueConstraint {
  std::string name;
  std::vector<std::string> columns;
  Location location;
};

struct CheckConstraint {
  std::string name;
  std::string expression;
  Location location;
};

struct Index {
  std::string name;
  // Column names, or for expression keys the expression text as written.
  std::vector<std::string> keys;
  bool unique = false;
  std::string method = "btree";
  std::optional<std::string> predicate;  // partial index WHERE clause
  std::vector<std::string> include;      // INCLUDE (...) columns
  Location location;
  // False for an index PostgreSQL marks invalid (pg_index.indisvalid: a failed CREATE INDEX
  // CONCURRENTLY): it exists but serves no query and enforces nothing. Only a live database
  // can say; dumps and models always have valid indexes.
  bool valid = true;
};

struct Trigger {
  std::string name;
  std::string timing;               // BEFORE, AFTER, INSTEAD OF
  std::vector<std::string> events;  // INSERT, UPDATE, DELETE, TRUNCATE (sorted)
  bool for_each_row = true;
  std::string function_schema;
  std::string function_name;
  std::optional<std::string> when;
  Location location;
  // The string arguments of EXECUTE FUNCTION f('a', 'b') (TG_ARGV), as written.
  std::vector<std::string> arguments;
};

struct Table {
  std::string schema;
  std::string name;
  TableKind kind = TableKind::kTable;
  std::vector<Column> columns;  // in declaration (ordinal) order
  std::optional<PrimaryKey> primary_key;
  std::vector<ForeignKey> foreign_keys;
  std::vector<UniqueConstraint> unique_constraints;
  std::vector<CheckConstraint> check_constraints;
  std::vector<Index> indexes;
  std::vector<Trigger> triggers;
  std::string comment;
  std::optional<std::string> view_definition;
  // Models only: the Python classes mapped to this table (several under single-table
  // inheritance), as "module.Class".
  std::vector<std::string> mapped_by;
  // Models only: when __tablename__ is computed by a recipe the reader could not evaluate
  // exactly, every spelling it may give (`name` first). The driver keeps the one the database
  // has, or drops the table with a note when it has none of them: a guess is never reported.
  std::vector<std::string> name_alternatives;
  // Models only: base classes of the mapping classes that the reader cannot see into (a
  // library's mixin). They may declare columns, keys and indexes, so the comparison reports
  // nothing the database has that the models seem to lack.
  std::vector<std::string> unread_bases;
  // Models only: the MetaData the table belongs to, as "path:line:column" of where it is made
  // (a MetaData() call, a declarative base); "" when not known. Tables of one MetaData go to
  // one database together.
  std::string metadata;
  Location location;

  const Column* FindColumn(const std::string& column_name) const;
  Column* FindColumn(const std::string& column_name);
  std::string QualifiedName() const { return schema + "." + name; }
};

struct EnumType {
  std::string schema;
  std::string name;
  std::vector<std::string> labels;  // in sort order (the enum's own order)
  Location location;
};

struct Sequence {
  std::string schema;
  std::string name;
  std::string owned_by_table;  // empty unless OWNED BY
  std::string owned_by_column;
  Location location;
};

struct Function {
  std::string schema;
  std::string name;
  std::string arguments;  // pg_get_function_identity_arguments
  std::string language;   // plpgsql, sql, c, ...
  std::string returns;
  std::string body;  // prosrc
  Location location;
  // PL/pgSQL functions only, filled by sql::ReadFunctionBodies after the catalog was read
  // (never stored in a snapshot): the columns of NEW the body assigns (`NEW.updated_at :=
  // now();`, also inside IF, CASE, loops and nested blocks), lower-case and sorted. nullopt
  // when the body was not read: another language, or a body libpg_query could not parse
  // (then `body_note` says why, e.g. "syntax error at line 3").
  std::optional<std::vector<std::string>> assigned_new_columns;
  std::string body_note;
};

struct Catalog {
  CatalogOrigin origin = CatalogOrigin::kModels;
  // Human-readable name of the source: "models", "postgresql://host:5432/app", "schema.sql".
  std::string source_name;
  std::vector<Table> tables;
  std::vector<EnumType> enums;
  std::vector<Sequence> sequences;
  std::vector<Function> functions;
  // What the reader could not read: unparsable statements, unknown constructs.
  std::vector<Diagnostic> diagnostics;

  const Table* FindTable(const std::string& schema, const std::string& name) const;
  Table* FindTable(const std::string& schema, const std::string& name);
  const EnumType* FindEnum(const std::string& schema, const std::string& name) const;

  // Sorts every list by name so that two readers of the same schema produce equal catalogs
  // and reports are deterministic. Columns keep their ordinal order.
  void Normalize();
};

// Structural equality that ignores locations, diagnostics, origin and source name.
bool SameSchema(const Catalog& a, const Catalog& b);
// A readable list of the differences SameSchema found (for test failure messages).
std::string DescribeSchemaDifferences(const Catalog& a, const Catalog& b);

}  // namespace dbaudit::ir

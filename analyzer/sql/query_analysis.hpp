#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/ir/catalog.hpp"
#include "analyzer/ir/query.hpp"

// Checks the SQL a query site sends: driver placeholders normalised, parsed with libpg_query,
// every table and column reference resolved against the real schema (aliases, joins, CTEs,
// subqueries, INSERT column lists, UPDATE ... SET, RETURNING, ON CONFLICT, schema-qualified
// and quoted names, the search path). Unknown is said as kUncertain or a note, never guessed.
namespace dbaudit::sql {

struct QueryAnalysisOptions {
  std::vector<std::string> search_path = {"public"};
  ir::ParamStyle param_style = ir::ParamStyle::kUnknown;
  // Where the text is used. A fragment (kExpression, kOrderBy, kFromItem) is parsed in that
  // grammar position, yields no statement, and its column names are kUncertain (their FROM
  // clause is built elsewhere); its relations are still checked. kUnknown: a statement, or,
  // when it does not parse as one and does not start like one, the first fragment position
  // it parses in.
  ir::SqlPosition position = ir::SqlPosition::kUnknown;
};

// A copy of `sql` where every driver placeholder (`:name`, `%s`, `%(name)s`, `$1`, `?`, as
// `style` allows) is replaced by a PostgreSQL parameter of the SAME byte length padded with
// spaces where shorter (`:id` -> `$1 `), so offsets into the result are offsets into `sql`
// (where a placeholder has to grow, `resizes` maps them back). String literals, quoted
// identifiers, comments, dollar quotes and `::` casts are left alone; pyformat's `%%` becomes
// the `%` the driver sends. `:name` follows SQLAlchemy's text() pattern exactly under kNamed
// (`:x::int` binds nothing); `?` is a parameter under kQmark, and under kUnknown only where
// an expression may start (so the jsonb `?` operators survive).
struct NormalizedSql {
  std::string text;
  int parameter_count = 0;
  // Where `text` could not keep `sql`'s byte length: a placeholder longer than what it
  // replaces (`?` -> `$1`, `%s` -> `$10`) or one the driver expands to a list (`IN %s` ->
  // `IN ($1)`, `VALUES %s`). Sorted by text_offset; empty when offsets are identical.
  struct Resize {
    std::uint32_t text_offset = 0;
    std::uint32_t text_length = 0;
    std::uint32_t sql_offset = 0;
    std::uint32_t sql_length = 0;
  };
  std::vector<Resize> resizes;
  // The offset in `sql` of byte `text_offset` of `text` (inside a replacement: its start).
  std::uint32_t OriginalOffset(std::uint32_t text_offset) const;
};
NormalizedSql NormalizePlaceholders(std::string_view sql, ir::ParamStyle style);

// The schema's tables, views and columns indexed once for many AnalyzeQuery calls (a
// project has thousands of query sites). Holds pointers into `catalog`, which must outlive
// it. Immutable after construction: share it between threads freely.
class SchemaIndex {
 public:
  explicit SchemaIndex(const ir::Catalog& catalog);
  ~SchemaIndex();
  SchemaIndex(SchemaIndex&&) noexcept;
  SchemaIndex& operator=(SchemaIndex&&) noexcept;

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

// `schema` may be null (no schema source): then only syntax and statement facts are filled
// and every reference is kUncertain. Never throws.
// Thread-safe. Builds a SchemaIndex per call: prefer the overload below for many queries.
ir::SqlAnalysis AnalyzeQuery(std::string_view sql, const ir::Catalog* schema, const QueryAnalysisOptions& options);
ir::SqlAnalysis AnalyzeQuery(std::string_view sql, const SchemaIndex* schema, const QueryAnalysisOptions& options);

}  // namespace dbaudit::sql

#pragma once

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
};

// A copy of `sql` where every driver placeholder (`:name`, `%s`, `%(name)s`, `$1`, `?`, as
// `style` allows) is replaced by a PostgreSQL parameter of the SAME byte length padded with
// spaces where shorter (`:id` -> `$1 `), so offsets into the result are offsets into `sql`.
// String literals, quoted identifiers, comments, `::` casts and `%%` are left alone.
struct NormalizedSql {
  std::string text;
  int parameter_count = 0;
};
NormalizedSql NormalizePlaceholders(std::string_view sql, ir::ParamStyle style);

// `schema` may be null (no schema source): then only syntax and statement facts are filled
// and every reference is kUncertain. Never throws.
ir::SqlAnalysis AnalyzeQuery(std::string_view sql, const ir::Catalog* schema, const QueryAnalysisOptions& options);

}  // namespace dbaudit::sql

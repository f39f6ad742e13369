#include "analyzer/sql/pg_query_wrapper.hpp"

#include <memory>

#include <pg_query.h>

namespace dbaudit::sql {

namespace {

// RAII holders: libpg_query hands out structs by value with dedicated free functions.
class ParseResultHolder {
 public:
  explicit ParseResultHolder(const std::string& sql) : result_(pg_query_parse(sql.c_str())) {}
  ~ParseResultHolder() { pg_query_free_parse_result(result_); }
  ParseResultHolder(const ParseResultHolder&) = delete;
  ParseResultHolder& operator=(const ParseResultHolder&) = delete;
  const PgQueryParseResult& get() const { return result_; }

 private:
  PgQueryParseResult result_;
};

class SplitResultHolder {
 public:
  explicit SplitResultHolder(const std::string& sql) : result_(pg_query_split_with_scanner(sql.c_str())) {}
  ~SplitResultHolder() { pg_query_free_split_result(result_); }
  SplitResultHolder(const SplitResultHolder&) = delete;
  SplitResultHolder& operator=(const SplitResultHolder&) = delete;
  const PgQuerySplitResult& get() const { return result_; }

 private:
  PgQuerySplitResult result_;
};

}  // namespace

ParseOutcome Parse(const std::string& sql) {
  ParseOutcome outcome;
  ParseResultHolder holder(sql);
  const PgQueryParseResult& result = holder.get();
  if (result.error) {
    outcome.error_message = result.error->message ? result.error->message : "syntax error";
    if (result.error->cursorpos > 0) {
      outcome.error_offset = static_cast<std::size_t>(result.error->cursorpos - 1);
      outcome.has_error_offset = true;
    }
    return outcome;
  }
  if (!result.parse_tree) {
    outcome.error_message = "the parser returned no tree";
    return outcome;
  }
  // The parser's JSON is always valid; a failure here would be a library bug, still a value.
  outcome.tree = nlohmann::json::parse(result.parse_tree, nullptr, /*allow_exceptions=*/false);
  if (outcome.tree.is_discarded()) {
    outcome.error_message = "the parser returned a tree that is not JSON";
    return outcome;
  }
  outcome.ok = true;
  return outcome;
}

std::optional<std::vector<StatementSpan>> SplitWithScanner(const std::string& sql) {
  SplitResultHolder holder(sql);
  const PgQuerySplitResult& result = holder.get();
  if (result.error) return std::nullopt;
  std::vector<StatementSpan> spans;
  spans.reserve(static_cast<std::size_t>(result.n_stmts));
  for (int i = 0; i < result.n_stmts; ++i) {
    const PgQuerySplitStmt* stmt = result.stmts[i];
    if (stmt->stmt_location < 0 || stmt->stmt_len < 0) continue;
    spans.push_back({static_cast<std::size_t>(stmt->stmt_location), static_cast<std::size_t>(stmt->stmt_len)});
  }
  return spans;
}

}  // namespace dbaudit::sql

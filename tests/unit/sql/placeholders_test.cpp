#include <string>

#include <gtest/gtest.h>

#include "analyzer/sql/query_analysis.hpp"

namespace dbaudit::sql {
namespace {

// Every byte of `original` outside a placeholder must map to the same byte of `text`.
void ExpectSameLayout(const std::string& original, const NormalizedSql& normalized) {
  if (!normalized.resizes.empty()) return;
  ASSERT_EQ(normalized.text.size(), original.size());
}

TEST(NormalizePlaceholders, NamedKeepsLengthAndCasts) {
  const std::string sql = "SELECT * FROM users WHERE id = :id AND created > CAST(:since AS date) AND x::int = 1";
  const NormalizedSql normalized = NormalizePlaceholders(sql, ir::ParamStyle::kNamed);
  EXPECT_EQ(normalized.text, "SELECT * FROM users WHERE id = $1  AND created > CAST($2     AS date) AND x::int = 1");
  EXPECT_EQ(normalized.parameter_count, 2);
  EXPECT_TRUE(normalized.resizes.empty());
  ExpectSameLayout(sql, normalized);
}

// SQLAlchemy's text() pattern `(?<![:\w\\]):(\w+)(?!:)` backtracks before `::`: what it sends
// is what gets checked. With no known driver the cast reading is taken.
TEST(NormalizePlaceholders, NamedBeforeCastFollowsSqlalchemy) {
  EXPECT_EQ(NormalizePlaceholders("SELECT :since::date", ir::ParamStyle::kNamed).text, "SELECT $1   e::date");
  EXPECT_EQ(NormalizePlaceholders("SELECT :x::int", ir::ParamStyle::kNamed).text, "SELECT :x::int");
  EXPECT_EQ(NormalizePlaceholders("SELECT :since::date", ir::ParamStyle::kUnknown).text, "SELECT $1    ::date");
}

TEST(NormalizePlaceholders, NamedRepeatedNameGetsSameNumber) {
  const std::string sql = "SELECT :a, :b, :a";
  const NormalizedSql normalized = NormalizePlaceholders(sql, ir::ParamStyle::kNamed);
  EXPECT_EQ(normalized.text, "SELECT $1, $2, $1");
  EXPECT_EQ(normalized.parameter_count, 2);
}

TEST(NormalizePlaceholders, NamedIgnoresQuotesCommentsDollarQuotesAndAssignment) {
  const std::string sql = "SELECT ':x', \":y\", $$ :z $$, $f$ :w $f$ -- :c\n/* :d */, a := 1, arr[1:2], E'\\' :e'";
  const NormalizedSql normalized = NormalizePlaceholders(sql, ir::ParamStyle::kNamed);
  EXPECT_EQ(normalized.text, sql);
  EXPECT_EQ(normalized.parameter_count, 0);
}

TEST(NormalizePlaceholders, PyformatPositionalNamedAndPercentEscape) {
  const std::string sql =
      "SELECT * FROM t WHERE a = %s AND b = %(name)s AND c LIKE '%s' AND d = e %% 2 AND f = %(name)s";
  const NormalizedSql normalized = NormalizePlaceholders(sql, ir::ParamStyle::kPyformat);
  EXPECT_EQ(normalized.text.size(), sql.size());
  EXPECT_TRUE(normalized.resizes.empty());
  EXPECT_NE(normalized.text.find("a = $1 AND"), std::string::npos);
  EXPECT_NE(normalized.text.find("b = $2       AND"), std::string::npos);
  EXPECT_NE(normalized.text.find("LIKE '%s'"), std::string::npos);  // inside quotes: left alone
  EXPECT_NE(normalized.text.find("e %  2"), std::string::npos);     // %% is the modulo operator
  EXPECT_NE(normalized.text.find("f = $2"), std::string::npos);     // same name, same number
  EXPECT_EQ(normalized.parameter_count, 2);
}

TEST(NormalizePlaceholders, PyformatLeavesColonsAndQuestionMarks) {
  const std::string sql = "SELECT data ? 'k', :x FROM t WHERE id = %s";
  const NormalizedSql normalized = NormalizePlaceholders(sql, ir::ParamStyle::kPyformat);
  EXPECT_NE(normalized.text.find("data ? 'k', :x"), std::string::npos);
  EXPECT_EQ(normalized.parameter_count, 1);
}

TEST(NormalizePlaceholders, NumericIsAlreadyPostgres) {
  const std::string sql = "SELECT * FROM t WHERE a = $1 AND b = $2 AND c ? 'k'";
  const NormalizedSql normalized = NormalizePlaceholders(sql, ir::ParamStyle::kNumeric);
  EXPECT_EQ(normalized.text, sql);
  EXPECT_EQ(normalized.parameter_count, 2);
}

TEST(NormalizePlaceholders, QmarkGrowsAndRecordsResizes) {
  const std::string sql = "INSERT INTO t (a, b) VALUES (?,?) RETURNING id";
  const NormalizedSql normalized = NormalizePlaceholders(sql, ir::ParamStyle::kQmark);
  EXPECT_EQ(normalized.text, "INSERT INTO t (a, b) VALUES ($1,$2) RETURNING id");
  EXPECT_EQ(normalized.parameter_count, 2);
  ASSERT_EQ(normalized.resizes.size(), 2u);
  // `RETURNING` maps back to where it is in the original.
  const auto returning_text = static_cast<std::uint32_t>(normalized.text.find("RETURNING"));
  EXPECT_EQ(normalized.OriginalOffset(returning_text), sql.find("RETURNING"));
  // The second parameter maps to the second `?`.
  const auto second = static_cast<std::uint32_t>(normalized.text.find("$2"));
  EXPECT_EQ(normalized.OriginalOffset(second), sql.rfind('?'));
  // Before any resize: identity.
  EXPECT_EQ(normalized.OriginalOffset(3), 3u);
}

TEST(NormalizePlaceholders, UnknownStyleTellsJsonbOperatorFromParameter) {
  const std::string sql = "SELECT * FROM t WHERE data ? 'k' AND data ?| array['a'] AND id = ? AND x = :x AND y = %s";
  const NormalizedSql normalized = NormalizePlaceholders(sql, ir::ParamStyle::kUnknown);
  EXPECT_NE(normalized.text.find("data ? 'k'"), std::string::npos);
  EXPECT_NE(normalized.text.find("data ?| array"), std::string::npos);
  EXPECT_EQ(normalized.text.find("id = ?"), std::string::npos);
  EXPECT_EQ(normalized.parameter_count, 3);
}

TEST(NormalizePlaceholders, ExpandedListsAreWrapped) {
  const std::string sql = "SELECT * FROM t WHERE id IN %s";
  const NormalizedSql normalized = NormalizePlaceholders(sql, ir::ParamStyle::kPyformat);
  EXPECT_EQ(normalized.text, "SELECT * FROM t WHERE id IN ($1)");
  ASSERT_EQ(normalized.resizes.size(), 1u);
  const std::string values = "INSERT INTO t (a, b) VALUES %s";
  EXPECT_EQ(NormalizePlaceholders(values, ir::ParamStyle::kPyformat).text, "INSERT INTO t (a, b) VALUES ($1)");
}

TEST(NormalizePlaceholders, UnterminatedQuoteAndBinaryBytesDoNotFail) {
  const std::string sql = std::string("SELECT 'abc :x \x01\xff") + std::string(1, '\0') + ":y";
  const NormalizedSql normalized = NormalizePlaceholders(sql, ir::ParamStyle::kUnknown);
  EXPECT_EQ(normalized.text, sql);  // everything after the open quote is string
  EXPECT_EQ(normalized.parameter_count, 0);
}

}  // namespace
}  // namespace dbaudit::sql

#include "analyzer/sql/normalize.hpp"

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace dbaudit::sql {
namespace {

// Hand-written spellings -> format_type() spellings, the ones pg_dump and the live catalog use.
TEST(CanonicalTypeName, MapsHandWrittenSpellings) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"varchar(255)", "character varying(255)"},
      {"VARCHAR(255)", "character varying(255)"},
      {"character varying(40)", "character varying(40)"},
      {"character varying", "character varying"},
      {"varchar", "character varying"},
      {"int", "integer"},
      {"integer", "integer"},
      {"int4", "integer"},
      {"INT4", "integer"},
      {"int8", "bigint"},
      {"int2", "smallint"},
      {"serial", "integer"},
      {"serial4", "integer"},
      {"bigserial", "bigint"},
      {"smallserial", "smallint"},
      {"timestamptz", "timestamp with time zone"},
      {"timestamp with time zone", "timestamp with time zone"},
      {"timestamp", "timestamp without time zone"},
      {"timestamp(3)", "timestamp(3) without time zone"},
      {"timestamp(6) with time zone", "timestamp(6) with time zone"},
      {"time", "time without time zone"},
      {"timetz", "time with time zone"},
      {"bool", "boolean"},
      {"boolean", "boolean"},
      {"TEXT", "text"},
      {"float8", "double precision"},
      {"float", "double precision"},
      {"double precision", "double precision"},
      {"float4", "real"},
      {"real", "real"},
      {"decimal(10,2)", "numeric(10,2)"},
      {"numeric(10, 2)", "numeric(10,2)"},
      {"numeric(10)", "numeric(10,0)"},
      {"numeric", "numeric"},
      {"char(3)", "character(3)"},
      {"character(3)", "character(3)"},
      {"char", "character(1)"},
      {"\"char\"", "\"char\""},
      {"bit(8)", "bit(8)"},
      {"varbit(4)", "bit varying(4)"},
      {"interval", "interval"},
      {"interval year to month", "interval year to month"},
      {"interval(3)", "interval(3)"},
      {"int[]", "integer[]"},
      {"integer[][]", "integer[]"},
      {"text[]", "text[]"},
      {"varchar(20)[]", "character varying(20)[]"},
      {"uuid", "uuid"},
      {"jsonb", "jsonb"},
      {"json", "json"},
      {"bytea", "bytea"},
      {"date", "date"},
      {"inet", "inet"},
      {"mood", "public.mood"},
      {"Mood", "public.mood"},
      {"\"Mood\"", "public.\"Mood\""},
      {"app.mood", "app.mood"},
      {"mood[]", "public.mood[]"},
      {"pg_catalog.int4", "integer"},
      {"pg_catalog.text", "text"},
  };
  for (const auto& [spelled, expected] : cases) EXPECT_EQ(CanonicalTypeName(spelled), expected) << spelled;
}

TEST(CanonicalTypeName, DefaultSchemaAndUnknownText) {
  EXPECT_EQ(CanonicalTypeName("mood", "app"), "app.mood");
  EXPECT_EQ(CanonicalTypeName("other.mood", "app"), "other.mood");
  // Not a type at all: returned lower-cased, never a guess.
  EXPECT_EQ(CanonicalTypeName("NOT A ) TYPE"), "not a ) type");
}

TEST(NormalizeDefault, EqualMeaningsCompareEqual) {
  const std::vector<std::pair<std::string, std::string>> equal = {
      {"now()", "CURRENT_TIMESTAMP"},
      {"now()", "transaction_timestamp()"},
      {"NOW()", "current_timestamp"},
      {"now()", "pg_catalog.now()"},
      {"'x'::character varying", "'x'"},
      {"'x'::character varying", "'x'::text"},
      {"0", "'0'::integer"},
      {"1.5", "'1.5'::numeric"},
      {"-1", "'-1'::integer"},
      {"true", "'true'::boolean"},
      {"true", "'t'::bool"},
      {"false", "'f'::boolean"},
      {"true", "'true'"},
      {"'{}'::jsonb", "'{}'"},
      {"'ok'::public.mood", "'ok'"},
      {"(1 + 2)", "1+2"},
      {"lower( 'A' )", "LOWER('A')"},
      {"nextval('users_id_seq'::regclass)", "nextval('users_id_seq')"},
  };
  for (const auto& [a, b] : equal) {
    const auto left = NormalizeDefault(a);
    const auto right = NormalizeDefault(b);
    ASSERT_TRUE(left.has_value()) << a;
    ASSERT_TRUE(right.has_value()) << b;
    EXPECT_EQ(*left, *right) << a << " vs " << b;
  }
}

// Decisions, documented by the tests:
// - 'now'::text is the constant string "now", and 'now'::timestamp is frozen when the table
//   is created: neither equals now().
// - statement_timestamp() / clock_timestamp() differ from now() inside a transaction.
// - An uncast '0' stays a string: only casts of constants are re-read with the cast's type.
TEST(NormalizeDefault, DifferentMeaningsStayDifferent) {
  const std::vector<std::pair<std::string, std::string>> different = {
      {"now()", "'now'::text"},
      {"now()", "'now'::timestamp with time zone"},
      {"now()", "statement_timestamp()"},
      {"now()", "clock_timestamp()"},
      {"now()", "CURRENT_TIMESTAMP(3)"},
      {"0", "'0'"},
      {"0", "1"},
      {"-1", "0"},  // libpg_query 15-4.0 prints both as "ival": {}
      {"-1", "-2"},
      {"'x'", "'y'"},
      {"true", "false"},
      {"'a'::text", "'A'::text"},
      {"nextval('a_seq'::regclass)", "nextval('b_seq'::regclass)"},
  };
  for (const auto& [a, b] : different) {
    const auto left = NormalizeDefault(a);
    const auto right = NormalizeDefault(b);
    ASSERT_TRUE(left.has_value()) << a;
    ASSERT_TRUE(right.has_value()) << b;
    EXPECT_NE(*left, *right) << a << " vs " << b;
  }
}

TEST(NormalizeDefault, UnparsableIsNullopt) {
  EXPECT_EQ(NormalizeDefault("now("), std::nullopt);
  EXPECT_EQ(NormalizeDefault("1; DROP TABLE users"), std::nullopt);
  EXPECT_EQ(NormalizeDefault(""), std::nullopt);
  EXPECT_EQ(NormalizeDefault("1 FROM t"), std::nullopt);
  EXPECT_NE(NormalizeDefault("1"), std::nullopt);
}

TEST(IsSequenceDefault, RecognisesNextval) {
  EXPECT_TRUE(IsSequenceDefault("nextval('public.users_id_seq'::regclass)"));
  EXPECT_TRUE(IsSequenceDefault("nextval('users_id_seq')"));
  EXPECT_TRUE(IsSequenceDefault("pg_catalog.nextval('s'::regclass)"));
  EXPECT_TRUE(IsSequenceDefault("(nextval('s'::regclass))::integer"));
  EXPECT_FALSE(IsSequenceDefault("now()"));
  EXPECT_FALSE(IsSequenceDefault("'nextval'::text"));
  EXPECT_FALSE(IsSequenceDefault("0"));
  EXPECT_FALSE(IsSequenceDefault("nextval("));
}

TEST(WithoutSortOrder, DropsOnlyATrailingOrder) {
  EXPECT_EQ(WithoutSortOrder("created_at DESC"), "created_at");
  EXPECT_EQ(WithoutSortOrder("name asc nulls last"), "name");
  EXPECT_EQ(WithoutSortOrder("lower(email) DESC NULLS FIRST"), "lower(email)");
  EXPECT_EQ(WithoutSortOrder("score NULLS FIRST"), "score");
  // Not an order: a column named like a keyword, a quoted name, a lone word.
  EXPECT_EQ(WithoutSortOrder("desc"), "desc");
  EXPECT_EQ(WithoutSortOrder("\"sort desc\""), "\"sort desc\"");
  EXPECT_EQ(WithoutSortOrder("last"), "last");
  EXPECT_EQ(WithoutSortOrder("x last"), "x last");
  EXPECT_EQ(WithoutSortOrder("indesc"), "indesc");
}
}  // namespace
}  // namespace dbaudit::sql

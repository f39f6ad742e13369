#include "analyzer/sql/query_analysis.hpp"

#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "analyzer/sql/query_json.hpp"

namespace dbaudit::sql {
namespace {

using ir::SqlReference;
using ir::SqlReferenceStatus;

ir::Table MakeTable(const std::string& schema, const std::string& name, const std::vector<std::string>& columns,
                    ir::TableKind kind = ir::TableKind::kTable) {
  ir::Table table;
  table.schema = schema;
  table.name = name;
  table.kind = kind;
  for (const std::string& column : columns) {
    ir::Column c;
    c.name = column;
    table.columns.push_back(c);
  }
  return table;
}

ir::Catalog MakeCatalog() {
  ir::Catalog catalog;
  catalog.origin = ir::CatalogOrigin::kDump;
  catalog.tables.push_back(MakeTable("public", "users", {"id", "email", "name"}));
  catalog.tables.push_back(MakeTable("public", "orders", {"id", "user_id", "total"}));
  catalog.tables.push_back(MakeTable("public", "active_users", {}, ir::TableKind::kView));  // a dump's view
  catalog.tables.push_back(MakeTable("public", "order_totals", {"user_id", "sum"}, ir::TableKind::kView));
  catalog.tables.push_back(MakeTable("public", "Mixed", {"Id", "lower"}));
  catalog.tables.push_back(MakeTable("audit", "events", {"id", "kind", "payload"}));
  ir::Sequence sequence;
  sequence.schema = "public";
  sequence.name = "users_id_seq";
  catalog.sequences.push_back(sequence);
  return catalog;
}

class QueryAnalysisTest : public ::testing::Test {
 protected:
  ir::SqlAnalysis Analyze(const std::string& sql, ir::ParamStyle style = ir::ParamStyle::kUnknown) {
    QueryAnalysisOptions options;
    options.param_style = style;
    return AnalyzeQuery(sql, &index_, options);
  }

  // Copies, so that a temporary analysis can be filtered.
  static std::vector<SqlReference> With(const ir::SqlAnalysis& analysis, SqlReferenceStatus status,
                                        SqlReference::Kind kind = SqlReference::Kind::kColumn) {
    std::vector<SqlReference> found;
    for (const SqlReference& reference : analysis.references) {
      if (reference.status == status && reference.kind == kind) found.push_back(reference);
    }
    return found;
  }

  static const SqlReference* At(const ir::SqlAnalysis& analysis, std::size_t offset) {
    for (const SqlReference& reference : analysis.references) {
      if (reference.offset == offset) return &reference;
    }
    return nullptr;
  }

  static std::size_t Unknowns(const ir::SqlAnalysis& analysis) {
    std::size_t count = 0;
    for (const SqlReference& reference : analysis.references) {
      if (reference.status == SqlReferenceStatus::kUnknownColumn ||
          reference.status == SqlReferenceStatus::kUnknownTable) {
        ++count;
      }
    }
    return count;
  }

  ir::Catalog catalog_ = MakeCatalog();
  SchemaIndex index_{catalog_};
};

TEST_F(QueryAnalysisTest, ResolvesTablesAndColumns) {
  const std::string sql = "SELECT u.id, email FROM users u WHERE u.name = 'x'";
  const ir::SqlAnalysis analysis = Analyze(sql);
  ASSERT_TRUE(analysis.parsed);
  ASSERT_FALSE(analysis.syntax_error);
  EXPECT_EQ(Unknowns(analysis), 0u);
  const SqlReference* table = At(analysis, sql.find("users"));
  ASSERT_NE(table, nullptr);
  EXPECT_EQ(table->kind, SqlReference::Kind::kTable);
  EXPECT_EQ(table->status, SqlReferenceStatus::kResolved);
  EXPECT_EQ(table->schema, "public");
  EXPECT_EQ(table->length, 5u);
  const SqlReference* email = At(analysis, sql.find("email"));
  ASSERT_NE(email, nullptr);
  EXPECT_EQ(email->table, "users");
  EXPECT_EQ(email->schema, "public");
  EXPECT_EQ(With(analysis, SqlReferenceStatus::kResolved).size(), 3u);
  // In text order.
  for (std::size_t i = 1; i < analysis.references.size(); ++i) {
    EXPECT_LE(analysis.references[i - 1].offset, analysis.references[i].offset);
  }
}

TEST_F(QueryAnalysisTest, UnknownColumnPointsAtTheNameAndListsCandidates) {
  const std::string sql = "SELECT u.emial FROM users u JOIN orders o ON o.user_id = u.id";
  const ir::SqlAnalysis analysis = Analyze(sql);
  const auto unknown = With(analysis, SqlReferenceStatus::kUnknownColumn);
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].column, "emial");
  EXPECT_EQ(unknown[0].qualifier, "u");
  EXPECT_EQ(unknown[0].table, "users");
  EXPECT_EQ(unknown[0].offset, sql.find("emial"));
  EXPECT_EQ(unknown[0].length, 5u);
  EXPECT_EQ(unknown[0].candidate_tables, std::vector<std::string>{"public.users"});

  const std::string unqualified = "SELECT totl FROM users u JOIN orders o ON o.user_id = u.id";
  const auto bare = With(Analyze(unqualified), SqlReferenceStatus::kUnknownColumn);
  ASSERT_EQ(bare.size(), 1u);
  EXPECT_EQ(bare[0].offset, unqualified.find("totl"));
  EXPECT_EQ(bare[0].candidate_tables, (std::vector<std::string>{"public.users", "public.orders"}));
}

TEST_F(QueryAnalysisTest, UnknownTable) {
  const std::string sql = "SELECT id FROM userz WHERE id = 1";
  const ir::SqlAnalysis analysis = Analyze(sql);
  const auto tables = With(analysis, SqlReferenceStatus::kUnknownTable, SqlReference::Kind::kTable);
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_EQ(tables[0].table, "userz");
  EXPECT_EQ(tables[0].offset, sql.find("userz"));
  // Columns of an unknown table are not reported a second time.
  EXPECT_EQ(With(analysis, SqlReferenceStatus::kUnknownColumn).size(), 0u);
}

TEST_F(QueryAnalysisTest, SchemaQualifiedAndQuotedNames) {
  const std::string sql = R"(SELECT e.kind, m."Id", m.lower FROM audit.events e, "Mixed" m WHERE e.payloda IS NULL)";
  const ir::SqlAnalysis analysis = Analyze(sql);
  const auto unknown = With(analysis, SqlReferenceStatus::kUnknownColumn);
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].column, "payloda");
  EXPECT_EQ(unknown[0].candidate_tables, std::vector<std::string>{"audit.events"});
  const SqlReference* events = At(analysis, sql.find("audit.events"));
  ASSERT_NE(events, nullptr);
  EXPECT_EQ(events->status, SqlReferenceStatus::kResolved);
  EXPECT_EQ(events->schema, "audit");
  EXPECT_EQ(events->length, std::string("audit.events").size());
  const SqlReference* quoted = At(analysis, sql.find("\"Id\""));
  ASSERT_NE(quoted, nullptr);
  EXPECT_EQ(quoted->status, SqlReferenceStatus::kResolved);
  EXPECT_EQ(quoted->length, 4u);

  // Unquoted names fold to lower case: "Mixed" is not mixed.
  const std::string folded = "SELECT 1 FROM Mixed";
  EXPECT_EQ(With(Analyze(folded), SqlReferenceStatus::kUnknownTable, SqlReference::Kind::kTable).size(), 1u);
  // And a quoted "ID" is not the column "Id".
  EXPECT_EQ(With(Analyze(R"(SELECT "ID" FROM "Mixed")"), SqlReferenceStatus::kUnknownColumn).size(), 1u);
  // events is not on the search path.
  EXPECT_EQ(With(Analyze("SELECT 1 FROM events"), SqlReferenceStatus::kUnknownTable, SqlReference::Kind::kTable).size(),
            1u);
}

TEST_F(QueryAnalysisTest, SearchPathOrder) {
  QueryAnalysisOptions options;
  options.search_path = {"audit", "public"};
  const ir::SqlAnalysis analysis = AnalyzeQuery("SELECT kind FROM events JOIN users ON true", &index_, options);
  EXPECT_EQ(Unknowns(analysis), 0u);
  EXPECT_EQ(analysis.references.front().schema, "audit");
}

TEST_F(QueryAnalysisTest, SchemaNotInSourceIsUncertainWithNote) {
  const std::string sql = "SELECT x FROM billing.invoices";
  const ir::SqlAnalysis analysis = Analyze(sql);
  EXPECT_EQ(Unknowns(analysis), 0u);
  ASSERT_FALSE(analysis.notes.empty());
  EXPECT_EQ(analysis.notes.front().offset, sql.find("billing"));
}

TEST_F(QueryAnalysisTest, CatalogOverloadMatchesIndexOverload) {
  const std::string sql = "SELECT u.emial FROM users u";
  QueryAnalysisOptions options;
  const ir::SqlAnalysis a = AnalyzeQuery(sql, &catalog_, options);
  const ir::SqlAnalysis b = AnalyzeQuery(sql, &index_, options);
  ASSERT_EQ(a.references.size(), b.references.size());
  for (std::size_t i = 0; i < a.references.size(); ++i) {
    EXPECT_EQ(a.references[i].status, b.references[i].status);
    EXPECT_EQ(a.references[i].offset, b.references[i].offset);
  }
}

TEST_F(QueryAnalysisTest, NoSchemaMeansEverythingUncertain) {
  QueryAnalysisOptions options;
  const ir::SqlAnalysis analysis =
      AnalyzeQuery("SELECT u.emial FROM userz u", static_cast<const ir::Catalog*>(nullptr), options);
  ASSERT_TRUE(analysis.parsed);
  ASSERT_EQ(analysis.statements.size(), 1u);
  EXPECT_EQ(analysis.statements[0].command, "SELECT");
  ASSERT_FALSE(analysis.references.empty());
  for (const SqlReference& reference : analysis.references) {
    EXPECT_EQ(reference.status, SqlReferenceStatus::kUncertain);
  }
}

TEST_F(QueryAnalysisTest, CtesWithTargetListsAndColumnAliases) {
  const std::string sql =
      "WITH recent AS (SELECT user_id, total AS amount FROM orders), "
      "named(uid, t) AS (SELECT user_id, total FROM orders) "
      "SELECT r.amount, r.total, n.uid, n.user_id FROM recent r JOIN named n ON n.uid = r.user_id";
  const ir::SqlAnalysis analysis = Analyze(sql);
  const auto unknown = With(analysis, SqlReferenceStatus::kUnknownColumn);
  ASSERT_EQ(unknown.size(), 2u);
  EXPECT_EQ(unknown[0].column, "total");
  EXPECT_EQ(unknown[0].offset, sql.find("r.total") + 2);
  EXPECT_EQ(unknown[1].column, "user_id");
  EXPECT_EQ(unknown[1].offset, sql.find("n.user_id") + 2);
  // A CTE is not a schema object: no table reference named `recent`.
  for (const SqlReference& reference : analysis.references) {
    if (reference.kind == SqlReference::Kind::kTable) EXPECT_NE(reference.table, "recent");
  }
}

TEST_F(QueryAnalysisTest, CteOverUncertainSourceIsUncertain) {
  const std::string sql =
      "WITH s AS (SELECT * FROM generate_series(1, 3) g) SELECT s.anything FROM s; "
      "WITH v AS (SELECT * FROM active_users) SELECT whatever FROM v";
  const ir::SqlAnalysis analysis = Analyze(sql);
  EXPECT_EQ(Unknowns(analysis), 0u);
  EXPECT_EQ(With(analysis, SqlReferenceStatus::kUncertain).size(), 2u);
  EXPECT_FALSE(analysis.notes.empty());
}

TEST_F(QueryAnalysisTest, RecursiveCte) {
  const std::string sql =
      "WITH RECURSIVE chain(id, depth) AS (SELECT id, 0 FROM users UNION ALL "
      "SELECT u.id, c.depth + 1 FROM users u JOIN chain c ON c.id = u.id) SELECT depth, nope FROM chain";
  const auto unknown = With(Analyze(sql), SqlReferenceStatus::kUnknownColumn);
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].column, "nope");
}

TEST_F(QueryAnalysisTest, SubqueriesInFromAndCorrelation) {
  const std::string sql =
      "SELECT s.n, s.total, s.bad FROM (SELECT user_id AS n, total FROM orders) s "
      "WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = s.n AND o.totl > 0) "
      "AND s.n IN (SELECT id FROM users WHERE email = s.total::text)";
  const ir::SqlAnalysis analysis = Analyze(sql);
  const auto unknown = With(analysis, SqlReferenceStatus::kUnknownColumn);
  ASSERT_EQ(unknown.size(), 2u);
  EXPECT_EQ(unknown[0].column, "bad");
  EXPECT_EQ(unknown[1].column, "totl");
  EXPECT_EQ(unknown[1].offset, sql.find("totl"));

  // Alias column lists rename the subquery's columns.
  const std::string renamed = "SELECT a, b, user_id FROM (SELECT user_id, total FROM orders) AS s(a, b)";
  const auto renamed_unknown = With(Analyze(renamed), SqlReferenceStatus::kUnknownColumn);
  ASSERT_EQ(renamed_unknown.size(), 1u);
  EXPECT_EQ(renamed_unknown[0].column, "user_id");
}

TEST_F(QueryAnalysisTest, NonLateralSubqueryDoesNotSeeItsSiblings) {
  const std::string sql = "SELECT 1 FROM users u, (SELECT u.id) x";
  EXPECT_EQ(With(Analyze(sql), SqlReferenceStatus::kUnknownTable).size(), 1u);
  const std::string lateral =
      "SELECT x.total FROM users u, LATERAL (SELECT total FROM orders o WHERE o.user_id = u.id) x";
  EXPECT_EQ(Unknowns(Analyze(lateral)), 0u);
}

TEST_F(QueryAnalysisTest, MissingFromEntry) {
  const std::string sql = "SELECT x.id FROM users u";
  const auto missing = With(Analyze(sql), SqlReferenceStatus::kUnknownTable);
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].qualifier, "x");
  EXPECT_EQ(missing[0].offset, sql.find("x.id"));
}

TEST_F(QueryAnalysisTest, JoinsUsingAndOutputAliases) {
  const std::string sql =
      "SELECT o.total AS amount, count(*) AS n FROM users JOIN orders o USING (id) "
      "GROUP BY amount ORDER BY n DESC, amount, email";
  const ir::SqlAnalysis analysis = Analyze(sql);
  EXPECT_EQ(Unknowns(analysis), 0u);
  const std::string bad_using = "SELECT 1 FROM users JOIN orders USING (user_id)";
  const auto unknown = With(Analyze(bad_using), SqlReferenceStatus::kUnknownColumn);
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].offset, bad_using.rfind("user_id"));
  EXPECT_EQ(unknown[0].candidate_tables, std::vector<std::string>{"public.users"});
  // ORDER BY a name that is neither an output alias nor a column is unknown.
  EXPECT_EQ(With(Analyze("SELECT id AS k FROM users ORDER BY kk"), SqlReferenceStatus::kUnknownColumn).size(), 1u);
}

TEST_F(QueryAnalysisTest, UnionOrderByUsesOutputNames) {
  const std::string sql = "SELECT id, email FROM users UNION SELECT id, name FROM users ORDER BY email";
  EXPECT_EQ(Unknowns(Analyze(sql)), 0u);
}

TEST_F(QueryAnalysisTest, InsertColumnListSelectAndReturning) {
  const std::string sql = "INSERT INTO orders (user_id, totl) SELECT id, 0 FROM users RETURNING id, total, bogus";
  const ir::SqlAnalysis analysis = Analyze(sql);
  const auto unknown = With(analysis, SqlReferenceStatus::kUnknownColumn);
  ASSERT_EQ(unknown.size(), 2u);
  EXPECT_EQ(unknown[0].column, "totl");
  EXPECT_EQ(unknown[0].offset, sql.find("totl"));
  EXPECT_EQ(unknown[0].candidate_tables, std::vector<std::string>{"public.orders"});
  EXPECT_EQ(unknown[1].column, "bogus");
  ASSERT_EQ(analysis.statements.size(), 1u);
  EXPECT_EQ(analysis.statements[0].command, "INSERT");
  EXPECT_EQ(analysis.statements[0].target_table, "public.orders");
  EXPECT_FALSE(analysis.statements[0].is_destructive);
}

TEST_F(QueryAnalysisTest, OnConflictAndExcluded) {
  const std::string sql =
      "INSERT INTO users AS u (id, email) VALUES (%(id)s, %(email)s) ON CONFLICT (email) "
      "DO UPDATE SET name = excluded.name, email = EXCLUDED.email || u.email WHERE u.id > 0 RETURNING u.id";
  const ir::SqlAnalysis analysis = Analyze(sql, ir::ParamStyle::kPyformat);
  ASSERT_TRUE(analysis.parsed) << analysis.syntax_error->message;
  EXPECT_EQ(Unknowns(analysis), 0u);
  const SqlReference* conflict = At(analysis, sql.find("email) DO"));
  ASSERT_NE(conflict, nullptr);
  EXPECT_EQ(conflict->status, SqlReferenceStatus::kResolved);

  const std::string bad = "INSERT INTO users (id) VALUES (1) ON CONFLICT (emial) DO UPDATE SET nme = excluded.nam";
  const auto unknown = With(Analyze(bad), SqlReferenceStatus::kUnknownColumn);
  ASSERT_EQ(unknown.size(), 3u);
  EXPECT_EQ(unknown[0].offset, bad.find("emial"));
  EXPECT_EQ(unknown[1].offset, bad.find("nme"));
  EXPECT_EQ(unknown[2].offset, bad.find("nam", bad.find("excluded")));
  EXPECT_EQ(unknown[2].qualifier, "excluded");
}

TEST_F(QueryAnalysisTest, UpdateSetFromAndWhere) {
  const std::string sql = "UPDATE orders SET totl = o2.total FROM orders o2 WHERE orders.id = o2.id";
  const ir::SqlAnalysis analysis = Analyze(sql);
  const auto unknown = With(analysis, SqlReferenceStatus::kUnknownColumn);
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].offset, sql.find("totl"));
  // A SET target is a column of the target table, never of the FROM list.
  const auto set_from_other =
      With(Analyze("UPDATE users SET user_id = 1 FROM orders WHERE true"), SqlReferenceStatus::kUnknownColumn);
  EXPECT_EQ(set_from_other.size(), 1u);
}

TEST_F(QueryAnalysisTest, StatementFacts) {
  const std::string sql =
      "  -- cleanup\n DELETE FROM orders; UPDATE users SET name = 'x' WHERE id = 1; "
      "DROP TABLE IF EXISTS audit.events; TRUNCATE orders; ALTER TABLE users DROP COLUMN name; "
      "DELETE FROM orders WHERE CURRENT OF c; CREATE TABLE t (a int); UPDATE users SET name = 'y'";
  const ir::SqlAnalysis analysis = Analyze(sql);
  ASSERT_EQ(analysis.statements.size(), 8u);
  const auto& s = analysis.statements;
  EXPECT_EQ(s[0].command, "DELETE");
  EXPECT_TRUE(s[0].write_without_where);
  EXPECT_TRUE(s[0].is_destructive);
  EXPECT_FALSE(s[0].is_ddl);
  EXPECT_EQ(s[0].offset, sql.find("DELETE"));
  EXPECT_EQ(s[0].length, std::string("DELETE FROM orders").size());
  EXPECT_EQ(s[1].command, "UPDATE");
  EXPECT_FALSE(s[1].write_without_where);
  EXPECT_FALSE(s[1].is_destructive);
  EXPECT_EQ(s[1].target_table, "public.users");
  EXPECT_EQ(s[2].command, "DROP TABLE");
  EXPECT_TRUE(s[2].is_ddl);
  EXPECT_TRUE(s[2].is_destructive);
  EXPECT_EQ(s[2].target_table, "audit.events");
  EXPECT_EQ(s[3].command, "TRUNCATE");
  EXPECT_TRUE(s[3].is_destructive);
  EXPECT_EQ(s[4].command, "ALTER TABLE");
  EXPECT_TRUE(s[4].is_destructive);
  EXPECT_TRUE(s[4].is_ddl);
  EXPECT_EQ(s[5].command, "DELETE");
  EXPECT_FALSE(s[5].write_without_where);
  EXPECT_EQ(s[6].command, "CREATE TABLE");
  EXPECT_TRUE(s[6].is_ddl);
  EXPECT_FALSE(s[6].is_destructive);
  EXPECT_EQ(s[6].target_table, "public.t");
  EXPECT_TRUE(s[7].write_without_where);
  EXPECT_EQ(s[7].offset + s[7].length, sql.size());
}

TEST_F(QueryAnalysisTest, TablesCreatedEarlierAreKnown) {
  const std::string sql =
      "CREATE TEMP TABLE staging (id int, label text); INSERT INTO staging (id, label) VALUES (1, 'a'); "
      "SELECT s.label, s.nope FROM staging s; ALTER TABLE users ADD COLUMN nickname text; "
      "SELECT nickname FROM users; CREATE VIEW v AS SELECT id, email AS mail FROM users; SELECT mail FROM v";
  const ir::SqlAnalysis analysis = Analyze(sql);
  EXPECT_EQ(With(analysis, SqlReferenceStatus::kUnknownTable, SqlReference::Kind::kTable).size(), 0u);
  const auto unknown = With(analysis, SqlReferenceStatus::kUnknownColumn);
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].column, "nope");
}

TEST_F(QueryAnalysisTest, FunctionsValuesAndSystemCatalogsAreNeverErrors) {
  const std::string sql =
      "SELECT g, x.anything, t.a, t.column2 FROM generate_series(1, 3) g, "
      "json_to_record('{}') AS x(a int), (VALUES (1, 2)) AS t(a)";
  const ir::SqlAnalysis analysis = Analyze(sql);
  EXPECT_EQ(Unknowns(analysis), 0u);
  EXPECT_FALSE(With(analysis, SqlReferenceStatus::kUncertain).empty());
  EXPECT_FALSE(analysis.notes.empty());

  const std::string catalogs =
      "SELECT c.relname, t.whatever FROM pg_class c, information_schema.tables t, pg_catalog.pg_namespace n";
  const ir::SqlAnalysis system = Analyze(catalogs);
  EXPECT_EQ(Unknowns(system), 0u);
  EXPECT_EQ(With(system, SqlReferenceStatus::kUncertain, SqlReference::Kind::kTable).size(), 3u);

  // VALUES columns are known: column1, column2, ...
  EXPECT_EQ(With(Analyze("SELECT column3 FROM (VALUES (1, 2)) v"), SqlReferenceStatus::kUnknownColumn).size(), 1u);
}

TEST_F(QueryAnalysisTest, ViewsWithoutColumnsAreUncertain) {
  const std::string sql = "SELECT a.anything FROM active_users a; SELECT sum, nope FROM order_totals";
  const ir::SqlAnalysis analysis = Analyze(sql);
  const auto unknown = With(analysis, SqlReferenceStatus::kUnknownColumn);
  ASSERT_EQ(unknown.size(), 1u);  // order_totals lists its columns
  EXPECT_EQ(unknown[0].column, "nope");
  const auto uncertain = With(analysis, SqlReferenceStatus::kUncertain);
  ASSERT_EQ(uncertain.size(), 1u);
  EXPECT_EQ(uncertain[0].column, "anything");
  ASSERT_FALSE(analysis.notes.empty());
  EXPECT_EQ(analysis.notes[0].offset, sql.find("anything"));
}

TEST_F(QueryAnalysisTest, CompositeFieldAccessIsNotAnError) {
  const std::string sql = "SELECT (u.email).x, u.name FROM users u";
  EXPECT_EQ(Unknowns(Analyze(sql)), 0u);
  EXPECT_EQ(Unknowns(Analyze("SELECT u FROM users u")), 0u);  // whole-row reference
  EXPECT_EQ(Unknowns(Analyze("SELECT ctid, xmin FROM users")), 0u);
}

TEST_F(QueryAnalysisTest, SyntaxErrorOffsetIsBytes) {
  const std::string sql = "SELECT 'ééé' FRM users";
  const ir::SqlAnalysis analysis = Analyze(sql);
  EXPECT_FALSE(analysis.parsed);
  ASSERT_TRUE(analysis.syntax_error);
  EXPECT_EQ(analysis.syntax_error->offset, sql.find("users"));
  EXPECT_FALSE(analysis.syntax_error->likely_newer_syntax);
  EXPECT_NE(analysis.syntax_error->message.find("syntax error"), std::string::npos);
}

TEST_F(QueryAnalysisTest, SyntaxErrorAfterGrownPlaceholdersMapsToTheOriginal) {
  const std::string sql = "SELECT * FROM users WHERE id IN (?,?,?) AND email = ? ORDER BY FROM";
  const ir::SqlAnalysis analysis = Analyze(sql, ir::ParamStyle::kQmark);
  ASSERT_TRUE(analysis.syntax_error);
  EXPECT_EQ(analysis.syntax_error->offset, sql.rfind("FROM"));
  const std::string good = "SELECT emial FROM users WHERE id IN (?,?,?) AND nam = ?";
  const auto unknown = With(Analyze(good, ir::ParamStyle::kQmark), SqlReferenceStatus::kUnknownColumn);
  ASSERT_EQ(unknown.size(), 2u);
  EXPECT_EQ(unknown[0].offset, good.find("emial"));
  EXPECT_EQ(unknown[1].offset, good.find("nam "));
}

TEST_F(QueryAnalysisTest, OneBadStatementDoesNotHideTheOthers) {
  const std::string sql = "SELECT emial FROM users; SELEC 1; SELECT totl FROM orders";
  const ir::SqlAnalysis analysis = Analyze(sql);
  ASSERT_TRUE(analysis.syntax_error);
  EXPECT_EQ(analysis.syntax_error->offset, sql.find("SELEC "));
  const auto unknown = With(analysis, SqlReferenceStatus::kUnknownColumn);
  ASSERT_EQ(unknown.size(), 2u);
  EXPECT_EQ(unknown[0].offset, sql.find("emial"));
  EXPECT_EQ(unknown[1].offset, sql.find("totl"));
}

TEST_F(QueryAnalysisTest, NewerSyntaxIsFlagged) {
  const std::vector<std::string> newer = {
      "SELECT JSON_OBJECT('a': 1)",
      "SELECT * FROM JSON_TABLE(x, '$' COLUMNS (a int)) jt",
      "SELECT payload IS JSON FROM audit.events",
      "MERGE INTO users u USING orders o ON o.user_id = u.id WHEN MATCHED THEN DELETE RETURNING u.id",
      "SELECT 1_000_000",
      "SELECT 0x1F",
  };
  for (const std::string& sql : newer) {
    const ir::SqlAnalysis analysis = Analyze(sql);
    ASSERT_TRUE(analysis.syntax_error) << sql;
    EXPECT_TRUE(analysis.syntax_error->likely_newer_syntax) << sql;
  }
  const ir::SqlAnalysis plain = Analyze("SELECT FROM WHERE users");
  ASSERT_TRUE(plain.syntax_error);
  EXPECT_FALSE(plain.syntax_error->likely_newer_syntax);
}

TEST_F(QueryAnalysisTest, PlaceholderStylesAllParse) {
  struct Case {
    std::string sql;
    ir::ParamStyle style;
  };
  const std::vector<Case> cases = {
      {"SELECT emial FROM users WHERE id = :id AND name = :name", ir::ParamStyle::kNamed},
      {"SELECT emial FROM users WHERE id = %s AND name LIKE '%%s' AND name = %(n)s", ir::ParamStyle::kPyformat},
      {"SELECT emial FROM users WHERE id = $1 AND name = $2", ir::ParamStyle::kNumeric},
      {"SELECT emial FROM users WHERE id = ? AND name = ?", ir::ParamStyle::kQmark},
      {"SELECT emial FROM users WHERE id = ? AND name = :n AND email = %s", ir::ParamStyle::kUnknown},
  };
  for (const Case& c : cases) {
    const ir::SqlAnalysis analysis = Analyze(c.sql, c.style);
    ASSERT_TRUE(analysis.parsed) << c.sql << ": " << analysis.syntax_error->message;
    const auto unknown = With(analysis, SqlReferenceStatus::kUnknownColumn);
    ASSERT_EQ(unknown.size(), 1u) << c.sql;
    EXPECT_EQ(unknown[0].offset, c.sql.find("emial")) << c.sql;
  }
  // `?` is the jsonb operator for drivers that do not use it.
  const std::string jsonb = "SELECT id FROM audit.events WHERE payload ? 'k' AND kind = %s";
  EXPECT_TRUE(Analyze(jsonb, ir::ParamStyle::kPyformat).parsed);
  // psycopg2 expands a tuple after IN.
  EXPECT_TRUE(Analyze("SELECT id FROM users WHERE id IN %s", ir::ParamStyle::kPyformat).parsed);
}

TEST_F(QueryAnalysisTest, HugeQuery) {
  std::string sql = "SELECT id FROM users WHERE id IN (";
  while (sql.size() < 5 * 1024 * 1024) sql += "123456, ";
  sql += "1) AND emial = 'x'";
  const ir::SqlAnalysis analysis = Analyze(sql);
  ASSERT_TRUE(analysis.parsed);
  const auto unknown = With(analysis, SqlReferenceStatus::kUnknownColumn);
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].offset, sql.find("emial"));
}

TEST_F(QueryAnalysisTest, BinaryBytesUnterminatedQuotesAndDeepNesting) {
  const std::string nul = std::string("SELECT id FROM users WHERE name = 'a") + '\0' + "b'";
  const ir::SqlAnalysis with_nul = Analyze(nul);
  ASSERT_TRUE(with_nul.syntax_error);
  EXPECT_EQ(with_nul.syntax_error->offset, nul.find('\0'));

  const std::string binary = "SELECT \xff\xfe\x01 FROM users";
  const ir::SqlAnalysis garbage = Analyze(binary);
  EXPECT_TRUE(garbage.parsed || garbage.syntax_error);

  const ir::SqlAnalysis unterminated = Analyze("SELECT 'abc FROM users");
  ASSERT_TRUE(unterminated.syntax_error);
  EXPECT_FALSE(unterminated.parsed);

  const std::string deep = "SELECT " + std::string(100000, '(') + "1" + std::string(100000, ')');
  const ir::SqlAnalysis too_deep = Analyze(deep);
  EXPECT_FALSE(too_deep.parsed);
  EXPECT_TRUE(too_deep.syntax_error || !too_deep.notes.empty());

  // Deep but accepted by the parser: checked, or noted, never a crash.
  std::string nested = "SELECT id FROM users WHERE ";
  for (int i = 0; i < 300; ++i) nested += "id IN (SELECT id FROM users WHERE ";
  nested += "emial = 1";
  nested += std::string(300, ')');
  const ir::SqlAnalysis nested_analysis = Analyze(nested);
  ASSERT_TRUE(nested_analysis.parsed) << nested_analysis.syntax_error->message;
  EXPECT_TRUE(Unknowns(nested_analysis) == 1u || !nested_analysis.notes.empty());
}

TEST_F(QueryAnalysisTest, ConcurrentCalls) {
  const std::string sql = "SELECT u.emial FROM users u JOIN orders o ON o.user_id = u.id WHERE o.totl > ?";
  std::vector<std::thread> threads;
  std::vector<std::size_t> unknowns(4, 0);
  for (std::size_t t = 0; t < unknowns.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) unknowns[t] += Unknowns(Analyze(sql, ir::ParamStyle::kQmark));
    });
  }
  for (auto& thread : threads) thread.join();
  for (std::size_t count : unknowns) EXPECT_EQ(count, 100u);
}

TEST_F(QueryAnalysisTest, CreateIndexAndMerge) {
  const std::string sql = "CREATE INDEX ix ON orders (user_id, totl)";
  const ir::SqlAnalysis analysis = Analyze(sql);
  const auto unknown = With(analysis, SqlReferenceStatus::kUnknownColumn);
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].offset, sql.find("totl"));
  EXPECT_EQ(analysis.statements[0].command, "CREATE INDEX");
  EXPECT_EQ(analysis.statements[0].target_table, "public.orders");

  const std::string merge =
      "MERGE INTO users u USING orders o ON o.user_id = u.id WHEN MATCHED THEN UPDATE SET nme = o.total "
      "WHEN NOT MATCHED THEN INSERT (id, email) VALUES (o.user_id, o.totl)";
  const ir::SqlAnalysis merged = Analyze(merge);
  ASSERT_TRUE(merged.parsed);
  EXPECT_EQ(merged.statements[0].command, "MERGE");
  const auto merge_unknown = With(merged, SqlReferenceStatus::kUnknownColumn);
  ASSERT_EQ(merge_unknown.size(), 2u);
  EXPECT_EQ(merge_unknown[0].offset, merge.find("nme"));
  EXPECT_EQ(merge_unknown[1].offset, merge.find("totl"));
}

TEST_F(QueryAnalysisTest, SetSearchPathAppliesToLaterStatements) {
  const std::string sql =
      "SELECT kind FROM events; SET search_path TO audit, public; SELECT kind, email FROM events, users";
  const ir::SqlAnalysis analysis = Analyze(sql);
  const auto tables = With(analysis, SqlReferenceStatus::kUnknownTable, SqlReference::Kind::kTable);
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_EQ(tables[0].offset, sql.find("events"));
  EXPECT_EQ(With(analysis, SqlReferenceStatus::kUnknownColumn).size(), 0u);
}

TEST_F(QueryAnalysisTest, CommonQueryShapesHaveNoFalseErrors) {
  const std::vector<std::string> queries = {
      "SELECT u.id, count(o.id) FILTER (WHERE o.total > 0) OVER (PARTITION BY u.id ORDER BY o.total) "
      "FROM users u LEFT JOIN orders o ON o.user_id = u.id",
      "SELECT EXTRACT(year FROM now()), CURRENT_DATE, current_user, CAST(id AS text), name COLLATE \"C\" FROM users",
      "SELECT * FROM users WHERE email ILIKE '%' || :q || '%' ORDER BY id LIMIT :limit OFFSET :offset",
      "SELECT u.* FROM users u WHERE NOT EXISTS (SELECT 1 FROM orders WHERE orders.user_id = u.id)",
      "SELECT id FROM users u WHERE u.id = ANY(ARRAY[1,2]) FOR UPDATE OF u SKIP LOCKED",
      "WITH ins AS (INSERT INTO orders (user_id, total) VALUES (1, 2) RETURNING id, total) "
      "SELECT ins.id, ins.total FROM ins",
      "SELECT x.n FROM unnest(ARRAY[1,2]) WITH ORDINALITY AS x(v, n)",
      "SELECT COALESCE(name, email) AS label FROM users ORDER BY label",
      "SELECT id, (SELECT max(total) FROM orders WHERE user_id = users.id) AS m FROM users",
      "DELETE FROM orders o USING users u WHERE o.user_id = u.id AND u.email = $1 RETURNING o.id",
      "SELECT * FROM users u JOIN LATERAL (SELECT * FROM orders WHERE user_id = u.id) o ON true WHERE o.total > 1",
      "SELECT t.x FROM (SELECT 1 AS x UNION ALL SELECT 2) t",
      "SELECT row_to_json(u) FROM users u",
      "SELECT id FROM users WHERE (email, name) IN (SELECT email, name FROM users)",
      "SELECT public.users.email FROM public.users",
      "SELECT e.payload->>'a' FROM audit.events e WHERE e.payload @> '{}'",
      "UPDATE users SET name = 'x' WHERE id = 1 RETURNING old.name, new.name",
      "SELECT system_user",
  };
  for (const std::string& sql : queries) {
    const ir::SqlAnalysis analysis = Analyze(sql);
    ASSERT_TRUE(analysis.parsed) << sql << ": " << analysis.syntax_error->message;
    EXPECT_EQ(Unknowns(analysis), 0u) << sql;
  }
}

TEST_F(QueryAnalysisTest, CopyTarget) {
  const ir::SqlAnalysis analysis = Analyze("COPY orders (id, total) TO STDOUT");
  ASSERT_EQ(analysis.statements.size(), 1u);
  EXPECT_EQ(analysis.statements[0].command, "COPY");
  EXPECT_EQ(analysis.statements[0].target_table, "public.orders");
}

TEST_F(QueryAnalysisTest, FunctionArgumentsInFromAreChecked) {
  const std::string sql = "SELECT g FROM users u, generate_series(1, u.idd) g";
  const auto unknown = With(Analyze(sql), SqlReferenceStatus::kUnknownColumn);
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].offset, sql.find("idd"));
}

TEST_F(QueryAnalysisTest, EscapedAndNonAsciiNames) {
  const std::string sql = "SELECT \"we\"\"ird\", \"ñame\" FROM users WHERE name = 'é\\n'";
  const auto unknown = With(Analyze(sql), SqlReferenceStatus::kUnknownColumn);
  ASSERT_EQ(unknown.size(), 2u);
  EXPECT_EQ(unknown[0].column, "we\"ird");
  EXPECT_EQ(unknown[0].offset, sql.find("\"we"));
  EXPECT_EQ(unknown[0].length, std::string("\"we\"\"ird\"").size());
  EXPECT_EQ(unknown[1].column, "ñame");
}

TEST_F(QueryAnalysisTest, SequencesAreRelations) {
  const std::string sql = "SELECT last_value, is_called, bogus FROM users_id_seq";
  const ir::SqlAnalysis analysis = Analyze(sql);
  EXPECT_EQ(With(analysis, SqlReferenceStatus::kUnknownTable, SqlReference::Kind::kTable).size(), 0u);
  const auto unknown = With(analysis, SqlReferenceStatus::kUnknownColumn);
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].column, "bogus");
}

// libpg_query prints a 70,000-term operator chain recursively and overflows the stack: such
// SQL must be refused before the parser sees it, while long flat lists still parse.
TEST_F(QueryAnalysisTest, OperatorChainsTooDeepForTheParserAreNotes) {
  std::string chain = "SELECT 1";
  for (int i = 0; i < 100000; ++i) chain += "+1";
  const ir::SqlAnalysis analysis = Analyze(chain);
  EXPECT_FALSE(analysis.parsed);
  ASSERT_EQ(analysis.notes.size(), 1u);
  EXPECT_NE(analysis.notes[0].message.find("nested"), std::string::npos);

  std::string flat = "SELECT id FROM users WHERE id = 1";
  for (int i = 0; i < 50000; ++i) flat += " OR id = 1";
  EXPECT_TRUE(Analyze(flat).parsed);
  std::string moderate = "SELECT emial";
  for (int i = 0; i < 2000; ++i) moderate += " + 1";
  moderate += " FROM users";
  const ir::SqlAnalysis checked = Analyze(moderate);
  ASSERT_TRUE(checked.parsed);
  EXPECT_TRUE(Unknowns(checked) == 1u || !checked.notes.empty());
}

ir::SqlAnalysis AnalyzeAt(const std::string& sql, ir::SqlPosition position, const SchemaIndex& index) {
  QueryAnalysisOptions options;
  options.param_style = ir::ParamStyle::kNamed;
  options.position = position;
  return AnalyzeQuery(sql, &index, options);
}

// text("...") handed to where() / order_by() / select_from() is parsed in that position: no
// syntax error, no statement, columns left to the query it goes into, relations still checked.
TEST_F(QueryAnalysisTest, FragmentsAreParsedWhereTheyAreUsed) {
  const ir::SqlAnalysis condition = AnalyzeAt("1 = 0 AND bogus > :n", ir::SqlPosition::kExpression, index_);
  EXPECT_TRUE(condition.parsed);
  EXPECT_FALSE(condition.syntax_error.has_value());
  EXPECT_TRUE(condition.statements.empty());
  EXPECT_EQ(Unknowns(condition), 0u);

  const ir::SqlAnalysis order = AnalyzeAt("created_at DESC, id", ir::SqlPosition::kOrderBy, index_);
  EXPECT_FALSE(order.syntax_error.has_value());

  const std::string subquery = "EXISTS (SELECT 1 FROM ordrs o WHERE o.user_id = users.id)";
  const ir::SqlAnalysis exists = AnalyzeAt(subquery, ir::SqlPosition::kExpression, index_);
  const auto tables = With(exists, SqlReferenceStatus::kUnknownTable, SqlReference::Kind::kTable);
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_EQ(tables[0].table, "ordrs");
  EXPECT_EQ(tables[0].offset, subquery.find("ordrs"));

  const ir::SqlAnalysis broken = AnalyzeAt("is_active = ", ir::SqlPosition::kExpression, index_);
  ASSERT_TRUE(broken.syntax_error.has_value());
  EXPECT_LE(broken.syntax_error->offset, 12u);
}

// Without a known position, text that does not start like a statement and only parses as a
// fragment is one; a misspelt statement keyword stays a statement's syntax error.
TEST_F(QueryAnalysisTest, UnknownPositionFallsBackToFragmentsOnlyForNonStatements) {
  EXPECT_FALSE(AnalyzeAt("total DESC", ir::SqlPosition::kUnknown, index_).syntax_error.has_value());
  EXPECT_FALSE(AnalyzeAt("lower(name)", ir::SqlPosition::kUnknown, index_).syntax_error.has_value());
  EXPECT_TRUE(AnalyzeAt("SELEC id FROM users", ir::SqlPosition::kUnknown, index_).syntax_error.has_value());
  EXPECT_TRUE(AnalyzeAt("0 = 1", ir::SqlPosition::kStatement, index_).syntax_error.has_value());
}

TEST_F(QueryAnalysisTest, OtherDatabasesStatementsAreNamed) {
  EXPECT_EQ(Analyze("PRAGMA foreign_keys=ON").syntax_error->other_dialect, "SQLite");
  EXPECT_EQ(Analyze("SHOW VARIABLES LIKE 'x'").syntax_error->other_dialect, "MySQL");
  EXPECT_EQ(Analyze("SELECT `id` FROM users").syntax_error->other_dialect, "MySQL");
  EXPECT_EQ(Analyze("SELECT id FROM users ORDER id").syntax_error->other_dialect, "");
  EXPECT_FALSE(Analyze("SHOW search_path").syntax_error.has_value());
}

// WITH RECURSIVE t(a) AS (SELECT x, y ...): the list renames the first column only.
TEST_F(QueryAnalysisTest, PartialAliasListOfARecursiveCteKeepsTheOtherNames) {
  const ir::SqlAnalysis partial = Analyze(
      "WITH RECURSIVE c(depth) AS (SELECT 0, o.* FROM orders o UNION ALL "
      "SELECT c.depth + 1, o.* FROM orders o, c WHERE o.user_id = c.user_id AND c.depth < 3) SELECT total FROM c");
  EXPECT_EQ(Unknowns(partial), 0u);
  const ir::SqlAnalysis complete = Analyze(
      "WITH RECURSIVE c(depth, ident) AS (SELECT 0, o.id FROM orders o UNION ALL "
      "SELECT c.depth + 1, c.ident FROM c WHERE c.user_id IS NULL) SELECT ident FROM c");
  const auto unknown = With(complete, SqlReferenceStatus::kUnknownColumn);
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].column, "user_id");
}

TEST_F(QueryAnalysisTest, AlembicVersionIsAlwaysKnown) {
  const ir::SqlAnalysis analysis =
      Analyze("SELECT version_num FROM alembic_version; SELECT bogus FROM alembic_version");
  EXPECT_EQ(With(analysis, SqlReferenceStatus::kUnknownTable, SqlReference::Kind::kTable).size(), 0u);
  const auto unknown = With(analysis, SqlReferenceStatus::kUnknownColumn);
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].column, "bogus");
}

TEST(QueryJson, ReadsValuesEscapesAndNesting) {
  JsonDocument document;
  ASSERT_TRUE(document.Parse(
      R"({"a": [1, -2, {"b": "x\"y\\z\u00e9\ud83d\ude00"}], "t": true, "f": false, "n": null, "e": {}, "l": []})"));
  const JsonValue& root = document.root();
  ASSERT_TRUE(root.is_object());
  ASSERT_EQ(root.size(), 6u);
  const JsonValue* a = root.Find("a");
  ASSERT_NE(a, nullptr);
  ASSERT_TRUE(a->is_array());
  ASSERT_EQ(a->size(), 3u);
  EXPECT_EQ((*a)[0].integer(), 1);
  EXPECT_EQ((*a)[1].integer(), -2);
  EXPECT_EQ((*a)[2].Find("b")->string(), "x\"y\\z\xc3\xa9\xf0\x9f\x98\x80");
  EXPECT_TRUE(root.Find("t")->boolean());
  EXPECT_TRUE(root.Find("f")->is_boolean());
  EXPECT_FALSE(root.Find("f")->boolean());
  EXPECT_TRUE(root.Find("n")->is_null());
  EXPECT_TRUE(root.Find("e")->is_object());
  EXPECT_TRUE(root.Find("e")->empty());
  EXPECT_TRUE(root.Find("l")->is_array());
  EXPECT_EQ(root.Find("missing"), nullptr);

  const std::string deep = std::string(200000, '[') + std::string(200000, ']');
  JsonDocument nested;
  ASSERT_TRUE(nested.Parse(deep));
  EXPECT_TRUE(nested.root().is_array());

  for (const char* bad : {"", "{", "[1,", "{\"a\" 1}", "[1] x", "tru", "{\"a\":}"}) {
    JsonDocument broken;
    EXPECT_FALSE(broken.Parse(bad)) << "[" << bad << "]";
  }
}

}  // namespace
}  // namespace dbaudit::sql

#include <chrono>
#include <map>

#include "tests/unit/python/query_test_util.hpp"

namespace dbaudit::python::testing {
namespace {

using ir::AttributeUseKind;
using ir::Interaction;
using ir::ModelAttributeKind;
using ir::ParamStyle;
using ir::QueryKind;
using ir::SqlBuild;

// Where LocateInSql sends the first occurrence of `word` in a site's SQL.
ir::Location Locate(const ir::QuerySite& site, const std::string& word) {
  std::size_t offset = site.sql->text.find(word);
  EXPECT_NE(offset, std::string::npos) << word;
  return ir::LocateInSql(*site.sql, static_cast<std::uint32_t>(offset), site.location);
}

TEST_F(PythonQueryTest, CursorExecuteLiteralWithSpanAndPyformatStyle) {
  const std::string source =
      "import psycopg2\n"
      "\n"
      "def load(user_id):\n"
      "    conn = psycopg2.connect('dbname=shop')\n"
      "    with conn.cursor() as cur:\n"
      "        cur.execute(\"SELECT id, email FROM users WHERE id = %s\", (user_id,))\n"
      "        return cur.fetchone()\n";
  WriteSource("app/load.py", source);
  auto project = ReadProject();
  auto sites = Sites(project, "app/load.py", "cursor.execute");
  ASSERT_EQ(sites.size(), 1u) << Dump(project);
  const auto& site = *sites[0];
  EXPECT_EQ(site.kind, QueryKind::kRawSql);
  EXPECT_EQ(site.param_style, ParamStyle::kPyformat);
  EXPECT_EQ(site.build, SqlBuild::kLiteral);
  EXPECT_FALSE(site.unresolved);
  ASSERT_TRUE(site.sql.has_value());
  EXPECT_EQ(site.sql->text, "SELECT id, email FROM users WHERE id = %s");
  auto [call_line, call_column] = Pos("app/load.py", "cur.execute(");
  EXPECT_EQ(site.location.file, "app/load.py");
  EXPECT_EQ(site.location.line, call_line);
  EXPECT_EQ(site.location.column, call_column);
  EXPECT_EQ(site.location.end_line, call_line);
  EXPECT_EQ(site.location.end_column, call_column + std::string("cur.execute(\"SELECT id, email FROM users WHERE id = "
                                                                "%s\", (user_id,))")
                                                        .size());
  ASSERT_EQ(site.sql->spans.size(), 1u);
  auto [literal_line, literal_column] = Pos("app/load.py", "SELECT id");
  EXPECT_EQ(site.sql->spans[0].line, literal_line);
  EXPECT_EQ(site.sql->spans[0].column, literal_column);
  EXPECT_TRUE(site.sql->spans[0].exact);
  auto users = Locate(site, "users");
  auto [users_line, users_column] = Pos("app/load.py", "users WHERE");
  EXPECT_EQ(users.line, users_line);
  EXPECT_EQ(users.column, users_column);
  // The connection and the import are both driver interactions; the execute counts once.
  const auto* file = FileOf(project, "app/load.py");
  ASSERT_NE(file, nullptr);
  ASSERT_NE(InteractionOf(*file, Interaction::kDbApiDriver), nullptr);
  EXPECT_EQ(InteractionOf(*file, Interaction::kDbApiDriver)->count, 2u);
  EXPECT_EQ(InteractionOf(*file, Interaction::kDbApiDriver)->first.line, 1u);
  ASSERT_NE(InteractionOf(*file, Interaction::kExecute), nullptr);
  EXPECT_EQ(InteractionOf(*file, Interaction::kExecute)->count, 1u);
  EXPECT_EQ(InteractionOf(*file, Interaction::kStringBuiltSql), nullptr);
}

TEST_F(PythonQueryTest, ImplicitConcatenationTripleQuotesAndPrefixes) {
  const std::string source =
      "from sqlalchemy import text\n"
      "Q1 = text(\n"
      "    \"SELECT a \"\n"
      "    'FROM t1 '\n"
      "    r\"WHERE b ~ '\\d'\"\n"
      ")\n"
      "Q2 = text(\"\"\"\n"
      "SELECT c\n"
      "  FROM t2\"\"\")\n"
      "Q3 = text(u'SELECT 1' b'')\n";
  WriteSource("q.py", source);
  auto project = ReadProject();
  auto sites = Sites(project, "q.py", "text");
  ASSERT_EQ(sites.size(), 3u) << Dump(project);
  const auto& first = *sites[0];
  EXPECT_EQ(first.param_style, ParamStyle::kNamed);
  ASSERT_TRUE(first.sql);
  EXPECT_EQ(first.sql->text, "SELECT a FROM t1 WHERE b ~ '\\d'");
  EXPECT_EQ(first.sql->spans.size(), 3u);
  auto from = Locate(first, "FROM");
  EXPECT_EQ(std::make_pair(from.line, from.column), Pos("q.py", "FROM t1"));
  auto where = Locate(first, "WHERE");
  EXPECT_EQ(std::make_pair(where.line, where.column), Pos("q.py", "WHERE b"));
  // A raw string keeps its backslash and stays exact.
  auto digit = Locate(first, "\\d");
  EXPECT_EQ(std::make_pair(digit.line, digit.column), Pos("q.py", "\\d"));

  const auto& second = *sites[1];
  ASSERT_TRUE(second.sql);
  EXPECT_EQ(second.sql->text, "\nSELECT c\n  FROM t2");
  auto t2 = Locate(second, "t2");
  EXPECT_EQ(std::make_pair(t2.line, t2.column), Pos("q.py", "t2"));
  EXPECT_EQ(second.location.line, Pos("q.py", "text(\"\"\"").first);
  EXPECT_EQ(second.location.end_line, Pos("q.py", "FROM t2").first);
  ASSERT_TRUE(sites[2]->sql);
  EXPECT_EQ(sites[2]->sql->text, "SELECT 1");
}

TEST_F(PythonQueryTest, EscapesGetInexactSpansButLaterTextStaysExact) {
  const std::string source =
      "def run(cursor):\n"
      "    cursor.execute(\"SELECT\\tname,\\x20id FROM caf\\u00e9s WHERE n = '\\n'\")\n";
  WriteSource("esc.py", source);
  auto project = ReadProject();
  auto sites = Sites(project, "esc.py", "cursor.execute");
  ASSERT_EQ(sites.size(), 1u) << Dump(project);
  ASSERT_TRUE(sites[0]->sql);
  const auto& sql = *sites[0]->sql;
  EXPECT_EQ(sql.text, "SELECT\tname, id FROM caf\xC3\xA9s WHERE n = '\n'");
  bool any_inexact = false;
  for (const auto& span : sql.spans) any_inexact = any_inexact || !span.exact;
  EXPECT_TRUE(any_inexact);
  for (std::size_t i = 1; i < sql.spans.size(); ++i) EXPECT_LE(sql.spans[i - 1].text_end, sql.spans[i].text_begin);
  // "FROM" comes after two escapes: still found at its own column.
  auto from = Locate(*sites[0], "FROM");
  EXPECT_EQ(std::make_pair(from.line, from.column), Pos("esc.py", "FROM"));
  auto where = Locate(*sites[0], "WHERE");
  EXPECT_EQ(std::make_pair(where.line, where.column), Pos("esc.py", "WHERE"));
  // The tab maps to the escape that produced it.
  auto tab = Locate(*sites[0], "\t");
  EXPECT_EQ(std::make_pair(tab.line, tab.column), Pos("esc.py", "\\tname"));
}

TEST_F(PythonQueryTest, LocalAssignmentsAreFollowedStraightLineOnly) {
  const std::string source =
      "import sqlite3\n"
      "def straight(conn, flag):\n"
      "    sql = 'SELECT 1'\n"
      "    sql = 'SELECT id FROM users'\n"
      "    cur = conn.cursor()\n"
      "    cur.execute(sql)\n"
      "def branches(cur, flag):\n"
      "    if flag:\n"
      "        sql = 'SELECT a FROM t'\n"
      "    else:\n"
      "        sql = 'SELECT b FROM t'\n"
      "    cur.execute(sql)\n"
      "def same(cur, flag):\n"
      "    if flag:\n"
      "        sql = 'SELECT a FROM t'\n"
      "    else:\n"
      "        sql = 'SELECT a FROM t'\n"
      "    cur.execute(sql)\n"
      "def param(cur, query):\n"
      "    cur.execute(query)\n"
      "def loop(cur, names):\n"
      "    sql = 'SELECT 1'\n"
      "    for name in names:\n"
      "        sql += ' UNION SELECT 2'\n"
      "    cur.execute(sql)\n"
      "def augmented(cur):\n"
      "    sql = 'SELECT x '\n"
      "    sql += 'FROM t'\n"
      "    cur.execute(sql)\n";
  WriteSource("local.py", source);
  auto project = ReadProject();
  auto sites = Sites(project, "local.py", "cursor.execute");
  ASSERT_EQ(sites.size(), 6u) << Dump(project);
  // sqlite3 is the only driver imported: qmark.
  EXPECT_EQ(sites[0]->param_style, ParamStyle::kQmark);
  ASSERT_TRUE(sites[0]->sql);
  EXPECT_EQ(sites[0]->sql->text, "SELECT id FROM users");
  EXPECT_EQ(sites[0]->sql->spans[0].line, Pos("local.py", "SELECT id FROM users").first);
  EXPECT_TRUE(sites[1]->unresolved);
  EXPECT_FALSE(sites[1]->sql.has_value());
  ASSERT_TRUE(sites[2]->sql);
  EXPECT_EQ(sites[2]->sql->text, "SELECT a FROM t");
  EXPECT_TRUE(sites[3]->unresolved);
  EXPECT_EQ(sites[3]->build, SqlBuild::kLiteral);
  EXPECT_TRUE(sites[4]->unresolved);
  ASSERT_TRUE(sites[5]->sql);
  EXPECT_EQ(sites[5]->sql->text, "SELECT x FROM t");
  EXPECT_EQ(sites[5]->build, SqlBuild::kLiteral);
  EXPECT_EQ(sites[5]->sql->spans.size(), 2u);
}

TEST_F(PythonQueryTest, DynamicBuildsNameWhatIsInterpolated) {
  const std::string source =
      "def a(cursor, table_name):\n"
      "    cursor.execute(f\"SELECT * FROM {table_name} WHERE id = %s\", (1,))\n"
      "def b(cursor, user_input):\n"
      "    cursor.execute(\"SELECT * FROM t WHERE name = '%s'\" % user_input)\n"
      "def c(cursor, user_input):\n"
      "    cursor.execute(\"SELECT * FROM t WHERE name = %s\", (user_input,))\n"
      "def d(cursor, column):\n"
      "    cursor.execute(\"SELECT {} FROM t\".format(column))\n"
      "def e(cursor, term):\n"
      "    sql = \"SELECT * FROM t WHERE x = '\" + term + \"'\"\n"
      "    cursor.execute(sql)\n"
      "def f(cursor, columns):\n"
      "    cursor.execute(\"SELECT \" + \", \".join(columns) + \" FROM t\")\n";
  WriteSource("dyn.py", source);
  auto project = ReadProject();
  auto sites = Sites(project, "dyn.py", "cursor.execute");
  ASSERT_EQ(sites.size(), 6u) << Dump(project);
  EXPECT_EQ(sites[0]->build, SqlBuild::kDynamic);
  EXPECT_FALSE(sites[0]->sql.has_value());
  EXPECT_FALSE(sites[0]->unresolved);
  EXPECT_NE(sites[0]->build_detail.find("f-string interpolates `table_name`"), std::string::npos)
      << sites[0]->build_detail;
  EXPECT_EQ(std::make_pair(sites[0]->build_location.line, sites[0]->build_location.column),
            Pos("dyn.py", "table_name}"));
  EXPECT_EQ(sites[1]->build, SqlBuild::kDynamic);
  EXPECT_NE(sites[1]->build_detail.find("`%` formats `user_input`"), std::string::npos) << sites[1]->build_detail;
  EXPECT_EQ(sites[1]->build_location.line, Pos("dyn.py", "% user_input").first);
  EXPECT_EQ(sites[1]->build_location.column, Pos("dyn.py", "% user_input").second + 2);
  // Parameters passed separately are not string building.
  EXPECT_EQ(sites[2]->build, SqlBuild::kLiteral);
  ASSERT_TRUE(sites[2]->sql);
  EXPECT_EQ(sites[3]->build, SqlBuild::kDynamic);
  EXPECT_NE(sites[3]->build_detail.find("`column`"), std::string::npos) << sites[3]->build_detail;
  EXPECT_EQ(sites[4]->build, SqlBuild::kDynamic);
  EXPECT_NE(sites[4]->build_detail.find("`term`"), std::string::npos) << sites[4]->build_detail;
  EXPECT_EQ(sites[4]->build_location.line, Pos("dyn.py", "+ term").first);
  EXPECT_EQ(sites[5]->build, SqlBuild::kDynamic);
  EXPECT_NE(sites[5]->build_detail.find("join() of `columns`"), std::string::npos) << sites[5]->build_detail;
  const auto* file = FileOf(project, "dyn.py");
  ASSERT_NE(file, nullptr);
  ASSERT_NE(InteractionOf(*file, Interaction::kStringBuiltSql), nullptr);
  EXPECT_EQ(InteractionOf(*file, Interaction::kStringBuiltSql)->count, 5u);
  EXPECT_EQ(InteractionOf(*file, Interaction::kRawSql)->count, 6u);
}

TEST_F(PythonQueryTest, ConstantInterpolationSubstitutesTheText) {
  const std::string source =
      "TABLE = 'users'\n"
      "LIMIT = 10\n"
      "COLUMNS = ['id', 'email']\n"
      "def a(cursor):\n"
      "    cursor.execute(f'SELECT * FROM {TABLE} LIMIT {LIMIT}')\n"
      "def b(cursor):\n"
      "    cursor.execute('SELECT * FROM %s WHERE n = %%s' % TABLE, (1,))\n"
      "def c(cursor):\n"
      "    cursor.execute('SELECT {cols} FROM {0}'.format(TABLE, cols=', '.join(['id', 'email'])))\n"
      "def d(cursor):\n"
      "    cursor.execute(f'SELECT * FROM {TABLE!r}')\n";
  WriteSource("const.py", source);
  auto project = ReadProject();
  auto sites = Sites(project, "const.py", "cursor.execute");
  ASSERT_EQ(sites.size(), 4u) << Dump(project);
  EXPECT_EQ(sites[0]->build, SqlBuild::kConstantInterpolation);
  ASSERT_TRUE(sites[0]->sql);
  EXPECT_EQ(sites[0]->sql->text, "SELECT * FROM users LIMIT 10");
  EXPECT_NE(sites[0]->build_detail.find("TABLE"), std::string::npos);
  // The substituted constant maps to its own definition.
  auto users = Locate(*sites[0], "users");
  EXPECT_EQ(std::make_pair(users.line, users.column), Pos("const.py", "users'"));
  auto limit = Locate(*sites[0], "LIMIT");
  EXPECT_EQ(std::make_pair(limit.line, limit.column), Pos("const.py", "LIMIT {"));
  ASSERT_TRUE(sites[1]->sql);
  EXPECT_EQ(sites[1]->build, SqlBuild::kConstantInterpolation);
  EXPECT_EQ(sites[1]->sql->text, "SELECT * FROM users WHERE n = %s");
  auto where = Locate(*sites[1], "WHERE");
  EXPECT_EQ(std::make_pair(where.line, where.column), Pos("const.py", "WHERE n = %%s"));
  ASSERT_TRUE(sites[2]->sql);
  EXPECT_EQ(sites[2]->sql->text, "SELECT id, email FROM users");
  EXPECT_EQ(sites[2]->build, SqlBuild::kConstantInterpolation);
  // Known constants formatted in a way the reader does not reproduce: not dynamic, not checkable.
  EXPECT_EQ(sites[3]->build, SqlBuild::kConstantInterpolation);
  EXPECT_TRUE(sites[3]->unresolved);
  EXPECT_FALSE(sites[3]->sql.has_value());
}

TEST_F(PythonQueryTest, ConstantsFromOtherModulesAndPackageReexports) {
  const std::string queries =
      "ACTIVE_USERS = (\n"
      "    'SELECT id FROM users '\n"
      "    'WHERE active'\n"
      ")\n"
      "BY_EMAIL = 'SELECT id FROM users WHERE email = :email'\n";
  WriteSource("app/sql/queries.py", queries);
  WriteSource("app/sql/__init__.py", "from .queries import ACTIVE_USERS, BY_EMAIL\n");
  const std::string use =
      "from sqlalchemy import text\n"
      "from app.sql import ACTIVE_USERS\n"
      "from app.sql.queries import BY_EMAIL as Q\n"
      "import app.sql.queries as qmod\n"
      "def a(cursor):\n"
      "    cursor.execute(ACTIVE_USERS)\n"
      "def b(session):\n"
      "    return session.execute(text(Q), {'email': 'x'})\n"
      "def c(cursor):\n"
      "    cursor.execute(qmod.ACTIVE_USERS + ' LIMIT 5')\n"
      "def d(cursor):\n"
      "    cursor.execute(UNDEFINED_SQL)\n";
  WriteSource("app/use.py", use);
  auto project = ReadProject();
  auto sites = Sites(project, "app/use.py");
  ASSERT_EQ(sites.size(), 5u) << Dump(project);
  const auto& a = *sites[0];
  EXPECT_EQ(a.api, "cursor.execute");
  ASSERT_TRUE(a.sql) << Dump(project);
  EXPECT_EQ(a.sql->text, "SELECT id FROM users WHERE active");
  EXPECT_EQ(a.build, SqlBuild::kLiteral);
  auto where = Locate(a, "WHERE");
  EXPECT_EQ(where.file, "app/sql/queries.py");
  EXPECT_EQ(std::make_pair(where.line, where.column), Pos("app/sql/queries.py", "WHERE active"));
  // session.execute(text(Q)): one raw site, at text(), and an ORM session.execute.
  EXPECT_EQ(sites[1]->api, "session.execute");
  EXPECT_EQ(sites[1]->kind, QueryKind::kOrm);
  EXPECT_EQ(sites[2]->api, "text");
  ASSERT_TRUE(sites[2]->sql);
  EXPECT_EQ(sites[2]->sql->text, "SELECT id FROM users WHERE email = :email");
  EXPECT_EQ(sites[2]->sql->spans[0].file, "app/sql/queries.py");
  EXPECT_EQ(sites[2]->param_style, ParamStyle::kNamed);
  ASSERT_TRUE(sites[3]->sql);
  EXPECT_EQ(sites[3]->sql->text, "SELECT id FROM users WHERE active LIMIT 5");
  EXPECT_EQ(sites[3]->build, SqlBuild::kLiteral);
  auto limit = Locate(*sites[3], "LIMIT");
  EXPECT_EQ(limit.file, "app/use.py");
  EXPECT_EQ(std::make_pair(limit.line, limit.column), Pos("app/use.py", "LIMIT 5"));
  EXPECT_TRUE(sites[4]->unresolved);
}

TEST_F(PythonQueryTest, SinksAndTheirParamStyles) {
  const std::string source =
      "import asyncpg\n"
      "import pandas as pd\n"
      "from sqlalchemy import create_engine\n"
      "engine = create_engine('postgresql://x')\n"
      "async def a():\n"
      "    conn = await asyncpg.connect('postgresql://x')\n"
      "    rows = await conn.fetch('SELECT * FROM users WHERE id = $1', 5)\n"
      "    await conn.execute('DELETE FROM sessions')\n"
      "def b(session):\n"
      "    session.execute('UPDATE users SET n = :n', {'n': 1})\n"
      "def c():\n"
      "    with engine.connect() as connection:\n"
      "        connection.exec_driver_sql('SELECT 1')\n"
      "def d():\n"
      "    return pd.read_sql('SELECT * FROM orders', engine)\n"
      "def e():\n"
      "    return pd.read_sql_table('orders', engine)\n";
  WriteSource("sinks.py", source);
  auto project = ReadProject();
  auto sites = Sites(project, "sinks.py");
  ASSERT_EQ(sites.size(), 6u) << Dump(project);
  EXPECT_EQ(sites[0]->api, "asyncpg.fetch");
  EXPECT_EQ(sites[0]->param_style, ParamStyle::kNumeric);
  ASSERT_TRUE(sites[0]->sql);
  EXPECT_EQ(sites[0]->sql->text, "SELECT * FROM users WHERE id = $1");
  EXPECT_EQ(sites[1]->api, "asyncpg.execute");
  EXPECT_EQ(sites[2]->api, "session.execute");
  EXPECT_EQ(sites[2]->kind, QueryKind::kRawSql);
  EXPECT_EQ(sites[2]->param_style, ParamStyle::kNamed);
  EXPECT_EQ(sites[3]->api, "connection.exec_driver_sql");
  EXPECT_EQ(sites[3]->param_style, ParamStyle::kUnknown);
  EXPECT_EQ(sites[4]->api, "pandas.read_sql");
  ASSERT_TRUE(sites[4]->sql);
  EXPECT_EQ(sites[4]->sql->text, "SELECT * FROM orders");
  EXPECT_EQ(sites[5]->api, "pandas.read_sql_table");
  EXPECT_FALSE(sites[5]->sql.has_value());
  EXPECT_TRUE(sites[5]->unresolved);
}

TEST_F(PythonQueryTest, KnownValuesOnSeveralPathsAreUnresolvedNotDynamic) {
  const std::string source =
      "class Config:\n"
      "    TABLE = 'users'\n"
      "def a(cur):\n"
      "    for table in ('users', 'orders'):\n"
      "        cur.execute(f'DELETE FROM {table}')\n"
      "def b(cur):\n"
      "    head, tail = 'SELECT id ', 'FROM users'\n"
      "    cur.execute(head + tail)\n"
      "def c(cur):\n"
      "    cur.execute('SELECT * FROM ' + Config.TABLE)\n"
      "def d(cur, flag, where):\n"
      "    extra = ' WHERE 1 = 1'\n"
      "    if flag:\n"
      "        extra = where\n"
      "    cur.execute('SELECT * FROM t' + extra)\n"
      "def e(cur, flag):\n"
      "    base = 'SELECT 1'\n"
      "    def inner():\n"
      "        cur.execute(base + ' FROM t')\n"
      "    return inner\n";
  WriteSource("paths.py", source);
  auto project = ReadProject();
  auto sites = Sites(project, "paths.py", "cursor.execute");
  ASSERT_EQ(sites.size(), 5u) << Dump(project);
  EXPECT_TRUE(sites[0]->unresolved);
  EXPECT_NE(sites[0]->build, SqlBuild::kDynamic);
  ASSERT_TRUE(sites[1]->sql) << Dump(project);
  EXPECT_EQ(sites[1]->sql->text, "SELECT id FROM users");
  EXPECT_TRUE(sites[2]->unresolved);
  EXPECT_NE(sites[2]->build, SqlBuild::kDynamic);
  // A parameter on one of the paths is a runtime value.
  EXPECT_EQ(sites[3]->build, SqlBuild::kDynamic);
  EXPECT_NE(sites[3]->build_detail.find("`where`"), std::string::npos) << sites[3]->build_detail;
  EXPECT_TRUE(sites[4]->unresolved);
  EXPECT_NE(sites[4]->build, SqlBuild::kDynamic);
}

TEST_F(PythonQueryTest, DriverHandlesPickTheirParamStyle) {
  const std::string source =
      "import psycopg\n"
      "import sqlite3\n"
      "from sqlalchemy import create_engine\n"
      "def a(dsn):\n"
      "    with psycopg.connect(dsn) as conn:\n"
      "        conn.execute('SELECT %(id)s', {'id': 1})\n"
      "        cur = conn.cursor()\n"
      "        cur.executemany('INSERT INTO t VALUES (%s)', [(1,), (2,)])\n"
      "def b():\n"
      "    db = sqlite3.connect(':memory:')\n"
      "    db.execute('SELECT ? + 1', (1,))\n"
      "def c():\n"
      "    engine = create_engine('postgresql://x')\n"
      "    engine.execute('SELECT 1')\n"
      "class Config:\n"
      "    query = None\n"
      "def d(f):\n"
      "    return Config.query.filter(f)\n"
      "def e(cur):\n"
      "    cur.execute(f'SELECT {{literal braces}} FROM t')\n";
  WriteSource("drivers.py", source);
  auto project = ReadProject();
  auto sites = Sites(project, "drivers.py");
  ASSERT_EQ(sites.size(), 5u) << Dump(project);
  EXPECT_EQ(sites[0]->api, "connection.execute");
  EXPECT_EQ(sites[0]->param_style, ParamStyle::kPyformat);
  EXPECT_EQ(sites[1]->api, "cursor.executemany");
  EXPECT_EQ(sites[1]->param_style, ParamStyle::kPyformat);
  EXPECT_EQ(sites[2]->api, "connection.execute");  // the handle says more than the name
  EXPECT_EQ(sites[2]->param_style, ParamStyle::kQmark);
  EXPECT_EQ(sites[3]->api, "engine.execute");
  EXPECT_EQ(sites[3]->param_style, ParamStyle::kUnknown);
  // Config is no mapped class: Config.query is not Model.query.
  EXPECT_EQ(sites[4]->api, "cursor.execute");
  ASSERT_TRUE(sites[4]->sql);
  EXPECT_EQ(sites[4]->sql->text, "SELECT {literal braces} FROM t");
  EXPECT_EQ(sites[4]->build, SqlBuild::kLiteral);
  auto from = Locate(*sites[4], "FROM");
  EXPECT_EQ(std::make_pair(from.line, from.column), Pos("drivers.py", "FROM t'"));
}

TEST_F(PythonQueryTest, NonDatabaseExecuteIsNotSql) {
  const std::string source =
      "import requests\n"
      "from sqlalchemy import text\n"
      "from concurrent.futures import ThreadPoolExecutor\n"
      "class Job:\n"
      "    def execute(self, command):\n"
      "        return command\n"
      "def run(job, executor, command):\n"
      "    job.execute('SELECT 1')\n"
      "    executor.execute('DROP TABLE users')\n"
      "    session = requests.Session()\n"
      "    session.get('https://example.com')\n"
      "    Job().execute('rm -rf /')\n"
      "from flask import session\n"
      "def who():\n"
      "    return session.get('user_id')\n";
  WriteSource("other.py", source);
  auto project = ReadProject();
  EXPECT_TRUE(Sites(project, "other.py").empty()) << Dump(project);
  const auto* file = FileOf(project, "other.py");
  ASSERT_NE(file, nullptr);
  ASSERT_EQ(file->interactions.size(), 1u) << Dump(project);
  EXPECT_EQ(file->interactions[0].interaction, Interaction::kSqlalchemyImport);
  // A file that never touches a database is not listed at all.
  WriteSource("plain.py", "import os\ndef f(x):\n    return os.path.join(x, 'y')\n");
  EXPECT_EQ(FileOf(ReadProject(), "plain.py"), nullptr);
}

const char* kModels =
    "from flask_sqlalchemy import SQLAlchemy\n"
    "from flask_login import UserMixin\n"
    "from sqlalchemy.ext.hybrid import hybrid_property\n"
    "db = SQLAlchemy()\n"
    "class TimestampMixin:\n"
    "    created_at = db.Column(db.DateTime)\n"
    "class Base(db.Model):\n"
    "    __abstract__ = True\n"
    "    id = db.Column(db.Integer, primary_key=True)\n"
    "    def to_dict(self):\n"
    "        return {}\n"
    "class User(TimestampMixin, Base):\n"
    "    __tablename__ = 'users'\n"
    "    email = db.Column('email_address', db.String(255))\n"
    "    first = db.Column(db.String)\n"
    "    addresses = db.relationship('Address', backref='owner')\n"
    "    kind = db.Column(db.String)\n"
    "    greeting = 'hello'\n"
    "    __mapper_args__ = {'polymorphic_on': kind}\n"
    "    @property\n"
    "    def full_name(self):\n"
    "        return self.first\n"
    "    @hybrid_property\n"
    "    def lower_email(self):\n"
    "        return self.email.lower()\n"
    "    @classmethod\n"
    "    def by_email(cls, email):\n"
    "        return cls.query.filter_by(email=email).first()\n"
    "    def check(self):\n"
    "        return User.email is not None\n"
    "class Admin(User):\n"
    "    level = db.Column(db.Integer)\n"
    "class Address(Base):\n"
    "    __tablename__ = 'addresses'\n"
    "    user_id = db.Column(db.ForeignKey('users.id'))\n"
    "class LoginUser(UserMixin, Base):\n"
    "    __tablename__ = 'login_users'\n"
    "class Odd(Base):\n"
    "    __tablename__ = 'odd'\n"
    "    for _name in ('a', 'b'):\n"
    "        pass\n";

TEST_F(PythonQueryTest, ModelClassesCarryInheritedAttributesAndBackrefs) {
  WriteSource("app/models.py", kModels);
  auto project = ReadProject();
  const auto* user = ClassOf(project, "app.models.User");
  ASSERT_NE(user, nullptr) << Dump(project);
  EXPECT_EQ(user->schema, "public");
  EXPECT_EQ(user->table, "users");
  EXPECT_TRUE(user->complete) << Dump(project);
  EXPECT_EQ(std::make_pair(user->location.line, user->location.column), Pos("app/models.py", "User(TimestampMixin"));
  ASSERT_NE(user->Find("email"), nullptr);
  EXPECT_EQ(user->Find("email")->kind, ModelAttributeKind::kColumn);
  EXPECT_EQ(user->Find("email")->column, "email_address");
  ASSERT_NE(user->Find("id"), nullptr);  // from the abstract base
  EXPECT_EQ(user->Find("id")->kind, ModelAttributeKind::kColumn);
  ASSERT_NE(user->Find("created_at"), nullptr);  // from the mixin
  EXPECT_EQ(user->Find("created_at")->kind, ModelAttributeKind::kColumn);
  ASSERT_NE(user->Find("to_dict"), nullptr);
  EXPECT_EQ(user->Find("to_dict")->kind, ModelAttributeKind::kMethod);
  ASSERT_NE(user->Find("full_name"), nullptr);
  EXPECT_EQ(user->Find("full_name")->kind, ModelAttributeKind::kProperty);
  ASSERT_NE(user->Find("lower_email"), nullptr);
  // A hybrid_property is a SQL expression at class level (filter_by and comparisons take it):
  // an attribute, not a plain Python property.
  EXPECT_EQ(user->Find("lower_email")->kind, ModelAttributeKind::kOther);
  ASSERT_NE(user->Find("by_email"), nullptr);
  EXPECT_EQ(user->Find("by_email")->kind, ModelAttributeKind::kMethod);
  ASSERT_NE(user->Find("addresses"), nullptr);
  EXPECT_EQ(user->Find("addresses")->kind, ModelAttributeKind::kRelationship);
  ASSERT_NE(user->Find("greeting"), nullptr);
  EXPECT_EQ(user->Find("greeting")->kind, ModelAttributeKind::kOther);
  ASSERT_NE(user->Find("query"), nullptr);  // Flask-SQLAlchemy's
  EXPECT_EQ(user->Find("emial"), nullptr);
  for (std::size_t i = 1; i < user->attributes.size(); ++i) {
    EXPECT_LT(user->attributes[i - 1].name, user->attributes[i].name);
  }
  // Single-table subclass: the parent's table and attributes, plus its own.
  const auto* admin = ClassOf(project, "app.models.Admin");
  ASSERT_NE(admin, nullptr);
  EXPECT_EQ(admin->table, "users");
  ASSERT_NE(admin->Find("level"), nullptr);
  ASSERT_NE(admin->Find("email"), nullptr);
  EXPECT_EQ(admin->Find("email")->column, "email_address");
  // backref='owner' on User.addresses puts `owner` on Address.
  const auto* address = ClassOf(project, "app.models.Address");
  ASSERT_NE(address, nullptr);
  ASSERT_NE(address->Find("owner"), nullptr);
  EXPECT_EQ(address->Find("owner")->kind, ModelAttributeKind::kRelationship);
  EXPECT_EQ(address->Find("owner")->location.line, Pos("app/models.py", "addresses = db.relationship").first);
  EXPECT_TRUE(address->complete);
  // A third-party mixin or an unreadable body: a missing name proves nothing.
  const auto* login = ClassOf(project, "app.models.LoginUser");
  ASSERT_NE(login, nullptr);
  EXPECT_FALSE(login->complete);
  const auto* odd = ClassOf(project, "app.models.Odd");
  ASSERT_NE(odd, nullptr);
  EXPECT_FALSE(odd->complete);
  // Not mapped: the mixin and the abstract base.
  EXPECT_EQ(ClassOf(project, "app.models.TimestampMixin"), nullptr);
  EXPECT_EQ(ClassOf(project, "app.models.Base"), nullptr);
  // Sorted by qualified name.
  for (std::size_t i = 1; i < project.classes.size(); ++i) {
    EXPECT_LT(project.classes[i - 1].qualified_name, project.classes[i].qualified_name);
  }
  // Definitions count per file.
  const auto* file = FileOf(project, "app/models.py");
  ASSERT_NE(file, nullptr);
  ASSERT_NE(InteractionOf(*file, Interaction::kModelDefinition), nullptr);
  EXPECT_EQ(InteractionOf(*file, Interaction::kModelDefinition)->count, project.classes.size());
  EXPECT_NE(InteractionOf(*file, Interaction::kFlaskSqlalchemyImport), nullptr);
}

TEST_F(PythonQueryTest, AttributeUsesThroughImportsAndFilterByKeywords) {
  WriteSource("app/models/__init__.py", "from app.models.user import User, Address\n");
  WriteSource("app/models/user.py", kModels);
  const std::string source =
      "from sqlalchemy import select\n"
      "from app.models import User, Address\n"
      "import app.models.user as m\n"
      "from app.models.user import db\n"
      "class NotAModel:\n"
      "    email = 1\n"
      "def a():\n"
      "    return User.query.filter_by(emial='x', id=2).order_by(User.emial).all()\n"
      "def b():\n"
      "    return db.session.query(User).filter_by(first='y').first()\n"
      "def c():\n"
      "    return db.session.execute(select(Address).filter_by(user_id=1)).scalars()\n"
      "def d():\n"
      "    return db.session.query(User).join(Address).filter_by(user_id=1).all()\n"
      "def e():\n"
      "    return db.session.query(User, Address).filter_by(id=1).all()\n"
      "def f(User):\n"
      "    return User.anything, NotAModel.email, m.User.first, User.__table__\n";
  WriteSource("app/views.py", source);
  auto project = ReadProject();
  const auto* file = FileOf(project, "app/views.py");
  ASSERT_NE(file, nullptr) << Dump(project);
  std::vector<std::string> uses;
  for (const auto& use : file->attribute_uses) {
    uses.push_back(std::string(use.kind == AttributeUseKind::kFilterByKeyword ? "kw " : "attr ") + use.model_class +
                   "." + use.attribute);
  }
  std::vector<std::string> expected = {"kw app.models.user.User.emial",      "kw app.models.user.User.id",
                                       "attr app.models.user.User.emial",    "kw app.models.user.User.first",
                                       "kw app.models.user.Address.user_id", "attr app.models.user.User.first"};
  EXPECT_EQ(uses, expected) << Dump(project);
  ASSERT_EQ(file->attribute_uses.size(), expected.size());
  EXPECT_EQ(std::make_pair(file->attribute_uses[0].location.line, file->attribute_uses[0].location.column),
            Pos("app/views.py", "emial='x'"));
  EXPECT_EQ(std::make_pair(file->attribute_uses[2].location.line, file->attribute_uses[2].location.column),
            Pos("app/views.py", "emial).all"));
  EXPECT_EQ(file->attribute_uses[5].location.column, Pos("app/views.py", "first, User.__table__").second);
  // The ORM sites of those chains.
  auto sites = Sites(project, "app/views.py");
  std::vector<std::string> apis;
  for (const auto* site : sites) apis.push_back(site->api);
  std::vector<std::string> expected_apis = {"Model.query", "session.query", "session.execute",
                                            "select",      "session.query", "session.query"};
  EXPECT_EQ(apis, expected_apis) << Dump(project);
  // The whole chain is the site.
  EXPECT_EQ(sites[0]->location.column, Pos("app/views.py", "User.query").second);
  EXPECT_EQ(sites[0]->location.end_column,
            Pos("app/views.py", "User.query").second +
                std::string("User.query.filter_by(emial='x', id=2).order_by(User.emial).all()").size());
  ASSERT_NE(InteractionOf(*file, Interaction::kModelQuery), nullptr);
  EXPECT_EQ(InteractionOf(*file, Interaction::kModelQuery)->count, 5u);
  // Uses of User inside its own class body are not reported.
  const auto* models = FileOf(project, "app/models/user.py");
  ASSERT_NE(models, nullptr);
  for (const auto& use : models->attribute_uses) EXPECT_NE(use.model_class, "app.models.user.User") << use.attribute;
}

TEST_F(PythonQueryTest, MigrationsAndDdlInteractions) {
  const std::string migration =
      "from alembic import op\n"
      "import sqlalchemy as sa\n"
      "def upgrade():\n"
      "    op.create_table('t', sa.Column('id', sa.Integer, server_default=sa.text('1')))\n"
      "    op.execute('UPDATE t SET id = 1')\n";
  WriteSource("migrations/versions/001_init.py", migration);
  const std::string setup =
      "from app.models import db\n"
      "def init():\n"
      "    db.create_all()\n"
      "    db.metadata.drop_all(bind=None)\n";
  WriteSource("app/setup.py", setup);
  auto project = ReadProject();
  const auto* file = FileOf(project, "migrations/versions/001_init.py");
  ASSERT_NE(file, nullptr) << Dump(project);
  EXPECT_TRUE(file->is_migration);
  ASSERT_NE(InteractionOf(*file, Interaction::kMigration), nullptr);
  EXPECT_EQ(InteractionOf(*file, Interaction::kMigration)->count, 3u);
  EXPECT_EQ(InteractionOf(*file, Interaction::kMigration)->first.line, 1u);
  ASSERT_NE(InteractionOf(*file, Interaction::kDdl), nullptr);
  EXPECT_EQ(InteractionOf(*file, Interaction::kDdl)->count, 1u);
  auto sites = Sites(project, "migrations/versions/001_init.py");
  ASSERT_EQ(sites.size(), 1u) << Dump(project);  // server_default=text('1') is no query
  EXPECT_EQ(sites[0]->api, "op.execute");
  ASSERT_TRUE(sites[0]->sql);
  EXPECT_EQ(sites[0]->sql->text, "UPDATE t SET id = 1");
  const auto* setup_file = FileOf(project, "app/setup.py");
  ASSERT_NE(setup_file, nullptr);
  EXPECT_FALSE(setup_file->is_migration);
  ASSERT_NE(InteractionOf(*setup_file, Interaction::kDdl), nullptr);
  EXPECT_EQ(InteractionOf(*setup_file, Interaction::kDdl)->count, 2u);
  EXPECT_EQ(InteractionOf(*setup_file, Interaction::kDdl)->first.line, Pos("app/setup.py", "db.create_all").first);
  // Sorted by path; interactions sorted by kind.
  for (std::size_t i = 1; i < project.queries.size(); ++i) {
    EXPECT_LT(project.queries[i - 1].display_path, project.queries[i].display_path);
  }
  for (std::size_t i = 1; i < file->interactions.size(); ++i) {
    EXPECT_LT(file->interactions[i - 1].interaction, file->interactions[i].interaction);
  }
}

TEST_F(PythonQueryTest, SameResultWithOneOrManyThreads) {
  WriteSource("app/models.py", kModels);
  WriteSource("app/q.py",
              "from app.models import User\n"
              "def f(cursor, x):\n"
              "    cursor.execute(f'SELECT {x}')\n"
              "    return User.email\n");
  auto one = ReadProject(1);
  auto many = ReadProject(4);
  EXPECT_EQ(Dump(one), Dump(many));
  EXPECT_FALSE(Dump(one).empty());
}

// ----- bad input -----

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST_F(PythonQueryTest, FiftyThousandLineFileIsReadInBoundedTime) {
  std::string source = "import psycopg2\nTABLE = 'users'\n";
  for (int i = 0; i < 12500; ++i) {
    source += "def f" + std::to_string(i) + "(cur, x):\n";
    source += "    sql = 'SELECT ' + 'id FROM ' + TABLE\n";
    source += "    cur.execute(sql + ' WHERE id = %s', (x,))\n";
    source += "    return cur.fetchone()\n";
  }
  WriteSource("big.py", source);
  auto start = std::chrono::steady_clock::now();
  auto project = ReadProject();
  EXPECT_LT(Seconds(start), 30.0);
  auto sites = Sites(project, "big.py", "cursor.execute");
  ASSERT_EQ(sites.size(), 12500u);
  ASSERT_TRUE(sites.back()->sql);
  EXPECT_EQ(sites.back()->sql->text, "SELECT id FROM users WHERE id = %s");
  EXPECT_EQ(sites.back()->location.line, 2u + 4u * 12499u + 3u);
}

TEST_F(PythonQueryTest, HugeFunctionWithManyLocalsAndBranches) {
  std::string source = "def big(cur, flag):\n    sql = 'SELECT 1'\n";
  for (int i = 0; i < 8000; ++i) {
    std::string n = std::to_string(i);
    source += "    v" + n + " = 'x'\n    if flag:\n        v" + n + " = 'y'\n";
  }
  source += "    cur.execute(sql)\n    cur.execute(v7999)\n";
  WriteSource("huge_function.py", source);
  auto start = std::chrono::steady_clock::now();
  auto project = ReadProject();
  EXPECT_LT(Seconds(start), 30.0);
  auto sites = Sites(project, "huge_function.py", "cursor.execute");
  ASSERT_EQ(sites.size(), 2u);
  ASSERT_TRUE(sites[0]->sql);
  EXPECT_EQ(sites[0]->sql->text, "SELECT 1");
  // Past the tracked scope size: said to be unresolved, not guessed.
  EXPECT_TRUE(sites[1]->unresolved);
  EXPECT_NE(sites[1]->build, SqlBuild::kDynamic);
}

TEST_F(PythonQueryTest, EnormousStringLiteral) {
  std::string body(8 * 1024 * 1024, 'x');
  for (std::size_t i = 0; i < body.size(); i += 1000) body[i] = '\\', body[i + 1] = 'n';
  WriteSource("huge.py", "def f(cur):\n    cur.execute('SELECT ' '" + body + "')\n");
  auto start = std::chrono::steady_clock::now();
  auto project = ReadProject();
  EXPECT_LT(Seconds(start), 30.0);
  auto sites = Sites(project, "huge.py", "cursor.execute");
  ASSERT_EQ(sites.size(), 1u);
  ASSERT_TRUE(sites[0]->sql);
  EXPECT_EQ(sites[0]->sql->text.size(), 7u + body.size() - (body.size() + 999) / 1000);
}

TEST_F(PythonQueryTest, DeeplyNestedExpressionsDoNotCrash) {
  std::string parens =
      "def f(cur, x):\n    cur.execute(" + std::string(3000, '(') + "'SELECT 1'" + std::string(3000, ')') + ")\n";
  std::string sum = "def g(cur, x):\n    cur.execute('SELECT '";
  for (int i = 0; i < 20000; ++i) sum += " + 'a'";
  sum += ")\n";
  std::string grow = "def h(cur, x):\n    sql = 'SELECT 1'\n";
  for (int i = 0; i < 5000; ++i) grow += "    sql = sql + sql\n";
  grow += "    cur.execute(sql)\n";
  std::string calls = "def k(cur):\n    cur.execute(" + std::string(2000, ' ') + "a";
  for (int i = 0; i < 3000; ++i) calls += ".b(c)";
  calls += ")\n";
  WriteSource("deep.py", parens + sum + grow + calls);
  auto start = std::chrono::steady_clock::now();
  auto project = ReadProject();
  EXPECT_LT(Seconds(start), 30.0);
  auto sites = Sites(project, "deep.py", "cursor.execute");
  ASSERT_EQ(sites.size(), 4u) << Dump(project).substr(0, 2000);
  // Too deep to follow is said (unresolved), never guessed.
  for (const auto* site : sites) {
    if (site->sql) {
      EXPECT_LT(site->sql->text.size(), 1u << 25);
    }
  }
  EXPECT_TRUE(sites[1]->unresolved);
  EXPECT_NE(sites[1]->build, SqlBuild::kDynamic);
  EXPECT_TRUE(sites[2]->unresolved);
  EXPECT_NE(sites[2]->build, SqlBuild::kDynamic);
}

// Which database and which state of it a site's SQL is written for, and where a text()
// fragment is used.
TEST_F(PythonQueryTest, SitesKnowTheirTargetAndFragmentPosition) {
  WriteSource("app/report.py",
              "import sqlite3\n"
              "from sqlalchemy import create_engine, func, text\n"
              "from app.db import session, User\n"
              "local = create_engine('sqlite:///cache.db')\n"
              "def run(path, dialect):\n"
              "    session.execute(text('SELECT 1'))\n"
              "    session.query(User).filter(text('a > 1')).order_by(text('b DESC'))\n"
              "    x = func.coalesce(User.name, text(\"''\")) + text('1')\n"
              "    lite = sqlite3.connect(path)\n"
              "    lite.execute('SELECT 2')\n"
              "    with local.connect() as conn:\n"
              "        conn.execute('SELECT 3')\n"
              "    if dialect == 'mysql':\n"
              "        session.execute(text('SELECT 4'))\n");
  WriteSource("app/db.py", "session = None\nclass User: pass\n");
  WriteSource("app/tests/test_report.py",
              "from sqlalchemy import text\n"
              "def test_it(conn):\n"
              "    conn.execute(text('SELECT 5'))\n");
  WriteSource("db/versions/0001_first.py",
              "from sqlalchemy import text\n"
              "revision = '0001'\n"
              "down_revision = None\n"
              "def upgrade(conn):\n"
              "    conn.execute(text('SELECT 6'))\n");
  auto project = ReadProject();
  std::map<std::string, const ir::QuerySite*> by_sql;
  for (const auto& file : project.queries) {
    for (const auto& site : file.sites) {
      if (site.sql) by_sql[site.sql->text] = &site;
    }
  }
  auto target = [&](const std::string& sql) { return by_sql.count(sql) ? by_sql[sql]->target : ir::SqlTarget{}; };
  auto position = [&](const std::string& sql) {
    return by_sql.count(sql) ? by_sql[sql]->position : ir::SqlPosition::kStatement;
  };
  ASSERT_TRUE(by_sql.count("SELECT 1")) << Dump(project);
  EXPECT_EQ(target("SELECT 1"), ir::SqlTarget::kAuditedDatabase);
  EXPECT_EQ(position("SELECT 1"), ir::SqlPosition::kStatement);
  EXPECT_EQ(position("a > 1"), ir::SqlPosition::kExpression);
  EXPECT_EQ(position("b DESC"), ir::SqlPosition::kOrderBy);
  EXPECT_EQ(position("''"), ir::SqlPosition::kExpression);
  EXPECT_EQ(position("1"), ir::SqlPosition::kExpression);
  EXPECT_EQ(target("SELECT 2"), ir::SqlTarget::kOtherDatabase);
  EXPECT_EQ(target("SELECT 3"), ir::SqlTarget::kOtherDatabase);
  EXPECT_EQ(target("SELECT 4"), ir::SqlTarget::kOtherDatabase);
  EXPECT_EQ(target("SELECT 5"), ir::SqlTarget::kTest);
  EXPECT_EQ(target("SELECT 6"), ir::SqlTarget::kMigration);
}

}  // namespace
}  // namespace dbaudit::python::testing

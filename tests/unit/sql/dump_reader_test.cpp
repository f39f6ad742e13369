// The dump reader against a real `pg_dump --schema-only` (PostgreSQL 15, generated from
// data/pg_dump_schema_only.source.sql on a throwaway cluster) and hand-written DDL.

#include "analyzer/sql/dump_reader.hpp"

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

namespace dbaudit::sql {
namespace {

const std::string kFixture = std::string(DBAUDIT_SOURCE_DIR) + "/tests/unit/sql/data/pg_dump_schema_only.sql";

ir::Catalog ReadOk(const std::string& sql, const DumpReaderOptions& options = {}) {
  auto result = ReadDumpText(sql, "schema.sql", options);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
  if (!result.ok()) return {};
  return result.take();
}

const ir::Table& TableOf(const ir::Catalog& catalog, const std::string& schema, const std::string& name) {
  const ir::Table* table = catalog.FindTable(schema, name);
  if (!table) {
    ADD_FAILURE() << "no table " << schema << "." << name;
    static const ir::Table empty;
    return empty;
  }
  return *table;
}

const ir::Column& ColumnOf(const ir::Table& table, const std::string& name) {
  const ir::Column* column = table.FindColumn(name);
  if (!column) {
    ADD_FAILURE() << "no column " << table.QualifiedName() << "." << name;
    static const ir::Column empty;
    return empty;
  }
  return *column;
}

class RealDumpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto result = ReadDumpFile(kFixture, "dump.sql", {});
    ASSERT_TRUE(result.ok()) << result.error().message;
    catalog_ = new ir::Catalog(result.take());
  }
  static void TearDownTestSuite() {
    delete catalog_;
    catalog_ = nullptr;
  }
  static const ir::Catalog& catalog() { return *catalog_; }
  static ir::Catalog* catalog_;
};
ir::Catalog* RealDumpTest::catalog_ = nullptr;

TEST_F(RealDumpTest, OriginAndSource) {
  EXPECT_EQ(catalog().origin, ir::CatalogOrigin::kDump);
  EXPECT_EQ(catalog().source_name, "dump.sql");
}

TEST_F(RealDumpTest, TablesSortedAndIgnoredTableDropped) {
  std::vector<std::string> names;
  for (const auto& table : catalog().tables) names.push_back(table.QualifiedName());
  const std::vector<std::string> expected = {
      "app.order_counts", "app.orders",           "public.Weird Name",   "public.active",
      "public.cache",     "public.items",         "public.measurements", "public.measurements_2024",
      "public.notes",     "public.remote_things", "public.users"};
  EXPECT_EQ(names, expected);  // alembic_version is ignored by default
}

TEST_F(RealDumpTest, ColumnTypesInFormatTypeSpelling) {
  const ir::Table& users = TableOf(catalog(), "public", "users");
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"id", "integer"},
      {"email", "character varying(255)"},
      {"name", "text"},
      {"code", "character(3)"},
      {"flag", "\"char\""},
      {"age", "smallint"},
      {"big", "bigint"},
      {"score", "double precision"},
      {"ratio", "real"},
      {"price", "numeric(10,2)"},
      {"amount", "numeric"},
      {"active", "boolean"},
      {"created_at", "timestamp with time zone"},
      {"updated_at", "timestamp(3) without time zone"},
      {"t3", "time without time zone"},
      {"t4", "time with time zone"},
      {"t5", "time(2) with time zone"},
      {"dur", "interval"},
      {"dur2", "interval day to second(2)"},
      {"bits", "bit(8)"},
      {"vbits", "bit varying(16)"},
      {"vbits2", "bit varying"},
      {"tags", "text[]"},
      {"matrix", "integer[]"},
      {"feeling", "public.mood"},
      {"st", "app.status"},
      {"data", "jsonb"},
      {"uid", "uuid"},
      {"ip", "inet"},
      {"mac", "macaddr"},
      {"nick", "character varying"},
      {"total", "integer"},
      {"pos", "public.positive_int"},
      {"bytes", "bytea"},
  };
  ASSERT_EQ(users.columns.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(users.columns[i].name, expected[i].first) << i;
    EXPECT_EQ(users.columns[i].type, expected[i].second) << expected[i].first;
  }
}

TEST_F(RealDumpTest, NullabilityDefaultsAndGenerated) {
  const ir::Table& users = TableOf(catalog(), "public", "users");
  EXPECT_EQ(ColumnOf(users, "id").nullable, false);
  EXPECT_EQ(ColumnOf(users, "id").server_default, "nextval('public.users_id_seq'::regclass)");
  EXPECT_EQ(ColumnOf(users, "email").nullable, false);
  EXPECT_EQ(ColumnOf(users, "name").nullable, true);
  EXPECT_EQ(ColumnOf(users, "name").server_default, std::nullopt);
  EXPECT_EQ(ColumnOf(users, "age").server_default, "0");
  EXPECT_EQ(ColumnOf(users, "score").server_default, "1.5");
  EXPECT_EQ(ColumnOf(users, "active").server_default, "true");
  EXPECT_EQ(ColumnOf(users, "active").nullable, false);
  EXPECT_EQ(ColumnOf(users, "created_at").server_default, "now()");
  EXPECT_EQ(ColumnOf(users, "updated_at").server_default, "CURRENT_TIMESTAMP");
  EXPECT_EQ(ColumnOf(users, "tags").server_default, "'{}'::text[]");
  EXPECT_EQ(ColumnOf(users, "feeling").server_default, "'ok'::public.mood");
  EXPECT_EQ(ColumnOf(users, "nick").server_default, "'x'::character varying");
  EXPECT_EQ(ColumnOf(users, "uid").server_default, "gen_random_uuid()");
  EXPECT_EQ(ColumnOf(users, "total").generated, "(age * 2)");
  EXPECT_EQ(ColumnOf(users, "total").server_default, std::nullopt);
}

TEST_F(RealDumpTest, CommentsAndLocations) {
  const ir::Table& users = TableOf(catalog(), "public", "users");
  EXPECT_EQ(users.comment, "People who log in");
  EXPECT_EQ(ColumnOf(users, "email").comment, "it's the login");
  EXPECT_EQ(TableOf(catalog(), "public", "active").comment, "active users");
  EXPECT_EQ(users.location.file, "dump.sql");
  EXPECT_EQ(users.location.line, 123u);
  EXPECT_EQ(users.location.column, 1u);
  EXPECT_EQ(ColumnOf(users, "email").location.line, 125u);
  EXPECT_EQ(ColumnOf(users, "email").location.column, 5u);
}

TEST_F(RealDumpTest, Identity) {
  const ir::Table& orders = TableOf(catalog(), "app", "orders");
  EXPECT_EQ(ColumnOf(orders, "id").identity, ir::IdentityKind::kAlways);
  EXPECT_EQ(ColumnOf(orders, "id").nullable, false);
  EXPECT_EQ(ColumnOf(TableOf(catalog(), "public", "items"), "n").identity, ir::IdentityKind::kByDefault);
  EXPECT_EQ(ColumnOf(orders, "user_id").identity, ir::IdentityKind::kNone);
}

TEST_F(RealDumpTest, Constraints) {
  const ir::Table& users = TableOf(catalog(), "public", "users");
  ASSERT_TRUE(users.primary_key);
  EXPECT_EQ(users.primary_key->name, "users_pkey");
  EXPECT_EQ(users.primary_key->columns, std::vector<std::string>{"id"});
  ASSERT_EQ(users.unique_constraints.size(), 1u);
  EXPECT_EQ(users.unique_constraints[0].name, "users_email_key");
  ASSERT_EQ(users.check_constraints.size(), 2u);
  EXPECT_EQ(users.check_constraints[0].name, "users_age_check");
  EXPECT_EQ(users.check_constraints[0].expression, "CHECK (((age >= 0) AND (age < 200)))");
  EXPECT_EQ(users.check_constraints[1].expression, "CHECK ((price > (0)::numeric))");

  const ir::Table& orders = TableOf(catalog(), "app", "orders");
  ASSERT_EQ(orders.unique_constraints.size(), 1u);
  EXPECT_EQ(orders.unique_constraints[0].columns, (std::vector<std::string>{"ref", "ref2"}));
  ASSERT_EQ(orders.foreign_keys.size(), 2u);
  const ir::ForeignKey& parent = orders.foreign_keys[0];
  EXPECT_EQ(parent.name, "orders_parent_fk");
  EXPECT_EQ(parent.referenced_schema, "app");
  EXPECT_EQ(parent.referenced_table, "orders");
  EXPECT_EQ(parent.on_update, ir::ReferentialAction::kSetNull);
  EXPECT_EQ(parent.on_delete, ir::ReferentialAction::kNoAction);
  EXPECT_TRUE(parent.deferrable);
  EXPECT_TRUE(parent.initially_deferred);
  const ir::ForeignKey& user = orders.foreign_keys[1];
  EXPECT_EQ(user.name, "orders_user_id_fkey");
  EXPECT_EQ(user.columns, std::vector<std::string>{"user_id"});
  EXPECT_EQ(user.referenced_schema, "public");
  EXPECT_EQ(user.referenced_table, "users");
  EXPECT_EQ(user.referenced_columns, std::vector<std::string>{"id"});
  EXPECT_EQ(user.on_delete, ir::ReferentialAction::kCascade);
  EXPECT_FALSE(user.deferrable);

  const ir::Table& notes = TableOf(catalog(), "public", "notes");
  ASSERT_EQ(notes.foreign_keys.size(), 1u);
  EXPECT_EQ(notes.foreign_keys[0].on_delete, ir::ReferentialAction::kSetDefault);
  EXPECT_EQ(notes.foreign_keys[0].on_update, ir::ReferentialAction::kRestrict);
  ASSERT_EQ(notes.check_constraints.size(), 1u);
  EXPECT_EQ(notes.check_constraints[0].expression, "CHECK ((length(body) < 1000))");
}

TEST_F(RealDumpTest, ExclusionConstraintIsANoteNotAnIndex) {
  const ir::Table& users = TableOf(catalog(), "public", "users");
  for (const auto& index : users.indexes) EXPECT_NE(index.name, "users_code_excl");
  bool noted = false;
  for (const auto& diagnostic : catalog().diagnostics) {
    if (diagnostic.message.find("users_code_excl") != std::string::npos) {
      noted = true;
      EXPECT_EQ(diagnostic.severity, ir::Severity::kNote);
      EXPECT_FALSE(diagnostic.incomplete);
      EXPECT_EQ(diagnostic.location.line, 527u);
    }
  }
  EXPECT_TRUE(noted);
}

TEST_F(RealDumpTest, IndexesWithoutConstraintIndexes) {
  const ir::Table& users = TableOf(catalog(), "public", "users");
  ASSERT_EQ(users.indexes.size(), 4u);  // not users_pkey / users_email_key / users_code_excl
  const ir::Index& gin = users.indexes[0];
  EXPECT_EQ(gin.name, "users_data_gin");
  EXPECT_EQ(gin.method, "gin");
  EXPECT_EQ(gin.keys, std::vector<std::string>{"data"});
  const ir::Index& expression = users.indexes[1];
  EXPECT_EQ(expression.name, "users_expr_name_idx");
  EXPECT_EQ(expression.keys, (std::vector<std::string>{"((age + 1))", "name"}));
  const ir::Index& lower = users.indexes[2];
  EXPECT_EQ(lower.keys, std::vector<std::string>{"lower((email)::text)"});
  EXPECT_FALSE(lower.unique);
  const ir::Index& partial = users.indexes[3];
  EXPECT_EQ(partial.name, "users_name_active_idx");
  EXPECT_TRUE(partial.unique);
  EXPECT_EQ(partial.method, "btree");
  EXPECT_EQ(partial.keys, std::vector<std::string>{"name"});
  EXPECT_EQ(partial.include, std::vector<std::string>{"email"});
  EXPECT_EQ(partial.predicate, "(active AND (name <> ''::text))");
  const ir::Table& orders = TableOf(catalog(), "app", "orders");
  ASSERT_EQ(orders.indexes.size(), 1u);
  EXPECT_EQ(orders.indexes[0].keys, std::vector<std::string>{"user_id"});
}

TEST_F(RealDumpTest, Triggers) {
  const ir::Table& users = TableOf(catalog(), "public", "users");
  ASSERT_EQ(users.triggers.size(), 2u);
  const ir::Trigger& audit = users.triggers[0];
  EXPECT_EQ(audit.name, "users_audit");
  EXPECT_EQ(audit.timing, "AFTER");
  EXPECT_EQ(audit.events, (std::vector<std::string>{"DELETE", "INSERT", "UPDATE"}));
  EXPECT_FALSE(audit.for_each_row);
  EXPECT_EQ(audit.function_schema, "public");
  EXPECT_EQ(audit.function_name, "set_updated_at");
  EXPECT_EQ(audit.when, std::nullopt);
  const ir::Trigger& updated = users.triggers[1];
  EXPECT_EQ(updated.timing, "BEFORE");
  EXPECT_TRUE(updated.for_each_row);
  EXPECT_EQ(updated.events, std::vector<std::string>{"UPDATE"});
  EXPECT_EQ(updated.when, "(old.name IS DISTINCT FROM new.name)");
}

TEST_F(RealDumpTest, ViewsAndKinds) {
  const ir::Table& view = TableOf(catalog(), "public", "active");
  EXPECT_EQ(view.kind, ir::TableKind::kView);
  EXPECT_EQ(view.view_definition,
            "SELECT users.id,\n    users.email\n   FROM public.users\n  WHERE users.active\n  ORDER BY users.id");
  const ir::Table& counts = TableOf(catalog(), "app", "order_counts");
  EXPECT_EQ(counts.kind, ir::TableKind::kMaterializedView);
  EXPECT_EQ(counts.view_definition,
            "SELECT orders.user_id,\n    count(*) AS n\n   FROM app.orders\n  GROUP BY orders.user_id");
  EXPECT_EQ(TableOf(catalog(), "public", "measurements").kind, ir::TableKind::kPartitionedTable);
  EXPECT_EQ(TableOf(catalog(), "public", "measurements_2024").kind, ir::TableKind::kTable);
  EXPECT_EQ(TableOf(catalog(), "public", "remote_things").kind, ir::TableKind::kForeignTable);
  EXPECT_EQ(TableOf(catalog(), "public", "cache").kind, ir::TableKind::kTable);
  const ir::Table& weird = TableOf(catalog(), "public", "Weird Name");
  ASSERT_EQ(weird.columns.size(), 2u);
  EXPECT_EQ(weird.columns[0].name, "Mixed Col");
  EXPECT_EQ(weird.columns[1].name, "select");
}

TEST_F(RealDumpTest, EnumsSequencesFunctions) {
  ASSERT_EQ(catalog().enums.size(), 2u);
  EXPECT_EQ(catalog().enums[0].schema, "app");
  EXPECT_EQ(catalog().enums[0].labels, (std::vector<std::string>{"new", "it's done"}));
  EXPECT_EQ(catalog().enums[1].name, "mood");
  EXPECT_EQ(catalog().enums[1].labels, (std::vector<std::string>{"sad", "ok", "happy"}));

  ASSERT_EQ(catalog().sequences.size(), 2u);  // identity sequences are not listed
  EXPECT_EQ(catalog().sequences[0].name, "free_seq");
  EXPECT_EQ(catalog().sequences[0].owned_by_table, "");
  EXPECT_EQ(catalog().sequences[1].name, "users_id_seq");
  EXPECT_EQ(catalog().sequences[1].owned_by_table, "users");
  EXPECT_EQ(catalog().sequences[1].owned_by_column, "id");

  std::vector<std::string> signatures;
  for (const auto& function : catalog().functions) {
    signatures.push_back(function.schema + "." + function.name + "(" + function.arguments + ") -> " + function.returns +
                         " [" + function.language + "]");
  }
  const std::vector<std::string> expected = {
      "app.add(a integer, b integer) -> integer [sql]",
      "app.do_thing(IN p text) ->  [plpgsql]",
      "public.active_users() -> SETOF public.users [sql]",
      "public.pairs(OUT x integer, OUT y text) -> SETOF record [sql]",
      "public.set_updated_at() -> trigger [plpgsql]",
      "public.tab(n integer) -> TABLE(x integer, y character varying) [sql]",
      "public.vfn(INOUT z integer, VARIADIC arr integer[]) -> integer [sql]",
  };
  EXPECT_EQ(signatures, expected);
  EXPECT_EQ(catalog().functions[0].body, "SELECT a + b");
  EXPECT_EQ(catalog().functions[4].body, "\nBEGIN NEW.updated_at = now(); RETURN NEW; END; ");
}

TEST_F(RealDumpTest, OnlyDomainAndExclusionAreNoted) {
  ASSERT_EQ(catalog().diagnostics.size(), 2u);
  EXPECT_NE(catalog().diagnostics[0].message.find("positive_int"), std::string::npos);
  EXPECT_EQ(catalog().diagnostics[0].location.line, 87u);
  for (const auto& diagnostic : catalog().diagnostics) EXPECT_FALSE(diagnostic.incomplete);
}

TEST_F(RealDumpTest, SchemaFilterAndIgnoredTables) {
  DumpReaderOptions options;
  options.schemas = {"app"};
  options.ignored_tables = {"orders"};
  auto result = ReadDumpFile(kFixture, "dump.sql", options);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result.value().tables.size(), 1u);
  EXPECT_EQ(result.value().tables[0].name, "order_counts");
  ASSERT_EQ(result.value().enums.size(), 1u);
  EXPECT_EQ(result.value().enums[0].schema, "app");
  for (const auto& function : result.value().functions) EXPECT_EQ(function.schema, "app");
  EXPECT_TRUE(result.value().sequences.empty());

  DumpReaderOptions keep_all;
  keep_all.ignored_tables.clear();
  auto everything = ReadDumpFile(kFixture, "dump.sql", keep_all);
  ASSERT_TRUE(everything.ok());
  EXPECT_NE(everything.value().FindTable("public", "alembic_version"), nullptr);
}

TEST_F(RealDumpTest, ReadingTwiceGivesTheSameSchema) {
  auto again =
      ReadDumpText(std::string(std::istreambuf_iterator<char>(std::ifstream(kFixture).rdbuf()), {}), "other.sql", {});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(ir::SameSchema(catalog(), again.value())) << ir::DescribeSchemaDifferences(catalog(), again.value());
}

// ---- hand-written DDL ----------------------------------------------------------------------

TEST(HandWrittenDdl, SerialInlineConstraintsAndDefaultNames) {
  const ir::Catalog catalog = ReadOk(R"sql(
create table Accounts (
  id serial primary key,
  email VARCHAR(100) not null unique,
  kind mood,
  score int check (score > 0),
  owner_id bigint references people on delete set null,
  created timestamptz default CURRENT_TIMESTAMP not null,
  flag bool default 'true'
);
create table people (id bigserial, constraint people_pk primary key (id));
create index on accounts (lower(email), score);
create index on accounts ((score + 1));
create table acc (x int check (x > 0 and score > 1), y int check (1 > 0), score int);
)sql");
  const ir::Table& accounts = TableOf(catalog, "public", "accounts");
  const ir::Column& id = ColumnOf(accounts, "id");
  EXPECT_EQ(id.type, "integer");
  EXPECT_EQ(id.nullable, false);
  EXPECT_EQ(id.server_default, "nextval('public.accounts_id_seq'::regclass)");
  EXPECT_EQ(ColumnOf(accounts, "email").type, "character varying(100)");
  EXPECT_EQ(ColumnOf(accounts, "kind").type, "public.mood");
  EXPECT_EQ(ColumnOf(accounts, "created").server_default, "CURRENT_TIMESTAMP");
  EXPECT_EQ(ColumnOf(accounts, "created").nullable, false);
  EXPECT_EQ(ColumnOf(accounts, "flag").server_default, "'true'");
  ASSERT_TRUE(accounts.primary_key);
  EXPECT_EQ(accounts.primary_key->name, "accounts_pkey");
  ASSERT_EQ(accounts.unique_constraints.size(), 1u);
  EXPECT_EQ(accounts.unique_constraints[0].name, "accounts_email_key");
  ASSERT_EQ(accounts.check_constraints.size(), 1u);
  EXPECT_EQ(accounts.check_constraints[0].name, "accounts_score_check");
  EXPECT_EQ(accounts.check_constraints[0].expression, "CHECK (score > 0)");
  ASSERT_EQ(accounts.foreign_keys.size(), 1u);
  EXPECT_EQ(accounts.foreign_keys[0].name, "accounts_owner_id_fkey");
  EXPECT_EQ(accounts.foreign_keys[0].referenced_columns, std::vector<std::string>{"id"});  // people's key
  EXPECT_EQ(accounts.foreign_keys[0].on_delete, ir::ReferentialAction::kSetNull);
  // Names as PostgreSQL 15 chose them for the same statements on a real server.
  ASSERT_EQ(accounts.indexes.size(), 2u);
  EXPECT_EQ(accounts.indexes[0].name, "accounts_expr_idx");
  EXPECT_EQ(accounts.indexes[0].keys, std::vector<std::string>{"(score + 1)"});
  EXPECT_EQ(accounts.indexes[1].name, "accounts_lower_score_idx");
  EXPECT_EQ(accounts.indexes[1].keys, (std::vector<std::string>{"lower(email)", "score"}));
  const ir::Table& acc = TableOf(catalog, "public", "acc");
  ASSERT_EQ(acc.check_constraints.size(), 2u);
  EXPECT_EQ(acc.check_constraints[0].name, "acc_check");
  EXPECT_EQ(acc.check_constraints[1].name, "acc_check1");
  ASSERT_EQ(catalog.sequences.size(), 2u);
  EXPECT_EQ(catalog.sequences[0].name, "accounts_id_seq");
  EXPECT_EQ(catalog.sequences[0].owned_by_column, "id");
  EXPECT_EQ(catalog.sequences[1].name, "people_id_seq");
  EXPECT_EQ(ColumnOf(TableOf(catalog, "public", "people"), "id").type, "bigint");
}

TEST(HandWrittenDdl, TriggerArgumentsAreRead) {
  const ir::Catalog catalog = ReadOk(R"sql(
CREATE TABLE public.items (id integer, updated_at timestamp with time zone);
CREATE TRIGGER items_touch BEFORE UPDATE ON public.items FOR EACH ROW EXECUTE FUNCTION public.moddatetime('updated_at');
CREATE TRIGGER items_log AFTER INSERT ON public.items FOR EACH ROW EXECUTE FUNCTION public.log_row('it''s', 'two words');
CREATE TRIGGER items_plain AFTER DELETE ON public.items FOR EACH ROW EXECUTE FUNCTION public.log_row();
)sql");
  const ir::Table& items = TableOf(catalog, "public", "items");
  ASSERT_EQ(items.triggers.size(), 3u);
  EXPECT_EQ(items.triggers[0].name, "items_log");
  EXPECT_EQ(items.triggers[0].arguments, (std::vector<std::string>{"it's", "two words"}));
  EXPECT_TRUE(items.triggers[1].arguments.empty());
  EXPECT_EQ(items.triggers[2].arguments, std::vector<std::string>{"updated_at"});
}

TEST(HandWrittenDdl, AlterTableReplay) {
  const ir::Catalog catalog = ReadOk(R"sql(
CREATE TABLE t (a int, b text DEFAULT 'x', c int);
ALTER TABLE t ADD COLUMN d numeric(8, 3) NOT NULL DEFAULT 0, ALTER COLUMN b SET DEFAULT 'y', ALTER COLUMN c SET DEFAULT (1 + 2);
ALTER TABLE t DROP COLUMN a;
ALTER TABLE t ALTER COLUMN c SET NOT NULL;
ALTER TABLE t ALTER COLUMN b TYPE varchar(20);
ALTER TABLE ONLY t ADD CONSTRAINT t_c_positive CHECK (c > 0) NOT VALID;
ALTER TABLE t ADD CONSTRAINT t_d_key UNIQUE (d);
ALTER TABLE t DROP CONSTRAINT t_d_key;
CREATE TYPE s AS ENUM ('a', 'c');
ALTER TYPE s ADD VALUE 'b' BEFORE 'c';
ALTER TYPE s ADD VALUE 'z';
)sql");
  const ir::Table& t = TableOf(catalog, "public", "t");
  ASSERT_EQ(t.columns.size(), 3u);
  EXPECT_EQ(t.columns[0].name, "b");
  EXPECT_EQ(t.columns[0].type, "character varying(20)");
  EXPECT_EQ(t.columns[0].server_default, "'y'");
  EXPECT_EQ(t.columns[1].name, "c");
  EXPECT_EQ(t.columns[1].server_default, "(1 + 2)");
  EXPECT_EQ(t.columns[1].nullable, false);
  EXPECT_EQ(t.columns[2].name, "d");
  EXPECT_EQ(t.columns[2].type, "numeric(8,3)");
  EXPECT_EQ(t.columns[2].server_default, "0");
  EXPECT_EQ(t.columns[2].nullable, false);
  ASSERT_EQ(t.check_constraints.size(), 1u);
  EXPECT_EQ(t.check_constraints[0].expression, "CHECK (c > 0) NOT VALID");
  EXPECT_TRUE(t.unique_constraints.empty());
  ASSERT_EQ(catalog.enums.size(), 1u);
  EXPECT_EQ(catalog.enums[0].labels, (std::vector<std::string>{"a", "b", "c", "z"}));
  EXPECT_TRUE(catalog.diagnostics.empty());
}

TEST(HandWrittenDdl, DefaultsWithNestedCommasAndStrings) {
  const ir::Catalog catalog = ReadOk(
      "CREATE TABLE t (a text DEFAULT concat('a,b', ')', $$x;y$$) NOT NULL, b int DEFAULT coalesce(1, 2), "
      "c text DEFAULT E'it\\'s');");
  const ir::Table& t = TableOf(catalog, "public", "t");
  EXPECT_EQ(ColumnOf(t, "a").server_default, "concat('a,b', ')', $$x;y$$)");
  EXPECT_EQ(ColumnOf(t, "a").nullable, false);
  EXPECT_EQ(ColumnOf(t, "b").server_default, "coalesce(1, 2)");
  EXPECT_EQ(ColumnOf(t, "c").server_default, "E'it\\'s'");
}

TEST(HandWrittenDdl, PartitionsViewsAndReplacedObjects) {
  const ir::Catalog catalog = ReadOk(R"sql(
CREATE TABLE m (id int NOT NULL, at date DEFAULT now()) PARTITION BY RANGE (at);
CREATE TABLE m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE VIEW v AS SELECT id FROM m WITH LOCAL CHECK OPTION;
CREATE MATERIALIZED VIEW mv AS SELECT 1 AS one WITH DATA;
CREATE TABLE gone (a int);
DROP TABLE gone;
CREATE TABLE u (a int, b int);
CREATE UNIQUE INDEX u_a_idx ON u (a);
ALTER TABLE u ADD CONSTRAINT u_a_key UNIQUE USING INDEX u_a_idx;
DO $$ BEGIN CREATE TABLE hidden (a int); END $$;
)sql");
  EXPECT_EQ(TableOf(catalog, "public", "m").kind, ir::TableKind::kPartitionedTable);
  const ir::Table& partition = TableOf(catalog, "public", "m_2024");
  ASSERT_EQ(partition.columns.size(), 2u);
  EXPECT_EQ(partition.columns[0].nullable, false);
  EXPECT_EQ(partition.columns[1].type, "date");
  EXPECT_EQ(TableOf(catalog, "public", "v").view_definition, "SELECT id FROM m");
  EXPECT_EQ(TableOf(catalog, "public", "mv").view_definition, "SELECT 1 AS one");
  EXPECT_EQ(catalog.FindTable("public", "gone"), nullptr);
  const ir::Table& u = TableOf(catalog, "public", "u");
  EXPECT_TRUE(u.indexes.empty());  // the index now belongs to the constraint
  ASSERT_EQ(u.unique_constraints.size(), 1u);
  EXPECT_EQ(u.unique_constraints[0].columns, std::vector<std::string>{"a"});
  ASSERT_EQ(catalog.diagnostics.size(), 1u);  // DO may create objects: said, not guessed
  EXPECT_EQ(catalog.diagnostics[0].location.line, 11u);
  EXPECT_NE(catalog.diagnostics[0].message.find("DO"), std::string::npos);
}

TEST(HandWrittenDdl, UnhandledStatementIsANoteWithItsLine) {
  const ir::Catalog catalog = ReadOk("CREATE TABLE t (a int);\n\nCREATE POLICY p ON t USING (a > 0);\n");
  ASSERT_EQ(catalog.diagnostics.size(), 1u);
  const ir::Diagnostic& note = catalog.diagnostics[0];
  EXPECT_EQ(note.severity, ir::Severity::kNote);
  EXPECT_FALSE(note.incomplete);
  EXPECT_EQ(note.location.line, 3u);
  EXPECT_EQ(note.location.column, 1u);
  EXPECT_NE(note.message.find("CREATE POLICY"), std::string::npos);
}

// ---- bad input ------------------------------------------------------------------------------

TEST(BadInput, UnparsableStatementKeepsTheOthersAndIsLocated) {
  const ir::Catalog catalog = ReadOk(
      "CREATE TABLE a (id int);\n"
      "CREATE TABLE b (id int,, x int);\n"
      "CREATE TABLE c (id int);\n");
  EXPECT_NE(catalog.FindTable("public", "a"), nullptr);
  EXPECT_EQ(catalog.FindTable("public", "b"), nullptr);
  EXPECT_NE(catalog.FindTable("public", "c"), nullptr);
  ASSERT_EQ(catalog.diagnostics.size(), 1u);
  const ir::Diagnostic& diagnostic = catalog.diagnostics[0];
  EXPECT_EQ(diagnostic.rule_id, ir::kRuleSqlNotParsed);
  EXPECT_EQ(diagnostic.severity, ir::Severity::kWarning);
  EXPECT_TRUE(diagnostic.incomplete);
  EXPECT_EQ(diagnostic.location.file, "schema.sql");
  EXPECT_EQ(diagnostic.location.line, 2u);
  EXPECT_EQ(diagnostic.location.column, 24u);  // the second comma
  EXPECT_NE(diagnostic.message.find("syntax error"), std::string::npos);
  EXPECT_NE(diagnostic.message.find("line 2, column 24"), std::string::npos);
}

TEST(BadInput, ErrorColumnCountsCharactersNotBytes) {
  const ir::Catalog catalog = ReadOk("CREATE TABLE t (\"prénom\" text,, x int);\nCREATE TABLE u (a int);\n");
  ASSERT_EQ(catalog.diagnostics.size(), 1u);
  EXPECT_EQ(catalog.diagnostics[0].location.line, 1u);
  EXPECT_EQ(catalog.diagnostics[0].location.column, 31u);
  EXPECT_NE(catalog.FindTable("public", "u"), nullptr);
}

TEST(BadInput, Postgres17SyntaxIsNotParsedNotACrash) {
  const ir::Catalog catalog = ReadOk(
      "CREATE TABLE t (a int DEFAULT 1_000_000);\n"
      "CREATE TABLE j (doc jsonb CHECK (doc IS JSON OBJECT));\n"
      "CREATE TABLE ok (a int);\n");
  EXPECT_NE(catalog.FindTable("public", "ok"), nullptr);
  ASSERT_EQ(catalog.diagnostics.size(), 2u);
  for (const auto& diagnostic : catalog.diagnostics) {
    EXPECT_EQ(diagnostic.rule_id, ir::kRuleSqlNotParsed);
    EXPECT_TRUE(diagnostic.incomplete);
    EXPECT_EQ(diagnostic.severity, ir::Severity::kWarning);
  }
  EXPECT_EQ(catalog.diagnostics[0].location.line, 1u);
  EXPECT_EQ(catalog.diagnostics[1].location.line, 2u);
}

TEST(BadInput, UnterminatedQuoteDoesNotCrash) {
  const ir::Catalog catalog = ReadOk("CREATE TABLE a (id int);\nCREATE TABLE b (x text DEFAULT 'oops);\n");
  EXPECT_NE(catalog.FindTable("public", "a"), nullptr);
  ASSERT_FALSE(catalog.diagnostics.empty());
  EXPECT_TRUE(catalog.diagnostics.back().incomplete);
  EXPECT_EQ(catalog.diagnostics.back().location.line, 2u);
}

TEST(BadInput, EmptyAndCommentOnlyFilesAreErrors) {
  for (const std::string text : {"", "   \n\n", "-- just a comment\n/* and another */\n", "\\connect app\n"}) {
    auto result = ReadDumpText(text, "empty.sql", {});
    ASSERT_FALSE(result.ok()) << "'" << text << "'";
    EXPECT_NE(result.error().message.find("does not look like SQL"), std::string::npos);
    EXPECT_NE(result.error().message.find("empty.sql"), std::string::npos);
  }
}

TEST(BadInput, PythonAndBinaryFilesAreErrors) {
  auto python = ReadDumpText("import os\n\nclass User(Base):\n    __tablename__ = 'users'\n", "models.py", {});
  ASSERT_FALSE(python.ok());
  EXPECT_NE(python.error().message.find("does not look like SQL"), std::string::npos);
  const std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10", 24);
  auto binary = ReadDumpText(png, "logo.png", {});
  ASSERT_FALSE(binary.ok());
  EXPECT_NE(binary.error().message.find("does not look like SQL"), std::string::npos);
}

TEST(BadInput, UnreadableFileIsAnErrorWithPathAndReason) {
  auto missing = ReadDumpFile("/nonexistent/dir/dump.sql", "dump.sql", {});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("/nonexistent/dir/dump.sql"), std::string::npos);
  EXPECT_NE(missing.error().message.find("No such file"), std::string::npos);
  auto directory = ReadDumpFile(std::filesystem::temp_directory_path().string(), "tmp", {});
  ASSERT_FALSE(directory.ok());
  EXPECT_NE(directory.error().message.find("directory"), std::string::npos);
}

// Editors on Windows save UTF-8 with a byte-order mark; such a dump failed as "does not look
// like SQL" (issue #11).
TEST(BadInput, Utf8ByteOrderMarkIsNoPartOfTheSql) {
  const ir::Catalog catalog = ReadOk(
      "\xEF\xBB\xBF"
      "CREATE TABLE public.users (\n    id integer NOT NULL\n);\nCREATE TABLE public.teams (id int);\n");
  ASSERT_EQ(catalog.tables.size(), 2u);
  EXPECT_EQ(TableOf(catalog, "public", "users").location.line, 1u);
  EXPECT_EQ(TableOf(catalog, "public", "teams").location.line, 4u);
  EXPECT_TRUE(catalog.diagnostics.empty());
  const std::string path = (std::filesystem::temp_directory_path() / "dbaudit-bom-dump.sql").string();
  std::ofstream(path, std::ios::binary) << "\xEF\xBB\xBF-- dumped\nCREATE TABLE public.users (id integer);\n";
  auto file = ReadDumpFile(path, "bom.sql", {});
  ASSERT_TRUE(file.ok()) << file.error().message;
  EXPECT_NE(file.value().FindTable("public", "users"), nullptr);
  std::filesystem::remove(path);
}

TEST(BadInput, LargeScriptIsReadCompletely) {
  std::string sql;
  for (int i = 0; i < 3000; ++i) {
    sql += "CREATE TABLE public.t" + std::to_string(i) + " (\n    id integer NOT NULL,\n    v text DEFAULT 'x'\n);\n";
  }
  const ir::Catalog catalog = ReadOk(sql);
  ASSERT_EQ(catalog.tables.size(), 3000u);
  const ir::Table* last = catalog.FindTable("public", "t2999");
  ASSERT_NE(last, nullptr);
  EXPECT_EQ(last->location.line, 2999u * 4 + 1);
}

}  // namespace
}  // namespace dbaudit::sql

#include "analyzer/driver/plan.hpp"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <unistd.h>

#include "reports/change_script.hpp"

namespace dbaudit::driver {
namespace {

namespace fs = std::filesystem;
using reports::ChangePlacement;
using reports::ChangeScriptInput;
using reports::PlannedChange;

ir::Column Col(const std::string& name, const std::string& type, std::optional<bool> nullable = true) {
  ir::Column column;
  column.name = name;
  column.type = type;
  column.nullable = nullable;
  return column;
}

ir::Table Table(const std::string& name, std::vector<ir::Column> columns, const std::string& schema = "public") {
  ir::Table table;
  table.schema = schema;
  table.name = name;
  table.columns = std::move(columns);
  return table;
}

ir::Finding Finding(const std::string& rule, ir::Subject subject, const std::string& fingerprint = "fp") {
  ir::Finding finding;
  finding.rule_id = rule;
  finding.message = rule + " message";
  finding.subject = std::move(subject);
  finding.fingerprint = fingerprint;
  return finding;
}

// Every statement of every change, rendered as the script renders it.
std::string Script(const ChangeScriptInput& input) {
  return reports::RenderChangeScript(input);
}

const PlannedChange* FindChange(const ChangeScriptInput& input, const std::string& summary_part) {
  for (const auto& change : input.changes) {
    if (change.summary.find(summary_part) != std::string::npos) return &change;
  }
  return nullptr;
}

std::string StatementsOf(const PlannedChange& change) {
  std::string text;
  for (const auto& statement : change.statements) {
    text += statement.text + statement.dollar_body.value_or("") + statement.after_body + "\n";
  }
  return text;
}

void ExpectContains(const std::string& text, const std::string& part) {
  EXPECT_NE(text.find(part), std::string::npos) << "missing: " << part << "\n--- in:\n" << text;
}

class plan_builder : public ::testing::Test {
 protected:
  void SetUp() override {
    models_.origin = ir::CatalogOrigin::kModels;
    schema_.origin = ir::CatalogOrigin::kDatabase;
  }
  ChangeScriptInput Build(std::vector<ir::Finding> findings, PlanOptions options = {}) {
    return BuildPlan(findings, &models_, &schema_, options);
  }
  ir::Catalog models_;
  ir::Catalog schema_;
};

TEST(plan_selection, RulesTablesAndAll) {
  const ir::Finding users = Finding("model-column-not-in-database", {"public", "users", {"nick"}, ""});
  const ir::Finding audit = Finding("model-index-not-in-database", {"audit", "events", {"at"}, ""});
  const ir::Finding enum_finding = Finding("model-enum-mismatch", {"public", "", {}, "mood"});
  PlanSelection none;
  EXPECT_TRUE(none.Empty());
  EXPECT_FALSE(IsFindingSelected(users, none));

  PlanSelection all;
  all.all = true;
  EXPECT_TRUE(IsFindingSelected(enum_finding, all));

  PlanSelection by_rule;
  by_rule.rules = {"model-column-*"};
  EXPECT_TRUE(IsFindingSelected(users, by_rule));
  EXPECT_FALSE(IsFindingSelected(audit, by_rule));
  by_rule.rules = {"-model-column-*"};  // only removals: everything else
  EXPECT_FALSE(IsFindingSelected(users, by_rule));
  EXPECT_TRUE(IsFindingSelected(audit, by_rule));

  PlanSelection by_table;
  by_table.tables = {"users", "audit.events"};
  EXPECT_TRUE(IsFindingSelected(users, by_table));
  EXPECT_TRUE(IsFindingSelected(audit, by_table));
  EXPECT_FALSE(IsFindingSelected(enum_finding, by_table));
  by_table.tables = {"events"};
  EXPECT_TRUE(IsFindingSelected(audit, by_table));
  by_table.tables = {"public.events"};
  EXPECT_FALSE(IsFindingSelected(audit, by_table));

  PlanSelection both;  // rule AND table
  both.rules = {"model-index-*"};
  both.tables = {"users"};
  EXPECT_FALSE(IsFindingSelected(users, both));
  EXPECT_FALSE(IsFindingSelected(audit, both));
}

TEST(plan_slug, SafeCharactersOnly) {
  EXPECT_EQ(SanitizeSlug("Add Missing FKs!"), "add-missing-fks");
  EXPECT_EQ(SanitizeSlug("../../etc/passwd"), "etc-passwd");
  EXPECT_EQ(SanitizeSlug("ümlaut"), "mlaut");
  EXPECT_EQ(SanitizeSlug("---"), "plan");
  EXPECT_EQ(SanitizeSlug(std::string(100, 'a')).size(), 60u);
  PlanSelection selection;
  selection.rules = {"model-index-*", "-model-index-not-in-models"};
  selection.tables = {"audit.events"};
  EXPECT_EQ(SlugFor(selection), "model-index-audit-events");
  selection.all = true;
  EXPECT_EQ(SlugFor(selection), "all-findings");
}

TEST(plan_path, NeverOverwritesAndDatesInUtc) {
  const fs::path dir = fs::temp_directory_path() / ("dbaudit-plan-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  EXPECT_EQ(UniqueScriptPath(dir, "2026-01-02", "x"), dir / "2026-01-02-x.sql");
  std::ofstream(dir / "2026-01-02-x.sql") << "old";
  EXPECT_EQ(UniqueScriptPath(dir, "2026-01-02", "x"), dir / "2026-01-02-x-2.sql");
  std::ofstream(dir / "2026-01-02-x-2.sql") << "old";
  EXPECT_EQ(UniqueScriptPath(dir, "2026-01-02", "x"), dir / "2026-01-02-x-3.sql");
  fs::remove_all(dir);
  EXPECT_EQ(UtcDate(0), "1970-01-01");
  EXPECT_EQ(UtcDate(1767312000 - 1), "2026-01-01");  // 2026-01-02T00:00:00Z minus a second
  EXPECT_TRUE(IsValidTimeout("5s"));
  EXPECT_TRUE(IsValidTimeout("15min"));
  EXPECT_TRUE(IsValidTimeout("0"));
  EXPECT_FALSE(IsValidTimeout("5 s"));
  EXPECT_FALSE(IsValidTimeout("5s'; DROP TABLE x; --"));
  EXPECT_FALSE(IsValidTimeout(""));
}

TEST_F(plan_builder, AddColumnNullableWithoutDefaultNotNullWithOne) {
  ir::Column nick = Col("nick", "character varying(50)", false);
  ir::Column score = Col("score", "integer", false);
  score.server_default = "0";
  models_.tables.push_back(Table("users", {Col("id", "integer", false), nick, score}));
  schema_.tables.push_back(Table("users", {Col("id", "integer", false)}));
  const auto input = Build({Finding("model-column-not-in-database", {"public", "users", {"nick"}, ""}, "a"),
                            Finding("model-column-not-in-database", {"public", "users", {"score"}, ""}, "b")});
  ASSERT_EQ(input.changes.size(), 2u);
  const PlannedChange* add_nick = FindChange(input, "users.nick");
  ASSERT_NE(add_nick, nullptr);
  EXPECT_EQ(StatementsOf(*add_nick), "ALTER TABLE public.users ADD COLUMN IF NOT EXISTS nick character varying(50);\n");
  ASSERT_FALSE(add_nick->hazards.empty());
  ExpectContains(add_nick->hazards.front(), "added as nullable");
  const PlannedChange* add_score = FindChange(input, "users.score");
  ASSERT_NE(add_score, nullptr);
  EXPECT_EQ(StatementsOf(*add_score),
            "ALTER TABLE public.users ADD COLUMN IF NOT EXISTS score integer DEFAULT 0 NOT NULL;\n");
  EXPECT_EQ(add_score->fingerprints, std::vector<std::string>{"b"});
}

TEST_F(plan_builder, HostileNamesAreQuotedEverywhere) {
  const std::string table = "a\"; DROP TABLE x; --";
  const std::string column = "we\"ird$$col";
  ir::Column model_column = Col(column, "text", false);
  models_.tables.push_back(Table(table, {Col("id", "integer", false), model_column}));
  schema_.tables.push_back(Table(table, {Col("id", "integer", false), Col(column, "text", true)}));
  const auto input = Build({Finding("model-nullable-mismatch", {"public", table, {column}, ""}),
                            Finding("schema-foreign-key-without-index", {"public", table, {column}, "fk"}),
                            Finding("timestamp-onupdate-without-trigger", {"public", table, {column}, ""})});
  const std::string script = Script(input);
  const std::string quoted_table = "public.\"a\"\"; DROP TABLE x; --\"";
  ExpectContains(script, "ALTER TABLE " + quoted_table + " ALTER COLUMN \"we\"\"ird$$col\" SET NOT NULL;");
  // Catalog lookups compare names as literals.
  ExpectContains(script, "pg_catalog.to_regclass('public.\"a\"\"; DROP TABLE x; --\"')");
  ExpectContains(script, "attname = 'we\"ird$$col'");
  ExpectContains(script, "NEW.\"we\"\"ird$$col\" := now();");
  // The function body holds "$$": the dollar tag is not "$$".
  ExpectContains(script, "RETURNS trigger LANGUAGE plpgsql AS $dbaudit$");
  // Not one occurrence of the table name outside double quotes.
  std::size_t at = 0;
  while ((at = script.find("DROP TABLE x", at)) != std::string::npos) {
    const std::size_t line_start = script.rfind('\n', at) + 1;
    const std::string line = script.substr(line_start, script.find('\n', at) - line_start);
    const bool comment = line.rfind("--", 0) == 0;
    // As a quoted identifier, or inside a string literal (catalog lookups, messages).
    const bool quoted = line.find("\"a\"\"; DROP TABLE x") != std::string::npos ||
                        line.find("'a\"; DROP TABLE x; --.we\"ird$$col'") != std::string::npos;
    EXPECT_TRUE(comment || quoted) << line;
    ++at;
  }
}

TEST_F(plan_builder, SetNotNullChecksForNullsFirst) {
  models_.tables.push_back(Table("users", {Col("email", "text", false)}));
  schema_.tables.push_back(Table("users", {Col("email", "text", true)}));
  const auto input = Build({Finding("model-nullable-mismatch", {"public", "users", {"email"}, ""})});
  ASSERT_EQ(input.changes.size(), 1u);
  const std::string body = StatementsOf(input.changes.front());
  ExpectContains(body, "AND NOT attnotnull) THEN");
  ExpectContains(body, "IF EXISTS (SELECT 1 FROM public.users WHERE email IS NULL) THEN");
  ExpectContains(body,
                 "RAISE EXCEPTION 'dbaudit: % has NULL values: backfill them, then run this script again', "
                 "'users.email';");
  EXPECT_LT(body.find("IS NULL"), body.find("SET NOT NULL"));
  EXPECT_FALSE(input.changes.front().hazards.empty());
}

TEST_F(plan_builder, DropNotNullOrNotPlannedForPrimaryKey) {
  models_.tables.push_back(Table("users", {Col("id", "integer", true), Col("bio", "text", true)}));
  ir::Table database = Table("users", {Col("id", "integer", false), Col("bio", "text", false)});
  database.primary_key = ir::PrimaryKey{"users_pkey", {"id"}, {}};
  schema_.tables.push_back(database);
  const auto input = Build({Finding("model-nullable-mismatch", {"public", "users", {"bio"}, ""}, "bio"),
                            Finding("model-nullable-mismatch", {"public", "users", {"id"}, ""}, "id")});
  ASSERT_EQ(input.changes.size(), 1u);
  EXPECT_EQ(StatementsOf(input.changes.front()), "ALTER TABLE public.users ALTER COLUMN bio DROP NOT NULL;\n");
  ASSERT_EQ(input.not_planned.size(), 1u);
  EXPECT_EQ(input.not_planned.front().finding.fingerprint, "id");
  ExpectContains(Script(input), "-- not planned: [model-nullable-mismatch]");
}

TEST_F(plan_builder, DefaultGuardedByWhatThePlanSaw) {
  ir::Column model = Col("status", "character varying(20)");
  model.server_default = "'active'";
  ir::Column database = Col("status", "character varying(20)");
  database.server_default = "'pending'::character varying";
  models_.tables.push_back(Table("users", {model}));
  schema_.tables.push_back(Table("users", {database}));
  const auto input = Build({Finding("model-server-default-mismatch", {"public", "users", {"status"}, ""})});
  ASSERT_EQ(input.changes.size(), 1u);
  const std::string body = StatementsOf(input.changes.front());
  ExpectContains(body, "FROM pg_catalog.pg_attrdef d");
  ExpectContains(body, "IF current_default IS NOT DISTINCT FROM '''pending''::character varying' THEN");
  ExpectContains(body, "ALTER TABLE public.users ALTER COLUMN status SET DEFAULT 'active';");
  ExpectContains(body, "set_config('search_path', '', true)");
}

TEST_F(plan_builder, UnsafeModelTextIsNeverPlanned) {
  ir::Column bad_default = Col("a", "integer");
  bad_default.server_default = "0; DROP TABLE x";
  ir::Column comment_default = Col("b", "integer");
  comment_default.server_default = "0 -- hides the rest";
  ir::Column psql_variable = Col("c", "text");
  psql_variable.server_default = ":evil";
  ir::Column meta = Col("d", "text");
  meta.server_default = "'x' \\! rm -rf /";
  ir::Column bad_type = Col("e", "integer; DROP TABLE x");
  ir::Column fine = Col("f", "text");
  fine.server_default = "'a;b -- c $$ :d'::text";
  models_.tables.push_back(Table("t", {bad_default, comment_default, psql_variable, meta, bad_type, fine}));
  schema_.tables.push_back(Table("t", {Col("id", "integer")}));
  std::vector<ir::Finding> findings;
  for (const std::string name : {"a", "b", "c", "d", "e", "f"}) {
    findings.push_back(Finding("model-column-not-in-database", {"public", "t", {name}, ""}, name));
  }
  const auto input = Build(findings);
  ASSERT_EQ(input.changes.size(), 1u) << Script(input);
  EXPECT_EQ(StatementsOf(input.changes.front()),
            "ALTER TABLE public.t ADD COLUMN IF NOT EXISTS f text DEFAULT 'a;b -- c $$ :d'::text;\n");
  EXPECT_EQ(input.not_planned.size(), 5u);
  EXPECT_EQ(Script(input).find("DROP TABLE x"), Script(input).find("DROP TABLE x"));
  for (const auto& missing : input.not_planned) ExpectContains(missing.reason, "not one dbaudit puts in a script");
}

TEST_F(plan_builder, TypeChangesWidenOrAreDestructive) {
  models_.tables.push_back(
      Table("t", {Col("name", "character varying(500)"), Col("code", "character varying(5)"), Col("n", "bigint")}));
  schema_.tables.push_back(
      Table("t", {Col("name", "character varying(255)"), Col("code", "text"), Col("n", "integer")}));
  const auto input = Build({Finding("model-type-mismatch", {"public", "t", {"name"}, ""}, "1"),
                            Finding("model-type-mismatch", {"public", "t", {"code"}, ""}, "2"),
                            Finding("model-type-mismatch", {"public", "t", {"n"}, ""}, "3")});
  const PlannedChange* name = FindChange(input, "t.name");
  const PlannedChange* code = FindChange(input, "t.code");
  const PlannedChange* n = FindChange(input, "t.n ");
  ASSERT_TRUE(name && code && n);
  EXPECT_FALSE(name->destructive);
  EXPECT_FALSE(n->destructive);
  EXPECT_TRUE(code->destructive);
  const std::string body = StatementsOf(*name);
  ExpectContains(body, "pg_catalog.format_type(atttypid, atttypmod)");
  ExpectContains(body, "IF current_type = 'character varying(255)' THEN");
  ExpectContains(body,
                 "ALTER TABLE public.t ALTER COLUMN name TYPE character varying(500) USING "
                 "name::character varying(500);");
  ExpectContains(body, "ELSIF current_type IS DISTINCT FROM 'character varying(500)' THEN");
  ExpectContains(name->hazards.front(), "table rewrite");
  const std::string script = Script(input);
  ExpectContains(script, "-- destructive: left commented out");
}

TEST_F(plan_builder, ForeignKeyNotValidThenValidateAfterCommit) {
  ir::Table orders = Table("orders", {Col("id", "integer"), Col("user_id", "integer")});
  ir::ForeignKey key;
  key.columns = {"user_id"};
  key.referenced_schema = "public";
  key.referenced_table = "users";
  key.referenced_columns = {"id"};
  key.on_delete = ir::ReferentialAction::kCascade;
  orders.foreign_keys.push_back(key);
  models_.tables.push_back(orders);
  schema_.tables.push_back(Table("orders", {Col("id", "integer"), Col("user_id", "integer")}));
  const auto input = Build({Finding("model-foreign-key-not-in-database", {"public", "orders", {"user_id"}, ""})});
  ASSERT_EQ(input.changes.size(), 2u);
  const PlannedChange* add = FindChange(input, "add foreign key");
  const PlannedChange* validate = FindChange(input, "validate foreign key");
  ASSERT_TRUE(add && validate);
  EXPECT_EQ(add->placement, ChangePlacement::kInTransaction);
  EXPECT_EQ(validate->placement, ChangePlacement::kAfterCommit);
  const std::string body = StatementsOf(*add);
  ExpectContains(body,
                 "IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = "
                 "pg_catalog.to_regclass('public.orders') AND conname = 'orders_user_id_fkey') THEN");
  ExpectContains(body,
                 "ALTER TABLE public.orders ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) "
                 "REFERENCES public.users (id) ON DELETE CASCADE NOT VALID;");
  EXPECT_EQ(StatementsOf(*validate), "ALTER TABLE public.orders VALIDATE CONSTRAINT orders_user_id_fkey;\n");
}

TEST_F(plan_builder, ForeignKeyActionsDropAndReAddInOneBlock) {
  ir::ForeignKey model_key;
  model_key.columns = {"user_id"};
  model_key.referenced_schema = "public";
  model_key.referenced_table = "users";
  model_key.referenced_columns = {"id"};
  model_key.on_delete = ir::ReferentialAction::kCascade;
  ir::ForeignKey database_key = model_key;
  database_key.name = "orders_user_id_fkey";
  database_key.on_delete = ir::ReferentialAction::kNoAction;
  ir::Table model = Table("orders", {Col("user_id", "integer")});
  model.foreign_keys.push_back(model_key);
  ir::Table database = Table("orders", {Col("user_id", "integer")});
  database.foreign_keys.push_back(database_key);
  models_.tables.push_back(model);
  schema_.tables.push_back(database);
  const auto input =
      Build({Finding("model-foreign-key-action-mismatch", {"public", "orders", {"user_id"}, "orders_user_id_fkey"})});
  const PlannedChange* change = FindChange(input, "replace foreign key");
  ASSERT_NE(change, nullptr);
  ASSERT_EQ(change->statements.size(), 1u);
  const std::string body = StatementsOf(*change);
  ExpectContains(body, "AND (confdeltype <> 'c' OR confupdtype <> 'a')) THEN");
  EXPECT_LT(body.find("DROP CONSTRAINT orders_user_id_fkey;"), body.find("ADD CONSTRAINT orders_user_id_fkey"));
  ExpectContains(body, "ON DELETE CASCADE NOT VALID;");
  EXPECT_NE(FindChange(input, "validate foreign key"), nullptr);
}

TEST_F(plan_builder, UniqueIndexThenConstraintUsingIndexConcurrentlyOrNot) {
  models_.tables.push_back(Table("users", {Col("email", "text")}));
  schema_.tables.push_back(Table("users", {Col("email", "text")}));
  const ir::Finding finding = Finding("model-unique-not-in-database", {"public", "users", {"email"}, ""});
  const auto plain = Build({finding});
  ASSERT_EQ(plain.changes.size(), 1u);
  EXPECT_EQ(plain.changes.front().placement, ChangePlacement::kInTransaction);
  std::string body = StatementsOf(plain.changes.front());
  ExpectContains(body, "CREATE UNIQUE INDEX IF NOT EXISTS users_email_key ON public.users (email);");
  ExpectContains(body, "ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;");
  EXPECT_EQ(body.find("CONCURRENTLY"), std::string::npos);

  PlanOptions options;
  options.concurrently = true;
  const auto concurrent = Build({finding}, options);
  ASSERT_EQ(concurrent.changes.size(), 1u);
  EXPECT_EQ(concurrent.changes.front().placement, ChangePlacement::kAfterCommit);
  body = StatementsOf(concurrent.changes.front());
  // An INVALID leftover of a failed concurrent build is dropped first (psql \gexec).
  ExpectContains(body, "DROP INDEX CONCURRENTLY IF EXISTS %I.%I");
  ExpectContains(body, "AND NOT i.indisvalid\n\\gexec");
  EXPECT_LT(body.find("\\gexec"), body.find("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_key"));
  EXPECT_LT(body.find("CREATE UNIQUE INDEX"), body.find("UNIQUE USING INDEX"));
}

TEST_F(plan_builder, IndexFromTheModelsAndNameConflicts) {
  ir::Table model = Table("users", {Col("email", "text"), Col("team_id", "integer")});
  ir::Index lower;
  lower.name = "ix_users_lower_email";
  lower.keys = {"lower(email)"};
  model.indexes.push_back(lower);
  ir::Index team;
  team.keys = {"team_id"};
  model.indexes.push_back(team);
  models_.tables.push_back(model);
  ir::Table database = Table("users", {Col("email", "text"), Col("team_id", "integer")});
  schema_.tables.push_back(database);
  schema_.tables.push_back(Table("ix_users_team_id_idx", {}));  // a relation already has that name
  const auto input =
      Build({Finding("model-index-not-in-database", {"public", "users", {"lower(email)"}, "ix_users_lower_email"}, "1"),
             Finding("model-index-not-in-database", {"public", "users", {"team_id"}, ""}, "2")});
  ASSERT_EQ(input.changes.size(), 1u) << Script(input);
  ExpectContains(StatementsOf(input.changes.front()),
                 "CREATE INDEX IF NOT EXISTS ix_users_lower_email ON public.users ((lower(email)));");
  ASSERT_EQ(input.not_planned.size(), 1u);
  ExpectContains(input.not_planned.front().reason, "already has a relation named ix_users_team_id_idx");
}

TEST_F(plan_builder, EnumLabelsAddedInOrderOrNotPlanned) {
  ir::EnumType model{"public", "mood", {"sad", "ok", "happy", "ecstatic"}, {}};
  ir::EnumType database{"public", "mood", {"ok", "happy"}, {}};
  models_.enums.push_back(model);
  schema_.enums.push_back(database);
  auto input = Build({Finding("model-enum-mismatch", {"public", "", {}, "mood"})});
  ASSERT_EQ(input.changes.size(), 1u);
  EXPECT_EQ(StatementsOf(input.changes.front()),
            "ALTER TYPE public.mood ADD VALUE IF NOT EXISTS 'sad' BEFORE 'ok';\n"
            "ALTER TYPE public.mood ADD VALUE IF NOT EXISTS 'ecstatic' AFTER 'happy';\n");
  EXPECT_EQ(input.changes.front().phase, 0);

  schema_.enums.front().labels = {"happy", "ok"};  // reordered: ADD VALUE cannot converge it
  input = Build({Finding("model-enum-mismatch", {"public", "", {}, "mood"})});
  EXPECT_TRUE(input.changes.empty());
  ASSERT_EQ(input.not_planned.size(), 1u);

  schema_.enums.clear();  // missing: CREATE TYPE guarded by pg_type
  input = Build({Finding("model-enum-mismatch", {"public", "", {}, "mood"})});
  ASSERT_EQ(input.changes.size(), 1u);
  const std::string body = StatementsOf(input.changes.front());
  ExpectContains(body, "WHERE n.nspname = 'public' AND t.typname = 'mood') THEN");
  ExpectContains(body, "CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy', 'ecstatic');");
}

TEST_F(plan_builder, CreateTableWithKeysThenForeignKeysAndIndexes) {
  ir::Table model =
      Table("teams", {Col("id", "integer", false), Col("name", "text", false), Col("owner_id", "integer", true)});
  model.columns[0].autoincrement = true;
  model.columns[1].server_default = "'unnamed'";
  model.primary_key = ir::PrimaryKey{"", {"id"}, {}};
  model.unique_constraints.push_back(ir::UniqueConstraint{"", {"name"}, {}});
  ir::ForeignKey owner;
  owner.columns = {"owner_id"};
  owner.referenced_schema = "public";
  owner.referenced_table = "users";
  owner.referenced_columns = {"id"};
  model.foreign_keys.push_back(owner);
  ir::Index index;
  index.keys = {"owner_id"};
  model.indexes.push_back(index);
  models_.tables.push_back(model);
  const auto input = Build({Finding("model-table-not-in-database", {"public", "teams", {}, ""})});
  const PlannedChange* create = FindChange(input, "create table teams");
  ASSERT_NE(create, nullptr) << Script(input);
  EXPECT_EQ(StatementsOf(*create),
            "CREATE TABLE IF NOT EXISTS public.teams (\n"
            "  id integer GENERATED BY DEFAULT AS IDENTITY NOT NULL,\n"
            "  name text DEFAULT 'unnamed' NOT NULL,\n"
            "  owner_id integer,\n"
            "  PRIMARY KEY (id),\n"
            "  UNIQUE (name)\n"
            ");\n");
  const PlannedChange* fk = FindChange(input, "add foreign key teams_owner_id_fkey");
  const PlannedChange* ix = FindChange(input, "create index ix_teams_owner_id_idx");
  ASSERT_TRUE(fk && ix);
  EXPECT_LT(create->phase, fk->phase);
  EXPECT_LT(fk->phase, ix->phase);
  const std::string script = Script(input);
  EXPECT_LT(script.find("CREATE TABLE"), script.find("ADD CONSTRAINT teams_owner_id_fkey"));
}

TEST_F(plan_builder, DropsAreDestructiveAndGuarded) {
  ir::Table database = Table("users", {Col("legacy", "text")});
  database.unique_constraints.push_back(ir::UniqueConstraint{"users_legacy_key", {"legacy"}, {}});
  schema_.tables.push_back(database);
  PlanOptions options;
  options.concurrently = true;
  const auto input =
      Build({Finding("model-column-not-in-models", {"public", "users", {"legacy"}, ""}, "1"),
             Finding("model-table-not-in-models", {"public", "old", {}, ""}, "2"),
             Finding("model-index-not-in-models", {"public", "users", {"legacy"}, "ix_legacy"}, "3"),
             Finding("model-unique-not-in-models", {"public", "users", {"legacy"}, "users_legacy_key"}, "4")},
            options);
  ASSERT_EQ(input.changes.size(), 4u);
  for (const auto& change : input.changes) {
    EXPECT_TRUE(change.destructive) << change.summary;
    ExpectContains(StatementsOf(change), "IF EXISTS");
    EXPECT_FALSE(change.hazards.empty());
  }
  const PlannedChange* index = FindChange(input, "drop index ix_legacy");
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->placement, ChangePlacement::kAfterCommit);
  EXPECT_EQ(StatementsOf(*index), "DROP INDEX CONCURRENTLY IF EXISTS public.ix_legacy;\n");
  ExpectContains(StatementsOf(*FindChange(input, "drop unique constraint")),
                 "ALTER TABLE public.users DROP CONSTRAINT IF EXISTS users_legacy_key;");
  const std::string script = Script(input);
  ExpectContains(script, "-- DROP TABLE IF EXISTS public.old;");
  EXPECT_EQ(script.find("\nDROP TABLE"), std::string::npos);
}

TEST_F(plan_builder, TimestampChangesFromTheSubjectContract) {
  ir::Column created = Col("created_at", "timestamp without time zone");
  schema_.tables.push_back(Table("events", {created, Col("updated_at", "timestamp(3) without time zone"),
                                            Col("modified_at", "timestamp with time zone")}));
  schema_.tables.push_back(Table("notes", {Col("updated_at", "timestamp with time zone")}));
  PlanOptions options;
  options.trigger_function = "touch_updated_at";
  const auto input =
      Build({Finding("timestamp-created-at-without-database-default", {"public", "events", {"created_at"}, ""}, "1"),
             Finding("timestamp-onupdate-without-trigger", {"public", "events", {"updated_at"}, ""}, "2"),
             Finding("timestamp-onupdate-without-trigger", {"public", "notes", {"updated_at"}, ""}, "3"),
             Finding("timestamp-onupdate-without-trigger", {"public", "events", {"modified_at"}, ""}, "4"),
             Finding("timestamp-without-time-zone", {"public", "events", {"updated_at"}, ""}, "5")},
            options);
  const std::string script = Script(input);
  // created_at: SET DEFAULT now() only while there is no default.
  ExpectContains(script, "IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attrdef d");
  ExpectContains(script, "ALTER TABLE public.events ALTER COLUMN created_at SET DEFAULT now();");
  // One function per column name, shared by both tables.
  const PlannedChange* function = FindChange(input, "trigger function touch_updated_at()");
  ASSERT_NE(function, nullptr);
  EXPECT_EQ(function->fingerprints, (std::vector<std::string>{"2", "3"}));
  ExpectContains(script,
                 "CREATE OR REPLACE FUNCTION public.touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS "
                 "$dbaudit$\nBEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND\n$dbaudit$;");
  ExpectContains(script, "CREATE OR REPLACE FUNCTION public.touch_modified_at()");
  ExpectContains(script, "tgname = 'touch_updated_at' AND NOT tgisinternal) THEN");
  ExpectContains(script,
                 "CREATE TRIGGER touch_updated_at BEFORE UPDATE ON public.notes FOR EACH ROW EXECUTE "
                 "FUNCTION public.touch_updated_at();");
  EXPECT_LT(script.find("CREATE OR REPLACE FUNCTION public.touch_updated_at"),
            script.find("CREATE TRIGGER touch_updated_at"));
  // timestamp -> timestamptz keeps the precision and reads old values as UTC.
  ExpectContains(script, "TYPE timestamp(3) with time zone USING updated_at AT TIME ZONE 'UTC';");
  ExpectContains(script, "IF current_type = 'timestamp(3) without time zone' THEN");
  EXPECT_TRUE(input.not_planned.empty()) << script;
}

TEST_F(plan_builder, ForeignKeyWithoutIndexGetsOne) {
  schema_.tables.push_back(Table("orders", {Col("user_id", "integer")}));
  const auto input =
      Build({Finding("schema-foreign-key-without-index", {"public", "orders", {"user_id"}, "orders_user_id_fkey"})});
  ASSERT_EQ(input.changes.size(), 1u);
  EXPECT_EQ(StatementsOf(input.changes.front()),
            "CREATE INDEX IF NOT EXISTS orders_user_id_idx ON public.orders (user_id);\n");
}

TEST_F(plan_builder, UnsupportedFindingsBecomeComments) {
  const auto input = Build({Finding("model-primary-key-mismatch", {"public", "users", {"id"}, ""}, "pk"),
                            Finding("query-unknown-table", {"", "", {}, ""}, "q")});
  EXPECT_TRUE(input.changes.empty());
  ASSERT_EQ(input.not_planned.size(), 2u);
  const std::string script = Script(input);
  ExpectContains(script,
                 "-- not planned: [model-primary-key-mismatch] model-primary-key-mismatch message "
                 "(fingerprint pk) — needs a manual change");
  ExpectContains(script, "-- not planned: [query-unknown-table]");
}

TEST_F(plan_builder, ChangeLogEntrySummarisesTheScript) {
  schema_.tables.push_back(Table("users", {Col("legacy", "text")}));
  auto input = Build({Finding("model-column-not-in-models", {"public", "users", {"legacy"}, ""}, "1"),
                      Finding("model-primary-key-mismatch", {"public", "users", {}, ""}, "2")});
  input.date = "2026-01-02";
  const std::string script = Script(input);
  const auto entry = MakeChangeLogEntry(input, script, "temp/2026-01-02-x.sql");
  EXPECT_EQ(entry.sha256, reports::Sha256Hex(script));
  EXPECT_EQ(entry.script_path, "temp/2026-01-02-x.sql");
  EXPECT_EQ(entry.status, "pending approval");
  ExpectContains(entry.summary, "0 changes for 2 findings; 1 destructive change left commented out; 1 finding");
  ASSERT_EQ(entry.changes.size(), 1u);
  ExpectContains(entry.changes.front(), "(destructive: commented out)");
  ASSERT_FALSE(entry.hazards.empty());
  ExpectContains(entry.hazards.front(), "data loss");
  ASSERT_EQ(entry.not_planned.size(), 1u);
}

}  // namespace
}  // namespace dbaudit::driver

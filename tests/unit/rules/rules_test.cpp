#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"
#include "tests/unit/rules/catalog_builders.hpp"

namespace dbaudit::rules {
namespace {

using testing::Col;
using testing::Database;
using testing::Fk;
using ::testing::HasSubstr;
using testing::Idx;
using testing::MakeTable;
using testing::Models;
using testing::WithPk;

// Runs one registered rule over models vs database (compared with the real engine).
class RuleRun {
 public:
  RuleRun(ir::Catalog models, ir::Catalog database, std::vector<std::string> names_in_code = {})
      : models_(std::move(models)), database_(std::move(database)) {
    diff_ = CompareCatalogs(models_, database_, {});
    facts_.models = &models_;
    facts_.schema = &database_;
    facts_.model_diff = &diff_;
    facts_.names_in_code = std::move(names_in_code);
  }

  std::vector<ir::Finding> Run(const std::string& rule_id) const { return RunOn(rule_id, facts_); }

  static std::vector<ir::Finding> RunOn(const std::string& rule_id, const Facts& facts) {
    for (const auto& rule : MakeAllRules()) {
      if (rule->Info().id != rule_id) continue;
      FindingSink sink;
      rule->Check(facts, sink);
      for (const auto& finding : sink.findings()) {
        EXPECT_EQ(finding.rule_id, rule_id);
        EXPECT_EQ(finding.severity, rule->Info().default_severity);
      }
      return sink.findings();
    }
    ADD_FAILURE() << "no rule " << rule_id;
    return {};
  }

  const ir::Catalog& models() const { return models_; }
  const ir::Catalog& database() const { return database_; }

 private:
  ir::Catalog models_;
  ir::Catalog database_;
  CatalogDiff diff_;
  Facts facts_;
};

ir::Subject Subject(std::string table, std::vector<std::string> columns = {}, std::string constraint = {}) {
  return {"public", std::move(table), std::move(columns), std::move(constraint)};
}

// --- Selection and registry -----------------------------------------------------------------

TEST(IsSelected, EmptySelectionSelectsEverything) {
  EXPECT_TRUE(IsSelected("model-type-mismatch", {}));
  EXPECT_TRUE(IsSelected("model-type-mismatch", {"", " "}));
}

TEST(IsSelected, GlobsApplyInOrder) {
  const std::vector<std::string> patterns = {"model-*", "-model-index-*"};
  EXPECT_TRUE(IsSelected("model-type-mismatch", patterns));
  EXPECT_FALSE(IsSelected("model-index-not-in-models", patterns));
  EXPECT_FALSE(IsSelected("input-file-unreadable", patterns));
  // A later pattern adds back what an earlier one removed.
  EXPECT_TRUE(IsSelected("model-index-not-in-models", {"model-*", "-model-index-*", "model-index-not-in-models"}));
}

TEST(IsSelected, OnlyRemovalsStartFromEverything) {
  EXPECT_FALSE(IsSelected("model-index-not-in-models", {"-model-index-not-in-models"}));
  EXPECT_TRUE(IsSelected("model-index-not-in-database", {"-model-index-not-in-models"}));
  EXPECT_TRUE(IsSelected("input-sql-not-parsed", {"-model-*"}));
}

TEST(IsSelected, QuestionMarkMatchesOneCharacter) {
  EXPECT_TRUE(IsSelected("model-type-mismatch", {"model-typ?-mismatch"}));
  EXPECT_FALSE(IsSelected("model-type-mismatch", {"model-ty?-mismatch"}));
  EXPECT_FALSE(IsSelected("model-type-mismatch", {"model-type"}));  // whole id, not a prefix
  EXPECT_TRUE(IsSelected("model-type-mismatch", {"*mismatch"}));
}

TEST(QuoteIdent, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(QuoteIdent("users"), "users");
  EXPECT_EQ(QuoteIdent("user"), "\"user\"");
  EXPECT_EQ(QuoteIdent("Order"), "\"Order\"");
  EXPECT_EQ(QuoteIdent("weird\"name"), "\"weird\"\"name\"");
  EXPECT_EQ(QuoteIdent("1abc"), "\"1abc\"");
  EXPECT_EQ(QuoteLiteral("it's"), "'it''s'");
  EXPECT_EQ(QualifiedSql("public", "user"), "public.\"user\"");
}

// --- Tables ---------------------------------------------------------------------------------

TEST(ModelTableNotInDatabase, FiresForAModelWithoutTable) {
  auto model = MakeTable("invoices", {Col("id", "integer")});
  model.mapped_by = {"app.models.Invoice"};
  RuleRun run(Models({model, MakeTable("users", {Col("id", "integer")})}),
              Database({MakeTable("users", {Col("id", "integer")})}));
  const auto findings = run.Run("model-table-not-in-database");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].message,
            "table invoices is mapped by model app.models.Invoice but does not exist in the database");
  EXPECT_EQ(findings[0].subject, Subject("invoices"));
  EXPECT_EQ(findings[0].location.file, "models.py");
  EXPECT_EQ(findings[0].location.line, run.models().tables[0].location.line);
  ASSERT_TRUE(findings[0].fix.has_value());
  EXPECT_TRUE(findings[0].fingerprint.empty());
}

TEST(ModelTableNotInDatabase, SaysPossibleRename) {
  RuleRun run(Models({MakeTable("customers", {Col("id", "integer"), Col("email", "text")})}),
              Database({MakeTable("clients", {Col("id", "integer"), Col("email", "text")})}));
  const auto findings = run.Run("model-table-not-in-database");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_THAT(findings[0].message, HasSubstr("possible rename of database table clients"));
  ASSERT_EQ(findings[0].related.size(), 1u);
  EXPECT_EQ(findings[0].related[0].location.object, "schema.sql#public.clients");
  EXPECT_THAT(findings[0].fix->description, HasSubstr("__tablename__ = 'clients'"));
  const auto reverse = run.Run("model-table-not-in-models");
  ASSERT_EQ(reverse.size(), 1u);
  EXPECT_THAT(reverse[0].message, HasSubstr("possible rename to model table customers"));
}

TEST(ModelTableNotInDatabase, SilentWhenEveryTableExists) {
  RuleRun run(Models({MakeTable("users", {Col("id", "integer")})}),
              Database({MakeTable("users", {Col("id", "integer")})}));
  EXPECT_TRUE(run.Run("model-table-not-in-database").empty());
  EXPECT_TRUE(run.Run("model-table-not-in-models").empty());
}

TEST(ModelTableNotInModels, SaysWhetherTheCodeNamesTheTable) {
  RuleRun run(Models({}),
              Database({MakeTable("audit_log", {Col("id", "integer")}),
                        MakeTable("report_cache", {Col("key", "text")}, "reporting")}),
              {"audit_log"});
  const auto findings = run.Run("model-table-not-in-models");
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].message,
            "table audit_log exists in the database but no model maps it; the code names it outside the models (raw "
            "SQL?)");
  EXPECT_EQ(findings[0].location.object, "schema.sql#public.audit_log");
  EXPECT_EQ(findings[0].subject, Subject("audit_log"));
  EXPECT_EQ(findings[1].message,
            "table reporting.report_cache exists in the database but no model maps it; nothing in the analysed code "
            "names it either");
  EXPECT_EQ(findings[1].subject.schema, "reporting");
}

TEST(ModelTableNotInModels, ViewsAreNotReported) {
  auto view = MakeTable("active_users", {Col("id", "integer")});
  view.kind = ir::TableKind::kView;
  RuleRun run(Models({}), Database({view}));
  EXPECT_TRUE(run.Run("model-table-not-in-models").empty());
}

TEST(ModelRules, NoDiffMeansNoFindings) {
  Facts facts;  // no models, no schema: comparison rules have nothing to say
  for (const auto& rule : MakeAllRules()) {
    FindingSink sink;
    rule->Check(facts, sink);
    EXPECT_TRUE(sink.findings().empty()) << rule->Info().id;
  }
}

// --- Columns --------------------------------------------------------------------------------

TEST(ModelColumnNotInDatabase, FiresWithAddColumnFix) {
  auto model = MakeTable("users", {Col("id", "integer"), Col("nickname", "character varying(50)")});
  model.mapped_by = {"app.models.User"};
  RuleRun run(Models({model}), Database({MakeTable("users", {Col("id", "integer")})}));
  const auto findings = run.Run("model-column-not-in-database");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].message,
            "column users.nickname (character varying(50)) is declared by model app.models.User but the database "
            "table users has no such column");
  EXPECT_EQ(findings[0].subject, Subject("users", {"nickname"}));
  EXPECT_EQ(findings[0].location, run.models().tables[0].columns[1].location);
  ASSERT_EQ(findings[0].related.size(), 1u);
  EXPECT_EQ(findings[0].related[0].message, kDeclaredInDatabase);
  EXPECT_EQ(findings[0].fix->sql, "ALTER TABLE public.users ADD COLUMN IF NOT EXISTS nickname character varying(50);");
}

TEST(ModelColumnNotInDatabase, PossibleRenameAndQuotedSql) {
  RuleRun run(Models({MakeTable("user", {Col("id", "integer"), Col("e_mail", "text"), Col("Order", "integer")})}),
              Database({MakeTable("user", {Col("id", "integer"), Col("email", "text")})}));
  const auto findings = run.Run("model-column-not-in-database");
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_THAT(findings[0].message, HasSubstr("possible rename of database column email"));
  EXPECT_TRUE(findings[0].fix->sql.empty());
  EXPECT_EQ(findings[1].fix->sql, "ALTER TABLE public.\"user\" ADD COLUMN IF NOT EXISTS \"Order\" integer;");
}

TEST(ModelColumnNotInDatabase, ViewColumnsGetNoSqlFix) {
  auto view = MakeTable("active_users", {Col("id", "integer")});
  view.kind = ir::TableKind::kView;
  RuleRun run(Models({MakeTable("active_users", {Col("id", "integer"), Col("email", "text")})}), Database({view}));
  const auto findings = run.Run("model-column-not-in-database");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].message,
            "column active_users.email (text) is declared by the models but the database view active_users has no "
            "such column");
  EXPECT_TRUE(findings[0].fix->sql.empty());
}

TEST(ModelTableNotInModels, NamesInCodeMatchCaseInsensitively) {
  RuleRun run(Models({}), Database({MakeTable("AuditLog", {Col("id", "integer")})}), {"auditlog"});
  const auto findings = run.Run("model-table-not-in-models");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_THAT(findings[0].message, HasSubstr("the code names it outside the models"));
}

TEST(ModelColumnNotInModels, WarnsAboutNotNullWithoutDefault) {
  auto required = Col("tenant_id", "integer", false);
  auto optional = Col("legacy_flag", "boolean", true);
  auto defaulted = Col("created_at", "timestamp with time zone", false);
  defaulted.server_default = "now()";
  RuleRun run(Models({MakeTable("users", {Col("id", "integer")})}),
              Database({MakeTable("users", {Col("id", "integer"), required, optional, defaulted})}));
  const auto findings = run.Run("model-column-not-in-models");
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_EQ(findings[0].message,
            "column users.tenant_id (integer) exists in the database but the models do not declare it; it is NOT "
            "NULL without a default, so inserts through the model fail");
  EXPECT_THAT(findings[1].message, ::testing::Not(HasSubstr("inserts")));
  EXPECT_THAT(findings[2].message, ::testing::Not(HasSubstr("inserts")));
  EXPECT_EQ(findings[0].subject, Subject("users", {"tenant_id"}));
  // The side under audit: the model's table; the database column is related.
  EXPECT_EQ(findings[0].location, run.models().tables[0].location);
  ASSERT_EQ(findings[0].related.size(), 1u);
  EXPECT_EQ(findings[0].related[0].location.object, "schema.sql#public.users.tenant_id");
}

TEST(ModelTypeMismatch, FiresOnSpecifiedLengthOnly) {
  auto serial = Col("id", "integer", false);
  serial.server_default = "nextval('users_id_seq'::regclass)";
  auto model_id = Col("id", "integer", false);
  model_id.autoincrement = true;
  RuleRun run(Models({MakeTable("users",
                                {model_id, Col("email", "character varying(120)"), Col("name", "character varying")})}),
              Database({MakeTable(
                  "users", {serial, Col("email", "character varying(255)"), Col("name", "character varying(255)")})}));
  const auto findings = run.Run("model-type-mismatch");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].message,
            "column users.email is character varying(120) in the models but character varying(255) in the database");
  EXPECT_EQ(findings[0].subject, Subject("users", {"email"}));
  EXPECT_EQ(findings[0].location.file, "models.py");
  ASSERT_EQ(findings[0].related.size(), 1u);
  EXPECT_EQ(findings[0].related[0].location.object, "schema.sql#public.users.email");
}

TEST(ModelNullableMismatch, BothDirections) {
  RuleRun run(Models({MakeTable("users", {Col("email", "text", true), Col("name", "text", false),
                                          Col("bio", "text", std::nullopt)})}),
              Database({MakeTable(
                  "users", {Col("email", "text", false), Col("name", "text", true), Col("bio", "text", false)})}));
  const auto findings = run.Run("model-nullable-mismatch");
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].message, "column users.email is nullable in the models but NOT NULL in the database");
  EXPECT_TRUE(findings[0].fix->sql.empty());
  EXPECT_EQ(findings[1].message, "column users.name is NOT NULL in the models but nullable in the database");
  EXPECT_EQ(findings[1].fix->sql, "ALTER TABLE public.users ALTER COLUMN name SET NOT NULL;");
}

TEST(ModelPrimaryKeyMismatch, DifferentSetsAndMissingKey) {
  const auto cols = std::vector<ir::Column>{Col("id", "integer"), Col("tenant_id", "integer")};
  RuleRun run(Models({WithPk(MakeTable("a", cols), {"id"}), WithPk(MakeTable("b", cols), {"id"}),
                      WithPk(MakeTable("c", cols), {"tenant_id", "id"})}),
              Database({WithPk(MakeTable("a", cols), {"id", "tenant_id"}, "a_pkey"), MakeTable("b", cols),
                        WithPk(MakeTable("c", cols), {"id", "tenant_id"}, "c_pkey")}));
  const auto findings = run.Run("model-primary-key-mismatch");
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].message, "table a has primary key (id) in the models but (id, tenant_id) in the database");
  EXPECT_EQ(findings[0].subject, Subject("a", {"id"}, "a_pkey"));
  EXPECT_EQ(findings[1].message, "table b has primary key (id) in the models but no primary key in the database");
  EXPECT_EQ(findings[1].location, run.models().tables[1].location);
}

// --- Foreign keys ---------------------------------------------------------------------------

ir::Table Orders(std::vector<ir::ForeignKey> keys) {
  auto table = MakeTable("orders", {Col("id", "integer"), Col("user_id", "integer"), Col("shop_id", "integer")});
  table.foreign_keys = std::move(keys);
  return table;
}

TEST(ModelForeignKeyNotInDatabase, FiresWithNotValidFix) {
  auto to_users = Fk({"user_id"}, "users", {"id"});
  to_users.on_delete = ir::ReferentialAction::kCascade;
  to_users.location = testing::ModelAt("models.py", 40);
  auto to_shops = Fk({"shop_id"}, "shops", {"id"});
  RuleRun run(Models({Orders({to_users, to_shops})}),
              Database({Orders({Fk({"shop_id"}, "shops", {"id"}, "orders_shop_id_fkey")})}));
  const auto findings = run.Run("model-foreign-key-not-in-database");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].message,
            "foreign key orders(user_id) referencing users(id) is declared in the models but the database has no such "
            "constraint, so nothing stops orphan rows");
  EXPECT_EQ(findings[0].location.line, 40u);
  EXPECT_EQ(findings[0].subject, Subject("orders", {"user_id"}));
  EXPECT_FALSE(findings[0].fingerprint.empty());
  EXPECT_EQ(findings[0].fix->sql,
            "ALTER TABLE public.orders ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES "
            "public.users (id) ON DELETE CASCADE NOT VALID;");
}

TEST(ModelForeignKeyNotInDatabase, TwoKeysOnOneColumnGetDistinctFingerprints) {
  RuleRun run(Models({Orders({Fk({"user_id"}, "users", {"id"}), Fk({"user_id"}, "accounts", {"id"})})}),
              Database({Orders({})}));
  const auto findings = run.Run("model-foreign-key-not-in-database");
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].subject, findings[1].subject);
  EXPECT_NE(findings[0].fingerprint, findings[1].fingerprint);
}

TEST(ModelForeignKeyNotInModels, PointsAtTheModelColumn) {
  RuleRun run(Models({Orders({})}), Database({Orders({Fk({"user_id"}, "users", {"id"}, "orders_user_id_fkey")})}));
  const auto findings = run.Run("model-foreign-key-not-in-models");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].message,
            "foreign key orders_user_id_fkey orders(user_id) referencing users(id) exists in the database but the "
            "models do not declare it");
  EXPECT_EQ(findings[0].location, run.models().tables[0].columns[1].location);
  EXPECT_EQ(findings[0].subject, Subject("orders", {"user_id"}, "orders_user_id_fkey"));
}

TEST(ModelForeignKeyActionMismatch, UnspecifiedEqualsNoAction) {
  auto cascade = Fk({"user_id"}, "users", {"id"});
  cascade.on_delete = ir::ReferentialAction::kCascade;
  auto unspecified = Fk({"shop_id"}, "shops", {"id"});
  auto db_user = Fk({"user_id"}, "users", {"id"}, "orders_user_id_fkey");
  db_user.on_delete = ir::ReferentialAction::kSetNull;
  auto db_shop = Fk({"shop_id"}, "shops", {"id"}, "orders_shop_id_fkey");
  db_shop.on_delete = ir::ReferentialAction::kNoAction;
  db_shop.on_update = ir::ReferentialAction::kNoAction;
  RuleRun run(Models({Orders({cascade, unspecified})}), Database({Orders({db_user, db_shop})}));
  const auto findings = run.Run("model-foreign-key-action-mismatch");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].message,
            "foreign key orders(user_id) referencing users(id) has ON DELETE CASCADE in the models but ON DELETE SET "
            "NULL in the database");
  EXPECT_EQ(findings[0].subject, Subject("orders", {"user_id"}, "orders_user_id_fkey"));
  EXPECT_EQ(findings[0].fix->sql,
            "ALTER TABLE public.orders DROP CONSTRAINT orders_user_id_fkey, ADD CONSTRAINT orders_user_id_fkey FOREIGN "
            "KEY (user_id) REFERENCES public.users (id) ON DELETE CASCADE NOT VALID;");
}

// --- Uniques and indexes --------------------------------------------------------------------

TEST(ModelUniqueNotInDatabase, UniqueIndexCountsAsEnforcement) {
  const auto cols = std::vector<ir::Column>{Col("id", "integer"), Col("email", "text"), Col("username", "text")};
  auto model = WithPk(MakeTable("users", cols), {"id"});
  model.unique_constraints = {{"", {"email"}, testing::ModelAt("models.py", 7)}, {"", {"username"}, {}}};
  auto db = WithPk(MakeTable("users", cols), {"id"});
  db.indexes = {Idx("users_email_uniq", {"email"}, true)};
  RuleRun run(Models({model}), Database({db}));
  const auto findings = run.Run("model-unique-not-in-database");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].message,
            "users(username) is declared unique in the models but the database enforces it neither by a unique "
            "constraint nor by a unique index");
  EXPECT_EQ(findings[0].subject, Subject("users", {"username"}));
  EXPECT_EQ(findings[0].location.object, "schema.sql#public.users");  // the model side had no location
  EXPECT_EQ(findings[0].fix->sql, "ALTER TABLE public.users ADD CONSTRAINT users_username_key UNIQUE (username);");
}

TEST(ModelUniqueNotInModels, PrimaryKeySetNeverCounts) {
  const auto cols = std::vector<ir::Column>{Col("id", "integer"), Col("email", "text")};
  auto db = WithPk(MakeTable("users", cols), {"id"});
  db.unique_constraints = {{"users_id_key", {"id"}, {}}, {"users_email_key", {"email"}, {}}};
  RuleRun run(Models({WithPk(MakeTable("users", cols), {"id"})}), Database({db}));
  const auto findings = run.Run("model-unique-not-in-models");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].message,
            "the database enforces uniqueness of users(email) (by users_email_key) but the models do not declare "
            "it");
  EXPECT_EQ(findings[0].subject, Subject("users", {"email"}, "users_email_key"));
  EXPECT_EQ(findings[0].fix->description, "declare unique=True on the model column email");
}

TEST(ModelIndexNotInDatabase, KeyListMattersNamesDoNot) {
  const auto cols = std::vector<ir::Column>{Col("id", "integer"), Col("a", "text"), Col("b", "text")};
  auto model = WithPk(MakeTable("t", cols), {"id"});
  model.indexes = {Idx("ix_t_a", {"a"}), Idx("ix_t_a_b", {"a", "b"})};
  auto db = WithPk(MakeTable("t", cols), {"id"});
  db.indexes = {Idx("t_a_idx", {"a"}), Idx("t_lower_b", {"lower(b)"})};
  RuleRun run(Models({model}), Database({db}));
  const auto findings = run.Run("model-index-not-in-database");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].message,
            "index ix_t_a_b on t(a, b) is declared in the models but the database has no index on these keys");
  EXPECT_EQ(findings[0].subject, Subject("t", {"a", "b"}, "ix_t_a_b"));
  EXPECT_EQ(findings[0].fix->sql, "CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_t_a_b ON public.t (a, b);");
  const auto reverse = run.Run("model-index-not-in-models");
  ASSERT_EQ(reverse.size(), 1u);
  EXPECT_EQ(reverse[0].message,
            "index t_lower_b on t(lower(b)) exists in the database but the models declare no index on these keys");
  EXPECT_EQ(reverse[0].subject, Subject("t", {"lower(b)"}, "t_lower_b"));
}

// --- Defaults and enums ---------------------------------------------------------------------

TEST(ModelServerDefaultMismatch, MissingAndDifferentDefaults) {
  auto status = Col("status", "text");
  status.server_default = "'active'";
  auto score = Col("score", "integer");
  score.server_default = "0";
  auto db_status = Col("status", "text");
  db_status.server_default = "'pending'::text";
  auto db_flag = Col("flag", "boolean");
  db_flag.server_default = "false";
  RuleRun run(Models({MakeTable("t", {status, score, Col("flag", "boolean")})}),
              Database({MakeTable("t", {db_status, Col("score", "integer"), db_flag})}));
  const auto findings = run.Run("model-server-default-mismatch");
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].message,
            "column t.status has server_default 'active' in the models but DEFAULT 'pending'::text in the database");
  EXPECT_EQ(findings[1].message, "column t.score has server_default 0 in the models but no default in the database");
  EXPECT_EQ(findings[1].fix->sql, "ALTER TABLE public.t ALTER COLUMN score SET DEFAULT 0;");
  EXPECT_EQ(findings[1].subject, Subject("t", {"score"}));
}

TEST(ModelEnumMismatch, MissingAndDifferentLabels) {
  ir::Catalog models = Models({});
  models.enums = {{"public", "mood", {"happy", "sad"}, testing::ModelAt("models.py", 3)},
                  {"public", "status", {"new", "open", "done"}, testing::ModelAt("models.py", 9)},
                  {"public", "size", {"small", "large"}, {}}};
  ir::Catalog database = Database({});
  database.enums = {{"public", "status", {"new", "done"}, testing::DbObject("public.status")},
                    {"public", "size", {"large", "small"}, testing::DbObject("public.size")}};
  RuleRun run(std::move(models), std::move(database));
  const auto findings = run.Run("model-enum-mismatch");
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_EQ(findings[0].message,
            "enum type public.mood ('happy', 'sad') is used by the models but does not exist in the database");
  EXPECT_EQ(findings[0].fix->sql, "CREATE TYPE public.mood AS ENUM ('happy', 'sad');");
  EXPECT_EQ(findings[0].subject, (ir::Subject{"public", "", {}, "mood"}));
  EXPECT_EQ(findings[0].location.line, 3u);
  // Sorted by name: size before status.
  EXPECT_EQ(findings[1].message,
            "enum type public.size has labels ('small', 'large') in the models but ('large', 'small') in the database");
  EXPECT_TRUE(findings[1].fix->sql.empty());
  EXPECT_EQ(findings[1].location.object, "schema.sql#public.size");
  EXPECT_EQ(findings[2].fix->sql, "ALTER TYPE public.status ADD VALUE IF NOT EXISTS 'open' AFTER 'new';");
}

// --- Diagnostics ----------------------------------------------------------------------------

TEST(DiagnosticRules, TurnTheirDiagnosticsIntoFindings) {
  Facts facts;
  ir::Diagnostic syntax{ir::kRulePythonSyntaxError, ir::Severity::kWarning, "invalid syntax",
                        testing::ModelAt("app/models.py", 12), false};
  ir::Diagnostic syntax_again = syntax;
  syntax_again.location.line = 30;
  ir::Diagnostic unreadable{ir::kRuleFileUnreadable, ir::Severity::kError, "binary file (NUL bytes)",
                            testing::ModelAt("models/blob.py", 0), true};
  ir::Diagnostic sql{ir::kRuleSqlNotParsed, ir::Severity::kWarning, "syntax error at or near \"JSON_TABLE\"",
                     testing::ModelAt("schema.sql", 40), true};
  ir::Diagnostic construct{ir::kRuleModelUnreadable, ir::Severity::kNote, "dynamic __tablename__",
                           testing::ModelAt("app/models.py", 5), false};
  ir::Diagnostic privilege{"schema-object-not-readable", ir::Severity::kNote, "permission denied for table secrets",
                           testing::DbObject("public.secrets"), false};
  facts.diagnostics = {syntax, unreadable, sql, construct, privilege, syntax_again};

  const auto syntax_findings = RuleRun::RunOn("input-python-syntax-error", facts);
  ASSERT_EQ(syntax_findings.size(), 2u);
  EXPECT_EQ(syntax_findings[0].message, "invalid syntax");
  EXPECT_EQ(syntax_findings[0].location, syntax.location);
  EXPECT_FALSE(syntax_findings[0].incomplete);
  // Same file, same message: still two findings with distinct fingerprints.
  EXPECT_NE(syntax_findings[0].fingerprint, syntax_findings[1].fingerprint);

  const auto unreadable_findings = RuleRun::RunOn("input-file-unreadable", facts);
  ASSERT_EQ(unreadable_findings.size(), 1u);
  EXPECT_TRUE(unreadable_findings[0].incomplete);
  EXPECT_EQ(unreadable_findings[0].location.file, "models/blob.py");

  const auto sql_findings = RuleRun::RunOn("input-sql-not-parsed", facts);
  ASSERT_EQ(sql_findings.size(), 1u);
  EXPECT_TRUE(sql_findings[0].incomplete);
  EXPECT_EQ(RuleRun::RunOn("model-unreadable-construct", facts).size(), 1u);
  const auto privilege_findings = RuleRun::RunOn("schema-object-not-readable", facts);
  ASSERT_EQ(privilege_findings.size(), 1u);
  EXPECT_EQ(privilege_findings[0].location.object, "schema.sql#public.secrets");
  EXPECT_EQ(privilege_findings[0].message, "permission denied for table secrets");
}

}  // namespace
}  // namespace dbaudit::rules

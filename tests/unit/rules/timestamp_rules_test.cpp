#include <optional>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "rules/rule.hpp"
#include "rules/timestamp/timestamp_support.hpp"
#include "tests/unit/rules/catalog_builders.hpp"

namespace dbaudit::rules {
namespace {

using testing::Col;
using testing::Database;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::MakeTable;
using testing::Models;
using ::testing::Not;
using ::testing::SizeIs;

// --- Builders --------------------------------------------------------------------------------

ir::Column WithDefault(ir::Column column, const std::string& expression) {
  column.server_default = expression;
  return column;
}

ir::Column WithPythonDefault(ir::Column column, const std::string& expression) {
  column.python_default = expression;
  return column;
}

ir::Column WithOnupdate(ir::Column column, const std::string& expression) {
  column.python_onupdate = expression;
  return column;
}

ir::Column WithServerOnupdate(ir::Column column, const std::string& expression = "FetchedValue()") {
  column.server_onupdate = expression;
  return column;
}

ir::Trigger Trig(const std::string& name, const std::string& function, const std::string& timing,
                 std::vector<std::string> events, bool for_each_row = true) {
  ir::Trigger trigger;
  trigger.name = name;
  trigger.timing = timing;
  trigger.events = std::move(events);
  trigger.for_each_row = for_each_row;
  trigger.function_schema = "public";
  trigger.function_name = function;
  trigger.location = testing::DbObject("public.trigger." + name);
  return trigger;
}

ir::Table WithTriggers(ir::Table table, std::vector<ir::Trigger> triggers) {
  table.triggers = std::move(triggers);
  return table;
}

// A PL/pgSQL trigger function as ReadFunctionBodies leaves it: `assigned` nullopt means the
// body was not read.
ir::Function TriggerFunction(const std::string& name, std::optional<std::vector<std::string>> assigned,
                             const std::string& note = "") {
  ir::Function function;
  function.schema = "public";
  function.name = name;
  function.language = "plpgsql";
  function.returns = "trigger";
  function.assigned_new_columns = std::move(assigned);
  function.body_note = note;
  return function;
}

const std::string kTz = "timestamp with time zone";
const std::string kNoTz = "timestamp without time zone";

class TimestampRun {
 public:
  TimestampRun(ir::Catalog models, ir::Catalog database, std::vector<ir::Function> functions = {},
               TimestampPolicy policy = {})
      : models_(std::move(models)), database_(std::move(database)) {
    database_.functions = std::move(functions);
    diff_ = CompareCatalogs(models_, database_, {});
    facts_.models = &models_;
    facts_.schema = &database_;
    facts_.model_diff = &diff_;
    facts_.timestamps = std::move(policy);
  }

  std::vector<ir::Finding> Run(const std::string& rule_id) const {
    for (const auto& rule : MakeAllRules()) {
      if (rule->Info().id != rule_id) continue;
      FindingSink sink;
      rule->Check(facts_, sink);
      for (const auto& finding : sink.findings()) {
        EXPECT_EQ(finding.rule_id, rule_id);
        EXPECT_EQ(finding.severity, rule->Info().default_severity);
      }
      return sink.findings();
    }
    ADD_FAILURE() << "no rule " << rule_id;
    return {};
  }

  Facts& facts() { return facts_; }

 private:
  ir::Catalog models_;
  ir::Catalog database_;
  CatalogDiff diff_;
  Facts facts_;
};

ir::Subject SubjectOf(const std::string& table, const std::string& column) {
  return {"public", table, {column}, {}};
}

std::vector<std::string> Columns(const std::vector<ir::Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& finding : findings) {
    out.push_back(finding.subject.table + "." + (finding.subject.columns.empty() ? "" : finding.subject.columns[0]));
  }
  return out;
}

constexpr const char* kCreated = "timestamp-created-at-without-database-default";
constexpr const char* kOnupdate = "timestamp-onupdate-without-trigger";
constexpr const char* kBoth = "timestamp-trigger-and-onupdate";
constexpr const char* kNoTimeZone = "timestamp-without-time-zone";

// --- Current-time defaults -------------------------------------------------------------------

TEST(IsCurrentTimeExpression, RecognisesEverySpellingOfNow) {
  for (const std::string expression :
       {"now()", "NOW()", "CURRENT_TIMESTAMP", "current_timestamp(3)", "LOCALTIMESTAMP", "clock_timestamp()",
        "statement_timestamp()", "transaction_timestamp()", "pg_catalog.now()", "(now())::timestamp without time zone",
        "timezone('utc'::text, now())", "timezone('UTC', CURRENT_TIMESTAMP)", "now() AT TIME ZONE 'utc'",
        "(now() AT TIME ZONE 'UTC'::text)", "('now'::text)::timestamp(6) with time zone",
        "date_trunc('second'::text, now())", " now ( ) "}) {
    EXPECT_TRUE(timestamp::IsCurrentTimeExpression(expression)) << expression;
  }
}

TEST(IsCurrentTimeExpression, RejectsConstantsAndOtherExpressions) {
  for (const std::string expression :
       {"", "'2020-01-01 00:00:00'::timestamp without time zone", "'epoch'::timestamp with time zone", "NULL",
        "now() + '1 day'::interval", "timezone(zone_column, now())", "now", "nowish()", "'now()'", "CURRENT_DATE",
        "date_trunc('day'::text, updated_at)"}) {
    EXPECT_FALSE(timestamp::IsCurrentTimeExpression(expression)) << expression;
  }
}

// --- timestamp-created-at-without-database-default ---------------------------------------------

TEST(CreatedAtWithoutDatabaseDefault, PythonOnlyDefaultFiresAtTheModelWithTheFix) {
  TimestampRun run(Models({MakeTable("orders", {Col("id", "integer"),
                                                WithPythonDefault(Col("created_at", kTz), "datetime.utcnow")})}),
                   Database({MakeTable("orders", {Col("id", "integer"), Col("created_at", kTz, true)})}));
  const auto findings = run.Run(kCreated);
  ASSERT_THAT(findings, SizeIs(1));
  const ir::Finding& finding = findings[0];
  EXPECT_EQ(finding.subject, SubjectOf("orders", "created_at"));
  EXPECT_THAT(finding.message, HasSubstr("orders.created_at has no default in the database"));
  EXPECT_THAT(finding.message, HasSubstr("only in Python (default=datetime.utcnow)"));
  EXPECT_THAT(finding.message, HasSubstr("rows inserted outside the ORM get NULL"));
  EXPECT_THAT(finding.message, HasSubstr("timestamps.created-at"));
  EXPECT_EQ(finding.location.file, "models.py");
  ASSERT_THAT(finding.related, SizeIs(1));
  EXPECT_EQ(finding.related[0].location.object, "schema.sql#public.orders.created_at");
  ASSERT_TRUE(finding.fix.has_value());
  EXPECT_EQ(finding.fix->sql, "ALTER TABLE public.orders ALTER COLUMN created_at SET DEFAULT now();");
  EXPECT_EQ(finding.fix->edit, "server_default=func.now()");
  EXPECT_EQ(finding.fix->edit_location, finding.location);
}

TEST(CreatedAtWithoutDatabaseDefault, NotNullColumnSaysInsertsFail) {
  TimestampRun run(Models({MakeTable("orders", {Col("created_at", kTz)})}),
                   Database({MakeTable("orders", {Col("created_at", kTz, false)})}));
  const auto findings = run.Run(kCreated);
  ASSERT_THAT(findings, SizeIs(1));
  EXPECT_THAT(findings[0].message, HasSubstr("fail (the column is NOT NULL)"));
  EXPECT_THAT(findings[0].message, HasSubstr("the model sets no default either"));
}

TEST(CreatedAtWithoutDatabaseDefault, CurrentTimeDefaultsDoNotFire) {
  TimestampRun run(Models({MakeTable("a", {Col("created_at", kTz)}), MakeTable("b", {Col("created_at", kNoTz)}),
                           MakeTable("c", {Col("created_on", kTz)})}),
                   Database({MakeTable("a", {WithDefault(Col("created_at", kTz), "now()")}),
                             MakeTable("b", {WithDefault(Col("created_at", kNoTz), "timezone('utc'::text, now())")}),
                             MakeTable("c", {WithDefault(Col("created_on", kTz), "CURRENT_TIMESTAMP")})}));
  EXPECT_THAT(run.Run(kCreated), IsEmpty());
}

TEST(CreatedAtWithoutDatabaseDefault, ServerDefaultTheDatabaseLacksIsLeftToTheMismatchRule) {
  TimestampRun run(Models({MakeTable("orders", {WithDefault(Col("created_at", kTz), "now()")})}),
                   Database({MakeTable("orders", {Col("created_at", kTz)})}));
  EXPECT_THAT(run.Run(kCreated), IsEmpty());
  EXPECT_THAT(run.Run("model-server-default-mismatch"), SizeIs(1));
}

TEST(CreatedAtWithoutDatabaseDefault, ConstantDefaultFiresEvenWhenTheModelAgrees) {
  const std::string epoch = "'1970-01-01 00:00:00+00'::timestamp with time zone";
  TimestampRun run(Models({MakeTable("orders", {WithDefault(Col("created_at", kTz), epoch)})}),
                   Database({MakeTable("orders", {WithDefault(Col("created_at", kTz), epoch)})}));
  const auto findings = run.Run(kCreated);
  ASSERT_THAT(findings, SizeIs(1));
  EXPECT_THAT(findings[0].message, HasSubstr("not the time of the insert"));
  EXPECT_THAT(findings[0].message, HasSubstr("the model agrees"));
}

TEST(CreatedAtWithoutDatabaseDefault, DatabaseOnlyTableFiresAtTheDatabase) {
  TimestampRun run(Models({MakeTable("orders", {Col("id", "integer")})}),
                   Database({MakeTable("orders", {Col("id", "integer")}),
                             MakeTable("audit_log", {Col("id", "integer"), Col("Created_At", kTz)})}));
  const auto findings = run.Run(kCreated);
  ASSERT_THAT(findings, SizeIs(1));
  EXPECT_EQ(findings[0].subject, SubjectOf("audit_log", "Created_At"));
  EXPECT_EQ(findings[0].location.object, "schema.sql#public.audit_log.Created_At");
  EXPECT_THAT(findings[0].related, IsEmpty());
  EXPECT_THAT(findings[0].message, HasSubstr("no model maps the table"));
  EXPECT_EQ(findings[0].fix->sql, "ALTER TABLE public.audit_log ALTER COLUMN \"Created_At\" SET DEFAULT now();");
  EXPECT_TRUE(findings[0].fix->edit.empty());
}

TEST(CreatedAtWithoutDatabaseDefault, InsertTriggerSettingTheColumnOrUnknownDoesNotFire) {
  TimestampRun run(Models({MakeTable("a", {Col("created_at", kTz)}), MakeTable("b", {Col("created_at", kTz)}),
                           MakeTable("c", {Col("created_at", kTz)})}),
                   Database({WithTriggers(MakeTable("a", {Col("created_at", kTz)}),
                                          {Trig("a_stamp", "misc_helper", "BEFORE", {"INSERT"})}),
                             WithTriggers(MakeTable("b", {Col("created_at", kTz)}),
                                          {Trig("b_stamp", "unreadable", "BEFORE", {"INSERT", "UPDATE"})}),
                             // Sets the column, but only on UPDATE: inserts still get no value.
                             WithTriggers(MakeTable("c", {Col("created_at", kTz)}),
                                          {Trig("c_stamp", "misc_helper", "BEFORE", {"UPDATE"})})}),
                   {TriggerFunction("misc_helper", std::vector<std::string>{"created_at"}),
                    TriggerFunction("unreadable", std::nullopt, "the body does not parse")});
  EXPECT_THAT(Columns(run.Run(kCreated)), ::testing::ElementsAre("c.created_at"));
}

TEST(CreatedAtWithoutDatabaseDefault, PolicyNamesAreCaseInsensitiveAndNonTemporalColumnsAreOutside) {
  TimestampPolicy policy;
  policy.created_columns = {"inserted"};
  TimestampRun run(Models({MakeTable("a", {Col("Inserted", kTz), Col("created_at", kTz)}),
                           MakeTable("b", {Col("inserted", "bigint")})}),
                   Database({MakeTable("a", {Col("Inserted", kTz), Col("created_at", kTz)}),
                             MakeTable("b", {Col("inserted", "bigint")})}),
                   {}, policy);
  EXPECT_THAT(Columns(run.Run(kCreated)), ::testing::ElementsAre("a.Inserted"));
}

TEST(TimestampRules, SayNothingWithoutBothSides) {
  ir::Catalog database = Database({MakeTable("orders", {Col("created_at", kNoTz)})});
  Facts facts;
  facts.schema = &database;
  for (const auto& rule : MakeAllRules()) {
    if (rule->Info().id.rfind("timestamp-", 0) != 0) continue;
    FindingSink sink;
    rule->Check(facts, sink);
    EXPECT_THAT(sink.findings(), IsEmpty()) << rule->Info().id;
  }
}

// --- timestamp-onupdate-without-trigger --------------------------------------------------------

TEST(OnupdateWithoutTrigger, ServerOnupdateWithNoTriggerSaysTheModelIsLying) {
  TimestampRun run(Models({MakeTable("orders", {WithServerOnupdate(Col("updated_at", kTz))})}),
                   Database({MakeTable("orders", {Col("updated_at", kTz)})}));
  const auto findings = run.Run(kOnupdate);
  ASSERT_THAT(findings, SizeIs(1));
  const ir::Finding& finding = findings[0];
  EXPECT_EQ(finding.subject, SubjectOf("orders", "updated_at"));
  EXPECT_THAT(finding.message, HasSubstr("server_onupdate=FetchedValue() on orders.updated_at"));
  EXPECT_THAT(finding.message, HasSubstr("the model is lying"));
  EXPECT_EQ(finding.location.file, "models.py");
  ASSERT_THAT(finding.related, SizeIs(1));
  EXPECT_EQ(finding.related[0].location.object, "schema.sql#public.orders");
  ASSERT_TRUE(finding.fix.has_value());
  EXPECT_THAT(finding.fix->description, HasSubstr("timestamps.trigger-function = dbaudit_set_updated_at"));
  EXPECT_THAT(finding.fix->description, HasSubstr("drop server_onupdate"));
  EXPECT_TRUE(finding.fix->sql.empty());
}

TEST(OnupdateWithoutTrigger, PythonOnlyOnupdateOfAPolicyColumnSaysTheDatabaseSideIsMissing) {
  TimestampRun run(Models({MakeTable("orders", {WithOnupdate(Col("updated_at", kTz), "datetime.utcnow"),
                                                WithOnupdate(Col("version", "integer"), "bump")})}),
                   Database({MakeTable("orders", {Col("updated_at", kTz), Col("version", "integer")})}));
  const auto findings = run.Run(kOnupdate);
  ASSERT_THAT(findings, SizeIs(1));  // `version` is no policy column
  EXPECT_EQ(findings[0].subject, SubjectOf("orders", "updated_at"));
  EXPECT_THAT(findings[0].message, HasSubstr("only by the application (onupdate=datetime.utcnow)"));
  EXPECT_THAT(findings[0].message, HasSubstr("the database side is missing"));
  EXPECT_THAT(findings[0].message, HasSubstr("timestamps.updated-at"));
}

TEST(OnupdateWithoutTrigger, TriggerFoundByItsBodyNotItsName) {
  // "audit_helper" sets updated_at; "set_updated_at" (a promising name) sets something else.
  TimestampRun run(Models({MakeTable("good", {WithServerOnupdate(Col("updated_at", kTz))}),
                           MakeTable("bad", {WithServerOnupdate(Col("updated_at", kTz))})}),
                   Database({WithTriggers(MakeTable("good", {Col("updated_at", kTz)}),
                                          {Trig("zz_misc", "audit_helper", "BEFORE", {"UPDATE"})}),
                             WithTriggers(MakeTable("bad", {Col("updated_at", kTz)}),
                                          {Trig("set_updated_at", "set_updated_at", "BEFORE", {"INSERT", "UPDATE"})})}),
                   {TriggerFunction("audit_helper", std::vector<std::string>{"changed_by", "updated_at"}),
                    TriggerFunction("set_updated_at", std::vector<std::string>{"modified_at"})});
  EXPECT_THAT(Columns(run.Run(kOnupdate)), ::testing::ElementsAre("bad.updated_at"));
}

TEST(OnupdateWithoutTrigger, AfterOrStatementTriggersCannotSetTheColumn) {
  TimestampRun run(
      Models({MakeTable("a", {WithServerOnupdate(Col("updated_at", kTz))}),
              MakeTable("b", {WithServerOnupdate(Col("updated_at", kTz))})}),
      Database({WithTriggers(MakeTable("a", {Col("updated_at", kTz)}), {Trig("a_t", "touch", "AFTER", {"UPDATE"})}),
                WithTriggers(MakeTable("b", {Col("updated_at", kTz)}),
                             {Trig("b_t", "touch", "BEFORE", {"UPDATE"}, /*for_each_row=*/false)})}),
      {TriggerFunction("touch", std::vector<std::string>{"updated_at"})});
  const auto findings = run.Run(kOnupdate);
  ASSERT_THAT(findings, SizeIs(2));
  for (const auto& finding : findings) {
    ASSERT_THAT(finding.related, SizeIs(2)) << finding.message;
    EXPECT_EQ(finding.related[1].message, "this trigger cannot set it");
  }
  EXPECT_THAT(findings[0].message,
              HasSubstr("trigger a_t (function public.touch) assigns NEW.updated_at but runs AFTER"));
  EXPECT_THAT(findings[1].message, HasSubstr("runs FOR EACH STATEMENT"));
}

TEST(OnupdateWithoutTrigger, UnknownTriggerBodiesAndMissingFunctionsMakeNoFinding) {
  TimestampRun run(
      Models({MakeTable("a", {WithServerOnupdate(Col("updated_at", kTz))}),
              MakeTable("b", {WithOnupdate(Col("updated_at", kTz), "datetime.utcnow")})}),
      Database(
          {WithTriggers(MakeTable("a", {Col("updated_at", kTz)}), {Trig("a_t", "whole_record", "BEFORE", {"UPDATE"})}),
           // moddatetime is a C function from contrib: not in the functions list here.
           WithTriggers(MakeTable("b", {Col("updated_at", kTz)}), {Trig("b_t", "moddatetime", "BEFORE", {"UPDATE"})})}),
      {TriggerFunction("whole_record", std::nullopt, "line 3 assigns the whole NEW record")});
  EXPECT_THAT(run.Run(kOnupdate), IsEmpty());
}

TEST(OnupdateWithoutTrigger, ContribModdatetimeSetsTheColumnItsArgumentNames) {
  auto moddatetime = [](const std::string& name, const std::string& argument) {
    ir::Trigger trigger = Trig(name, "moddatetime", "BEFORE", {"UPDATE"});
    trigger.arguments = {argument};
    return trigger;
  };
  TimestampRun run(
      Models({MakeTable("a", {WithServerOnupdate(Col("updated_at", kTz))}),
              MakeTable("b", {WithServerOnupdate(Col("updated_at", kTz))}),
              MakeTable("c", {WithOnupdate(Col("updated_at", kTz), "func.now()")})}),
      Database({WithTriggers(MakeTable("a", {Col("updated_at", kTz)}), {moddatetime("a_t", "updated_at")}),
                // It names another column: nothing sets updated_at.
                WithTriggers(MakeTable("b", {Col("updated_at", kTz), Col("changed_at", kTz)}),
                             {moddatetime("b_t", "changed_at")}),
                WithTriggers(MakeTable("c", {Col("updated_at", kTz)}), {moddatetime("c_t", "updated_at")})}));
  EXPECT_THAT(Columns(run.Run(kOnupdate)), ::testing::ElementsAre("b.updated_at"));
  EXPECT_THAT(Columns(run.Run(kBoth)), ::testing::ElementsAre("c.updated_at"));
}

TEST(OnupdateWithoutTrigger, APlpgsqlFunctionNamedModdatetimeIsReadByItsBody) {
  ir::Trigger trigger = Trig("a_t", "moddatetime", "BEFORE", {"UPDATE"});
  trigger.arguments = {"updated_at"};
  TimestampRun run(Models({MakeTable("a", {WithServerOnupdate(Col("updated_at", kTz))})}),
                   Database({WithTriggers(MakeTable("a", {Col("updated_at", kTz)}), {trigger})}),
                   {TriggerFunction("moddatetime", std::vector<std::string>{"other"})});
  EXPECT_THAT(Columns(run.Run(kOnupdate)), ::testing::ElementsAre("a.updated_at"));
}

TEST(OnupdateWithoutTrigger, ModelColumnTheDatabaseLacksIsLeftToTheColumnRule) {
  TimestampRun run(Models({MakeTable("orders", {Col("id", "integer"), WithServerOnupdate(Col("updated_at", kTz))})}),
                   Database({MakeTable("orders", {Col("id", "integer")})}));
  EXPECT_THAT(run.Run(kOnupdate), IsEmpty());
}

// --- timestamp-trigger-and-onupdate ------------------------------------------------------------

TEST(TriggerAndOnupdate, PythonOnupdateWithASettingTriggerFires) {
  TimestampRun run(Models({MakeTable("orders", {WithOnupdate(Col("updated_at", kTz), "func.now()")})}),
                   Database({WithTriggers(MakeTable("orders", {Col("updated_at", kTz)}),
                                          {Trig("orders_touch", "stamp", "BEFORE", {"UPDATE"})})}),
                   {TriggerFunction("stamp", std::vector<std::string>{"updated_at"})});
  const auto findings = run.Run(kBoth);
  ASSERT_THAT(findings, SizeIs(1));
  const ir::Finding& finding = findings[0];
  EXPECT_EQ(finding.subject, SubjectOf("orders", "updated_at"));
  EXPECT_THAT(finding.message, HasSubstr("trigger orders_touch (function public.stamp)"));
  EXPECT_THAT(finding.message, HasSubstr("onupdate=func.now()"));
  ASSERT_THAT(finding.related, SizeIs(1));
  EXPECT_EQ(finding.related[0].location.object, "schema.sql#public.trigger.orders_touch");
  EXPECT_EQ(finding.fix->edit, "server_onupdate=FetchedValue()");
  // Both facts hold, so the other rule stays silent.
  EXPECT_THAT(run.Run(kOnupdate), IsEmpty());
}

TEST(TriggerAndOnupdate, FetchedValueWithATriggerIsTheCorrectSetup) {
  TimestampRun run(Models({MakeTable("orders", {WithServerOnupdate(Col("updated_at", kTz))})}),
                   Database({WithTriggers(MakeTable("orders", {Col("updated_at", kTz)}),
                                          {Trig("orders_touch", "stamp", "BEFORE", {"UPDATE"})})}),
                   {TriggerFunction("stamp", std::vector<std::string>{"updated_at"})});
  EXPECT_THAT(run.Run(kBoth), IsEmpty());
  EXPECT_THAT(run.Run(kOnupdate), IsEmpty());
}

TEST(TriggerAndOnupdate, TriggersThatDoNotSetTheColumnDoNotFire) {
  TimestampRun run(
      Models({MakeTable("a", {WithOnupdate(Col("updated_at", kTz), "func.now()")}),
              MakeTable("b", {WithOnupdate(Col("updated_at", kTz), "func.now()")})}),
      Database({WithTriggers(MakeTable("a", {Col("updated_at", kTz)}), {Trig("a_t", "stamp", "AFTER", {"UPDATE"})}),
                WithTriggers(MakeTable("b", {Col("updated_at", kTz)}), {Trig("b_t", "other", "BEFORE", {"UPDATE"})})}),
      {TriggerFunction("stamp", std::vector<std::string>{"updated_at"}),
       TriggerFunction("other", std::vector<std::string>{"version"})});
  EXPECT_THAT(run.Run(kBoth), IsEmpty());
}

// --- timestamp-without-time-zone ---------------------------------------------------------------

TEST(WithoutTimeZone, PolicyColumnsWithoutTimeZoneInTheDatabaseFire) {
  TimestampRun run(
      Models({MakeTable("orders", {Col("created_at", kNoTz), Col("updated_at", kTz), Col("shipped_at", kNoTz)})}),
      Database({MakeTable("orders", {Col("created_at", kNoTz), Col("updated_at", "timestamp(3) without time zone"),
                                     Col("shipped_at", kNoTz)})}));
  const auto findings = run.Run(kNoTimeZone);
  // The database's type is the truth (updated_at); shipped_at is no policy column.
  EXPECT_THAT(Columns(findings), ::testing::ElementsAre("orders.created_at", "orders.updated_at"));
  ASSERT_THAT(findings, SizeIs(2));
  EXPECT_THAT(findings[0].message, HasSubstr("timestamps.created-at"));
  EXPECT_THAT(findings[1].message, HasSubstr("timestamp(3) without time zone in the database"));
  EXPECT_THAT(findings[1].message, HasSubstr("timestamps.updated-at"));
  EXPECT_EQ(findings[0].fix->sql,
            "ALTER TABLE public.orders ALTER COLUMN created_at TYPE timestamp with time zone USING created_at AT "
            "TIME ZONE 'UTC';");
  EXPECT_EQ(findings[0].fix->edit, "DateTime(timezone=True)");
}

TEST(WithoutTimeZone, ModelTypeCountsOnlyWhenTheDatabaseLacksTheColumn) {
  TimestampRun run(
      Models({MakeTable("orders", {Col("id", "integer"), Col("created_at", kNoTz)}),
              MakeTable("carts", {Col("created_at", kNoTz)})}),
      Database({MakeTable("orders", {Col("id", "integer")}), MakeTable("carts", {Col("created_at", kTz)})}));
  const auto findings = run.Run(kNoTimeZone);
  ASSERT_THAT(findings, SizeIs(1));
  EXPECT_EQ(findings[0].subject, SubjectOf("orders", "created_at"));
  EXPECT_THAT(findings[0].message, HasSubstr("in the model (the database lacks the column)"));
  EXPECT_TRUE(findings[0].fix->sql.empty());
}

TEST(WithoutTimeZone, PolicyCanTurnItOff) {
  TimestampPolicy policy;
  policy.require_time_zone = false;
  TimestampRun run(Models({MakeTable("orders", {Col("created_at", kNoTz)})}),
                   Database({MakeTable("orders", {Col("created_at", kNoTz)})}), {}, policy);
  EXPECT_THAT(run.Run(kNoTimeZone), IsEmpty());
  run.facts().timestamps.require_time_zone = true;
  EXPECT_THAT(run.Run(kNoTimeZone), SizeIs(1));
}

}  // namespace
}  // namespace dbaudit::rules

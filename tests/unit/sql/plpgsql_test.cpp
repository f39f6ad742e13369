#include "analyzer/sql/plpgsql.hpp"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace dbaudit::sql {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::vector<std::string> Columns(const std::string& body) {
  const BodyReading reading = ReadTriggerBody(body);
  EXPECT_TRUE(reading.assigned_new_columns.has_value()) << reading.note;
  EXPECT_TRUE(reading.note.empty()) << reading.note;
  return reading.assigned_new_columns.value_or(std::vector<std::string>{"<not read>"});
}

TEST(ReadTriggerBody, PlainAssignmentsBothOperatorsAndCase) {
  EXPECT_THAT(Columns(R"(
BEGIN
  NEW.updated_at := now();
  new.Modified_By = current_user;
  NEW."Audit Stamp" := clock_timestamp();
  RETURN NEW;
END;
)"),
              ElementsAre("Audit Stamp", "modified_by", "updated_at"));
}

TEST(ReadTriggerBody, NestedIfElsifElse) {
  EXPECT_THAT(Columns(R"(
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW.status IS DISTINCT FROM OLD.status THEN
      NEW.status_changed_at := now();
    END IF;
  ELSIF TG_OP = 'INSERT' THEN
    NEW.created_at := now();
  ELSE
    NEW.touched := true;
  END IF;
  RETURN NEW;
END
)"),
              ElementsAre("created_at", "status_changed_at", "touched"));
}

TEST(ReadTriggerBody, CaseStatementBothForms) {
  EXPECT_THAT(Columns(R"(
BEGIN
  CASE TG_OP
    WHEN 'INSERT' THEN NEW.created_at := now();
    ELSE NEW.updated_at := now();
  END CASE;
  CASE WHEN NEW.price > 0 THEN NEW.priced := true; END CASE;
  RETURN NEW;
END
)"),
              ElementsAre("created_at", "priced", "updated_at"));
}

TEST(ReadTriggerBody, EveryKindOfLoop) {
  EXPECT_THAT(Columns(R"(
DECLARE
  i int;
  r record;
BEGIN
  FOR i IN 1..3 LOOP NEW.in_fori := i; END LOOP;
  WHILE false LOOP NEW.in_while := 1; END LOOP;
  LOOP NEW.in_loop := 1; EXIT; END LOOP;
  FOREACH i IN ARRAY ARRAY[1, 2] LOOP NEW.in_foreach := i; END LOOP;
  FOR r IN SELECT 1 AS x LOOP NEW.in_fors := r.x; END LOOP;
  RETURN NEW;
END
)"),
              ElementsAre("in_foreach", "in_fori", "in_fors", "in_loop", "in_while"));
}

TEST(ReadTriggerBody, NestedBlocksAndExceptionHandlers) {
  EXPECT_THAT(Columns(R"(
<<outer>>
BEGIN
  BEGIN
    DECLARE x int;
    BEGIN
      NEW.deep := 1;
    END;
  EXCEPTION
    WHEN unique_violation THEN NEW.on_conflict := 1;
    WHEN others THEN NEW.on_error := 1;
  END;
  RETURN NEW;
END outer
)"),
              ElementsAre("deep", "on_conflict", "on_error"));
}

TEST(ReadTriggerBody, IntoTargetsAndAliases) {
  EXPECT_THAT(Columns(R"(
DECLARE
  fresh ALIAS FOR NEW;
  n int;
BEGIN
  SELECT now() INTO NEW.selected_into;
  EXECUTE 'SELECT now()' INTO NEW.executed_into;
  fresh.via_alias := now();
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN NEW;
END
)"),
              ElementsAre("executed_into", "selected_into", "via_alias"));
}

TEST(ReadTriggerBody, OldLocalsAndReadsAreNotAssignmentsOfNew) {
  // Reading NEW, assigning OLD or a local variable, and mentioning a column in a string or a
  // comment set nothing; neither do the function's or the trigger's names.
  EXPECT_THAT(Columns(R"(
DECLARE
  stamp timestamptz;
BEGIN
  -- NEW.updated_at := now();
  OLD.updated_at := now();
  stamp := NEW.updated_at;
  PERFORM pg_notify('x', 'NEW.updated_at := now()');
  RETURN NEW;
END
)"),
              IsEmpty());
}

TEST(ReadTriggerBody, WholeRecordAssignmentIsUnknownWithItsLine) {
  const BodyReading reading = ReadTriggerBody(R"(
BEGIN
  NEW.updated_at := now();
  NEW := jsonb_populate_record(NEW, '{}'::jsonb);
  RETURN NEW;
END
)");
  EXPECT_FALSE(reading.assigned_new_columns.has_value());
  EXPECT_THAT(reading.note, HasSubstr("line 4 assigns the whole NEW record"));
  EXPECT_THAT(reading.note, HasSubstr("NEW := jsonb_populate_record"));

  const BodyReading select_into = ReadTriggerBody("BEGIN\n  SELECT * INTO NEW FROM t;\n  RETURN NEW;\nEND");
  EXPECT_FALSE(select_into.assigned_new_columns.has_value());
  EXPECT_THAT(select_into.note, HasSubstr("line 2 assigns the whole NEW record"));
}

TEST(ReadTriggerBody, UnparsableBodyIsUnknownWithTheLineInsideTheBody) {
  const BodyReading reading = ReadTriggerBody("\nBEGIN\n  NEW.updated_at := now();\n  IF THEN\n  RETURN NEW;\nEND\n");
  EXPECT_FALSE(reading.assigned_new_columns.has_value());
  EXPECT_THAT(reading.note, HasSubstr("does not parse"));
  EXPECT_THAT(reading.note, HasSubstr("\"THEN\""));
  // PostgreSQL's own "near line" of the statement being compiled, counted inside the body.
  EXPECT_THAT(reading.note, HasSubstr("near line 3 of the body"));
}

TEST(ReadTriggerBody, BodiesThatAreNotPlpgsqlAtAllNeverCrash) {
  for (const std::string& body : std::vector<std::string>{
           "", " ", "garbage", "BEGIN", "END;", "$$", "$dbaudit$", "BEGIN RETURN NEW; END; $x$ trailing",
           "BEGIN NEW.a := ; END", std::string("BEGIN\0END", 9), "\xff\xfe", "BEGIN NEW. := 1; END",
           "BEGIN NEW.a.b := 1; RETURN NEW; END", "BEGIN RETURN NEW; END; BEGIN RETURN NEW; END"}) {
    const BodyReading reading = ReadTriggerBody(body);
    if (!reading.assigned_new_columns) {
      EXPECT_FALSE(reading.note.empty()) << "no reason given for body: " << body;
    }
  }
  EXPECT_FALSE(ReadTriggerBody("").assigned_new_columns.has_value());
  EXPECT_FALSE(ReadTriggerBody("garbage").assigned_new_columns.has_value());
  EXPECT_THAT(ReadTriggerBody(std::string("BEGIN\0END", 9)).note, HasSubstr("NUL"));
}

TEST(ReadTriggerBody, BodyHoldingTheDollarTagIsRequotedSafely) {
  EXPECT_THAT(Columns("BEGIN\n  NEW.note := '$dbaudit$ and $dbaudit1$';\n  RETURN NEW;\nEND"), ElementsAre("note"));
}

TEST(ReadTriggerBody, HugeBodiesAreRead) {
  std::string body = "BEGIN\n";
  for (int i = 0; i < 5000; ++i) body += "  NEW.c" + std::to_string(i % 7) + " := " + std::to_string(i) + ";\n";
  body += "  RETURN NEW;\nEND";
  EXPECT_THAT(Columns(body), ElementsAre("c0", "c1", "c2", "c3", "c4", "c5", "c6"));

  std::string deep = "BEGIN\n";
  for (int i = 0; i < 3000; ++i) deep += "IF true THEN\n";
  deep += "NEW.innermost := 1;\n";
  for (int i = 0; i < 3000; ++i) deep += "END IF;\n";
  deep += "RETURN NEW;\nEND";
  const BodyReading reading = ReadTriggerBody(deep);
  // Either read, or said why not: never a crash, never a silent empty answer.
  if (reading.assigned_new_columns) {
    EXPECT_THAT(*reading.assigned_new_columns, ElementsAre("innermost"));
  } else {
    EXPECT_FALSE(reading.note.empty());
  }
}

ir::Function MakeFunction(const std::string& name, const std::string& language, const std::string& returns,
                          const std::string& body) {
  ir::Function function;
  function.schema = "public";
  function.name = name;
  function.language = language;
  function.returns = returns;
  function.body = body;
  return function;
}

TEST(ReadFunctionBodies, FillsEveryFunctionByLanguageAndReturnType) {
  ir::Catalog catalog;
  catalog.functions.push_back(
      MakeFunction("touch", "plpgsql", "trigger", "BEGIN NEW.updated_at := now(); RETURN NEW; END"));
  catalog.functions.push_back(MakeFunction("broken", "plpgsql", "trigger", "BEGIN IF THEN END"));
  catalog.functions.push_back(MakeFunction("counter", "plpgsql", "integer", "BEGIN RETURN 1; END"));
  catalog.functions.push_back(MakeFunction("plain_sql", "sql", "integer", "SELECT 1"));
  catalog.functions.push_back(MakeFunction("moddatetime", "c", "trigger", "moddatetime"));
  // A stale answer from an earlier read is replaced.
  catalog.functions.back().assigned_new_columns = std::vector<std::string>{"stale"};
  ReadFunctionBodies(catalog);

  EXPECT_THAT(*catalog.functions[0].assigned_new_columns, ElementsAre("updated_at"));
  EXPECT_TRUE(catalog.functions[0].body_note.empty());

  EXPECT_FALSE(catalog.functions[1].assigned_new_columns.has_value());
  EXPECT_THAT(catalog.functions[1].body_note, HasSubstr("does not parse"));

  // Only a function returning trigger has a NEW record.
  ASSERT_TRUE(catalog.functions[2].assigned_new_columns.has_value());
  EXPECT_THAT(*catalog.functions[2].assigned_new_columns, IsEmpty());

  EXPECT_FALSE(catalog.functions[3].assigned_new_columns.has_value());
  EXPECT_THAT(catalog.functions[3].body_note, HasSubstr("written in sql"));
  EXPECT_FALSE(catalog.functions[4].assigned_new_columns.has_value());
  EXPECT_THAT(catalog.functions[4].body_note, HasSubstr("written in c"));
}

TEST(ReadFunctionBodies, AnUnparsableBodyATriggerRunsIsSaidWhereTheFunctionIs) {
  ir::Catalog catalog;
  catalog.functions.push_back(MakeFunction("used", "plpgsql", "trigger", "BEGIN IF THEN END"));
  catalog.functions.back().location.file = "schema.sql";
  catalog.functions.back().location.line = 12;
  catalog.functions.push_back(MakeFunction("unused", "plpgsql", "trigger", "BEGIN IF THEN END"));
  ir::Table table;
  table.schema = "public";
  table.name = "orders";
  ir::Trigger trigger;
  trigger.name = "orders_touch";
  trigger.function_schema = "public";
  trigger.function_name = "used";
  table.triggers.push_back(trigger);
  catalog.tables.push_back(table);
  ReadFunctionBodies(catalog);

  ASSERT_EQ(catalog.diagnostics.size(), 1u);
  const ir::Diagnostic& diagnostic = catalog.diagnostics[0];
  EXPECT_EQ(diagnostic.rule_id, ir::kRuleSqlNotParsed);
  EXPECT_EQ(diagnostic.location.file, "schema.sql");
  EXPECT_EQ(diagnostic.location.line, 12u);
  EXPECT_FALSE(diagnostic.incomplete);
  EXPECT_THAT(diagnostic.message, HasSubstr("public.used"));
  EXPECT_THAT(diagnostic.message, HasSubstr("near line 1 of the body"));
}

}  // namespace
}  // namespace dbaudit::sql

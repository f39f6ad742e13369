// The query- rules on hand-built query sites and analyses: what each reports, where, and
// what it must leave alone. The readers that produce these facts are tested in their own
// areas; the fixtures under tests/rules/query-*/ run the whole pipeline.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "analyzer/ir/query.hpp"
#include "rules/query/query_support.hpp"
#include "rules/rule.hpp"
#include "tests/unit/rules/catalog_builders.hpp"

namespace dbaudit::rules {
namespace {

using testing::Col;
using ::testing::HasSubstr;
using testing::MakeTable;
using ::testing::Not;

std::vector<ir::Finding> RunRule(const std::string& rule_id, const Facts& facts) {
  for (const auto& rule : MakeAllRules()) {
    if (rule->Info().id != rule_id) continue;
    FindingSink sink;
    rule->Check(facts, sink);
    for (const auto& finding : sink.findings()) EXPECT_EQ(finding.severity, rule->Info().default_severity);
    return sink.findings();
  }
  ADD_FAILURE() << "no rule " << rule_id;
  return {};
}

ir::Catalog Schema() {
  ir::Catalog catalog;
  catalog.origin = ir::CatalogOrigin::kDump;
  catalog.source_name = "schema.sql";
  catalog.tables.push_back(MakeTable("users", {Col("id", "integer"), Col("email", "text"), Col("name", "text")}));
  catalog.tables.push_back(MakeTable("orders", {Col("id", "integer"), Col("user_id", "integer")}));
  catalog.Normalize();
  return catalog;
}

// A raw SQL site whose literal starts at line 7, column 20 of routes.py.
ir::QuerySite RawSite(const std::string& sql) {
  ir::QuerySite site;
  site.kind = ir::QueryKind::kRawSql;
  site.api = "text";
  site.location = {.file = "routes.py", .line = 7, .column = 9};
  ir::SqlText text;
  text.text = sql;
  text.spans.push_back({0, static_cast<std::uint32_t>(sql.size()), "routes.py", 7, 20, true});
  site.sql = text;
  return site;
}

ir::SqlReference ColumnRef(const std::string& sql, const std::string& name, ir::SqlReferenceStatus status,
                           std::vector<std::string> candidates) {
  ir::SqlReference reference;
  reference.kind = ir::SqlReference::Kind::kColumn;
  reference.status = status;
  reference.column = name;
  reference.candidate_tables = std::move(candidates);
  reference.offset = static_cast<std::uint32_t>(sql.find(name));
  reference.length = static_cast<std::uint32_t>(name.size());
  return reference;
}

TEST(QueryUnknownColumn, PointsAtTheColumnWithAHint) {
  const ir::Catalog schema = Schema();
  const std::string sql = "SELECT id, emial FROM users";
  const ir::QuerySite site = RawSite(sql);
  Facts facts;
  facts.schema = &schema;
  Facts::AnalyzedSite analyzed{&site, {}};
  analyzed.analysis.parsed = true;
  analyzed.analysis.references.push_back(
      ColumnRef(sql, "emial", ir::SqlReferenceStatus::kUnknownColumn, {"public.users"}));
  analyzed.analysis.references.push_back(ColumnRef(sql, "id", ir::SqlReferenceStatus::kResolved, {}));
  facts.analyzed_sites.push_back(analyzed);

  const auto findings = RunRule("query-unknown-column", facts);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_THAT(findings[0].message, HasSubstr("\"emial\""));
  EXPECT_THAT(findings[0].message, HasSubstr("42703"));
  EXPECT_THAT(findings[0].message, HasSubstr("did you mean \"email\""));
  EXPECT_EQ(findings[0].location.file, "routes.py");
  EXPECT_EQ(findings[0].location.line, 7u);
  EXPECT_EQ(findings[0].location.column, 20u + sql.find("emial"));
  EXPECT_EQ(findings[0].subject.table, "users");
  EXPECT_EQ(findings[0].subject.columns, std::vector<std::string>{"emial"});
}

TEST(QueryUnknownColumn, UncertainReferencesAreNeverReported) {
  const ir::Catalog schema = Schema();
  const std::string sql = "SELECT x FROM generate_series(1, 3) AS x";
  const ir::QuerySite site = RawSite(sql);
  Facts facts;
  facts.schema = &schema;
  Facts::AnalyzedSite analyzed{&site, {}};
  analyzed.analysis.references.push_back(ColumnRef(sql, "x", ir::SqlReferenceStatus::kUncertain, {}));
  facts.analyzed_sites.push_back(analyzed);
  EXPECT_TRUE(RunRule("query-unknown-column", facts).empty());
}

TEST(QueryUnknownColumn, SaysWhenTheModelsDeclareTheColumn) {
  const ir::Catalog schema = Schema();
  ir::Catalog models;
  ir::Table users = MakeTable("users", {Col("id", "integer"), Col("nickname", "text")});
  users.mapped_by = {"app.models.User"};
  users.columns[1].location = {.file = "app/models.py", .line = 12, .column = 5};
  models.tables.push_back(users);
  const std::string sql = "SELECT nickname FROM users";
  const ir::QuerySite site = RawSite(sql);
  Facts facts;
  facts.schema = &schema;
  facts.models = &models;
  Facts::AnalyzedSite analyzed{&site, {}};
  analyzed.analysis.references.push_back(
      ColumnRef(sql, "nickname", ir::SqlReferenceStatus::kUnknownColumn, {"public.users"}));
  facts.analyzed_sites.push_back(analyzed);
  const auto findings = RunRule("query-unknown-column", facts);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_THAT(findings[0].message, HasSubstr("app.models.User declares it, the database lacks it"));
  ASSERT_EQ(findings[0].related.size(), 1u);
  EXPECT_EQ(findings[0].related[0].location.line, 12u);
}

TEST(QueryUnknownTable, HintsTheClosestTable) {
  const ir::Catalog schema = Schema();
  const std::string sql = "SELECT * FROM ordrs";
  const ir::QuerySite site = RawSite(sql);
  Facts facts;
  facts.schema = &schema;
  Facts::AnalyzedSite analyzed{&site, {}};
  ir::SqlReference reference;
  reference.kind = ir::SqlReference::Kind::kTable;
  reference.status = ir::SqlReferenceStatus::kUnknownTable;
  reference.table = "ordrs";
  reference.offset = static_cast<std::uint32_t>(sql.find("ordrs"));
  analyzed.analysis.references.push_back(reference);
  facts.analyzed_sites.push_back(analyzed);
  const auto findings = RunRule("query-unknown-table", facts);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_THAT(findings[0].message, HasSubstr("42P01"));
  EXPECT_THAT(findings[0].message, HasSubstr("did you mean \"orders\""));
  EXPECT_EQ(findings[0].location.column, 20u + sql.find("ordrs"));
}

TEST(QuerySyntaxError, NewerSyntaxIsANoteOfAnotherRule) {
  const std::string sql = "SELECT * FROM JSON_TABLE(x)";
  const ir::QuerySite site = RawSite(sql);
  Facts facts;
  Facts::AnalyzedSite analyzed{&site, {}};
  analyzed.analysis.syntax_error = ir::SqlAnalysis::SyntaxError{"syntax error at or near \"(\"", 24, true};
  facts.analyzed_sites.push_back(analyzed);
  EXPECT_TRUE(RunRule("query-syntax-error", facts).empty());
  const auto notes = RunRule("query-sql-not-checked", facts);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_THAT(notes[0].message, HasSubstr("newer than the PostgreSQL 15 grammar"));

  facts.analyzed_sites[0].analysis.syntax_error->likely_newer_syntax = false;
  const auto errors = RunRule("query-syntax-error", facts);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0].message, HasSubstr("42601"));
  EXPECT_EQ(errors[0].location.column, 20u + 24u);
}

TEST(QuerySqlInjectionRisk, OnlyDynamicSqlAndAtTheInterpolation) {
  std::vector<ir::FileQueries> queries(1);
  queries[0].display_path = "routes.py";
  ir::QuerySite dynamic;
  dynamic.kind = ir::QueryKind::kRawSql;
  dynamic.api = "cursor.execute";
  dynamic.build = ir::SqlBuild::kDynamic;
  dynamic.build_detail = "f-string interpolates `email`";
  dynamic.location = {.file = "routes.py", .line = 3, .column = 5};
  dynamic.build_location = {.file = "routes.py", .line = 3, .column = 48};
  ir::QuerySite constant = dynamic;
  constant.build = ir::SqlBuild::kConstantInterpolation;
  constant.location.line = constant.build_location.line = 9;
  ir::QuerySite literal = dynamic;
  literal.build = ir::SqlBuild::kLiteral;
  queries[0].sites = {dynamic, constant, literal};
  Facts facts;
  facts.queries = &queries;

  const auto risks = RunRule("query-sql-injection-risk", facts);
  ASSERT_EQ(risks.size(), 1u);
  EXPECT_EQ(risks[0].location.line, 3u);
  EXPECT_EQ(risks[0].location.column, 48u);
  EXPECT_THAT(risks[0].message, HasSubstr("`email`"));
  ASSERT_EQ(risks[0].related.size(), 1u);

  const auto constants = RunRule("query-sql-built-from-constants", facts);
  ASSERT_EQ(constants.size(), 1u);
  EXPECT_EQ(constants[0].location.line, 9u);
}

TEST(QueryWriteWithoutWhere, ReportsTheStatement) {
  const std::string sql = "SELECT 1; DELETE FROM orders";
  const ir::QuerySite site = RawSite(sql);
  Facts facts;
  Facts::AnalyzedSite analyzed{&site, {}};
  ir::SqlStatement select;
  select.command = "SELECT";
  ir::SqlStatement remove;
  remove.command = "DELETE";
  remove.write_without_where = true;
  remove.is_destructive = true;
  remove.target_table = "public.orders";
  remove.offset = static_cast<std::uint32_t>(sql.find("DELETE"));
  analyzed.analysis.statements = {select, remove};
  facts.analyzed_sites.push_back(analyzed);
  const auto findings = RunRule("query-write-without-where", facts);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_THAT(findings[0].message, HasSubstr("DELETE"));
  EXPECT_EQ(findings[0].subject.table, "orders");
  EXPECT_EQ(findings[0].location.column, 20u + sql.find("DELETE"));
}

// ----- ORM attribute rules -----

ir::ModelClass UserClass(bool complete = true) {
  ir::ModelClass model;
  model.qualified_name = "app.models.User";
  model.schema = "public";
  model.table = "users";
  model.complete = complete;
  model.attributes = {{"display_name", ir::ModelAttributeKind::kProperty, "", {}},
                      {"email", ir::ModelAttributeKind::kColumn, "email", {}},
                      {"id", ir::ModelAttributeKind::kColumn, "id", {}},
                      {"nickname", ir::ModelAttributeKind::kColumn, "nickname", {}},
                      {"orders", ir::ModelAttributeKind::kRelationship, "", {}}};
  return model;
}

ir::ModelAttributeUse Use(ir::AttributeUseKind kind, const std::string& attribute, std::uint32_t line) {
  return {kind, "app.models.User", attribute, {.file = "routes.py", .line = line, .column = 10}};
}

struct OrmFacts {
  ir::Catalog schema = Schema();
  std::vector<ir::ModelClass> classes;
  std::vector<ir::FileQueries> queries;
  Facts facts;
  OrmFacts(ir::ModelClass model, std::vector<ir::ModelAttributeUse> uses) {
    classes.push_back(std::move(model));
    queries.resize(1);
    queries[0].display_path = "routes.py";
    queries[0].attribute_uses = std::move(uses);
    facts.schema = &schema;
    facts.model_classes = &classes;
    facts.queries = &queries;
  }
};

TEST(QueryUnknownModelAttribute, TyposFireFrameworkNamesDoNot) {
  OrmFacts orm(UserClass(), {Use(ir::AttributeUseKind::kClassAttribute, "emial", 3),
                             Use(ir::AttributeUseKind::kClassAttribute, "query", 4),
                             Use(ir::AttributeUseKind::kClassAttribute, "__table__", 5),
                             Use(ir::AttributeUseKind::kClassAttribute, "display_name", 6),
                             Use(ir::AttributeUseKind::kClassAttribute, "orders", 7)});
  const auto findings = RunRule("query-unknown-model-attribute", orm.facts);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].location.line, 3u);
  EXPECT_THAT(findings[0].message, HasSubstr("did you mean \"email\""));
}

TEST(QueryUnknownModelAttribute, IncompleteClassesAreNotJudged) {
  OrmFacts orm(UserClass(false), {Use(ir::AttributeUseKind::kClassAttribute, "is_authenticated", 3)});
  EXPECT_TRUE(RunRule("query-unknown-model-attribute", orm.facts).empty());
}

TEST(QueryFilterByUnknownColumn, PropertiesAndTyposFireRelationshipsDoNot) {
  OrmFacts orm(UserClass(), {Use(ir::AttributeUseKind::kFilterByKeyword, "emial", 3),
                             Use(ir::AttributeUseKind::kFilterByKeyword, "display_name", 4),
                             Use(ir::AttributeUseKind::kFilterByKeyword, "orders", 5),
                             Use(ir::AttributeUseKind::kFilterByKeyword, "email", 6),
                             Use(ir::AttributeUseKind::kClassAttribute, "emial", 7)});
  const auto findings = RunRule("query-filter-by-unknown-column", orm.facts);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].location.line, 3u);
  EXPECT_THAT(findings[0].message, HasSubstr("User has no attribute 'emial'"));
  EXPECT_EQ(findings[1].location.line, 4u);
  EXPECT_THAT(findings[1].message, HasSubstr("a Python property"));
}

TEST(QueryFilterByUnknownColumn, IncompleteClassesOnlyReportWhatIsKnown) {
  OrmFacts orm(UserClass(false), {Use(ir::AttributeUseKind::kFilterByKeyword, "emial", 3),
                                  Use(ir::AttributeUseKind::kFilterByKeyword, "display_name", 4)});
  const auto findings = RunRule("query-filter-by-unknown-column", orm.facts);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].location.line, 4u);
}

TEST(QueryColumnNotInDatabase, ModelColumnsTheDatabaseLacks) {
  OrmFacts orm(UserClass(), {Use(ir::AttributeUseKind::kClassAttribute, "nickname", 3),
                             Use(ir::AttributeUseKind::kFilterByKeyword, "nickname", 4),
                             Use(ir::AttributeUseKind::kClassAttribute, "email", 5),
                             Use(ir::AttributeUseKind::kClassAttribute, "orders", 6)});
  const auto findings = RunRule("query-column-not-in-database", orm.facts);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].location.line, 3u);
  EXPECT_EQ(findings[1].location.line, 4u);
  EXPECT_THAT(findings[0].message, HasSubstr("users.nickname"));
  EXPECT_EQ(findings[0].subject.columns, std::vector<std::string>{"nickname"});
}

TEST(QuerySupport, ClosestNameIsDeterministicAndBounded) {
  EXPECT_EQ(query::ClosestName("emial", {"name", "email", "id"}), "email");
  EXPECT_EQ(query::ClosestName("xyzzy", {"name", "email", "id"}), "");
  EXPECT_EQ(query::ClosestName("ab", {"ac", "ad"}), "ac");
  EXPECT_EQ(query::DidYouMean("zzzzzzzz", {"email"}), "");
}

TEST(LocateInSql, WalksLinesOfTripleQuotedStringsAndFallsBackToTheSite) {
  ir::SqlText text;
  text.text = "\nSELECT id\nFROM usrs\n";
  text.spans.push_back({0, static_cast<std::uint32_t>(text.text.size()), "a.py", 4, 12, true});
  const ir::Location site{.file = "a.py", .line = 4, .column = 5};
  const ir::Location at = ir::LocateInSql(text, static_cast<std::uint32_t>(text.text.find("usrs")), site);
  EXPECT_EQ(at.line, 6u);
  EXPECT_EQ(at.column, 6u);
  text.spans[0].exact = false;
  EXPECT_EQ(ir::LocateInSql(text, static_cast<std::uint32_t>(text.text.find("usrs")), site).line, 4u);
  text.spans.clear();
  EXPECT_EQ(ir::LocateInSql(text, 3, site).column, 5u);
}

}  // namespace
}  // namespace dbaudit::rules

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "reports/report.hpp"
#include "tests/unit/reports/report_fixture.hpp"

namespace dbaudit::reports {
namespace {

using Json = nlohmann::json;

const Json* FindByRule(const Json& findings, const std::string& rule) {
  for (const auto& finding : findings) {
    if (finding.at("rule") == rule) return &finding;
  }
  return nullptr;
}

TEST(JsonReport, TopLevelAndSummary) {
  const ReportInput input = testing::RealisticInput();
  const Json json = Json::parse(RenderJson(input));
  EXPECT_EQ(json.at("tool"), "dbaudit");
  EXPECT_EQ(json.at("version"), "0.1.0");
  EXPECT_EQ(json.at("schema_source"), "schema.sql");
  const Json& summary = json.at("summary");
  EXPECT_EQ(summary.at("total"), 7);
  EXPECT_EQ(summary.at("errors"), 2);
  EXPECT_EQ(summary.at("warnings"), 4);
  EXPECT_EQ(summary.at("notes"), 1);
  EXPECT_EQ(summary.at("by_rule").at("model-type-mismatch"), 1);
  EXPECT_EQ(summary.at("by_rule").size(), 7u);
  ASSERT_EQ(json.at("findings").size(), input.findings.size());
  // Input order is kept.
  for (std::size_t i = 0; i < input.findings.size(); ++i) {
    EXPECT_EQ(json.at("findings")[i].at("rule"), input.findings[i].rule_id);
    EXPECT_EQ(json.at("findings")[i].at("fingerprint"), input.findings[i].fingerprint);
  }
}

TEST(JsonReport, FileFindingHoldsEveryField) {
  const Json json = Json::parse(RenderJson(testing::RealisticInput()));
  const Json* finding = FindByRule(json.at("findings"), "model-type-mismatch");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->at("severity"), "error");
  EXPECT_EQ(finding->at("message"),
            "users.email is String(255) in the model but character varying(100) in the database");
  EXPECT_EQ(finding->at("location"),
            Json::parse(R"({"file":"app/models.py","line":12,"column":5,"end_line":12,"end_column":40})"));
  EXPECT_EQ(finding->at("subject"), Json::parse(R"({"schema":"public","table":"users","column":"email"})"));
  ASSERT_EQ(finding->at("related").size(), 1u);
  EXPECT_EQ(finding->at("related")[0].at("location"),
            Json::parse(R"({"object":"schema.sql#public.users.email","line":30,"column":3})"));
  EXPECT_EQ(finding->at("related")[0].at("message"), "the database declares it here");
  EXPECT_EQ(finding->at("fix").at("description"), "widen the column");
  EXPECT_EQ(finding->at("fix").at("sql"), "ALTER TABLE public.users ALTER COLUMN email TYPE character varying(255);");
  EXPECT_FALSE(finding->at("fix").contains("edit"));
  EXPECT_EQ(finding->at("fingerprint").get<std::string>().size(), 16u);
  EXPECT_FALSE(finding->contains("incomplete"));
}

TEST(JsonReport, EmptyKeysAreOmitted) {
  const Json json = Json::parse(RenderJson(testing::RealisticInput()));
  const Json* syntax = FindByRule(json.at("findings"), "input-python-syntax-error");
  ASSERT_NE(syntax, nullptr);
  EXPECT_FALSE(syntax->contains("subject"));
  EXPECT_FALSE(syntax->contains("related"));
  EXPECT_FALSE(syntax->contains("fix"));
  EXPECT_EQ(syntax->at("incomplete"), true);
  EXPECT_EQ(syntax->at("location"), Json::parse(R"({"file":"app/broken file.py","line":3,"column":7})"));

  const Json* table = FindByRule(json.at("findings"), "model-table-not-in-database");
  ASSERT_NE(table, nullptr);
  EXPECT_EQ(table->at("subject"), Json::parse(R"({"schema":"public","table":"audit_log"})"));
}

TEST(JsonReport, DatabaseObjectsAndColumnLists) {
  const Json json = Json::parse(RenderJson(testing::RealisticInput()));
  const Json* index = FindByRule(json.at("findings"), "model-index-not-in-models");
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->at("location"), Json::parse(R"({"object":"postgresql://db/app#public.orders.idx_orders_created"})"));
  EXPECT_EQ(index->at("subject"), Json::parse(R"({"schema":"public","table":"orders","columns":["created_at","id"],
                                                 "constraint":"idx_orders_created"})"));
  EXPECT_FALSE(index->at("subject").contains("column"));
}

TEST(JsonReport, KeyOrderIsStableAndOutputDeterministic) {
  const ReportInput input = testing::RealisticInput();
  const std::string first = RenderJson(input);
  EXPECT_EQ(first, RenderJson(input));
  // Insertion order, not alphabetical: "tool" first, "findings" last; "rule" before "severity".
  EXPECT_EQ(first.find("\"tool\""), 4u);
  EXPECT_LT(first.find("\"summary\""), first.find("\"findings\""));
  EXPECT_LT(first.find("\"rule\""), first.find("\"severity\""));
  EXPECT_TRUE(first.ends_with("}\n"));
}

TEST(JsonReport, InvalidUtf8IsReplacedNotThrown) {
  ReportInput input;
  input.findings = {testing::MakeFinding("input-file-unreadable", ir::Severity::kError, "bad \xff byte",
                                         testing::FileAt("legacy.py", 1, 1))};
  std::string text;
  ASSERT_NO_THROW(text = RenderJson(input));
  ASSERT_TRUE(Json::accept(text));
  EXPECT_EQ(Json::parse(text).at("findings")[0].at("message"), "bad \xEF\xBF\xBD byte");  // U+FFFD
}

TEST(JsonReport, MissingFingerprintIsDerived) {
  ReportInput input;
  auto finding = testing::MakeFinding("model-table-not-in-database", ir::Severity::kError, "missing",
                                      testing::FileAt("app/models.py", 1, 1), testing::SubjectOf("public", "t"));
  const std::string expected = finding.fingerprint;
  finding.fingerprint.clear();
  input.findings = {finding};
  EXPECT_EQ(Json::parse(RenderJson(input)).at("findings")[0].at("fingerprint"), expected);
}

}  // namespace
}  // namespace dbaudit::reports

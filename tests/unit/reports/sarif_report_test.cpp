#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "reports/report.hpp"
#include "tests/support/process.hpp"
#include "tests/support/sarif_validator.hpp"
#include "tests/unit/reports/report_fixture.hpp"

namespace dbaudit::reports {
namespace {

using Json = nlohmann::json;

const Json& FirstRun(const Json& log) {
  return log.at("runs").at(0);
}

const Json& ResultOf(const Json& log, const std::string& rule) {
  for (const auto& result : FirstRun(log).at("results")) {
    if (result.at("ruleId") == rule) return result;
  }
  static const Json kNone;
  ADD_FAILURE() << "no result for " << rule;
  return kNone;
}

TEST(SarifReport, LogAndDriver) {
  const Json log = Json::parse(RenderSarif(testing::RealisticInput()));
  EXPECT_EQ(log.at("$schema"), "https://json.schemastore.org/sarif-2.1.0.json");
  EXPECT_EQ(log.at("version"), "2.1.0");
  ASSERT_EQ(log.at("runs").size(), 1u);
  const Json& driver = FirstRun(log).at("tool").at("driver");
  EXPECT_EQ(driver.at("name"), "dbaudit");
  EXPECT_EQ(driver.at("version"), "0.1.0");
  EXPECT_EQ(driver.at("semanticVersion"), "0.1.0");
  EXPECT_TRUE(driver.at("informationUri").get<std::string>().starts_with("https://"));
  EXPECT_EQ(FirstRun(log).at("columnKind"), "unicodeCodePoints");
  EXPECT_EQ(FirstRun(log).at("originalUriBaseIds").at("%SRCROOT%").at("uri"), "file:///work/project/");
}

TEST(SarifReport, EveryRuleIsDescribed) {
  const ReportInput input = testing::RealisticInput();
  const Json log = Json::parse(RenderSarif(input));
  const Json& rules = FirstRun(log).at("tool").at("driver").at("rules");
  ASSERT_EQ(rules.size(), input.rules.size());
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const RuleDescriptor& expected = input.rules[i];
    const Json& rule = rules[i];
    EXPECT_EQ(rule.at("id"), expected.id);
    EXPECT_EQ(rule.at("shortDescription").at("text"), expected.summary);
    EXPECT_EQ(rule.at("fullDescription").at("text"), expected.full_description);
    EXPECT_FALSE(rule.at("help").at("text").get<std::string>().empty());
    EXPECT_EQ(rule.at("help").at("markdown"), expected.help_markdown);
    EXPECT_EQ(rule.at("helpUri"), expected.help_uri);
    EXPECT_EQ(rule.at("defaultConfiguration").at("level"), ir::ToString(expected.default_severity));
    const Json& tags = rule.at("properties").at("tags");
    EXPECT_EQ(tags.at(0), expected.id.substr(0, expected.id.find('-')));
    if (!expected.category.empty()) {
      EXPECT_EQ(tags.at(1), expected.category);
    }
  }
  EXPECT_EQ(rules[0].at("name"), "InputPythonSyntaxError");
}

TEST(SarifReport, ResultsPointAtTheirRulesAndKeepInputOrder) {
  const ReportInput input = testing::RealisticInput();
  const Json log = Json::parse(RenderSarif(input));
  const Json& rules = FirstRun(log).at("tool").at("driver").at("rules");
  const Json& results = FirstRun(log).at("results");
  ASSERT_EQ(results.size(), input.findings.size());
  for (std::size_t i = 0; i < results.size(); ++i) {
    const Json& result = results[i];
    const ir::Finding& finding = input.findings[i];
    EXPECT_EQ(result.at("ruleId"), finding.rule_id);
    EXPECT_EQ(rules.at(result.at("ruleIndex").get<std::size_t>()).at("id"), finding.rule_id);
    EXPECT_EQ(result.at("level"), ir::ToString(finding.severity));
    EXPECT_EQ(result.at("message").at("text"), finding.message);
    EXPECT_EQ(result.at("partialFingerprints").at("dbaudit/v1"), finding.fingerprint);
    ASSERT_EQ(result.at("locations").size(), 1u);
  }
}

TEST(SarifReport, FileLocationsAreRelativeToTheSourceRoot) {
  const Json log = Json::parse(RenderSarif(testing::RealisticInput()));
  const Json& type = ResultOf(log, "model-type-mismatch");
  const Json& physical = type.at("locations")[0].at("physicalLocation");
  EXPECT_EQ(physical.at("artifactLocation"), Json::parse(R"({"uri":"app/models.py","uriBaseId":"%SRCROOT%"})"));
  EXPECT_EQ(physical.at("region"), Json::parse(R"({"startLine":12,"startColumn":5,"endLine":12,"endColumn":40})"));
  // The subject is named as a logical location as well.
  EXPECT_EQ(type.at("locations")[0].at("logicalLocations")[0],
            Json::parse(R"({"name":"email","fullyQualifiedName":"public.users.email","kind":"column"})"));

  const Json& syntax = ResultOf(log, "input-python-syntax-error");
  EXPECT_EQ(syntax.at("locations")[0].at("physicalLocation").at("artifactLocation").at("uri"), "app/broken%20file.py");
  EXPECT_FALSE(syntax.at("locations")[0].contains("logicalLocations"));
  EXPECT_EQ(syntax.at("properties").at("incomplete"), true);

  for (const auto& result : FirstRun(log).at("results")) {
    for (const auto& location : result.at("locations")) {
      if (!location.contains("physicalLocation")) continue;
      const Json& artifact = location.at("physicalLocation").at("artifactLocation");
      EXPECT_FALSE(artifact.at("uri").get<std::string>().starts_with("/"));
      EXPECT_EQ(artifact.at("uriBaseId"), "%SRCROOT%");
    }
  }
}

TEST(SarifReport, DatabaseFindingsHaveLogicalLocations) {
  const Json log = Json::parse(RenderSarif(testing::RealisticInput()));
  // From a schema dump: the object URI names the file and the Location its line.
  const Json& orphan = ResultOf(log, "model-table-not-in-models").at("locations")[0];
  EXPECT_EQ(orphan.at("logicalLocations")[0],
            Json::parse(R"({"name":"legacy_sessions","fullyQualifiedName":"public.legacy_sessions","kind":"table"})"));
  EXPECT_EQ(orphan.at("physicalLocation"),
            Json::parse(R"({"artifactLocation":{"uri":"schema.sql","uriBaseId":"%SRCROOT%"},
                            "region":{"startLine":52,"startColumn":1}})"));

  // From a live database: no file of its own, so the related model position is annotated.
  const Json& index = ResultOf(log, "model-index-not-in-models");
  EXPECT_EQ(index.at("locations")[0].at("logicalLocations")[0],
            Json::parse(R"({"name":"idx_orders_created","fullyQualifiedName":"public.orders.idx_orders_created",
                            "kind":"constraint"})"));
  EXPECT_EQ(index.at("locations")[0].at("physicalLocation").at("artifactLocation").at("uri"), "app/models.py");
  EXPECT_EQ(index.at("locations")[0].at("physicalLocation").at("region").at("startLine"), 60);
}

TEST(SarifReport, RelatedLocationsHaveIdsAndMessages) {
  const Json log = Json::parse(RenderSarif(testing::RealisticInput()));
  const Json& related = ResultOf(log, "model-type-mismatch").at("relatedLocations");
  ASSERT_EQ(related.size(), 1u);
  EXPECT_EQ(related[0].at("id"), 0);
  EXPECT_EQ(related[0].at("message").at("text"), "the database declares it here");
  EXPECT_EQ(related[0].at("physicalLocation").at("artifactLocation").at("uri"), "schema.sql");
  EXPECT_EQ(related[0].at("physicalLocation").at("region").at("startLine"), 30);
  EXPECT_EQ(related[0].at("logicalLocations")[0].at("fullyQualifiedName"), "public.users.email");
  EXPECT_FALSE(ResultOf(log, "model-table-not-in-database").contains("relatedLocations"));
}

// Inputs a driver might produce on a bad day: no version, a root without its slash, a rule
// nobody described, a relative doc link, positions without lines, an end before the start.
ReportInput EdgeCaseInput() {
  ReportInput input;
  input.project_root_uri = "file:///work/project";
  input.rules = {testing::Rule("model-table-not-in-models", ir::Severity::kWarning, "tables_only_in_schema")};
  input.rules[0].help_uri = "docs/rules/model-table-not-in-models.md";
  auto object_without_line =
      testing::MakeFinding("model-table-not-in-models", ir::Severity::kWarning, "no model maps public.t",
                           testing::Object("schema.sql#public.t"), testing::SubjectOf("public", "t"));
  auto file_without_line = testing::MakeFinding("input-file-unreadable", ir::Severity::kError, "permission denied",
                                                testing::FileAt("app/secret.py", 0, 0));
  auto backwards = testing::MakeFinding("model-unreadable-construct", ir::Severity::kNote, "cannot read this",
                                        testing::FileAt("app/models.py", 9, 4));
  backwards.location.end_line = 3;
  backwards.location.end_column = 1;
  auto live_only = testing::MakeFinding("model-table-not-in-models", ir::Severity::kWarning, "no model maps it",
                                        testing::Object("postgresql://db/app#public.ghosts"));
  input.findings = {file_without_line, backwards, object_without_line, live_only};
  std::sort(input.findings.begin(), input.findings.end(), ir::FindingLess);
  return input;
}

TEST(SarifReport, EdgeCasesStayValid) {
  const Json log = Json::parse(RenderSarif(EdgeCaseInput()));
  const Json& driver = FirstRun(log).at("tool").at("driver");
  EXPECT_FALSE(driver.contains("version"));
  EXPECT_EQ(FirstRun(log).at("originalUriBaseIds").at("%SRCROOT%").at("uri"), "file:///work/project/");
  ASSERT_EQ(driver.at("rules").size(), 3u);
  EXPECT_FALSE(driver.at("rules")[0].contains("helpUri"));  // relative links are no URI
  // Rules the input did not describe are appended in id order so every ruleIndex resolves.
  EXPECT_EQ(driver.at("rules")[1].at("id"), "input-file-unreadable");
  EXPECT_EQ(driver.at("rules")[2].at("id"), "model-unreadable-construct");
  EXPECT_FALSE(driver.at("rules")[1].at("fullDescription").at("text").get<std::string>().empty());
  for (const auto& result : FirstRun(log).at("results")) {
    EXPECT_EQ(driver.at("rules").at(result.at("ruleIndex").get<std::size_t>()).at("id"), result.at("ruleId"));
  }
  const Json& unreadable = ResultOf(log, "input-file-unreadable").at("locations")[0].at("physicalLocation");
  EXPECT_FALSE(unreadable.contains("region"));
  const Json& backwards = ResultOf(log, "model-unreadable-construct").at("locations")[0].at("physicalLocation");
  EXPECT_EQ(backwards.at("region"), Json::parse(R"({"startLine":9,"startColumn":4})"));
  // Object URIs sort after file positions, "postgresql://" before "schema.sql#".
  ASSERT_EQ(FirstRun(log).at("results")[2].at("message").at("text"), "no model maps it");
  const Json& live = FirstRun(log).at("results")[2].at("locations")[0];
  EXPECT_FALSE(live.contains("physicalLocation"));
  EXPECT_EQ(live.at("logicalLocations")[0], Json::parse(R"({"name":"ghosts","fullyQualifiedName":"public.ghosts"})"));
}

TEST(SarifReport, ByteIdenticalForEqualInput) {
  EXPECT_EQ(RenderSarif(testing::RealisticInput()), RenderSarif(testing::RealisticInput()));
}

TEST(SarifReport, MultitoolFindsNoErrorsInARealisticLog) {
  ASSERT_TRUE(std::filesystem::exists(DBAUDIT_SARIF_MULTITOOL))
      << "SARIF Multitool missing at " << DBAUDIT_SARIF_MULTITOOL << " (cmake/SarifMultitool.cmake)";
  const std::vector<std::string> errors =
      dbaudit::testing::SarifMultitoolErrors(RenderSarif(testing::RealisticInput()), "realistic");
  EXPECT_TRUE(errors.empty()) << ::testing::PrintToString(errors);
}

TEST(SarifReport, MultitoolFindsNoErrorsInEdgeCases) {
  ASSERT_TRUE(std::filesystem::exists(DBAUDIT_SARIF_MULTITOOL))
      << "SARIF Multitool missing at " << DBAUDIT_SARIF_MULTITOOL << " (cmake/SarifMultitool.cmake)";
  const std::vector<std::string> errors = dbaudit::testing::SarifMultitoolErrors(RenderSarif(EdgeCaseInput()), "edge");
  EXPECT_TRUE(errors.empty()) << ::testing::PrintToString(errors);
}

// The validator must be able to fail: a log with a rule index that resolves to nothing is
// rejected. Guards against a validation that silently checks nothing.
TEST(SarifReport, MultitoolRejectsAnInvalidLog) {
  ASSERT_TRUE(std::filesystem::exists(DBAUDIT_SARIF_MULTITOOL));
  Json log = Json::parse(RenderSarif(testing::RealisticInput()));
  Json& result = log.at("runs").at(0).at("results").at(0);
  result["ruleIndex"] = 999;
  const std::vector<std::string> errors = dbaudit::testing::SarifMultitoolErrors(log.dump(2), "invalid");
  ASSERT_FALSE(errors.empty());
  EXPECT_NE(::testing::PrintToString(errors).find("SARIF1009"), std::string::npos) << ::testing::PrintToString(errors);
}

}  // namespace
}  // namespace dbaudit::reports

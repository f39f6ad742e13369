// End to end: the built binary on the bundled example, offline and against a real throwaway
// PostgreSQL loaded with the example's database.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "analyzer/driver/version.hpp"
#include "tests/support/pg_cluster.hpp"
#include "tests/support/process.hpp"
#include "tests/support/sarif_validator.hpp"
#include "tests/support/snapshot.hpp"

namespace dbaudit {
namespace {

namespace fs = std::filesystem;
using testing::ProcessResult;
using testing::RunDbaudit;

const fs::path kSource = DBAUDIT_SOURCE_DIR;
const fs::path kExample = kSource / "examples" / "flask_shop";

// Runs with a clean environment so that a developer's DATABASE_URL or PG* never leaks in.
const std::map<std::string, std::string> kNoDatabaseEnvironment = {
    {"DATABASE_URL", ""}, {"PGHOST", ""}, {"PGPORT", ""}, {"PGDATABASE", ""}, {"PGUSER", ""}, {"PGPASSWORD", ""}};

ProcessResult CheckExample(std::vector<std::string> extra) {
  std::vector<std::string> arguments = {"check", kExample.string(), "--schema-sql", (kExample / "schema.sql").string()};
  arguments.insert(arguments.end(), extra.begin(), extra.end());
  return RunDbaudit(arguments, {}, kNoDatabaseEnvironment);
}

// Snapshots hold neither the tool version nor absolute paths.
std::string Redact(std::string text) {
  text = testing::ReplaceAll(text, std::string("\"version\": \"") + kVersion + "\"", "\"version\": \"VERSION\"");
  text = testing::ReplaceAll(text, std::string("\"semanticVersion\": \"") + kVersion + "\"",
                             "\"semanticVersion\": \"VERSION\"");
  text = testing::ReplaceAll(text, "file://" + fs::canonical(kExample).generic_string() + "/", "file:///EXAMPLE/");
  text = testing::ReplaceAll(text, fs::canonical(kExample).generic_string(), "/EXAMPLE");
  return text;
}

TEST(Cli, VersionAndHelp) {
  const ProcessResult version = RunDbaudit({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind("dbaudit ", 0), 0u) << version.out;

  const ProcessResult help = RunDbaudit({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("check"), std::string::npos);
  EXPECT_NE(help.out.find("rules"), std::string::npos);

  const ProcessResult check_help = RunDbaudit({"check", "--help"});
  EXPECT_EQ(check_help.exit_code, 0);
  EXPECT_NE(check_help.out.find("--schema-sql"), std::string::npos);
  EXPECT_NE(check_help.out.find("--database-url"), std::string::npos);

  const ProcessResult bad = RunDbaudit({"check", "--no-such-flag"});
  EXPECT_EQ(bad.exit_code, 2);
}

TEST(Cli, RulesListsEveryRuleAndPrintsDocs) {
  const ProcessResult list = RunDbaudit({"rules"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("model-type-mismatch"), std::string::npos);
  const ProcessResult doc = RunDbaudit({"rules", "model-type-mismatch"});
  ASSERT_EQ(doc.exit_code, 0);
  EXPECT_NE(doc.out.find("## What it does"), std::string::npos);
  const ProcessResult unknown = RunDbaudit({"rules", "model-no-such-rule"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("unknown rule"), std::string::npos);
}

TEST(Cli, ExampleTextSnapshot) {
  const ProcessResult run = CheckExample({});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  testing::ExpectMatchesSnapshot(Redact(run.out), "tests/snapshots/example.txt");
}

TEST(Cli, ExampleJsonSnapshot) {
  const ProcessResult run = CheckExample({"--format", "json"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  const auto json = nlohmann::json::parse(run.out);
  ASSERT_TRUE(json.contains("findings"));
  for (const auto& finding : json["findings"]) {
    for (const char* key : {"rule", "severity", "message", "location", "fingerprint"}) {
      EXPECT_TRUE(finding.contains(key)) << key << " missing in " << finding.dump();
    }
  }
  testing::ExpectMatchesSnapshot(Redact(run.out), "tests/snapshots/example.json");
}

TEST(Cli, ExampleSarifSnapshot) {
  const ProcessResult run = CheckExample({"--format", "sarif"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  const auto sarif = nlohmann::json::parse(run.out);
  EXPECT_EQ(sarif["version"], "2.1.0");
  testing::ExpectMatchesSnapshot(Redact(run.out), "tests/snapshots/example.sarif");
}

TEST(Cli, ExampleSarifPassesTheOfficialValidator) {
  ASSERT_TRUE(fs::exists(testing::SarifMultitoolPath()))
      << "SARIF Multitool missing at " << testing::SarifMultitoolPath();
  const ProcessResult run = CheckExample({"--format", "sarif"});
  ASSERT_EQ(run.exit_code, 1) << run.err;
  const std::vector<std::string> errors = testing::SarifMultitoolErrors(run.out, "example");
  EXPECT_TRUE(errors.empty()) << ::testing::PrintToString(errors);
}

TEST(Cli, OutputIsByteIdenticalAcrossRuns) {
  for (const char* format : {"text", "json", "sarif"}) {
    const ProcessResult first = CheckExample({"--format", format, "--threads", "1"});
    const ProcessResult second = CheckExample({"--format", format, "--threads", "2"});
    EXPECT_EQ(first.out, second.out) << format;
    EXPECT_FALSE(first.out.empty()) << format;
  }
}

TEST(Cli, SelectAndFailOn) {
  const ProcessResult only_types = CheckExample({"--select", "model-type-mismatch", "--format", "json"});
  const auto json = nlohmann::json::parse(only_types.out);
  ASSERT_FALSE(json["findings"].empty());
  for (const auto& finding : json["findings"]) EXPECT_EQ(finding["rule"], "model-type-mismatch");

  // Repeated and comma-separated selections; a list option never swallows the path after it.
  const ProcessResult two =
      RunDbaudit({"check", "--select", "model-type-mismatch,model-enum-mismatch", "--select", "model-nullable-mismatch",
                  kExample.string(), "--schema-sql", (kExample / "schema.sql").string(), "--format", "json"},
                 {}, kNoDatabaseEnvironment);
  ASSERT_EQ(two.exit_code, 1) << two.err;
  std::set<std::string> rules_seen;
  const auto two_json = nlohmann::json::parse(two.out);  // kept alive for the loop below
  for (const auto& finding : two_json["findings"]) rules_seen.insert(finding["rule"].get<std::string>());
  EXPECT_EQ(rules_seen,
            (std::set<std::string>{"model-enum-mismatch", "model-nullable-mismatch", "model-type-mismatch"}));

  const ProcessResult never = CheckExample({"--fail-on", "never"});
  EXPECT_EQ(never.exit_code, 0);

  const ProcessResult unknown = CheckExample({"--select", "model-does-not-exist"});
  EXPECT_EQ(unknown.exit_code, 2);
}

TEST(Cli, ComparisonReportHasThePlansSections) {
  const fs::path out = fs::temp_directory_path() / ("dbaudit-cmp-" + std::to_string(getpid()) + ".md");
  const ProcessResult run = CheckExample({"--comparison-report", out.string()});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  const std::string markdown = testing::ReadFileOrEmpty(out.string());
  for (const char* section : {"tables_only_in_schema", "tables_only_in_models", "columns_only_in_schema",
                              "columns_only_in_models", "type_mismatches", "nullable_mismatches",
                              "primary_key_mismatch", "foreign_keys_only_in_schema", "foreign_keys_only_in_models"}) {
    EXPECT_NE(markdown.find(section), std::string::npos) << section;
  }
  fs::remove(out);
}

TEST(CliBadInput, MissingPathIsIncomplete) {
  const ProcessResult run =
      RunDbaudit({"check", "/no/such/project", "--schema-sql", (kExample / "schema.sql").string(), "--no-env"}, {},
                 kNoDatabaseEnvironment);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE((run.out + run.err).find("/no/such/project"), std::string::npos) << run.out << run.err;
}

TEST(CliBadInput, NoSchemaSourceIsAClearError) {
  const ProcessResult run = RunDbaudit({"check", kExample.string(), "--no-env"}, {}, kNoDatabaseEnvironment);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("no schema source"), std::string::npos) << run.err;
}

TEST(CliBadInput, SchemaFileThatIsNotSql) {
  const ProcessResult run =
      RunDbaudit({"check", kExample.string(), "--schema-sql", (kExample / "app" / "__init__.py").string(), "--no-env"},
                 {}, kNoDatabaseEnvironment);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_FALSE(run.err.empty());
}

TEST(CliBadInput, EmptyProjectSaysSo) {
  const fs::path empty = fs::temp_directory_path() / ("dbaudit-empty-" + std::to_string(getpid()));
  fs::create_directories(empty);
  const ProcessResult run =
      RunDbaudit({"check", empty.string(), "--schema-sql", (kExample / "schema.sql").string(), "--no-env"}, {},
                 kNoDatabaseEnvironment);
  EXPECT_NE(run.err.find("no Python files"), std::string::npos) << run.err;
  // Without code, only the rules about the database alone (schema-) have something to say.
  EXPECT_EQ(run.exit_code, 1) << run.out;
  std::istringstream lines(run.out);
  std::string line;
  int findings = 0;
  while (std::getline(lines, line)) {
    if (line.find(": warning: ") == std::string::npos && line.find(": error: ") == std::string::npos &&
        line.find(": note: ") == std::string::npos) {
      continue;
    }
    if (line.starts_with("  ")) continue;  // related locations
    ++findings;
    EXPECT_NE(line.find("[schema-"), std::string::npos) << line;
  }
  EXPECT_GT(findings, 0) << run.out;
  fs::remove_all(empty);
}

TEST(CliBadInput, RefusedConnectionNeverShowsThePassword) {
  const std::string url = "postgresql://auditor:S3cretPassw0rd@/nodb?host=/nonexistent-socket-dir&port=1";
  const ProcessResult run = RunDbaudit({"check", kExample.string(), "--database-url", url}, {}, kNoDatabaseEnvironment);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_FALSE(run.err.empty());
  EXPECT_EQ((run.out + run.err).find("S3cretPassw0rd"), std::string::npos) << run.err;
}

class CliLive : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = std::make_unique<testing::TestCluster>(testing::TestCluster::Get());
    database_ = cluster_->CreateDatabase("cli_example");
    cluster_->RunSql(database_, testing::ReadFileOrEmpty((kExample / "db" / "create.sql").string()));
  }
  void TearDown() override {
    if (cluster_) cluster_->DropDatabase(database_);
  }
  std::unique_ptr<testing::TestCluster> cluster_;
  std::string database_;
};

nlohmann::json FindingKeys(const std::string& json_text) {
  // What a finding is about, without its location (a live finding points at the database
  // object, an offline one at the dump's line).
  nlohmann::json keys = nlohmann::json::array();
  const auto report = nlohmann::json::parse(json_text);  // kept alive for the loop below
  for (const auto& finding : report["findings"]) {
    if (finding["rule"].get<std::string>().rfind("model-", 0) != 0) continue;
    if (!finding.contains("subject")) continue;
    keys.push_back({finding["rule"], finding["subject"], finding["fingerprint"]});
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

TEST_F(CliLive, LiveAndOfflineRunsAgree) {
  const ProcessResult live =
      RunDbaudit({"check", kExample.string(), "--database-url", cluster_->Url(database_), "--format", "json"}, {},
                 kNoDatabaseEnvironment);
  ASSERT_EQ(live.exit_code, 1) << live.err;
  const ProcessResult offline = CheckExample({"--format", "json"});
  const nlohmann::json offline_keys = FindingKeys(offline.out);
  EXPECT_GE(offline_keys.size(), 19u);  // every planted model- drift (examples/flask_shop/EXPECTED.md)
  EXPECT_EQ(FindingKeys(live.out), offline_keys);
}

TEST_F(CliLive, DatabaseUrlFromEnvironment) {
  const ProcessResult from_env =
      RunDbaudit({"check", kExample.string(), "--format", "json"}, {}, {{"DATABASE_URL", cluster_->Url(database_)}});
  EXPECT_EQ(from_env.exit_code, 1) << from_env.err;
  EXPECT_NE(from_env.out.find("model-"), std::string::npos);
}

}  // namespace
}  // namespace dbaudit

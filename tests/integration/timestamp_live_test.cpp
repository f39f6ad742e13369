// The timestamp- rule fixtures loaded into a real PostgreSQL, with their real triggers and
// PL/pgSQL functions: read live (function bodies from pg_proc.prosrc), each gives the report
// that the offline run (the fixture's pg_dump) gives, i.e. expected.txt.
#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/pg_cluster.hpp"
#include "tests/support/process.hpp"

namespace dbaudit {
namespace {

namespace fs = std::filesystem;
using testing::ProcessResult;
using testing::RunDbaudit;

const fs::path kSource = DBAUDIT_SOURCE_DIR;

const std::map<std::string, std::string> kNoDatabaseEnvironment = {
    {"DATABASE_URL", ""}, {"PGHOST", ""}, {"PGPORT", ""}, {"PGDATABASE", ""}, {"PGUSER", ""}, {"PGPASSWORD", ""}};

std::vector<std::string> TimestampFixtures() {
  std::vector<std::string> ids;
  for (const auto& entry : fs::directory_iterator(kSource / "tests" / "rules")) {
    const std::string id = entry.path().filename().string();
    if (id.rfind("timestamp-", 0) == 0) ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

// Where the database side of a finding is differs by source and nothing else may: a line of
// schema.sql offline, an object URI (with the throwaway database's name) live. Both become
// "<database>"; rule, message, model locations, fixes and the summary stay as they are.
std::string MaskDatabaseLocations(const std::string& text) {
  std::istringstream in(text);
  std::string out;
  for (std::string line; std::getline(in, line);) {
    const std::size_t indent = line.find_first_not_of(' ');
    if (indent != std::string::npos &&
        (line.compare(indent, 11, "schema.sql:") == 0 || line.compare(indent, 13, "postgresql://") == 0)) {
      // The location ends at ": note:", ": warning:" or ": error:".
      std::size_t end = std::string::npos;
      for (const char* severity : {": note: ", ": warning: ", ": error: "}) {
        end = std::min(end, line.find(severity, indent));
      }
      if (end != std::string::npos) line = line.substr(0, indent) + "<database>" + line.substr(end);
    }
    out += line + "\n";
  }
  return out;
}

// Reports sort by location, and a finding at the database sorts by line offline but by object
// URI live: compare the findings (each with its indented lines) as a sorted list.
std::vector<std::string> FindingBlocks(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> blocks;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    if (line[0] == ' ' && !blocks.empty()) {
      blocks.back() += "\n" + line;
    } else {
      blocks.push_back(line);
    }
  }
  std::sort(blocks.begin(), blocks.end());
  return blocks;
}

TEST(MaskDatabaseLocations, MasksOnlyTheDatabaseSide) {
  EXPECT_EQ(MaskDatabaseLocations("models/a.py:3:5: warning: x\n  schema.sql:9:5: note: declared here\n"),
            "models/a.py:3:5: warning: x\n  <database>: note: declared here\n");
  EXPECT_EQ(MaskDatabaseLocations("postgresql://postgres@/db?host=/tmp#public.t.c: warning: y: z\n"),
            "<database>: warning: y: z\n");
}

class TimestampLive : public ::testing::TestWithParam<std::string> {};

TEST_P(TimestampLive, LiveReportEqualsTheOfflineExpectedReport) {
  const std::string id = GetParam();
  const fs::path dir = kSource / "tests" / "rules" / id;
  const std::string expected = testing::ReadFileOrEmpty((dir / "expected.txt").string());
  ASSERT_FALSE(expected.empty()) << id;

  const auto cluster = testing::TestCluster::Get();
  const std::string database = cluster.CreateDatabase("timestamp_fixture");
  cluster.RunSql(database, testing::ReadFileOrEmpty((dir / "schema.sql").string()));
  const std::vector<std::string> common = {
      "check", (dir / "models").string(), "--project-root", dir.string(), "--select", id};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> arguments = common;
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    return arguments;
  };
  const ProcessResult live = RunDbaudit(with({"--database-url", cluster.Url(database)}), {}, kNoDatabaseEnvironment);
  const ProcessResult live_json =
      RunDbaudit(with({"--database-url", cluster.Url(database), "--format", "json"}), {}, kNoDatabaseEnvironment);
  cluster.DropDatabase(database);
  const ProcessResult offline =
      RunDbaudit(with({"--schema-sql", (dir / "schema.sql").string()}), {}, kNoDatabaseEnvironment);
  const ProcessResult offline_json =
      RunDbaudit(with({"--schema-sql", (dir / "schema.sql").string(), "--format", "json"}), {}, kNoDatabaseEnvironment);

  // Findings exist, so exit code 1 on both sides (2 would mean the tool failed).
  EXPECT_EQ(live.exit_code, 1) << live.err;
  EXPECT_EQ(offline.exit_code, 1) << offline.err;
  EXPECT_EQ(offline.out, expected) << id;
  EXPECT_EQ(FindingBlocks(MaskDatabaseLocations(live.out)), FindingBlocks(MaskDatabaseLocations(expected)))
      << id << "\nlive:\n"
      << live.out;

  // Same subjects and fingerprints (a baseline made offline holds live), same fixes.
  const auto live_findings = nlohmann::json::parse(live_json.out)["findings"];
  const auto offline_findings = nlohmann::json::parse(offline_json.out)["findings"];
  ASSERT_EQ(live_findings.size(), offline_findings.size());
  ASSERT_FALSE(live_findings.empty());
  auto by_fingerprint = [](const nlohmann::json& findings) {
    std::map<std::string, nlohmann::json> out;
    for (const auto& finding : findings) {
      nlohmann::json kept = {{"rule", finding["rule"]}, {"message", finding["message"]}};
      kept["subject"] = finding.value("subject", nlohmann::json());
      kept["fix"] = finding.value("fix", nlohmann::json());
      out[finding["fingerprint"].get<std::string>()] = kept;
    }
    return out;
  };
  EXPECT_EQ(by_fingerprint(live_findings), by_fingerprint(offline_findings));
}

INSTANTIATE_TEST_SUITE_P(Fixtures, TimestampLive, ::testing::ValuesIn(TimestampFixtures()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace dbaudit

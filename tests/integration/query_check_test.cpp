// Query sites checked against a real throwaway PostgreSQL: the query- rule fixtures and the
// example give the same findings live as offline, and `dbaudit inventory` writes the
// annotated inventory from a live database.
#include <algorithm>
#include <filesystem>
#include <set>
#include <tuple>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "tests/support/pg_cluster.hpp"
#include "tests/support/process.hpp"

namespace dbaudit {
namespace {

namespace fs = std::filesystem;
using testing::ProcessResult;
using testing::RunDbaudit;

const fs::path kSource = DBAUDIT_SOURCE_DIR;
const fs::path kExample = kSource / "examples" / "flask_shop";

const std::map<std::string, std::string> kNoDatabaseEnvironment = {
    {"DATABASE_URL", ""}, {"PGHOST", ""}, {"PGPORT", ""}, {"PGDATABASE", ""}, {"PGUSER", ""}, {"PGPASSWORD", ""}};

std::vector<std::string> QueryFixtures() {
  std::vector<std::string> ids;
  for (const auto& entry : fs::directory_iterator(kSource / "tests" / "rules")) {
    const std::string id = entry.path().filename().string();
    if (id.rfind("query-", 0) == 0) ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

// Every query- fixture, loaded into a live database: the text report matches expected.txt
// byte for byte (query findings point into the Python code, never at the schema source).
TEST(QueryLive, RuleFixturesGiveTheSameReportLive) {
  const auto cluster = testing::TestCluster::Get();
  const auto ids = QueryFixtures();
  ASSERT_GE(ids.size(), 10u);
  for (const std::string& id : ids) {
    const fs::path dir = kSource / "tests" / "rules" / id;
    const std::string database = cluster.CreateDatabase("query_fixture");
    cluster.RunSql(database, testing::ReadFileOrEmpty((dir / "schema.sql").string()));
    const ProcessResult live = RunDbaudit({"check", (dir / "models").string(), "--project-root", dir.string(),
                                           "--database-url", cluster.Url(database), "--select", id},
                                          {}, kNoDatabaseEnvironment);
    cluster.DropDatabase(database);
    EXPECT_NE(live.exit_code, 2) << id << ": " << live.err;
    EXPECT_EQ(live.out, testing::ReadFileOrEmpty((dir / "expected.txt").string())) << id;
  }
}

class QueryLiveExample : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = std::make_unique<testing::TestCluster>(testing::TestCluster::Get());
    database_ = cluster_->CreateDatabase("query_example");
    cluster_->RunSql(database_, testing::ReadFileOrEmpty((kExample / "db" / "create.sql").string()));
    work_ = fs::temp_directory_path() / ("dbaudit_inventory_" + std::to_string(::getpid()));
    fs::remove_all(work_);
    fs::create_directories(work_);
  }
  void TearDown() override {
    if (cluster_) cluster_->DropDatabase(database_);
    fs::remove_all(work_);
  }
  std::unique_ptr<testing::TestCluster> cluster_;
  std::string database_;
  fs::path work_;
};

using FindingKey = std::tuple<std::string, std::string, int>;  // rule, file, line

std::set<FindingKey> QueryFindings(const std::string& json_text) {
  std::set<FindingKey> keys;
  const auto report = nlohmann::json::parse(json_text);  // kept alive for the loop below
  for (const auto& finding : report["findings"]) {
    const std::string rule = finding["rule"];
    if (rule.rfind("query-", 0) != 0) continue;
    keys.insert({rule, finding["location"]["file"], finding["location"]["line"]});
  }
  return keys;
}

TEST_F(QueryLiveExample, PlantedQueryBugsAreFoundLiveAndOffline) {
  const ProcessResult live = RunDbaudit({"check", kExample.string(), "--database-url", cluster_->Url(database_),
                                         "--select", "query-*", "--format", "json"},
                                        {}, kNoDatabaseEnvironment);
  ASSERT_EQ(live.exit_code, 1) << live.err;
  const ProcessResult offline =
      RunDbaudit({"check", kExample.string(), "--schema-sql", (kExample / "schema.sql").string(), "--select", "query-*",
                  "--format", "json"},
                 {}, kNoDatabaseEnvironment);
  ASSERT_EQ(offline.exit_code, 1) << offline.err;
  // examples/flask_shop/EXPECTED.md, "query- rules: must fire" (Q1-Q6), and nothing else.
  const std::set<FindingKey> expected = {
      {"query-sql-injection-risk", "app/routes/catalog.py", 32},
      {"query-unknown-column", "app/routes/reports.py", 44},
      {"query-filter-by-unknown-column", "app/routes/users.py", 26},
      {"query-column-not-in-database", "app/routes/users.py", 32},
      {"query-unknown-table", "scripts-debug/reset_audit.py", 10},
      {"query-write-without-where", "scripts-debug/reset_audit.py", 12},
  };
  EXPECT_EQ(QueryFindings(live.out), expected);
  EXPECT_EQ(QueryFindings(offline.out), expected);
}

TEST_F(QueryLiveExample, InventoryFromTheLiveDatabase) {
  const fs::path markdown = work_ / "db_inventory.md";
  const ProcessResult run =
      RunDbaudit({"inventory", kExample.string(), "--database-url", cluster_->Url(database_), "-o", markdown.string()},
                 {}, kNoDatabaseEnvironment);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string text = testing::ReadFileOrEmpty(markdown.string());
  ASSERT_FALSE(text.empty());
  // Phase 1 of the plan: root scripts, scripts-debug/ and routes are all listed.
  EXPECT_NE(text.find("| `scripts-debug/reset_audit.py` | scripts-debug |"), std::string::npos) << text;
  EXPECT_NE(text.find("| `scripts/export_customers.py` | scripts |"), std::string::npos) << text;
  // Risk and the OK / fix column (phase 5).
  const auto row = [&](const std::string& path) {
    const auto start = text.find("| `" + path + "`");
    return start == std::string::npos ? std::string() : text.substr(start, text.find('\n', start) - start);
  };
  EXPECT_NE(row("app/routes/catalog.py").find("| high |"), std::string::npos) << row("app/routes/catalog.py");
  EXPECT_NE(row("scripts-debug/reset_audit.py").find("| high | DELETE without WHERE"), std::string::npos)
      << row("scripts-debug/reset_audit.py");
  EXPECT_NE(row("scripts-debug/reset_audit.py").find("fix: 2 findings"), std::string::npos);
  EXPECT_NE(row("app/routes/orders.py").find("| low | ORM only | OK |"), std::string::npos)
      << row("app/routes/orders.py");
  EXPECT_NE(row("app/routes/users.py").find("fix: 2 findings"), std::string::npos) << row("app/routes/users.py");
  EXPECT_NE(text.find("- line 44: error: SQL sent by text names column \"o.paid_at\""), std::string::npos) << text;

  // JSON: deterministic, and the same rows offline.
  const ProcessResult json_live =
      RunDbaudit({"inventory", kExample.string(), "--database-url", cluster_->Url(database_), "--format", "json"}, {},
                 kNoDatabaseEnvironment);
  const ProcessResult json_again =
      RunDbaudit({"inventory", kExample.string(), "--database-url", cluster_->Url(database_), "--format", "json"}, {},
                 kNoDatabaseEnvironment);
  ASSERT_EQ(json_live.exit_code, 0) << json_live.err;
  EXPECT_EQ(json_live.out, json_again.out);
  const ProcessResult json_offline = RunDbaudit(
      {"inventory", kExample.string(), "--schema-sql", (kExample / "schema.sql").string(), "--format", "json"}, {},
      kNoDatabaseEnvironment);
  const auto live_files = nlohmann::json::parse(json_live.out)["files"];
  const auto offline_files = nlohmann::json::parse(json_offline.out)["files"];
  EXPECT_EQ(live_files, offline_files);
  EXPECT_GE(live_files.size(), 10u);
}

}  // namespace
}  // namespace dbaudit

// `dbaudit audit` against the throwaway PostgreSQL: one live read feeds every artifact, the
// exported schema names the live source (never a password), and a refused connection writes
// nothing.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "tests/support/pg_cluster.hpp"
#include "tests/support/process.hpp"

namespace dbaudit {
namespace {

namespace fs = std::filesystem;

const std::map<std::string, std::string> kNoDatabaseEnvironment = {
    {"DATABASE_URL", ""}, {"PGHOST", ""}, {"PGPORT", ""}, {"PGDATABASE", ""}, {"PGUSER", ""}, {"PGPASSWORD", ""}};

constexpr const char* kSchema = R"sql(
CREATE TABLE public.users (id serial PRIMARY KEY, email varchar(255) NOT NULL UNIQUE);
CREATE TABLE public.orders (id serial PRIMARY KEY, user_id integer NOT NULL REFERENCES public.users(id),
                            total numeric(10, 2));
)sql";

constexpr const char* kModels =
    "from flask_sqlalchemy import SQLAlchemy\n"
    "from sqlalchemy import text\n"
    "db = SQLAlchemy()\n"
    "class User(db.Model):\n"
    "    __tablename__ = 'users'\n"
    "    id = db.Column(db.Integer, primary_key=True)\n"
    "    email = db.Column(db.String(255), nullable=True, unique=True)\n"
    "class Order(db.Model):\n"
    "    __tablename__ = 'orders'\n"
    "    id = db.Column(db.Integer, primary_key=True)\n"
    "    user_id = db.Column(db.Integer, db.ForeignKey('users.id'), nullable=False)\n"
    "def totals():\n"
    "    return db.session.execute(text('SELECT sum(totl) FROM orders'))\n";

class AuditLive : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = std::make_unique<testing::TestCluster>(testing::TestCluster::Get());
    database_ = cluster_->CreateDatabase("audit_live");
    cluster_->RunSql(database_, kSchema);
    work_ = fs::temp_directory_path() / ("dbaudit_audit_live_" + std::to_string(::getpid()));
    fs::remove_all(work_);
    fs::create_directories(work_ / "app");
    std::ofstream(work_ / "app" / "models.py") << kModels;
  }
  void TearDown() override {
    if (cluster_) cluster_->DropDatabase(database_);
    fs::remove_all(work_);
  }
  std::string Read(const std::string& relative) const { return testing::ReadFileOrEmpty((work_ / relative).string()); }

  std::unique_ptr<testing::TestCluster> cluster_;
  std::string database_;
  fs::path work_;
};

TEST_F(AuditLive, EveryArtifactFromTheLiveDatabase) {
  const auto run = testing::RunDbaudit(
      {"audit", work_.string(), "--database-url", cluster_->Url(database_), "--output-dir", (work_ / "out").string()},
      {}, kNoDatabaseEnvironment);
  ASSERT_EQ(run.exit_code, 1) << run.out << run.err;
  for (const char* name : {"database_schema_actual.md", "model_comparison_results.md", "db_inventory.md",
                           "constraints_gap.md", "dbaudit.sarif"}) {
    EXPECT_TRUE(fs::exists(work_ / "out" / name)) << name << "\n" << run.out;
  }
  EXPECT_FALSE(fs::exists(work_ / "out" / "schema_discrepancies.json"));
  EXPECT_EQ(Read("out/constraints_gap.md").rfind("# ", 0), 0u);
  const std::string schema = Read("out/database_schema_actual.md");
  EXPECT_NE(schema.find("live, read-only"), std::string::npos) << schema.substr(0, 400);
  EXPECT_NE(schema.find("orders"), std::string::npos);

  const auto sarif = nlohmann::json::parse(Read("out/dbaudit.sarif"));
  std::set<std::string> rules;
  for (const auto& result : sarif["runs"][0]["results"]) rules.insert(result["ruleId"].get<std::string>());
  EXPECT_TRUE(rules.count("model-nullable-mismatch")) << run.out;
  EXPECT_TRUE(rules.count("query-unknown-column")) << run.out;
  EXPECT_NE(run.out.find("model_comparison_results.md  created"), std::string::npos) << run.out;

  // The same live database, audited again: nothing changes on disk.
  const auto again = testing::RunDbaudit(
      {"audit", work_.string(), "--database-url", cluster_->Url(database_), "--output-dir", (work_ / "out").string()},
      {}, kNoDatabaseEnvironment);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_EQ(again.out.find("created"), std::string::npos) << again.out;
  EXPECT_EQ(again.out.find("updated"), std::string::npos) << again.out;
  EXPECT_FALSE(fs::exists(work_ / "out" / "old_versions"));

  // A schema change shows in the export, and the old export is kept.
  cluster_->RunSql(database_, "ALTER TABLE public.orders ADD COLUMN note text;");
  const auto changed = testing::RunDbaudit(
      {"audit", work_.string(), "--database-url", cluster_->Url(database_), "--output-dir", (work_ / "out").string()},
      {}, kNoDatabaseEnvironment);
  EXPECT_NE(changed.exit_code, 2) << changed.err;
  EXPECT_NE(Read("out/database_schema_actual.md").find("note"), std::string::npos);
  bool export_backup = false;
  for (const auto& entry : fs::directory_iterator(work_ / "out" / "old_versions")) {
    export_backup = export_backup || entry.path().filename().string().rfind("database_schema_actual.", 0) == 0;
  }
  EXPECT_TRUE(export_backup) << changed.out;
}

TEST_F(AuditLive, RefusedConnectionWritesNothing) {
  // A port nothing listens on: the connection is refused.
  const auto run = testing::RunDbaudit(
      {"audit", work_.string(), "--database-url", "postgresql://nobody:secret@127.0.0.1:1/nothing?connect_timeout=2",
       "--output-dir", (work_ / "out").string()},
      {}, kNoDatabaseEnvironment);
  EXPECT_EQ(run.exit_code, 2) << run.out;
  EXPECT_NE(run.err.find("nothing was written"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("secret"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(work_ / "out"));
}

}  // namespace
}  // namespace dbaudit

// `dbaudit audit` end to end on a small offline project: every artifact written, unchanged
// artifacts left alone, changed ones backed up, nothing written when the schema fails, the
// baseline and --fail-on honoured, the summary deterministic.
#include "analyzer/driver/audit.hpp"

#include <filesystem>
#include <fstream>
#include <regex>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "tests/support/process.hpp"
#include "tests/support/temp_project.hpp"

namespace dbaudit::driver {
namespace {

namespace fs = std::filesystem;

// A project folder of this test file's own.
class TempProject : public testing::TempProject {
 public:
  TempProject() : testing::TempProject("audit") {}
};

constexpr const char* kSchema =
    "CREATE TABLE public.users (id integer NOT NULL, email character varying(255) NOT NULL,"
    " CONSTRAINT users_pkey PRIMARY KEY (id));\n"
    "CREATE TABLE public.orders (id integer NOT NULL, user_id integer NOT NULL,"
    " CONSTRAINT orders_pkey PRIMARY KEY (id),"
    " CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id));\n";

// email is nullable in the models (a model- warning), and a raw query names a table that
// does not exist (a query- error).
constexpr const char* kModels =
    "from flask_sqlalchemy import SQLAlchemy\n"
    "from sqlalchemy import text\n"
    "db = SQLAlchemy()\n"
    "class User(db.Model):\n"
    "    __tablename__ = 'users'\n"
    "    id = db.Column(db.Integer, primary_key=True)\n"
    "    email = db.Column(db.String(255), nullable=True)\n"
    "class Order(db.Model):\n"
    "    __tablename__ = 'orders'\n"
    "    id = db.Column(db.Integer, primary_key=True)\n"
    "    user_id = db.Column(db.Integer, db.ForeignKey('users.id'), nullable=False)\n"
    "def count():\n"
    "    return db.session.execute(text('SELECT count(*) FROM userz'))\n";

constexpr const char* kDocument =
    "# Schema\n\n"
    "## users\n\n"
    "| Column | Type | Nullable |\n"
    "|---|---|---|\n"
    "| id | integer | NO |\n"
    "| email | varchar(255) | NO |\n"
    "| nickname | text | YES |\n";

const std::vector<std::string> kArtifacts = {"constraints_gap.md", "database_schema_actual.md", "db_inventory.md",
                                             "dbaudit.sarif", "model_comparison_results.md"};

class AuditCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    project_.Write("schema.sql", kSchema);
    project_.Write("app/models.py", kModels);
  }
  testing::ProcessResult Audit(std::vector<std::string> extra = {}) const {
    std::vector<std::string> arguments = {"audit",
                                          project_.path().string(),
                                          "--schema-sql",
                                          (project_.path() / "schema.sql").string(),
                                          "--no-env",
                                          "--output-dir",
                                          (project_.path() / "out").string()};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    return testing::RunDbaudit(arguments);
  }
  TempProject project_;
};

TEST_F(AuditCommand, WritesEveryArtifactFromOneRun) {
  const auto run = Audit();
  ASSERT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_EQ(project_.List("out"), kArtifacts);
  EXPECT_EQ(project_.Read("out/constraints_gap.md").rfind("# ", 0), 0u);
  EXPECT_NE(project_.Read("out/database_schema_actual.md").find("users"), std::string::npos);
  EXPECT_NE(project_.Read("out/database_schema_actual.md").find("schema.sql (offline)"), std::string::npos);
  EXPECT_NE(project_.Read("out/db_inventory.md").find("app/models.py"), std::string::npos);
  EXPECT_NE(project_.Read("out/model_comparison_results.md").find("users.email"), std::string::npos);

  // The SARIF holds every finding of the run: the model- and the query- one.
  const auto sarif = nlohmann::json::parse(project_.Read("out/dbaudit.sarif"));
  std::set<std::string> rules;
  for (const auto& result : sarif["runs"][0]["results"]) rules.insert(result["ruleId"].get<std::string>());
  EXPECT_TRUE(rules.count("model-nullable-mismatch")) << project_.Read("out/dbaudit.sarif");
  EXPECT_TRUE(rules.count("query-unknown-table")) << project_.Read("out/dbaudit.sarif");

  // The summary: families with counts, every artifact, the exit code's reason; no progress
  // lines on a stderr that is no terminal.
  EXPECT_NE(run.out.find("dbaudit audit: "), std::string::npos) << run.out;
  for (const char* family : {"model", "query", "timestamp", "schema", "docs", "input"}) {
    EXPECT_TRUE(std::regex_search(run.out, std::regex(std::string("\n  ") + family + " +[0-9]"))) << family << run.out;
  }
  EXPECT_TRUE(std::regex_search(run.out, std::regex("\n  query +1 "))) << run.out;
  for (const auto& name : kArtifacts) {
    EXPECT_TRUE(std::regex_search(
        run.out, std::regex("\n  " + std::regex_replace(name, std::regex("\\."), "\\.") + " +created ")))
        << name << run.out;
  }
  EXPECT_NE(run.out.find("schema_discrepancies.json    skipped"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("exit code 1: "), std::string::npos) << run.out;
  EXPECT_EQ(run.err.find("reading the schema"), std::string::npos) << run.err;
}

TEST_F(AuditCommand, UnchangedArtifactsAreNeitherRewrittenNorBackedUp) {
  ASSERT_EQ(Audit().exit_code, 1);
  const auto before = fs::last_write_time(project_.path() / "out" / "db_inventory.md");
  const auto second = Audit();
  const auto third = Audit();
  EXPECT_EQ(second.out, third.out) << "the summary must be deterministic";
  for (const auto& name : kArtifacts) {
    EXPECT_NE(second.out.find(name + std::string(28 - name.size() + 1, ' ') + "unchanged"), std::string::npos)
        << name << second.out;
  }
  EXPECT_EQ(fs::last_write_time(project_.path() / "out" / "db_inventory.md"), before);
  EXPECT_TRUE(project_.List("out/old_versions").empty());
}

TEST_F(AuditCommand, ChangedArtifactsAreBackedUpFirst) {
  ASSERT_EQ(Audit().exit_code, 1);
  const std::string old_comparison = project_.Read("out/model_comparison_results.md");
  // Fix the model: the comparison and the SARIF change, the schema export does not.
  std::string fixed = kModels;
  fixed.replace(fixed.find("nullable=True"), 13, "nullable=False");
  project_.Write("app/models.py", fixed);
  const auto run = Audit();
  EXPECT_NE(project_.Read("out/model_comparison_results.md"), old_comparison);
  const auto backups = project_.List("out/old_versions");
  ASSERT_EQ(backups.size(), 2u) << run.out;
  EXPECT_TRUE(std::regex_match(backups[0], std::regex(R"(dbaudit\.[0-9]{8}T[0-9]{6}Z(-[0-9]+)?\.sarif)")))
      << backups[0];
  EXPECT_TRUE(std::regex_match(backups[1], std::regex(R"(model_comparison_results\.[0-9]{8}T[0-9]{6}Z(-[0-9]+)?\.md)")))
      << backups[1];
  EXPECT_EQ(project_.Read("out/old_versions/" + backups[1]), old_comparison);
  EXPECT_NE(run.out.find("(old version: "), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("database_schema_actual.md    unchanged"), std::string::npos) << run.out;

  // --no-backup replaces without a copy.
  project_.Write("app/models.py", kModels);
  ASSERT_EQ(Audit({"--no-backup"}).exit_code, 1);
  EXPECT_EQ(project_.List("out/old_versions").size(), 2u);
  EXPECT_EQ(project_.Read("out/model_comparison_results.md"), old_comparison);
}

TEST_F(AuditCommand, NoSchemaMeansExitTwoAndNothingWritten) {
  const auto run = testing::RunDbaudit(
      {"audit", project_.path().string(), "--no-env", "--output-dir", (project_.path() / "out").string()}, {},
      {{"DATABASE_URL", ""}, {"PGHOST", ""}, {"PGDATABASE", ""}});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("no schema source"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("nothing was written"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(project_.path() / "out"));

  // A document that cannot be read stops the run before anything is written, too.
  const auto missing_doc = Audit({"--docs", (project_.path() / "missing.md").string()});
  EXPECT_EQ(missing_doc.exit_code, 2) << missing_doc.out;
  EXPECT_FALSE(fs::exists(project_.path() / "out"));
}

TEST_F(AuditCommand, DocumentFindingsJoinTheReport) {
  project_.Write("docs/schema.md", kDocument);
  const auto run = Audit({"--docs", (project_.path() / "docs" / "schema.md").string()});
  ASSERT_NE(run.exit_code, 2) << run.out << run.err;
  const auto discrepancies = nlohmann::json::parse(project_.Read("out/schema_discrepancies.json"));
  EXPECT_GT(discrepancies["summary"]["total"].get<int>(), 0) << discrepancies.dump(2);
  const auto sarif = nlohmann::json::parse(project_.Read("out/dbaudit.sarif"));
  bool docs_finding = false;
  for (const auto& result : sarif["runs"][0]["results"]) {
    docs_finding = docs_finding || result["ruleId"].get<std::string>().rfind("docs-", 0) == 0;
  }
  EXPECT_TRUE(docs_finding) << project_.Read("out/dbaudit.sarif");
  EXPECT_FALSE(std::regex_search(run.out, std::regex("\n  docs +0 +0 +0\n"))) << run.out;
  EXPECT_NE(run.out.find("schema_discrepancies.json    created"), std::string::npos) << run.out;
}

TEST_F(AuditCommand, FailOnAndBaseline) {
  // One error (query-unknown-table) and one warning.
  EXPECT_EQ(Audit({"--fail-on", "never"}).exit_code, 0);
  const auto errors_only = Audit({"--fail-on", "error"});
  EXPECT_EQ(errors_only.exit_code, 1) << errors_only.out;

  const auto all = nlohmann::json::parse(project_.Read("out/dbaudit.sarif"))["runs"][0]["results"].size();
  ASSERT_GE(all, 2u);
  const auto write = testing::RunDbaudit({"check", project_.path().string(), "--schema-sql",
                                          (project_.path() / "schema.sql").string(), "--no-env", "--write-baseline"});
  ASSERT_EQ(write.exit_code, 0) << write.err;
  const auto known = Audit({"--baseline", (project_.path() / "dbaudit-baseline.json").string()});
  EXPECT_EQ(known.exit_code, 0) << known.out << known.err;
  EXPECT_NE(known.out.find(std::to_string(all) + " findings are in the baseline"), std::string::npos) << known.out;
  EXPECT_NE(known.out.find("exit code 0: no new finding"), std::string::npos) << known.out;
  const auto sarif = nlohmann::json::parse(project_.Read("out/dbaudit.sarif"));
  EXPECT_TRUE(sarif["runs"][0]["results"].empty()) << sarif.dump(2);
  // The Markdown record keeps the known debt.
  EXPECT_NE(project_.Read("out/model_comparison_results.md").find("users.email"), std::string::npos);
}

TEST_F(AuditCommand, ConfiguredPathsWin) {
  project_.Write("dbaudit.toml",
                 "inventory-output = \"reports/inventory.md\"\n"
                 "sarif-output = \"reports/audit.sarif\"\n"
                 "docs-backup-dir = \"history\"\n");
  const auto run = Audit();
  ASSERT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_EQ(project_.List("reports"), (std::vector<std::string>{"audit.sarif", "inventory.md"}));
  EXPECT_EQ(project_.List("out"), (std::vector<std::string>{"constraints_gap.md", "database_schema_actual.md",
                                                            "model_comparison_results.md"}));
  project_.Write("app/models.py",
                 std::string(kModels) + "def more():\n    return db.session.execute(text('SELECT 1'))\n");
  Audit();
  EXPECT_EQ(project_.List("history").size(), 1u) << "the inventory changed; its old version goes to docs-backup-dir";
}

TEST_F(AuditCommand, SelectNarrowsTheRulesAndRejectsUnknownPatterns) {
  const auto run = Audit({"--select", "query-*"});
  ASSERT_EQ(run.exit_code, 1) << run.out << run.err;
  const auto sarif = nlohmann::json::parse(project_.Read("out/dbaudit.sarif"));
  ASSERT_FALSE(sarif["runs"][0]["results"].empty());
  for (const auto& result : sarif["runs"][0]["results"]) {
    EXPECT_EQ(result["ruleId"].get<std::string>().rfind("query-", 0), 0u) << result["ruleId"];
  }
  const auto unknown = Audit({"--select", "nonsense-*"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("matches no rule"), std::string::npos) << unknown.err;
}

TEST(AuditSupport, GroupsThousands) {
  EXPECT_EQ(GroupThousands(0), "0");
  EXPECT_EQ(GroupThousands(999), "999");
  EXPECT_EQ(GroupThousands(1234), "1,234");
  EXPECT_EQ(GroupThousands(1234567), "1,234,567");
}

}  // namespace
}  // namespace dbaudit::driver

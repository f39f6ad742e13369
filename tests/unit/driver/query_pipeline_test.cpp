// The query pipeline through the driver (RunCheck, BuildInventory) on small projects written
// to a temp folder: file roles, risk levels, .gitignore and --exclude, and bad input that
// must end in notes, never in a crash.
#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "analyzer/driver/check.hpp"
#include "analyzer/driver/inventory.hpp"
#include "reports/inventory.hpp"

namespace dbaudit::driver {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class Project {
 public:
  Project() {
    root_ =
        fs::temp_directory_path() / ("dbaudit-query-" + std::to_string(getpid()) + "-" + std::to_string(counter_++));
    fs::remove_all(root_);
    fs::create_directories(root_);
    Write("schema.sql",
          "CREATE TABLE public.users (id integer NOT NULL, email text NOT NULL);\n"
          "CREATE TABLE public.orders (id integer NOT NULL, user_id integer, total numeric);\n");
  }
  ~Project() { fs::remove_all(root_); }
  void Write(const std::string& relative, const std::string& text) const {
    fs::create_directories((root_ / relative).parent_path());
    std::ofstream(root_ / relative, std::ios::binary) << text;
  }
  CheckRun Check(std::vector<std::string> exclude = {}) const {
    CheckOptions options;
    options.project_root = root_;
    options.paths = {root_};
    options.schema_sql = (root_ / "schema.sql").string();
    options.allow_environment_connection = false;
    options.exclude = std::move(exclude);
    options.select = {"query-*"};
    options.threads = 2;
    return RunCheck(options);
  }
  const fs::path& root() const { return root_; }

 private:
  static inline int counter_ = 0;
  fs::path root_;
};

const reports::InventoryFile* Row(const reports::InventoryReport& report, const std::string& path) {
  for (const auto& row : report.files) {
    if (row.path == path) return &row;
  }
  return nullptr;
}

TEST(FileRole, ThePlansCategories) {
  EXPECT_EQ(FileRole("manage.py", false), "root script");
  EXPECT_EQ(FileRole("app/models/user.py", false), "models");
  EXPECT_EQ(FileRole("app/routes/users.py", false), "routes");
  EXPECT_EQ(FileRole("app/utils/db.py", false), "utils");
  EXPECT_EQ(FileRole("scripts-debug/fix.py", false), "scripts-debug");
  EXPECT_EQ(FileRole("temp/one_off.py", false), "temp");
  EXPECT_EQ(FileRole("migrations/versions/001_init.py", false), "migrations");
  EXPECT_EQ(FileRole("app/anything.py", true), "migrations");
  EXPECT_EQ(FileRole("tests/test_users.py", false), "tests");
  EXPECT_EQ(FileRole("app/models.py", false), "models");
  EXPECT_EQ(FileRole("app/core.py", false), "other");
}

TEST(Inventory, RiskLevelsAndReasons) {
  Project project;
  project.Write("app/orm_only.py",
                "from flask_sqlalchemy import SQLAlchemy\n"
                "db = SQLAlchemy()\n"
                "def add(obj):\n"
                "    db.session.add(obj)\n"
                "    db.session.commit()\n");
  project.Write("app/raw.py",
                "from sqlalchemy import text\n"
                "def count(session):\n"
                "    return session.execute(text(\"SELECT count(*) FROM users\")).scalar()\n");
  project.Write("app/built.py",
                "def find(cursor, email):\n"
                "    cursor.execute(f\"SELECT id FROM users WHERE email = '{email}'\")\n");
  project.Write("temp/drop.py",
                "def reset(cursor):\n"
                "    cursor.execute(\"DROP TABLE orders\")\n");
  project.Write("migrations/versions/001_init.py",
                "from alembic import op\n"
                "def upgrade():\n"
                "    op.execute(\"DROP TABLE IF EXISTS orders\")\n");
  const CheckRun run = project.Check();
  ASSERT_FALSE(run.fatal_error) << *run.fatal_error;
  const reports::InventoryReport inventory = BuildInventory(run);

  const auto* orm = Row(inventory, "app/orm_only.py");
  ASSERT_NE(orm, nullptr);
  EXPECT_EQ(orm->risk, reports::RiskLevel::kLow);
  EXPECT_EQ(orm->risk_reason, "ORM only");
  const auto* raw = Row(inventory, "app/raw.py");
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(raw->risk, reports::RiskLevel::kMedium);
  EXPECT_EQ(raw->tables, std::vector<std::string>{"users"});
  const auto* built = Row(inventory, "app/built.py");
  ASSERT_NE(built, nullptr);
  EXPECT_EQ(built->risk, reports::RiskLevel::kHigh);
  EXPECT_THAT(built->risk_reason, HasSubstr("string-built SQL at line 2"));
  ASSERT_EQ(built->findings.size(), 1u);
  EXPECT_EQ(built->findings[0].rule_id, "query-sql-injection-risk");
  const auto* drop = Row(inventory, "temp/drop.py");
  ASSERT_NE(drop, nullptr);
  EXPECT_EQ(drop->role, "temp");
  EXPECT_EQ(drop->risk, reports::RiskLevel::kHigh);
  EXPECT_THAT(drop->risk_reason, HasSubstr("DROP TABLE at line 2 outside migrations"));
  const auto* migration = Row(inventory, "migrations/versions/001_init.py");
  ASSERT_NE(migration, nullptr);
  // A migration that drops a table is what migrations are for: not high risk.
  EXPECT_EQ(migration->role, "migrations");
  EXPECT_NE(migration->risk, reports::RiskLevel::kHigh) << migration->risk_reason;

  const std::string markdown = reports::RenderInventoryMarkdown(inventory);
  EXPECT_THAT(markdown, HasSubstr("| `app/built.py` | other |"));
  EXPECT_EQ(markdown, reports::RenderInventoryMarkdown(BuildInventory(project.Check())));  // deterministic
}

TEST(Inventory, GitignoreAndExcludeAreRespected) {
  Project project;
  const std::string risky = "def f(cursor, x):\n    cursor.execute(\"SELECT * FROM users WHERE id = \" + x)\n";
  project.Write(".gitignore", "# generated code\n/generated/\n*.tmp.py\n!keep.tmp.py\n");
  project.Write("generated/client.py", risky);
  project.Write("app/scratch.tmp.py", risky);
  project.Write("app/keep.tmp.py", risky);
  project.Write("app/sub/.gitignore", "local_only.py\n");
  project.Write("app/sub/local_only.py", risky);
  project.Write("app/vendor/lib.py", risky);
  project.Write("app/real.py", risky);
  const CheckRun run = project.Check({"app/vendor"});
  ASSERT_FALSE(run.fatal_error);
  std::vector<std::string> paths;
  for (const auto& file : run.queries) paths.push_back(file.display_path);
  EXPECT_EQ(paths, (std::vector<std::string>{"app/keep.tmp.py", "app/real.py"}));
}

TEST(QueryBadInput, HugeWeirdAndBrokenSourcesEndInNotes) {
  Project project;
  // A 50,000-line generated file with a query every ten lines.
  std::string generated;
  for (int i = 0; i < 5000; ++i) {
    generated += "def f" + std::to_string(i) + "(cursor):\n";
    generated += "    cursor.execute(\"SELECT id FROM users WHERE id = %s\", (" + std::to_string(i) + ",))\n";
    for (int j = 0; j < 8; ++j) generated += "    x" + std::to_string(j) + " = " + std::to_string(j) + "\n";
  }
  project.Write("app/generated.py", generated);
  // An enormous literal (4 MB of SQL), an unterminated quote, binary escapes, deep nesting.
  std::string values;
  for (int i = 0; i < 200000; ++i) values += (i ? ", (" : "(") + std::to_string(i) + ")";
  project.Write("app/big.py",
                "from sqlalchemy import text\n"
                "def load(session):\n"
                "    session.execute(text(\"INSERT INTO orders (id) VALUES " +
                    values + "\"))\n");
  project.Write("app/broken.py",
                "from sqlalchemy import text\n"
                "def a(session):\n"
                "    session.execute(text(\"SELECT 'abc FROM users\"))\n"
                "def b(session):\n"
                "    session.execute(text(\"SELECT '\\x00\\xff' FROM users\"))\n"
                "def c(session):\n"
                "    session.execute(text(\"SELECT " +
                    std::string(3000, '(') + "1" + std::string(3000, ')') +
                    "\"))\n"
                    "y = " +
                    std::string(2000, '(') + "1" + std::string(2000, ')') + "\n");
  const CheckRun run = project.Check();
  ASSERT_FALSE(run.fatal_error);
  std::size_t sites = 0;
  for (const auto& file : run.queries) sites += file.sites.size();
  EXPECT_GE(sites, 5000u);
  bool unterminated_reported = false;
  for (const auto& finding : run.report.findings) {
    if (finding.location.file == "app/broken.py" && finding.location.line == 3) {
      unterminated_reported = finding.rule_id == "query-syntax-error";
    }
    // The big INSERT and the generated queries are fine SQL.
    EXPECT_NE(finding.location.file, "app/generated.py") << finding.message;
    EXPECT_NE(finding.location.file, "app/big.py") << finding.message;
  }
  EXPECT_TRUE(unterminated_reported);
}

}  // namespace
}  // namespace dbaudit::driver

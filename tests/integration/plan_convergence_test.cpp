// `dbaudit plan` against a real throwaway PostgreSQL: a drifted database plus models gives a
// script that psql runs twice (the second run changes nothing), after which `dbaudit check`
// reports none of the findings the script fixed. Also: hostile table and column names touch
// only their own table, and the timestamp- / schema- changes converge from hand-built findings
// (the subject contract those rules follow).
// Test suites are named plan_* / change_script* so that `ctest -R "plan|change_script"` finds them.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "analyzer/driver/plan.hpp"
#include "analyzer/driver/schema_source.hpp"
#include "reports/change_script.hpp"
#include "tests/support/pg_cluster.hpp"
#include "tests/support/process.hpp"

namespace dbaudit {
namespace {

namespace fs = std::filesystem;
using testing::ProcessResult;
using testing::RunDbaudit;
using testing::TestCluster;

const std::map<std::string, std::string> kNoDatabaseEnvironment = {
    {"DATABASE_URL", ""}, {"PGHOST", ""},     {"PGPORT", ""},    {"PGDATABASE", ""},
    {"PGUSER", ""},       {"PGPASSWORD", ""}, {"PGOPTIONS", ""}, {"SOURCE_DATE_EPOCH", "1767312000"}};  // 2026-01-02

constexpr const char* kDriftedSchema = R"sql(
CREATE TYPE mood AS ENUM ('ok', 'happy');
CREATE TABLE users (
  id serial PRIMARY KEY,
  email varchar(255),
  name varchar(100) NOT NULL,
  status varchar(20) DEFAULT 'pending',
  mood mood,
  legacy text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz
);
CREATE TABLE orders (
  id serial PRIMARY KEY,
  user_id integer NOT NULL,
  note text,
  placed_at timestamptz
);
CREATE INDEX ix_orders_placed_old ON orders (placed_at);
CREATE TABLE payments (
  id serial PRIMARY KEY,
  order_id integer REFERENCES orders (id)
);
CREATE TABLE old_audit (id integer PRIMARY KEY);
INSERT INTO users (email, name) VALUES ('a@example.com', 'A'), ('b@example.com', 'B');
INSERT INTO orders (user_id, note) VALUES (1, 'first');
)sql";

constexpr const char* kModels = R"py(from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import func

db = SQLAlchemy()


class User(db.Model):
    __tablename__ = "users"
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(255), nullable=False, unique=True)
    name = db.Column(db.String(200), nullable=False)
    status = db.Column(db.String(20), server_default="active")
    mood = db.Column(db.Enum("sad", "ok", "happy", name="mood"))
    nickname = db.Column(db.String(50))
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, server_default=func.now())
    updated_at = db.Column(db.DateTime(timezone=True), onupdate=func.now())


class Order(db.Model):
    __tablename__ = "orders"
    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    note = db.Column(db.Text, index=True)
    placed_at = db.Column(db.DateTime(timezone=True))


class Payment(db.Model):
    __tablename__ = "payments"
    id = db.Column(db.Integer, primary_key=True)
    order_id = db.Column(db.Integer, db.ForeignKey("orders.id", ondelete="CASCADE"))
)py";

// The model- findings the drift above must produce (and the plan must fix, or leave commented out).
const std::set<std::string> kExpectedFixable = {"model-column-not-in-database",
                                                "model-nullable-mismatch",
                                                "model-server-default-mismatch",
                                                "model-type-mismatch",
                                                "model-enum-mismatch",
                                                "model-foreign-key-not-in-database",
                                                "model-foreign-key-action-mismatch",
                                                "model-unique-not-in-database",
                                                "model-index-not-in-database"};
const std::set<std::string> kExpectedDestructive = {"model-column-not-in-models", "model-table-not-in-models",
                                                    "model-index-not-in-models"};

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

struct CheckedFinding {
  std::string rule;
  std::string fingerprint;
};

class plan_convergence : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = std::make_unique<TestCluster>(TestCluster::Get());
    database_ = cluster_->CreateDatabase("plan");
    work_ = fs::temp_directory_path() / ("dbaudit_plan_" + std::to_string(getpid()) + "_" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(work_);
    fs::create_directories(work_ / "app");
  }
  void TearDown() override {
    fs::remove_all(work_);
    if (cluster_) cluster_->DropDatabase(database_);
  }

  void WriteModels(const std::string& text) const { std::ofstream(work_ / "app" / "models.py") << text; }

  // psql as an operator would run the script: no ~/.psqlrc, stop at the first error.
  ProcessResult RunScript(const fs::path& script) const {
    return testing::RunProcess({"psql", "-X", "-q", "-h", cluster_->socket_dir(), "-p", cluster_->port(), "-U",
                                "postgres", "-d", database_, "-f", script.string()});
  }

  std::string Query(const std::string& sql) const {
    const ProcessResult result =
        testing::RunProcess({"psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", cluster_->socket_dir(),
                             "-p", cluster_->port(), "-U", "postgres", "-d", database_, "-c", sql});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    std::string out = result.out;
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  }

  std::vector<CheckedFinding> Check() const {
    const ProcessResult run = RunDbaudit({"check", (work_ / "app").string(), "--project-root", work_.string(),
                                          "--database-url", cluster_->Url(database_), "--format", "json"},
                                         {}, kNoDatabaseEnvironment);
    EXPECT_NE(run.exit_code, 2) << run.err;
    std::vector<CheckedFinding> findings;
    const auto report = nlohmann::json::parse(run.out.empty() ? "{}" : run.out);
    for (const auto& finding : report.value("findings", nlohmann::json::array())) {
      findings.push_back({finding.value("rule", ""), finding.value("fingerprint", "")});
    }
    return findings;
  }

  // pg_dump --schema-only without the \restrict / \unrestrict lines, whose key is random per run.
  static std::string StableDump(const TestCluster& cluster, const std::string& database) {
    const std::string dump = cluster.DumpSchema(database);
    std::string out;
    std::size_t start = 0;
    while (start < dump.size()) {
      std::size_t end = dump.find('\n', start);
      if (end == std::string::npos) end = dump.size();
      const std::string line = dump.substr(start, end - start);
      if (!line.starts_with("\\restrict") && !line.starts_with("\\unrestrict")) out += line + "\n";
      start = end + 1;
    }
    return out;
  }

  // Runs `dbaudit plan` and returns the script it wrote.
  fs::path Plan(std::vector<std::string> extra) const {
    std::vector<std::string> arguments = {"plan",           (work_ / "app").string(),
                                          "--project-root", work_.string(),
                                          "--database-url", cluster_->Url(database_),
                                          "--output-dir",   (work_ / "temp").string(),
                                          "--changelog",    (work_ / "pgdb_changes.md").string()};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    auto listing = [&] {
      std::set<fs::path> files;
      if (fs::exists(work_ / "temp")) {
        for (const auto& entry : fs::directory_iterator(work_ / "temp")) files.insert(entry.path());
      }
      return files;
    };
    const std::set<fs::path> before = listing();
    const ProcessResult run = RunDbaudit(arguments, {}, kNoDatabaseEnvironment);
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    std::vector<fs::path> added;
    for (const auto& path : listing()) {
      if (!before.count(path)) added.push_back(path);
    }
    EXPECT_EQ(added.size(), 1u) << run.out << run.err;
    return added.size() == 1 ? added.front() : fs::path();
  }

  // Runs the script twice: both succeed and the second leaves the schema as the first left it.
  void RunTwice(const fs::path& script) const {
    const ProcessResult first = RunScript(script);
    ASSERT_EQ(first.exit_code, 0) << first.err << "\n" << ReadText(script);
    const std::string after_first = StableDump(*cluster_, database_);
    const ProcessResult second = RunScript(script);
    ASSERT_EQ(second.exit_code, 0) << second.err << "\n" << ReadText(script);
    EXPECT_EQ(StableDump(*cluster_, database_), after_first) << "the second run changed the schema";
  }

  std::unique_ptr<TestCluster> cluster_;
  std::string database_;
  fs::path work_;
};

std::set<std::string> RulesOf(const std::vector<CheckedFinding>& findings) {
  std::set<std::string> rules;
  for (const auto& finding : findings) rules.insert(finding.rule);
  return rules;
}

// The fingerprints the script marks as planned (header lines end with ": planned").
std::set<std::string> PlannedFingerprints(const std::string& script) {
  std::set<std::string> planned;
  std::size_t at = 0;
  while ((at = script.find("(fingerprint ", at)) != std::string::npos) {
    const std::size_t start = at + 13;
    const std::size_t end = script.find(')', start);
    const std::size_t line_end = script.find('\n', end);
    if (script.compare(end, line_end - end, "): planned") == 0) planned.insert(script.substr(start, end - start));
    at = end;
  }
  return planned;
}

TEST_F(plan_convergence, DriftedDatabaseConvergesAndDestructiveStaysReported) {
  cluster_->RunSql(database_, kDriftedSchema);
  WriteModels(kModels);
  const auto before = Check();
  const std::set<std::string> rules_before = RulesOf(before);
  for (const auto& rule : kExpectedFixable) EXPECT_TRUE(rules_before.count(rule)) << "drift must give " << rule;
  for (const auto& rule : kExpectedDestructive) EXPECT_TRUE(rules_before.count(rule)) << "drift must give " << rule;

  const fs::path script = Plan({"--all"});
  ASSERT_FALSE(script.empty());
  EXPECT_EQ(script.filename().string(), "2026-01-02-all-findings.sql");
  const std::string text = ReadText(script);
  EXPECT_NE(text.find("-- DROP TABLE IF EXISTS public.old_audit;"), std::string::npos) << text;
  const std::string log = ReadText(work_ / "pgdb_changes.md");
  EXPECT_NE(log.find("## 2026-01-02 — temp/2026-01-02-all-findings.sql"), std::string::npos) << log;
  EXPECT_NE(log.find("- Status: pending approval"), std::string::npos) << log;
  RunTwice(script);

  const std::set<std::string> planned = PlannedFingerprints(text);
  const auto after = Check();
  for (const auto& finding : before) {
    if (kExpectedFixable.count(finding.rule)) {
      EXPECT_TRUE(planned.count(finding.fingerprint)) << finding.rule << " was not planned\n" << text;
    }
  }
  for (const auto& finding : after) {
    EXPECT_FALSE(planned.count(finding.fingerprint)) << "still reported after the script: " << finding.rule;
  }
  // Destructive findings were commented out: still there, with the same fingerprints.
  std::set<std::string> fingerprints_after;
  for (const auto& finding : after) fingerprints_after.insert(finding.fingerprint);
  for (const auto& finding : before) {
    if (kExpectedDestructive.count(finding.rule)) {
      EXPECT_TRUE(fingerprints_after.count(finding.fingerprint)) << finding.rule << " disappeared";
      EXPECT_FALSE(planned.count(finding.fingerprint)) << finding.rule;
    }
  }
  EXPECT_TRUE(Query("SELECT count(*) FROM users") == "2");
  EXPECT_EQ(Query("SELECT count(*) FROM old_audit"), "0");  // the table is still there

  // A second plan never overwrites the first script, and appends a second log entry.
  const fs::path second = Plan({"--all"});
  EXPECT_EQ(second.filename().string(), "2026-01-02-all-findings-2.sql");
  EXPECT_EQ(ReadText(script), text) << "the first script is never overwritten";
  EXPECT_EQ(ReadText(work_ / "pgdb_changes.md").rfind(log, 0), 0u) << "earlier entries kept byte for byte";
}

TEST_F(plan_convergence, AllowDestructiveDropsWhatTheModelsLack) {
  cluster_->RunSql(database_, kDriftedSchema);
  WriteModels(kModels);
  const auto before = Check();
  const fs::path script = Plan({"--all", "--allow-destructive", "--concurrently", "--slug", "Everything Now"});
  ASSERT_FALSE(script.empty());
  EXPECT_EQ(script.filename().string(), "2026-01-02-everything-now.sql");
  const std::string text = ReadText(script);
  // Concurrent builds come after COMMIT.
  EXPECT_LT(text.find("\nCOMMIT;"), text.find("CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_orders_note"));
  RunTwice(script);
  // Every fixable and destructive finding of before is gone (new findings may appear, e.g. the
  // index a foreign key got is one the models do not declare).
  std::set<std::string> fingerprints_after;
  for (const auto& finding : Check()) fingerprints_after.insert(finding.fingerprint);
  std::set<std::string> rules_before;
  for (const auto& finding : before) {
    if (!kExpectedFixable.count(finding.rule) && !kExpectedDestructive.count(finding.rule)) continue;
    rules_before.insert(finding.rule);
    EXPECT_FALSE(fingerprints_after.count(finding.fingerprint)) << finding.rule << " still reported";
  }
  EXPECT_EQ(rules_before.size(), kExpectedFixable.size() + kExpectedDestructive.size());
  EXPECT_EQ(Query("SELECT to_regclass('public.old_audit') IS NULL"), "t");
  // Everything the models declared is now in the database.
  EXPECT_EQ(Query("SELECT attnotnull FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'email'"), "t");
  EXPECT_EQ(Query("SELECT enum_range(NULL::mood)::text"), "{sad,ok,happy}");
  EXPECT_EQ(Query("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'users'::regclass AND "
                  "attname = 'name'"),
            "character varying(200)");
  EXPECT_EQ(Query("SELECT confdeltype FROM pg_constraint WHERE conrelid = 'payments'::regclass AND contype = 'f'"),
            "c");
  EXPECT_EQ(Query("SELECT bool_and(convalidated) FROM pg_constraint WHERE contype = 'f'"), "t");
  EXPECT_EQ(Query("SELECT count(*) FROM pg_index WHERE NOT indisvalid"), "0");
}

TEST_F(plan_convergence, NothingSelectedWritesNothingAndDryRunPrints) {
  cluster_->RunSql(database_, kDriftedSchema);
  WriteModels(kModels);
  const std::vector<std::string> base = {"plan",         (work_ / "app").string(), "--project-root",
                                         work_.string(), "--database-url",         cluster_->Url(database_)};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> arguments = base;
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    return RunDbaudit(arguments, {}, kNoDatabaseEnvironment);
  };
  const ProcessResult no_selector = with({});
  EXPECT_EQ(no_selector.exit_code, 2);
  EXPECT_NE(no_selector.err.find("--rule"), std::string::npos) << no_selector.err;

  const ProcessResult nothing = with({"--table", "no_such_table"});
  EXPECT_EQ(nothing.exit_code, 0) << nothing.err;
  EXPECT_NE(nothing.out.find("nothing to plan"), std::string::npos) << nothing.out;

  const ProcessResult dry = with({"--rule", "model-column-not-in-database", "--dry-run"});
  EXPECT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("ALTER TABLE public.users ADD COLUMN IF NOT EXISTS nickname character varying(50);"),
            std::string::npos)
      << dry.out;
  EXPECT_FALSE(fs::exists(work_ / "temp"));
  EXPECT_FALSE(fs::exists(work_ / "pgdb_changes.md"));

  const ProcessResult bad_rule = with({"--rule", "no-such-rule"});
  EXPECT_EQ(bad_rule.exit_code, 2);
}

// The table `a"; DROP TABLE x; --` and a column with a quote and "$$": the script touches that
// table only (x survives) and converges it.
TEST_F(plan_convergence, HostileNamesTouchOnlyTheirTable) {
  cluster_->RunSql(database_, R"sql(
CREATE TABLE x (id integer);
CREATE TABLE "a""; DROP TABLE x; --" (id serial PRIMARY KEY, "we""ird$$col" text, note text DEFAULT 'old');
INSERT INTO "a""; DROP TABLE x; --" ("we""ird$$col") VALUES ('v');
)sql");
  WriteModels(R"py(from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Hostile(db.Model):
    __tablename__ = 'a"; DROP TABLE x; --'
    id = db.Column(db.Integer, primary_key=True)
    weird = db.Column('we"ird$$col', db.Text, nullable=False, index=True)
    note = db.Column(db.Text, server_default="new $$ ; -- ok")
    extra = db.Column('ex"tra', db.Integer)
)py");
  const auto before = Check();
  const std::set<std::string> rules_before = RulesOf(before);
  for (const std::string rule : {"model-nullable-mismatch", "model-index-not-in-database",
                                 "model-server-default-mismatch", "model-column-not-in-database"}) {
    EXPECT_TRUE(rules_before.count(rule)) << rule;
  }
  const fs::path script = Plan({"--all", "--concurrently"});
  ASSERT_FALSE(script.empty());
  RunTwice(script);
  EXPECT_EQ(Query("SELECT to_regclass('public.x') IS NOT NULL"), "t") << ReadText(script);
  EXPECT_EQ(Query("SELECT count(*) FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"), "2");
  EXPECT_EQ(Query("SELECT attnotnull FROM pg_attribute WHERE attrelid = '\"a\"\"; DROP TABLE x; --\"'::regclass "
                  "AND attname = 'we\"ird$$col'"),
            "t");
  EXPECT_EQ(Query("SELECT count(*) FROM pg_attribute WHERE attrelid = '\"a\"\"; DROP TABLE x; --\"'::regclass AND "
                  "attname = 'ex\"tra'"),
            "1");
  EXPECT_EQ(Query("SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = '\"a\"\"; DROP TABLE x; "
                  "--\"'::regclass AND adnum = 3"),
            "'new $$ ; -- ok'::text");
  const std::set<std::string> planned = PlannedFingerprints(ReadText(script));
  for (const auto& finding : Check()) EXPECT_FALSE(planned.count(finding.fingerprint)) << finding.rule;
}

// timestamp- and schema- changes, planned from findings built by hand with the rules' subject
// contract, converge a live database (and run twice).
TEST_F(plan_convergence, TimestampAndForeignKeyIndexChangesConverge) {
  cluster_->RunSql(database_, R"sql(
CREATE TABLE events (id serial PRIMARY KEY, created_at timestamptz, updated_at timestamptz,
                     happened_at timestamp(3) without time zone);
CREATE TABLE tags (id serial PRIMARY KEY, event_id integer REFERENCES events (id));
INSERT INTO events (happened_at) VALUES ('2026-01-02 03:04:05.678');
)sql");
  driver::SchemaSourceRequest request;
  request.database_url = cluster_->Url(database_);
  request.allow_environment = false;
  request.project_root = work_;
  auto loaded = driver::LoadSchema(request);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  const ir::Catalog schema = loaded.value().catalog;

  auto finding = [](const std::string& rule, ir::Subject subject) {
    ir::Finding made;
    made.rule_id = rule;
    made.message = rule;
    made.subject = std::move(subject);
    made.fingerprint = ir::ComputeFingerprint(made);
    return made;
  };
  const std::vector<ir::Finding> findings = {
      finding("timestamp-created-at-without-database-default", {"public", "events", {"created_at"}, ""}),
      finding("timestamp-onupdate-without-trigger", {"public", "events", {"updated_at"}, ""}),
      finding("timestamp-without-time-zone", {"public", "events", {"happened_at"}, ""}),
      finding("schema-foreign-key-without-index", {"public", "tags", {"event_id"}, "tags_event_id_fkey"}),
  };
  for (const bool concurrently : {true, false}) {
    driver::PlanOptions options;
    options.concurrently = concurrently;
    reports::ChangeScriptInput input = driver::BuildPlan(findings, nullptr, &schema, options);
    input.tool_version = "test";
    input.schema_source = "test";
    input.date = "2026-01-02";
    ASSERT_TRUE(input.not_planned.empty()) << reports::RenderChangeScript(input);
    const fs::path script = work_ / (concurrently ? "concurrently.sql" : "plain.sql");
    std::ofstream(script) << reports::RenderChangeScript(input);
    RunTwice(script);
  }
  EXPECT_EQ(Query("SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = "
                  "d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = 'events'::regclass AND a.attname = "
                  "'created_at'"),
            "now()");
  EXPECT_EQ(Query("SELECT tgname FROM pg_trigger WHERE tgrelid = 'events'::regclass AND NOT tgisinternal"),
            "dbaudit_set_updated_at");
  EXPECT_EQ(Query("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'events'::regclass "
                  "AND attname = 'happened_at'"),
            "timestamp(3) with time zone");
  EXPECT_EQ(Query("SET TIME ZONE 'UTC'; SELECT happened_at::text FROM events"), "2026-01-02 03:04:05.678+00");
  EXPECT_EQ(Query("SELECT count(*) FROM pg_index WHERE indrelid = 'tags'::regclass AND indkey::text = '2'"), "1");
  // The trigger works: an UPDATE sets updated_at.
  EXPECT_EQ(Query("UPDATE events SET id = id RETURNING updated_at IS NOT NULL"), "t");
}

}  // namespace
}  // namespace dbaudit

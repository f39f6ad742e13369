// The baseline: its file format, its errors, and `check --write-baseline` / `--baseline`
// end to end, including that a moved line stays known and a new finding fails.
#include "analyzer/driver/baseline.hpp"

#include <filesystem>
#include <fstream>

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
  TempProject() : testing::TempProject("baseline") {}
};

ir::Finding MakeFinding(const std::string& rule, const std::string& fingerprint, const std::string& file) {
  ir::Finding finding;
  finding.rule_id = rule;
  finding.fingerprint = fingerprint;
  finding.location.file = file;
  finding.location.line = 3;
  finding.message = "message of " + fingerprint;
  return finding;
}

TEST(Baseline, RendersSortedAndParsesBack) {
  const std::vector<ir::Finding> findings = {MakeFinding("query-unknown-table", "bbb", "b.py"),
                                             MakeFinding("model-type-mismatch", "zzz", "a.py"),
                                             MakeFinding("model-type-mismatch", "aaa", "c.py")};
  const std::string text = RenderBaseline(findings);
  std::vector<ir::Finding> reversed(findings.rbegin(), findings.rend());
  EXPECT_EQ(text, RenderBaseline(reversed)) << "the order of the findings must not matter";
  const auto json = nlohmann::json::parse(text);
  EXPECT_EQ(json["version"], kBaselineVersion);
  ASSERT_EQ(json["findings"].size(), 3u);
  EXPECT_EQ(json["findings"][0]["fingerprint"], "aaa");
  EXPECT_EQ(json["findings"][0]["rule"], "model-type-mismatch");
  EXPECT_EQ(json["findings"][0]["file"], "c.py");
  EXPECT_EQ(json["findings"][0]["message"], "message of aaa");
  EXPECT_EQ(json["findings"][2]["rule"], "query-unknown-table");

  auto parsed = ParseBaseline(text, "b.json");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed.value().fingerprints, (std::set<std::string>{"aaa", "bbb", "zzz"}));

  const BaselineSplit split = ApplyBaseline(
      {MakeFinding("model-type-mismatch", "aaa", "c.py"), MakeFinding("model-type-mismatch", "new", "c.py")},
      parsed.value());
  EXPECT_EQ(split.known, 1u);
  ASSERT_EQ(split.new_findings.size(), 1u);
  EXPECT_EQ(split.new_findings[0].fingerprint, "new");
}

TEST(Baseline, MalformedFilesNameTheirLine) {
  auto syntax =
      ParseBaseline("{\n  \"version\": 1,\n  \"findings\": [\n    {\"fingerprint\": \"a\",}\n  ]\n}\n", "b.json");
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.error().message.rfind("b.json:4: not a valid baseline", 0), 0u) << syntax.error().message;

  auto shape = ParseBaseline(
      "{\n  \"version\": 1,\n  \"findings\": [\n    {\"fingerprint\": \"a\"},\n\n    {\"rule\": \"x\"}\n  ]\n}\n",
      "b.json");
  ASSERT_FALSE(shape.ok());
  EXPECT_EQ(shape.error().message.rfind("b.json:6: ", 0), 0u) << shape.error().message;
  EXPECT_NE(shape.error().message.find("fingerprint"), std::string::npos);

  auto version = ParseBaseline("{\"version\": 7, \"findings\": []}", "b.json");
  ASSERT_FALSE(version.ok());
  EXPECT_EQ(version.error().message.rfind("b.json:1: ", 0), 0u) << version.error().message;

  EXPECT_FALSE(ParseBaseline("[]", "b.json").ok());
  EXPECT_FALSE(ParseBaseline("", "b.json").ok());
}

TEST(Baseline, DescribesItsMatches) {
  EXPECT_EQ(DescribeBaselineMatches(1), "1 finding is in the baseline");
  EXPECT_EQ(DescribeBaselineMatches(3), "3 findings are in the baseline");
}

// users.email is nullable in the models, NOT NULL in the database: one known finding.
constexpr const char* kSchema =
    "CREATE TABLE public.users (id integer NOT NULL, email character varying(255) NOT NULL,"
    " name character varying(50) NOT NULL, CONSTRAINT users_pkey PRIMARY KEY (id));\n";
constexpr const char* kHeader =
    "from flask_sqlalchemy import SQLAlchemy\n"
    "db = SQLAlchemy()\n"
    "class User(db.Model):\n"
    "    __tablename__ = 'users'\n"
    "    id = db.Column(db.Integer, primary_key=True)\n";

std::vector<std::string> Check(const TempProject& project, std::vector<std::string> extra) {
  std::vector<std::string> arguments = {"check", project.path().string(), "--schema-sql",
                                        (project.path() / "schema.sql").string(), "--no-env"};
  arguments.insert(arguments.end(), extra.begin(), extra.end());
  return arguments;
}

TEST(BaselineCommand, MovedLinesStayKnownAndNewFindingsFail) {
  TempProject project;
  project.Write("schema.sql", kSchema);
  project.Write("models.py", std::string(kHeader) +
                                 "    email = db.Column(db.String(255), nullable=True)\n"
                                 "    name = db.Column(db.String(50), nullable=False)\n");
  const auto before = testing::RunDbaudit(Check(project, {}));
  ASSERT_EQ(before.exit_code, 1) << before.out << before.err;

  // Recording the debt exits 0 and writes the default file in the project root.
  const auto write = testing::RunDbaudit(Check(project, {"--write-baseline"}));
  EXPECT_EQ(write.exit_code, 0) << write.err;
  const std::string baseline = project.Read("dbaudit-baseline.json");
  ASSERT_FALSE(baseline.empty()) << write.err;
  EXPECT_NE(baseline.find("model-nullable-mismatch"), std::string::npos) << baseline;
  // Deterministic: writing again gives the same bytes.
  testing::RunDbaudit(Check(project, {"--write-baseline"}));
  EXPECT_EQ(project.Read("dbaudit-baseline.json"), baseline);

  const std::string baseline_path = (project.path() / "dbaudit-baseline.json").string();
  const auto known = testing::RunDbaudit(Check(project, {"--baseline", baseline_path}));
  EXPECT_EQ(known.exit_code, 0) << known.out << known.err;
  EXPECT_NE(known.err.find("1 finding is in the baseline"), std::string::npos) << known.err;
  EXPECT_EQ(known.out.find("model-nullable-mismatch"), std::string::npos) << known.out;
  // The comparison report is the audit's record: it keeps the known finding.
  const std::string comparison = (project.path() / "comparison.md").string();
  testing::RunDbaudit(Check(project, {"--baseline", baseline_path, "--comparison-report", comparison}));
  EXPECT_NE(testing::ReadFileOrEmpty(comparison).find("users.email"), std::string::npos);

  // The same column three lines further down: still the known finding.
  project.Write("models.py", std::string(kHeader) +
                                 "    # moved\n\n\n"
                                 "    name = db.Column(db.String(50), nullable=False)\n"
                                 "    email = db.Column(db.String(255), nullable=True)\n");
  const auto moved = testing::RunDbaudit(Check(project, {"--baseline", baseline_path}));
  EXPECT_EQ(moved.exit_code, 0) << moved.out << moved.err;

  // A new problem on another column fails, and only it is reported.
  project.Write("models.py", std::string(kHeader) +
                                 "    # moved\n\n\n"
                                 "    name = db.Column(db.String(50), nullable=True)\n"
                                 "    email = db.Column(db.String(255), nullable=True)\n");
  const auto fresh = testing::RunDbaudit(Check(project, {"--baseline", baseline_path}));
  EXPECT_EQ(fresh.exit_code, 1) << fresh.out << fresh.err;
  EXPECT_NE(fresh.out.find("users.name"), std::string::npos) << fresh.out;
  EXPECT_EQ(fresh.out.find("users.email"), std::string::npos) << fresh.out;
}

TEST(BaselineCommand, ConfiguredBaselineIsUsedWhenItExists) {
  TempProject project;
  project.Write("schema.sql", kSchema);
  project.Write("models.py", std::string(kHeader) +
                                 "    email = db.Column(db.String(255), nullable=True)\n"
                                 "    name = db.Column(db.String(50), nullable=False)\n");
  project.Write("dbaudit.toml", "baseline = \"ci/known.json\"\n");
  // Not written yet: no baseline, the finding fails.
  EXPECT_EQ(testing::RunDbaudit(Check(project, {})).exit_code, 1);
  const auto write = testing::RunDbaudit(Check(project, {"--write-baseline"}));
  ASSERT_EQ(write.exit_code, 0) << write.err;
  EXPECT_FALSE(project.Read("ci/known.json").empty()) << write.err;
  const auto known = testing::RunDbaudit(Check(project, {}));
  EXPECT_EQ(known.exit_code, 0) << known.out << known.err;
  EXPECT_NE(known.err.find("in the baseline"), std::string::npos) << known.err;

  // --write-baseline=PATH writes elsewhere and never swallows a PATH argument.
  const std::string other = (project.path() / "other.json").string();
  const auto elsewhere = testing::RunDbaudit({"check", "--write-baseline=" + other, project.path().string(),
                                              "--schema-sql", (project.path() / "schema.sql").string(), "--no-env"});
  EXPECT_EQ(elsewhere.exit_code, 0) << elsewhere.err;
  EXPECT_EQ(testing::ReadFileOrEmpty(other), project.Read("ci/known.json"));
}

TEST(BaselineCommand, MalformedOrMissingBaselineIsExitCodeTwo) {
  TempProject project;
  project.Write("schema.sql", kSchema);
  project.Write("models.py", std::string(kHeader));
  project.Write("bad.json", "{\n  \"version\": 1,\n  \"findings\": [\n    oops\n  ]\n}\n");
  const auto bad = testing::RunDbaudit(Check(project, {"--baseline", (project.path() / "bad.json").string()}));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("bad.json:4: not a valid baseline"), std::string::npos) << bad.err;
  const auto missing = testing::RunDbaudit(Check(project, {"--baseline", (project.path() / "none.json").string()}));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("none.json"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace dbaudit::driver

// Suppression comments: which ids they name (exact ids and globs), and the unknown ids that
// input-suppression-unknown-rule reports, end to end through `dbaudit check`.
#include "analyzer/driver/suppression.hpp"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <unistd.h>

#include "tests/support/process.hpp"
#include "tests/support/temp_project.hpp"

namespace dbaudit::driver {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kKnown = {"model-nullable-mismatch", "model-type-mismatch", "query-unknown-table",
                                         kRuleSuppressionUnknownRule};

// A project folder of this test file's own.
class TempProject : public testing::TempProject {
 public:
  TempProject() : testing::TempProject("suppression") {}
};

TEST(SuppressionNames, ExactIdsAndGlobs) {
  EXPECT_TRUE(SuppressionNames("model-type-mismatch", "model-type-mismatch"));
  EXPECT_FALSE(SuppressionNames("model-type-mismatch", "model-nullable-mismatch"));
  EXPECT_TRUE(SuppressionNames("model-*", "model-nullable-mismatch"));
  EXPECT_FALSE(SuppressionNames("model-*", "query-unknown-table"));
  EXPECT_TRUE(SuppressionNames("*-mismatch", "model-type-mismatch"));
  // '-' removes in --select; in a suppression it is nothing.
  EXPECT_FALSE(SuppressionNames("-model-*", "query-unknown-table"));
}

TEST(Suppression, AGlobSilencesItsFamilyOnly) {
  TempProject project;
  project.Write("m.py", "a = 1  # dbaudit: ignore[model-*]\n");
  auto finding = [](const std::string& rule) {
    ir::Finding f;
    f.rule_id = rule;
    f.location = {.file = "m.py", .line = 1, .column = 1};
    return f;
  };
  const auto kept = ApplySuppressions({finding("model-type-mismatch"), finding("query-unknown-table")}, project.path());
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].rule_id, "query-unknown-table");
}

TEST(UnknownSuppressions, ReportsEachUnknownIdAtItsColumnWithAHint) {
  const std::string text =
      "x = 1\n"
      "email = Column(String)  # dbaudit: ignore[model-type-mismatch, model-nulable-mismatch]\n"
      "y = 2  # dbaudit: ignore[modle-*]\n"
      "z = 3  # dbaudit: ignore[zzzzzzzz]\n";
  const auto found = FindUnknownSuppressions(text, "app/m.py", kKnown);
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].rule_id, kRuleSuppressionUnknownRule);
  EXPECT_EQ(found[0].location.file, "app/m.py");
  EXPECT_EQ(found[0].location.line, 2u);
  const std::string line2 = "email = Column(String)  # dbaudit: ignore[model-type-mismatch, model-nulable-mismatch]";
  EXPECT_EQ(found[0].location.column, line2.find("model-nulable") + 1);
  EXPECT_EQ(found[0].location.end_column, line2.find(']') + 1);
  EXPECT_NE(found[0].message.find("\"model-nulable-mismatch\""), std::string::npos) << found[0].message;
  EXPECT_NE(found[0].message.find("did you mean \"model-nullable-mismatch\""), std::string::npos) << found[0].message;
  EXPECT_EQ(found[1].location.line, 3u);
  EXPECT_NE(found[1].message.find("matches no rule"), std::string::npos) << found[1].message;
  EXPECT_NE(found[1].message.find("did you mean \"model-*\""), std::string::npos) << found[1].message;
  EXPECT_EQ(found[2].message.find("did you mean"), std::string::npos) << found[2].message;
}

TEST(UnknownSuppressions, KnownIdsGlobsAndTheBareFormAreSilent) {
  const std::string text =
      "a = 1  # dbaudit: ignore\n"
      "b = 2  # dbaudit: ignore[model-*, query-unknown-table]\n"
      "c = 3  #dbaudit:ignore[ model-type-mismatch ]\n"
      "d = 4  # dbaudit: ignore[]\n";
  EXPECT_TRUE(FindUnknownSuppressions(text, "m.py", kKnown).empty());
}

TEST(UnknownSuppressions, ColumnsCountCharactersNotBytes) {
  const std::string text = "name = \"é\"  # dbaudit: ignore[nope-rule]\n";
  const auto found = FindUnknownSuppressions(text, "m.py", kKnown);
  ASSERT_EQ(found.size(), 1u);
  // "é" is two bytes but one character.
  EXPECT_EQ(found[0].location.column, text.find("nope-rule"));
}

TEST(UnknownSuppressions, AnUnclosedBracketSilencesNothingAndIsReported) {
  const std::string text = "a = 1  # dbaudit: ignore[model-type-mismatch\n";
  const auto found = FindUnknownSuppressions(text, "m.py", kKnown);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].location.column, text.find('[') + 1);
  EXPECT_NE(found[0].message.find("no closing"), std::string::npos) << found[0].message;

  TempProject project;
  project.Write("m.py", text);
  ir::Finding finding;
  finding.rule_id = "model-type-mismatch";
  finding.location = {.file = "m.py", .line = 1, .column = 1};
  EXPECT_EQ(ApplySuppressions({finding}, project.path()).size(), 1u);
}

// Through the binary: the unknown id is a finding of its own (with --select working on it),
// and the finding the typo meant to hide is still there.
TEST(UnknownSuppressions, CheckReportsThemAndTheUnsilencedFinding) {
  TempProject project;
  project.Write("schema.sql",
                "CREATE TABLE public.users (id integer NOT NULL, email character varying(255) NOT NULL,"
                " CONSTRAINT users_pkey PRIMARY KEY (id));\n");
  project.Write("models.py",
                "from flask_sqlalchemy import SQLAlchemy\n"
                "db = SQLAlchemy()\n"
                "class User(db.Model):\n"
                "    __tablename__ = 'users'\n"
                "    id = db.Column(db.Integer, primary_key=True)\n"
                "    email = db.Column(db.String(255), nullable=True)  # dbaudit: ignore[model-nulable-mismatch]\n");
  const auto result = testing::RunDbaudit(
      {"check", project.path().string(), "--schema-sql", (project.path() / "schema.sql").string(), "--no-env"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.out.find("models.py:6:"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("[input-suppression-unknown-rule]"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("[model-nullable-mismatch]"), std::string::npos) << result.out;

  const auto deselected =
      testing::RunDbaudit({"check", project.path().string(), "--schema-sql", (project.path() / "schema.sql").string(),
                           "--no-env", "--select", "-input-suppression-unknown-rule"});
  EXPECT_EQ(deselected.out.find("[input-suppression-unknown-rule]"), std::string::npos) << deselected.out;
  EXPECT_NE(deselected.out.find("[model-nullable-mismatch]"), std::string::npos) << deselected.out;

  // Fixing the typo silences both.
  project.Write("models.py",
                "from flask_sqlalchemy import SQLAlchemy\n"
                "db = SQLAlchemy()\n"
                "class User(db.Model):\n"
                "    __tablename__ = 'users'\n"
                "    id = db.Column(db.Integer, primary_key=True)\n"
                "    email = db.Column(db.String(255), nullable=True)  # dbaudit: ignore[model-nullable-mismatch]\n");
  const auto fixed = testing::RunDbaudit(
      {"check", project.path().string(), "--schema-sql", (project.path() / "schema.sql").string(), "--no-env"});
  EXPECT_EQ(fixed.exit_code, 0) << fixed.out << fixed.err;
}

}  // namespace
}  // namespace dbaudit::driver

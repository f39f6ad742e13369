#include <gtest/gtest.h>

#include "reports/report.hpp"
#include "tests/unit/reports/report_fixture.hpp"

namespace dbaudit::reports {
namespace {

using testing::FileAt;
using testing::MakeFinding;
using testing::Object;
using testing::SubjectOf;

TEST(TextReport, OneLinePerFindingWithRelatedFixAndSummary) {
  ReportInput input;
  auto type = MakeFinding("model-type-mismatch", ir::Severity::kError, "users.email: String(255) vs varchar(100)",
                          FileAt("app/models.py", 12, 5), SubjectOf("public", "users", {"email"}));
  type.related.push_back({Object("schema.sql#public.users.email"), "the database declares it here"});
  type.related.push_back({FileAt("schema.sql", 30, 3), "declared on this line"});
  type.fix = ir::Fix{"widen the column", "ALTER TABLE ...;", "", {}};
  auto orphan = MakeFinding("model-table-not-in-models", ir::Severity::kWarning, "no model maps public.sessions",
                            Object("postgresql://db/app#public.sessions"), SubjectOf("public", "sessions"));
  auto note = MakeFinding("model-unreadable-construct", ir::Severity::kNote, "cannot read Column(*args)",
                          FileAt("app/models.py", 80, 0));
  input.findings = {type, note, orphan};

  const std::string expected =
      "app/models.py:12:5: error: users.email: String(255) vs varchar(100) [model-type-mismatch]\n"
      "  schema.sql#public.users.email: note: the database declares it here\n"
      "  schema.sql:30:3: note: declared on this line\n"
      "  fix: widen the column\n"
      "app/models.py:80: note: cannot read Column(*args) [model-unreadable-construct]\n"
      "postgresql://db/app#public.sessions: warning: no model maps public.sessions [model-table-not-in-models]\n"
      "\n"
      "3 findings: 1 error, 1 warning, 1 note\n";
  EXPECT_EQ(RenderText(input), expected);
}

TEST(TextReport, NoFindings) {
  EXPECT_EQ(RenderText(ReportInput{}), "No findings.\n");
}

TEST(TextReport, MessagesStayOnOneLineAndFixFallsBackToSql) {
  ReportInput input;
  auto finding = MakeFinding("input-sql-not-parsed", ir::Severity::kWarning, "syntax error\nat or near \"JSON\"",
                             FileAt("app/queries.py", 7, 9));
  finding.fix = ir::Fix{"", "SELECT 1;\nSELECT 2;", "", {}};
  input.findings = {finding};
  EXPECT_EQ(RenderText(input),
            "app/queries.py:7:9: warning: syntax error at or near \"JSON\" [input-sql-not-parsed]\n"
            "  fix: SELECT 1; SELECT 2;\n"
            "\n"
            "1 finding: 0 errors, 1 warning, 0 notes\n");
}

TEST(TextReport, SummaryCountsEverySeverity) {
  const ReportInput input = testing::RealisticInput();
  const std::string text = RenderText(input);
  EXPECT_TRUE(text.ends_with("\n7 findings: 2 errors, 4 warnings, 1 note\n")) << text;
  // Every finding's first line carries its rule id in brackets.
  for (const auto& finding : input.findings) {
    EXPECT_NE(text.find(" [" + finding.rule_id + "]\n"), std::string::npos) << finding.rule_id;
  }
}

}  // namespace
}  // namespace dbaudit::reports

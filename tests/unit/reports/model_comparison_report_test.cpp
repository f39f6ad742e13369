#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "reports/report.hpp"
#include "tests/unit/reports/report_fixture.hpp"

namespace dbaudit::reports {
namespace {

const std::vector<std::string> kPlanOrder = {
    "tables_only_in_schema",
    "tables_only_in_models",
    "columns_only_in_schema",
    "columns_only_in_models",
    "type_mismatches",
    "nullable_mismatches",
    "primary_key_mismatch",
    "foreign_keys_only_in_schema",
    "foreign_keys_only_in_models",
    "foreign_key_action_mismatches",
    "unique_constraints_only_in_schema",
    "unique_constraints_only_in_models",
    "indexes_only_in_schema",
    "indexes_only_in_models",
    "server_default_mismatches",
    "enum_mismatches",
};

// The text of section `heading` up to the next "## " heading.
std::string Section(const std::string& markdown, const std::string& heading) {
  const auto start = markdown.find("\n" + heading + "\n");
  if (start == std::string::npos) return "";
  const auto end = markdown.find("\n## ", start + 1);
  return markdown.substr(start + 1, end == std::string::npos ? std::string::npos : end - start - 1);
}

TEST(ModelComparisonReport, TitleSourcesAndSummaryTable) {
  const std::string markdown = RenderModelComparison(testing::RealisticInput());
  EXPECT_TRUE(markdown.starts_with("# Model comparison results\n\n- Models: 3 files\n- Schema: schema.sql\n"));
  const std::string summary = Section(markdown, "## Summary");
  ASSERT_FALSE(summary.empty());
  EXPECT_NE(summary.find("| tables_only_in_schema | 1 |\n"), std::string::npos);
  EXPECT_NE(summary.find("| tables_only_in_models | 1 |\n"), std::string::npos);
  EXPECT_NE(summary.find("| columns_only_in_models | 0 |\n"), std::string::npos);
  EXPECT_NE(summary.find("| type_mismatches | 1 |\n"), std::string::npos);
  EXPECT_NE(summary.find("| indexes_only_in_schema | 1 |\n"), std::string::npos);
  EXPECT_NE(summary.find("| other findings | 1 |\n"), std::string::npos);
  EXPECT_NE(summary.find("| **total** | 7 |\n"), std::string::npos);
}

TEST(ModelComparisonReport, EveryCategoryHasASectionInPlanOrder) {
  const std::string markdown = RenderModelComparison(testing::RealisticInput());
  std::size_t previous_summary_row = 0;
  std::size_t previous_section = 0;
  for (const auto& category : kPlanOrder) {
    const auto row = markdown.find("| " + category + " | ");
    const auto section = markdown.find("\n## " + category + " (");
    ASSERT_NE(row, std::string::npos) << category;
    ASSERT_NE(section, std::string::npos) << category;
    EXPECT_GT(row, previous_summary_row) << category;
    EXPECT_GT(section, previous_section) << category;
    previous_summary_row = row;
    previous_section = section;
  }
  EXPECT_GT(markdown.find("\n## Other findings (1)\n"), previous_section);
  EXPECT_EQ(Section(markdown, "## columns_only_in_schema (0)"), "## columns_only_in_schema (0)\n\nNone.\n");
}

TEST(ModelComparisonReport, RowsCarryTableColumnsDetailAndBothSides) {
  const std::string markdown = RenderModelComparison(testing::RealisticInput());
  EXPECT_NE(Section(markdown, "## type_mismatches (1)")
                .find("| public.users | email | users.email is String(255) in the model but character varying(100) "
                      "in the database | app/models.py:12:5 | schema.sql#public.users.email (line 30) |\n"),
            std::string::npos)
      << markdown;
  EXPECT_NE(Section(markdown, "## unique_constraints_only_in_models (1)")
                .find("| public.users | tenant_id, email (uq_users_tenant_email) |"),
            std::string::npos);
  // A database-only finding: the model side comes from the related location.
  EXPECT_NE(Section(markdown, "## indexes_only_in_schema (1)")
                .find("| app/models.py:60:1 | postgresql://db/app#public.orders.idx_orders_created |"),
            std::string::npos);
  EXPECT_NE(Section(markdown, "## Other findings (1)")
                .find("| input-python-syntax-error | warning | app/broken file.py:3:7 | invalid syntax;"),
            std::string::npos);
}

TEST(ModelComparisonReport, PipesAreEscapedAndRowsStayOnOneLine) {
  ReportInput input = testing::RealisticInput();
  input.findings.push_back(testing::MakeFinding("model-enum-mismatch", ir::Severity::kError,
                                                "labels differ:\n'a|b' vs 'a'", testing::FileAt("z.py", 1, 1),
                                                testing::SubjectOf("public", "mood")));
  const std::string markdown = RenderModelComparison(input);
  EXPECT_NE(markdown.find("table public.legacy_sessions \\| no model maps it"), std::string::npos);
  const std::string section = Section(markdown, "## enum_mismatches (1)");
  EXPECT_NE(section.find("| public.mood | - | labels differ: 'a\\|b' vs 'a' | z.py:1:1 | - |\n"), std::string::npos)
      << section;
  // Every table row has exactly as many unescaped separators as its header.
  for (std::size_t at = 0; (at = section.find("\n|", at)) != std::string::npos; ++at) {
    const std::string row = section.substr(at + 1, section.find('\n', at + 1) - at - 1);
    std::size_t separators = 0;
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (row[i] == '|' && (i == 0 || row[i - 1] != '\\')) ++separators;
    }
    EXPECT_EQ(separators, 6u) << row;
  }
}

TEST(ModelComparisonReport, FindingsOfUndescribedRulesGoToOtherFindings) {
  ReportInput input;
  input.findings = {
      testing::MakeFinding("docs-something-new", ir::Severity::kNote, "new", testing::FileAt("a.md", 1, 1))};
  const std::string markdown = RenderModelComparison(input);
  EXPECT_NE(markdown.find("## Other findings (1)"), std::string::npos);
  EXPECT_NE(markdown.find("| docs-something-new | note | a.md:1:1 | new |"), std::string::npos);
  EXPECT_NE(markdown.find("- Models: (not given)"), std::string::npos);
}

TEST(ModelComparisonReport, ByteIdenticalForEqualInputAndEndsWithOneNewline) {
  const std::string first = RenderModelComparison(testing::RealisticInput());
  EXPECT_EQ(first, RenderModelComparison(testing::RealisticInput()));
  EXPECT_TRUE(first.ends_with("|\n"));
  EXPECT_FALSE(first.ends_with("\n\n"));
  const std::string empty = RenderModelComparison(ReportInput{});
  EXPECT_NE(empty.find("- No findings."), std::string::npos);
  EXPECT_NE(empty.find("| **total** | 0 |"), std::string::npos);
  EXPECT_TRUE(empty.ends_with("## Other findings (0)\n\nNone.\n"));
}

}  // namespace
}  // namespace dbaudit::reports

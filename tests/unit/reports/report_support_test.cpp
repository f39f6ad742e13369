#include "reports/report_support.hpp"

#include <gtest/gtest.h>

namespace dbaudit::reports::detail {
namespace {

TEST(ReportSupport, SplitsObjectUris) {
  EXPECT_EQ(SplitObject("schema.sql#public.users").base, "schema.sql");
  EXPECT_EQ(SplitObject("schema.sql#public.users").fragment, "public.users");
  EXPECT_EQ(SplitObject("postgresql://h/db#public.users.email").base, "postgresql://h/db");
  EXPECT_EQ(SplitObject("public.users").base, "");
  EXPECT_EQ(SplitObject("public.users").fragment, "public.users");
}

TEST(ReportSupport, TellsSchemeFromPath) {
  EXPECT_TRUE(HasUriScheme("postgresql://h/db"));
  EXPECT_TRUE(HasUriScheme("file:///a"));
  EXPECT_FALSE(HasUriScheme("schema.sql"));
  EXPECT_FALSE(HasUriScheme("db/schema.sql"));
  EXPECT_FALSE(HasUriScheme("C:\\dump.sql"));
  EXPECT_FALSE(HasUriScheme(""));
}

TEST(ReportSupport, ObjectFileOnlyForSchemaFiles) {
  ir::Location dump;
  dump.object = "db/schema.sql#public.users";
  EXPECT_EQ(ObjectFile(dump), "db/schema.sql");
  ir::Location live;
  live.object = "postgresql://h/db#public.users";
  EXPECT_EQ(ObjectFile(live), "");
  EXPECT_EQ(ObjectFile(ir::Location{}), "");
}

TEST(ReportSupport, SummaryLinePluralises) {
  EXPECT_EQ(SummaryLine({}), "No findings.");
  EXPECT_EQ(SummaryLine({1, 0, 0}), "1 finding: 1 error, 0 warnings, 0 notes");
  EXPECT_EQ(SummaryLine({3, 7, 2}), "12 findings: 3 errors, 7 warnings, 2 notes");
}

TEST(ReportSupport, QualifiedNames) {
  EXPECT_EQ(QualifiedName({"public", "users", {"email"}, ""}), "public.users.email");
  EXPECT_EQ(QualifiedName({"public", "users", {"a", "b"}, ""}), "public.users");
  EXPECT_EQ(QualifiedName({"public", "users", {"a", "b"}, "uq_ab"}), "public.users.uq_ab");
  EXPECT_EQ(QualifiedName({"", "users", {}, ""}), "users");
  EXPECT_EQ(QualifiedName({}), "");
}

}  // namespace
}  // namespace dbaudit::reports::detail

// The documents and dumps of issue #11 through the built binary: a line holding only "|"
// above a table and CR-only line endings crashed docs diff, docs sync and audit --docs; a
// UTF-16 document got UTF-8 appended; a 0640 document and its backup became 0644; a dump
// starting with a UTF-8 byte-order mark was refused.
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "tests/support/process.hpp"
#include "tests/support/temp_project.hpp"

namespace dbaudit::driver {
namespace {

namespace fs = std::filesystem;
using testing::ProcessResult;
using testing::RunDbaudit;

constexpr const char* kSchema = "CREATE TABLE public.users (id integer NOT NULL, email text);\n";
// One column short of the schema: docs sync has something to do.
constexpr const char* kDocument = "# Schema\n\n## users\n\n| Column | Type |\n|---|---|\n| id | integer |\n";

class DocsFiles : public ::testing::Test {
 protected:
  void SetUp() override { project_.Write("schema.sql", kSchema); }

  ProcessResult Run(std::vector<std::string> arguments) const {
    arguments.insert(arguments.end(), {"--schema-sql", (project_.path() / "schema.sql").string(), "--no-env"});
    return RunDbaudit(arguments, project_.path().string());
  }
  ProcessResult Diff() const { return Run({"docs", "diff", "--docs", "doc.md"}); }
  ProcessResult Sync() const { return Run({"docs", "sync", "--docs", "doc.md"}); }
  ProcessResult Audit() const {
    return Run({"audit", project_.path().string(), "--docs", "doc.md", "--output-dir", "out", "--allow-no-models"});
  }
  std::vector<std::string> Backups() const { return project_.List("old_versions"); }

  testing::TempProject project_{"docs-files"};
};

TEST_F(DocsFiles, ALonePipeAboveATable) {
  project_.Write("doc.md", "# Schema\n\n## users\n\n|\n| Column | Type |\n|---|---|\n| id | integer |\n");
  const ProcessResult diff = Diff();
  EXPECT_EQ(diff.exit_code, 1) << diff.out << diff.err;
  EXPECT_NE(diff.out.find("email"), std::string::npos) << diff.out;
  const ProcessResult audit = Audit();
  EXPECT_EQ(audit.exit_code, 1) << audit.out << audit.err;
  const ProcessResult sync = Sync();
  ASSERT_EQ(sync.exit_code, 0) << sync.out << sync.err;
  EXPECT_EQ(project_.Read("doc.md"),
            "# Schema\n\n## users\n\n|\n| Column | Type |\n|---|---|\n| id | integer |\n| email | text |\n");
  EXPECT_EQ(Diff().exit_code, 0);
}

TEST_F(DocsFiles, CrOnlyLineEndings) {
  std::string document = kDocument;
  for (char& c : document) c = c == '\n' ? '\r' : c;
  project_.Write("doc.md", document);
  EXPECT_EQ(Diff().exit_code, 1);
  EXPECT_EQ(Audit().exit_code, 1);
  const ProcessResult sync = Sync();
  ASSERT_EQ(sync.exit_code, 0) << sync.out << sync.err;
  EXPECT_EQ(project_.Read("doc.md"), document + "| email | text |\r");
  // The document it has just written, again: nothing to do.
  const ProcessResult again = Sync();
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_NE(again.out.find("already matches"), std::string::npos) << again.out;
  EXPECT_EQ(Diff().exit_code, 0);
}

TEST_F(DocsFiles, Utf16IsRefusedAndLeftAlone) {
  // "# Schema\n" in UTF-16LE with its byte-order mark.
  std::string utf16 = "\xFF\xFE";
  for (const char c : std::string("# Schema\n## users\n")) utf16 += std::string{c, '\0'};
  project_.Write("doc.md", utf16);
  for (const ProcessResult& run : {Sync(), Diff(), Audit()}) {
    EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
    EXPECT_NE(run.err.find("doc.md is not UTF-8 but UTF-16 (little-endian)"), std::string::npos) << run.err;
  }
  EXPECT_EQ(project_.Read("doc.md"), utf16);
  EXPECT_TRUE(Backups().empty());
}

TEST_F(DocsFiles, ModeIsKeptForTheDocumentAndItsBackup) {
  project_.Write("doc.md", kDocument);
  const fs::path document = project_.path() / "doc.md";
  ASSERT_EQ(::chmod(document.c_str(), 0640), 0);
  const ProcessResult sync = Sync();
  ASSERT_EQ(sync.exit_code, 0) << sync.out << sync.err;
  EXPECT_EQ(fs::status(document).permissions() & fs::perms::mask, fs::perms(0640));
  ASSERT_EQ(Backups().size(), 1u);
  const fs::path backup = project_.path() / "old_versions" / Backups().front();
  EXPECT_EQ(fs::status(backup).permissions() & fs::perms::mask, fs::perms(0640));
  EXPECT_EQ(project_.Read("old_versions/" + Backups().front()), kDocument);
}

TEST_F(DocsFiles, DumpWithAUtf8ByteOrderMark) {
  project_.Write("schema.sql", std::string("\xEF\xBB\xBF") + kSchema);
  const ProcessResult run = Run({"schema", "export", "-o", "-"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("users"), std::string::npos);
}

}  // namespace
}  // namespace dbaudit::driver

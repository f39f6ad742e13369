// Issue #11: a project's dbaudit.toml could name artifact paths outside the project and make
// dbaudit overwrite any file. A path the configuration names for something dbaudit writes is
// refused (exit code 2, the file and key named, nothing written) when it leaves the project
// root, through "..", as an absolute path or through a symbolic link; the same path given on
// the command line is the user's own choice and is written.
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/process.hpp"
#include "tests/support/temp_project.hpp"

namespace dbaudit::driver {
namespace {

namespace fs = std::filesystem;
using testing::ProcessResult;
using testing::RunDbaudit;

constexpr const char* kSchema =
    "CREATE TABLE public.users (id integer NOT NULL, email text, CONSTRAINT users_pkey PRIMARY KEY (id));\n";
constexpr const char* kModels =
    "from flask_sqlalchemy import SQLAlchemy\n"
    "db = SQLAlchemy()\n"
    "class User(db.Model):\n"
    "    __tablename__ = 'users'\n"
    "    id = db.Column(db.Integer, primary_key=True)\n"
    "    email = db.Column(db.Text, nullable=False)\n";
// Out of date (no email column): docs sync rewrites it.
constexpr const char* kDocument = "## users\n\n| Column | Type |\n|---|---|\n| id | integer |\n";

// A configuration key, the command that writes where it points, and the command-line option
// that may point outside instead (empty when there is none).
struct Artifact {
  std::string key;
  std::vector<std::string> command;
  std::string option;
  bool is_folder = false;
};

const std::vector<Artifact>& Artifacts() {
  static const std::vector<Artifact> artifacts = {
      {"schema-export-output", {"schema", "export"}, "-o"},
      {"discrepancies-output", {"docs", "diff", "--docs", "docs/schema.md"}, "--discrepancies"},
      {"docs", {"docs", "sync"}, "--docs"},
      {"docs-backup-dir", {"docs", "sync", "--docs", "docs/schema.md"}, "--backup-dir", true},
      {"model-comparison-output", {"check", "."}, "--comparison-report"},
      {"inventory-output", {"inventory", "."}, "-o"},
      {"baseline", {"check", ".", "--write-baseline"}, ""},
      {"plan-dir", {"plan", ".", "--all"}, "--output-dir", true},
      {"changelog", {"plan", ".", "--all"}, "--changelog"},
      {"schema-export-output", {"audit", "."}, ""},
      {"discrepancies-output", {"audit", ".", "--docs", "docs/schema.md"}, ""},
      {"model-comparison-output", {"audit", "."}, ""},
      {"inventory-output", {"audit", "."}, ""},
      {"constraints-gap-output", {"audit", "."}, ""},
      {"sarif-output", {"audit", "."}, ""},
      {"docs-backup-dir", {"audit", "."}, "", true},
  };
  return artifacts;
}

class ConfigPaths : public ::testing::Test {
 protected:
  void SetUp() override {
    project_.Write("schema.sql", kSchema);
    project_.Write("app/models.py", kModels);
    project_.Write("docs/schema.md", kDocument);
    outside_ = project_.path().parent_path() / (project_.path().filename().string() + "-outside");
    fs::remove_all(outside_);
    fs::create_directories(outside_);
  }
  void TearDown() override { fs::remove_all(outside_); }

  ProcessResult Run(const Artifact& artifact, const std::string& configured, std::vector<std::string> extra = {}) {
    project_.Write("dbaudit.toml", artifact.key + " = \"" + configured + "\"\nschema-sql = \"schema.sql\"\n");
    std::vector<std::string> arguments = artifact.command;
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    arguments.push_back("--no-env");
    return RunDbaudit(arguments, project_.path().string());
  }

  // Nothing at all was written outside the project.
  void ExpectOutsideUntouched(const std::string& context) {
    std::vector<std::string> written;
    for (const auto& entry : fs::recursive_directory_iterator(outside_)) written.push_back(entry.path().string());
    EXPECT_TRUE(written.empty()) << context << ": " << written.front();
  }

  testing::TempProject project_{"config-paths"};
  fs::path outside_;
};

TEST_F(ConfigPaths, PathsLeavingTheProjectAreRefused) {
  fs::create_directory_symlink(outside_, project_.path() / "linked");
  for (const Artifact& artifact : Artifacts()) {
    const std::string name = artifact.is_folder ? "dir" : "file.out";
    const std::string relative = "../" + outside_.filename().string() + "/" + name;
    for (const std::string& configured :
         {relative, (outside_ / name).string(), "linked/" + name, "docs/../../" + outside_.filename().string()}) {
      const std::string context = artifact.command.front() + " with " + artifact.key + " = " + configured;
      const ProcessResult run = Run(artifact, configured);
      EXPECT_EQ(run.exit_code, 2) << context << "\n" << run.out << run.err;
      EXPECT_NE(run.err.find("dbaudit.toml: " + artifact.key + " = \"" + configured + "\" is outside the project root"),
                std::string::npos)
          << context << "\n"
          << run.err;
      ExpectOutsideUntouched(context);
    }
  }
  EXPECT_EQ(project_.Read("docs/schema.md"), kDocument);
}

TEST_F(ConfigPaths, PathsInsideTheProjectAreWritten) {
  for (const Artifact& artifact : Artifacts()) {
    // Something to rewrite: the document itself, or an artifact whose old version is backed up.
    if (artifact.key == "docs") project_.Write("reports/file.out", kDocument);
    if (artifact.key == "docs-backup-dir") project_.Write("dbaudit.sarif", "an old version");
    const ProcessResult run = Run(artifact, artifact.is_folder ? "reports/dir" : "reports/../reports/file.out");
    const std::string context = artifact.command.front() + " with " + artifact.key;
    EXPECT_LE(run.exit_code, 1) << context << "\n" << run.out << run.err;
    EXPECT_TRUE(fs::exists(project_.path() / "reports" / (artifact.is_folder ? "dir" : "file.out")))
        << context << "\n"
        << run.out << run.err;
    fs::remove_all(project_.path() / "reports");
    fs::remove_all(project_.path() / "old_versions");
    project_.Write("docs/schema.md", kDocument);
  }
}

TEST_F(ConfigPaths, TheCommandLineMayPointOutside) {
  for (const Artifact& artifact : Artifacts()) {
    if (artifact.option.empty()) continue;
    const std::string context = artifact.command.front() + " " + artifact.option;
    const fs::path target = outside_ / (artifact.is_folder ? "dir" : "file.out");
    if (artifact.key == "docs") project_.Write("../" + outside_.filename().string() + "/file.out", kDocument);
    // The configuration points outside as well; the command line wins and is not checked.
    const ProcessResult run = Run(artifact, "../elsewhere", {artifact.option, target.string()});
    EXPECT_LE(run.exit_code, 1) << context << "\n" << run.out << run.err;
    EXPECT_TRUE(fs::exists(target)) << context << "\n" << run.out << run.err;
    fs::remove_all(outside_);
    fs::create_directories(outside_);
    fs::remove_all(project_.path() / "old_versions");
    project_.Write("docs/schema.md", kDocument);
  }
  // --write-baseline=PATH
  const Artifact baseline{"baseline", {"check", "."}, ""};
  const ProcessResult run = Run(baseline, "../elsewhere", {"--write-baseline=" + (outside_ / "b.json").string()});
  EXPECT_LE(run.exit_code, 1) << run.out << run.err;
  EXPECT_TRUE(fs::exists(outside_ / "b.json"));
}

}  // namespace
}  // namespace dbaudit::driver

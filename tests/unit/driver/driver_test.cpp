#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyzer/driver/config.hpp"
#include "analyzer/driver/discovery.hpp"
#include "analyzer/driver/output.hpp"
#include "analyzer/driver/suppression.hpp"

namespace dbaudit::driver {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    path_ =
        fs::temp_directory_path() / ("dbaudit-driver-" + std::to_string(getpid()) + "-" + std::to_string(counter_++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }
  void Write(const std::string& relative, const std::string& text) const {
    fs::create_directories((path_ / relative).parent_path());
    std::ofstream(path_ / relative, std::ios::binary) << text;
  }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

TEST(Glob, SegmentPatterns) {
  EXPECT_TRUE(GlobMatches("migrations", "migrations/versions/001.py"));
  EXPECT_TRUE(GlobMatches("*_test.py", "app/models/user_test.py"));
  EXPECT_FALSE(GlobMatches("*_test.py", "app/models/user.py"));
  EXPECT_TRUE(GlobMatches("test?.py", "test1.py"));
}

TEST(Glob, PathPatterns) {
  EXPECT_TRUE(GlobMatches("tests/**", "tests/unit/a.py"));
  EXPECT_TRUE(GlobMatches("app/*/legacy.py", "app/models/legacy.py"));
  EXPECT_FALSE(GlobMatches("app/*/legacy.py", "app/models/deep/legacy.py"));
  EXPECT_TRUE(GlobMatches("app/**/legacy.py", "app/models/deep/legacy.py"));
  EXPECT_TRUE(GlobMatches("app/models", "app/models/user.py"));  // a folder excludes its contents
  EXPECT_FALSE(GlobMatches("app/models", "app/modelsx/user.py"));
}

TEST(Discovery, FindsPythonFilesSortedAndSkipsNoise) {
  TempDir dir;
  dir.Write("app/models/user.py", "");
  dir.Write("app/__init__.py", "");
  dir.Write("app/models/readme.txt", "");
  dir.Write(".venv/lib/x.py", "");
  dir.Write("venv2/pyvenv.cfg", "");
  dir.Write("venv2/lib/site.py", "");
  dir.Write("app/__pycache__/user.cpython-311.py", "");
  dir.Write("node_modules/pkg/a.py", "");
  dir.Write("migrations/versions/001.py", "");
  DiscoveryOptions options{dir.path(), {"migrations"}};
  const DiscoveredFiles files = DiscoverPythonFiles({dir.path()}, options);
  std::vector<std::string> paths;
  for (const auto& file : files.python_files) paths.push_back(file.display_path);
  EXPECT_EQ(paths, (std::vector<std::string>{"app/__init__.py", "app/models/user.py"}));
  EXPECT_TRUE(files.diagnostics.empty());
}

TEST(Discovery, MissingPathIsAnIncompleteDiagnostic) {
  TempDir dir;
  const DiscoveredFiles files = DiscoverPythonFiles({dir.path() / "nope"}, {dir.path(), {}});
  ASSERT_EQ(files.diagnostics.size(), 1u);
  EXPECT_TRUE(files.diagnostics[0].incomplete);
  EXPECT_EQ(files.diagnostics[0].rule_id, ir::kRuleFileUnreadable);
  EXPECT_NE(files.diagnostics[0].message.find("does not exist"), std::string::npos);
}

TEST(Config, ReadsDbauditToml) {
  TempDir dir;
  dir.Write("dbaudit.toml",
            "paths = [\"app\"]\nschema-sql = \"db/schema.sql\"\nselect = [\"model-*\"]\nfail-on = \"warning\"\n"
            "[severity]\nmodel-index-not-in-models = \"warning\"\n");
  auto config = LoadConfig(dir.path(), std::nullopt);
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config.value().paths, std::vector<std::string>{"app"});
  EXPECT_EQ(config.value().schema_sql, "db/schema.sql");
  EXPECT_EQ(config.value().fail_on, "warning");
  EXPECT_EQ(config.value().severity.at("model-index-not-in-models"), ir::Severity::kWarning);
}

TEST(Config, ReadsToolTableOfPyproject) {
  TempDir dir;
  dir.Write("pyproject.toml", "[project]\nname = \"x\"\n\n[tool.dbaudit]\nexclude = [\"tests\"]\n");
  auto config = LoadConfig(dir.path(), std::nullopt);
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config.value().exclude, std::vector<std::string>{"tests"});
}

TEST(Config, PyprojectWithoutToolTableConfiguresNothing) {
  TempDir dir;
  dir.Write("pyproject.toml", "[project]\nname = \"x\"\n");
  auto config = LoadConfig(dir.path(), std::nullopt);
  ASSERT_TRUE(config.ok());
  EXPECT_TRUE(config.value().path.empty());
}

TEST(Config, UnknownKeyNamesItsLine) {
  TempDir dir;
  dir.Write("dbaudit.toml", "paths = [\"app\"]\n\nshema-sql = \"x.sql\"\n");
  auto config = LoadConfig(dir.path(), std::nullopt);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find(":3:"), std::string::npos) << config.error().message;
  EXPECT_NE(config.error().message.find("shema-sql"), std::string::npos);
  EXPECT_EQ(config.error().location.line, 3u);
}

TEST(Config, WrongTypeAndBadTomlAreErrors) {
  TempDir dir;
  dir.Write("dbaudit.toml", "fail-on = 3\n");
  EXPECT_FALSE(LoadConfig(dir.path(), std::nullopt).ok());
  dir.Write("dbaudit.toml", "paths = [\n");
  auto broken = LoadConfig(dir.path(), std::nullopt);
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.error().message.find("not valid TOML"), std::string::npos);
  dir.Write("dbaudit.toml", "[severity]\nmodel-type-mismatch = \"fatal\"\n");
  EXPECT_FALSE(LoadConfig(dir.path(), std::nullopt).ok());
}

TEST(Suppression, IgnoresOnlyTheNamedRuleOnThatLine) {
  TempDir dir;
  dir.Write("m.py",
            "a = 1  # dbaudit: ignore[model-type-mismatch, model-nullable-mismatch]\nb = 2\nc = 3 # dbaudit: ignore\n");
  auto finding = [](const std::string& rule, std::uint32_t line) {
    ir::Finding f;
    f.rule_id = rule;
    f.location = {.file = "m.py", .line = line, .column = 1};
    return f;
  };
  auto kept = ApplySuppressions({finding("model-type-mismatch", 1), finding("model-nullable-mismatch", 1),
                                 finding("model-column-not-in-database", 1), finding("model-type-mismatch", 2),
                                 finding("model-type-mismatch", 3)},
                                dir.path());
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].rule_id, "model-column-not-in-database");
  EXPECT_EQ(kept[1].location.line, 2u);
}

TEST(Output, AtomicWriteReplacesAndLeavesNoTemporary) {
  TempDir dir;
  const fs::path target = dir.path() / "out" / "report.md";
  ASSERT_FALSE(WriteFileAtomically(target, "first").has_value());
  ASSERT_FALSE(WriteFileAtomically(target, "second").has_value());
  std::ifstream in(target);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text, "second");
  EXPECT_EQ(std::distance(fs::directory_iterator(target.parent_path()), fs::directory_iterator()), 1);
}

fs::perms Mode(const fs::path& path) {
  return fs::status(path).permissions() & fs::perms::mask;
}

// A rewritten file keeps its mode (issue #11: docs sync widened a 0640 document to 0644), and
// a backup can take its original's.
TEST(Output, ReplacedFileKeepsItsModeAndABackupTakesItsOriginals) {
  TempDir dir;
  const fs::path document = dir.path() / "schema.md";
  dir.Write("schema.md", "old");
  ASSERT_EQ(::chmod(document.c_str(), 0640), 0);
  ASSERT_FALSE(WriteFileAtomically(document, "new").has_value());
  EXPECT_EQ(Mode(document), fs::perms(0640));
  ASSERT_EQ(::chmod(document.c_str(), 0600), 0);
  ASSERT_FALSE(WriteFileAtomically(document, "newer").has_value());
  EXPECT_EQ(Mode(document), fs::perms(0600));

  const auto ownership = OwnershipOf(document);
  ASSERT_TRUE(ownership.has_value());
  EXPECT_EQ(ownership->mode, 0600u);
  EXPECT_FALSE(OwnershipOf(dir.path() / "missing.md").has_value());
  const fs::path backup = dir.path() / "old_versions" / "schema.1.md";
  ASSERT_FALSE(WriteFileAtomically(backup, "newer", ownership).has_value());
  EXPECT_EQ(Mode(backup), fs::perms(0600));

  // A new file gets the umask's default, as before.
  const mode_t mask = ::umask(022);
  ASSERT_FALSE(WriteFileAtomically(dir.path() / "fresh.md", "x").has_value());
  ::umask(mask);
  EXPECT_EQ(Mode(dir.path() / "fresh.md"), fs::perms(0644));
}

TEST(Output, SymlinkStaysALinkAndItsTargetIsWritten) {
  TempDir dir;
  dir.Write("real/report.md", "old");
  fs::create_symlink(dir.path() / "real" / "report.md", dir.path() / "link.md");
  ASSERT_FALSE(WriteFileAtomically(dir.path() / "link.md", "new").has_value());
  EXPECT_TRUE(fs::is_symlink(dir.path() / "link.md"));
  std::ifstream in(dir.path() / "real" / "report.md");
  EXPECT_EQ(std::string((std::istreambuf_iterator<char>(in)), {}), "new");
}

TEST(Output, SpecialFilesAreWrittenInPlaceNeverReplaced) {
  // `-o /dev/null` or a pipe must never be renamed over. A FIFO stands in for both.
  TempDir dir;
  const fs::path fifo = dir.path() / "pipe";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::string received;
  std::thread reader([&] {
    std::ifstream in(fifo, std::ios::binary);
    received.assign((std::istreambuf_iterator<char>(in)), {});
  });
  const auto error = WriteFileAtomically(fifo, "through the pipe");
  reader.join();
  EXPECT_FALSE(error.has_value()) << *error;
  EXPECT_EQ(received, "through the pipe");
  EXPECT_TRUE(fs::is_fifo(fifo));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
}

TEST(Output, FolderTargetIsAnError) {
  TempDir dir;
  EXPECT_TRUE(WriteFileAtomically(dir.path(), "x").has_value());
}

TEST(Output, UnwritableTargetIsAnError) {
  EXPECT_TRUE(WriteFileAtomically("/proc/dbaudit-cannot-write/x.md", "x").has_value());
}

}  // namespace
}  // namespace dbaudit::driver

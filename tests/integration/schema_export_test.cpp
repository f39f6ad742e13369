// `dbaudit schema export` end to end: the live database and its pg_dump export the same
// Markdown, the JSON snapshot reads back to the same schema, the example's export is a
// reviewed snapshot, and every fixture schema's export reads back through `docs diff` with no
// discrepancy.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "analyzer/sql/dump_reader.hpp"
#include "db/snapshot.hpp"
#include "tests/support/pg_cluster.hpp"
#include "tests/support/process.hpp"
#include "tests/support/snapshot.hpp"

namespace dbaudit {
namespace {

namespace fs = std::filesystem;
using testing::RunDbaudit;
using testing::TestCluster;

const fs::path kSourceDir = DBAUDIT_SOURCE_DIR;

std::string ReadText(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  EXPECT_TRUE(file.good()) << path;
  return std::string(std::istreambuf_iterator<char>(file), {});
}

void WriteText(const fs::path& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary);
  file << text;
}

// A fresh folder per test under the system temp folder.
fs::path TempDir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("dbaudit_schema_export_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// The export without its "Source:" line, which names the source and so differs by design.
std::string WithoutSourceLine(const std::string& markdown) {
  std::istringstream in(markdown);
  std::string out;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("Source: ", 0) == 0) continue;
    out += line + "\n";
  }
  return out;
}

std::string Export(const std::vector<std::string>& source, const fs::path& output) {
  std::vector<std::string> arguments = {"schema", "export", "--no-env", "-o", output.string()};
  arguments.insert(arguments.end(), source.begin(), source.end());
  const auto result = RunDbaudit(arguments, kSourceDir.string());
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return ReadText(output);
}

TEST(SchemaExport, LiveExportEqualsTheExportOfItsDump) {
  const TestCluster cluster = TestCluster::Get();
  const std::string database = cluster.CreateDatabase("schema_export_live");
  cluster.RunSql(database, ReadText(kSourceDir / "examples/flask_shop/db/create.sql"));
  const fs::path dir = TempDir("live");
  WriteText(dir / "dump.sql", cluster.DumpSchema(database));

  const std::string live = Export({"--database-url", cluster.Url(database)}, dir / "live.md");
  const std::string dump = Export({"--schema-sql", (dir / "dump.sql").string()}, dir / "dump.md");
  EXPECT_NE(live.find("Source: `postgresql://"), std::string::npos);
  EXPECT_NE(live.find("### Table `public.users`"), std::string::npos);
  EXPECT_NE(live.find("erDiagram"), std::string::npos);
  EXPECT_EQ(WithoutSourceLine(live), WithoutSourceLine(dump));
  cluster.DropDatabase(database);
}

TEST(SchemaExport, FlaskShopExportMatchesTheReviewedSnapshot) {
  const fs::path dir = TempDir("snapshot");
  const std::string markdown = Export({"--schema-sql", "examples/flask_shop/schema.sql"}, dir / "actual.md");
  EXPECT_NE(markdown.find("Source: `examples/flask_shop/schema.sql (offline)`."), std::string::npos);
  testing::ExpectMatchesSnapshot(markdown, "tests/snapshots/flask_shop_schema.md");
}

TEST(SchemaExport, DefaultOutputIsDatabaseSchemaActualInTheProjectRoot) {
  const fs::path dir = TempDir("default_output");
  const auto result = RunDbaudit({"schema", "export", "--no-env", "--project-root", dir.string(), "--schema-sql",
                                  (kSourceDir / "examples/flask_shop/schema.sql").string()},
                                 dir.string());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(ReadText(dir / "database_schema_actual.md").find("# Database schema"), std::string::npos);
}

TEST(SchemaExport, JsonSnapshotReadsBackToTheSameSchema) {
  const fs::path dir = TempDir("json");
  const fs::path dump = kSourceDir / "examples/flask_shop/schema.sql";
  const auto result =
      RunDbaudit({"schema", "export", "--no-env", "--format", "json", "--schema-sql", dump.string()}, dir.string());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  WriteText(dir / "snapshot.json", result.out);

  auto from_snapshot = db::ReadSnapshotFile((dir / "snapshot.json").string(), "snapshot.json");
  ASSERT_TRUE(from_snapshot.ok()) << from_snapshot.error().message;
  auto from_dump = sql::ReadDumpFile(dump.string(), "schema.sql", {});
  ASSERT_TRUE(from_dump.ok()) << from_dump.error().message;
  // The export leaves alembic_version out, as every command does by default.
  ir::Catalog expected = from_dump.take();
  std::erase_if(expected.tables, [](const ir::Table& table) { return table.name == "alembic_version"; });
  EXPECT_TRUE(ir::SameSchema(from_snapshot.value(), expected))
      << ir::DescribeSchemaDifferences(from_snapshot.value(), expected);
  EXPECT_FALSE(from_snapshot.value().tables.empty());

  // And the Markdown made from the snapshot is the Markdown made from the dump.
  const std::string via_json = Export({"--schema-json", (dir / "snapshot.json").string()}, dir / "json.md");
  const std::string via_sql = Export({"--schema-sql", dump.string()}, dir / "sql.md");
  EXPECT_EQ(WithoutSourceLine(via_json), WithoutSourceLine(via_sql));
}

std::vector<fs::path> FixtureSchemas() {
  std::vector<fs::path> schemas = {kSourceDir / "examples/flask_shop/schema.sql"};
  for (const auto& entry : fs::directory_iterator(kSourceDir / "tests/rules")) {
    if (fs::exists(entry.path() / "schema.sql")) schemas.push_back(entry.path() / "schema.sql");
  }
  std::sort(schemas.begin(), schemas.end());
  return schemas;
}

// The views an export describes ("### View `public.v`" headings), by bare name.
std::vector<std::string> ExportedViews(const std::string& markdown) {
  std::vector<std::string> views;
  std::istringstream in(markdown);
  for (std::string line; std::getline(in, line);) {
    for (const std::string prefix : {"### View `", "### Materialized view `"}) {
      if (line.rfind(prefix, 0) != 0) continue;
      const std::string qualified = line.substr(prefix.size(), line.size() - prefix.size() - 1);
      views.push_back(qualified.substr(qualified.find('.') + 1));
    }
  }
  return views;
}

TEST(SchemaExport, EveryFixtureExportReadsBackWithoutDiscrepancies) {
  const fs::path dir = TempDir("round_trip");
  const auto schemas = FixtureSchemas();
  ASSERT_GT(schemas.size(), 10u);
  std::size_t tables_checked = 0;
  std::size_t views_checked = 0;
  for (const fs::path& schema : schemas) {
    SCOPED_TRACE(schema.string());
    const std::string markdown = Export({"--schema-sql", schema.string()}, dir / "export.md");
    ASSERT_FALSE(markdown.empty());
    // Views too: the reader reads the export's view sections (definition, no column table).
    views_checked += ExportedViews(markdown).size();
    const auto result =
        RunDbaudit({"docs", "diff", "--no-env", "--docs", (dir / "export.md").string(), "--schema-sql", schema.string(),
                    "--format", "json", "--discrepancies", (dir / "discrepancies.json").string()},
                   dir.string());
    const auto report = nlohmann::json::parse(result.out, nullptr, false);
    ASSERT_FALSE(report.is_discarded()) << result.out << result.err;
    for (const auto& finding : report["findings"]) ADD_FAILURE() << finding.dump(2);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    const auto discrepancies = nlohmann::json::parse(ReadText(dir / "discrepancies.json"), nullptr, false);
    ASSERT_FALSE(discrepancies.is_discarded());
    EXPECT_EQ(discrepancies["summary"]["total"], 0);
    std::istringstream in(markdown);
    for (std::string line; std::getline(in, line);) tables_checked += line.rfind("### Table `", 0) == 0;
  }
  // The loop compared real content: the fixtures describe dozens of tables.
  EXPECT_GT(tables_checked, 30u);
  EXPECT_GT(views_checked, 0u);
}

}  // namespace
}  // namespace dbaudit

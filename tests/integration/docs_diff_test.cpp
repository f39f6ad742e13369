// `dbaudit docs diff` end to end on the example's hand-written document
// (examples/flask_shop/docs/database_schema.md, deliberately out of date) against its dump and
// against the live database: specific discrepancies at specific lines of the document, and the
// schema_discrepancies.json artifact.

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/pg_cluster.hpp"
#include "tests/support/process.hpp"

namespace dbaudit {
namespace {

namespace fs = std::filesystem;
using testing::RunDbaudit;

const fs::path kSourceDir = DBAUDIT_SOURCE_DIR;
const char* kDocument = "examples/flask_shop/docs/database_schema.md";

std::string ReadText(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  EXPECT_TRUE(file.good()) << path;
  return std::string(std::istreambuf_iterator<char>(file), {});
}

// The 1-based line of the document that starts with `prefix` (0 when none): the expected
// lines follow the document, not numbers copied into the test.
int LineOf(const std::string& prefix) {
  std::istringstream in(ReadText(kSourceDir / kDocument));
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (line.rfind(prefix, 0) == 0) return number;
  }
  ADD_FAILURE() << "no line starts with " << prefix;
  return 0;
}

struct DiffOutput {
  int exit_code = -1;
  nlohmann::json report;
  nlohmann::json discrepancies;
  std::string err;
};

DiffOutput RunDiff(const std::vector<std::string>& source, const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("dbaudit_docs_diff_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::vector<std::string> arguments = {"docs",
                                        "diff",
                                        "--no-env",
                                        "--docs",
                                        kDocument,
                                        "--format",
                                        "json",
                                        "--discrepancies",
                                        (dir / "discrepancies.json").string()};
  arguments.insert(arguments.end(), source.begin(), source.end());
  const auto result = RunDbaudit(arguments, kSourceDir.string());
  DiffOutput output;
  output.exit_code = result.exit_code;
  output.err = result.err;
  output.report = nlohmann::json::parse(result.out, nullptr, false);
  output.discrepancies = nlohmann::json::parse(ReadText(dir / "discrepancies.json"), nullptr, false);
  return output;
}

// Does the report hold a finding of `rule` at `line` of the document whose message contains
// `text`?
bool HasFinding(const nlohmann::json& report, const std::string& rule, int line, const std::string& text) {
  for (const auto& finding : report["findings"]) {
    if (finding["rule"] != rule) continue;
    const auto& location = finding["location"];
    if (location.value("file", "") != kDocument || location.value("line", 0) != line) continue;
    if (finding["message"].get<std::string>().find(text) != std::string::npos) return true;
  }
  return false;
}

void ExpectPlantedDiscrepancies(const DiffOutput& output) {
  ASSERT_FALSE(output.report.is_discarded()) << output.err;
  EXPECT_EQ(output.exit_code, 1) << output.err;
  const auto& report = output.report;
  EXPECT_TRUE(HasFinding(report, "docs-type-mismatch", LineOf("| username |"), "users.username")) << report.dump(2);
  EXPECT_TRUE(HasFinding(report, "docs-type-mismatch", LineOf("| ip_address |"), "audit_log.ip_address"));
  EXPECT_TRUE(HasFinding(report, "docs-nullable-mismatch", LineOf("| postal_code |"), "addresses.postal_code"));
  EXPECT_TRUE(HasFinding(report, "docs-column-undocumented", LineOf("## users"), "users.legacy_crm_id"));
  EXPECT_TRUE(HasFinding(report, "docs-column-undocumented", LineOf("## order_items"), "order_items.id"));
  EXPECT_TRUE(HasFinding(report, "docs-default-mismatch", LineOf("| quantity |"), "order_items.quantity"));
  // The notes column states no keys: the composite primary key in prose is not compared.
  for (const auto& finding : report["findings"]) EXPECT_NE(finding["rule"], "docs-key-mismatch") << finding.dump();
}

TEST(DocsDiff, FlaskShopDocumentAgainstTheDump) {
  const DiffOutput output = RunDiff({"--schema-sql", "examples/flask_shop/schema.sql"}, "dump");
  ExpectPlantedDiscrepancies(output);
  // legacy_imports is in the database and nowhere in the document.
  bool undocumented = false;
  for (const auto& finding : output.report["findings"]) {
    if (finding["rule"] == "docs-table-undocumented" &&
        finding["message"].get<std::string>().find("legacy_imports") != std::string::npos) {
      undocumented = true;
    }
  }
  EXPECT_TRUE(undocumented);

  // The artifact: every category, counts that add up, entries with the document's line.
  const auto& discrepancies = output.discrepancies;
  ASSERT_FALSE(discrepancies.is_discarded());
  EXPECT_EQ(discrepancies["document"], kDocument);
  EXPECT_EQ(discrepancies["summary"]["total"], output.report["findings"].size());
  std::size_t sum = 0;
  for (const auto& [category, count] : discrepancies["summary"]["by_category"].items()) {
    EXPECT_EQ(discrepancies["categories"][category].size(), count.get<std::size_t>()) << category;
    sum += count.get<std::size_t>();
  }
  EXPECT_EQ(sum, output.report["findings"].size());
  EXPECT_EQ(discrepancies["categories"].size(), 11u);
  bool username_line = false;
  for (const auto& entry : discrepancies["categories"]["type_mismatches"]) {
    if (entry.value("columns", nlohmann::json::array()) == nlohmann::json::array({"username"})) {
      username_line = entry["document_line"] == LineOf("| username |");
    }
  }
  EXPECT_TRUE(username_line) << discrepancies.dump(2);

  // Deterministic: a second run writes the same bytes.
  const DiffOutput again = RunDiff({"--schema-sql", "examples/flask_shop/schema.sql"}, "dump_again");
  EXPECT_EQ(again.discrepancies.dump(), discrepancies.dump());
  EXPECT_EQ(again.report.dump(), output.report.dump());
}

TEST(DocsDiff, FlaskShopDocumentAgainstTheLiveDatabase) {
  const testing::TestCluster cluster = testing::TestCluster::Get();
  const std::string database = cluster.CreateDatabase("docs_diff_live");
  cluster.RunSql(database, ReadText(kSourceDir / "examples/flask_shop/db/create.sql"));
  const DiffOutput output = RunDiff({"--database-url", cluster.Url(database)}, "live");
  ExpectPlantedDiscrepancies(output);
  cluster.DropDatabase(database);
}

TEST(DocsDiff, AMissingDocumentIsAToolFailure) {
  const auto result = RunDbaudit(
      {"docs", "diff", "--no-env", "--docs", "no/such/document.md", "--schema-sql", "examples/flask_shop/schema.sql",
       "--discrepancies", (fs::temp_directory_path() / "dbaudit_docs_diff_missing.json").string()},
      kSourceDir.string());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("document.md"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace dbaudit

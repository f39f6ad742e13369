// PostgreSQL is the judge of the model reader. Each project under tests/oracle/<name>/ is a
// small application written in the shapes real projects use (custom db objects, mixins,
// TypeDecorators, third-party types, migrations and tests beside the models). The real
// SQLAlchemy (Debian's python3-sqlalchemy) imports its models and creates them with
// create_all() in the throwaway cluster, so the database *is* the models:
//   - every model- finding on it is false, and every table it has must be one dbaudit read,
//     whether dbaudit is pointed at the project root or at the models folder;
//   - after the drifts oracle.json lists (each an ALTER with the finding it must cause), each
//     must be found, and nothing else.
#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/pg_cluster.hpp"
#include "tests/support/process.hpp"

namespace dbaudit {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::ProcessResult;
using testing::RunDbaudit;

const fs::path kOracleRoot = fs::path(DBAUDIT_SOURCE_DIR) / "tests" / "oracle";

const std::map<std::string, std::string> kNoDatabaseEnvironment = {
    {"DATABASE_URL", ""}, {"PGHOST", ""}, {"PGPORT", ""}, {"PGDATABASE", ""}, {"PGUSER", ""}, {"PGPASSWORD", ""}};

std::vector<std::string> OracleProjects() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(kOracleRoot)) {
    if (entry.is_directory() && fs::exists(entry.path() / "oracle.json")) names.push_back(entry.path().filename());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// rule, table, column ("" when the finding names none).
using Subject = std::tuple<std::string, std::string, std::string>;

Subject SubjectOf(const json& finding) {
  const json subject = finding.value("subject", json::object());
  std::string column = subject.value("column", "");
  if (column.empty() && subject.contains("columns")) {
    for (const auto& name : subject["columns"]) column += (column.empty() ? "" : ",") + name.get<std::string>();
  }
  return {finding["rule"].get<std::string>(), subject.value("table", ""), column};
}

// The findings that claim the models and the database differ: model- rules, except the note
// that says a construct could not be read (unknown is said, not a difference).
std::vector<json> ModelDifferences(const json& report) {
  std::vector<json> out;
  for (const auto& finding : report["findings"]) {
    const std::string rule = finding["rule"];
    if (rule.rfind("model-", 0) == 0 && rule != "model-unreadable-construct") out.push_back(finding);
  }
  return out;
}

std::string Describe(const std::vector<json>& findings) {
  std::string text;
  for (const auto& finding : findings)
    text += "  " + finding["rule"].get<std::string>() + ": " + finding["message"].get<std::string>() + "\n";
  return text;
}

class ModelOracle : public ::testing::TestWithParam<std::string> {};

TEST_P(ModelOracle, DatabaseMadeByTheModelsShowsNoDifferenceAndSeededDriftIsFound) {
  const fs::path dir = kOracleRoot / GetParam();
  const json spec = json::parse(testing::ReadFileOrEmpty((dir / "oracle.json").string()));
  const auto cluster = testing::TestCluster::Get();
  const std::string database = cluster.CreateDatabase("oracle_" + GetParam());

  // The real SQLAlchemy makes the schema. /usr/bin/python3: the Debian interpreter that has
  // the packages scripts/install-deps.sh installs, whatever python3 comes first on PATH.
  const ProcessResult created = testing::RunProcess(
      {"/usr/bin/python3", (kOracleRoot / "create_all.py").string(), dir.string(), cluster.ConnInfo(database)});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const auto created_tables = json::parse(created.out).get<std::vector<std::string>>();
  ASSERT_FALSE(created_tables.empty());

  auto check = [&](const std::string& target) {
    const ProcessResult run = RunDbaudit({"check", (dir / target).lexically_normal().string(), "--project-root",
                                          dir.string(), "--database-url", cluster.Url(database), "--format", "json"},
                                         {}, kNoDatabaseEnvironment);
    EXPECT_NE(run.exit_code, 2) << target << ": " << run.err << run.out;
    return json::parse(run.out);
  };

  for (const std::string target : {std::string("."), spec["models_dir"].get<std::string>()}) {
    SCOPED_TRACE("dbaudit check " + target);
    const json report = check(target);
    EXPECT_EQ(report["model_tables"].get<std::vector<std::string>>(), created_tables);
    const auto differences = ModelDifferences(report);
    EXPECT_TRUE(differences.empty()) << "false differences on a database the models made:\n" << Describe(differences);
    for (const auto& finding : report["findings"]) {
      EXPECT_NE(finding["rule"], "input-models-not-read") << finding["message"];
      EXPECT_NE(finding["rule"], "input-python-syntax-error") << finding["message"];
    }
  }

  // Seeded drift: each ALTER must cause exactly its finding.
  std::set<Subject> expected;
  for (const auto& drift : spec.value("drifts", json::array())) {
    cluster.RunSql(database, drift["sql"].get<std::string>());
    expected.insert({drift["rule"], drift["table"], drift.value("column", "")});
  }
  if (expected.empty()) return;
  for (const std::string target : {std::string("."), spec["models_dir"].get<std::string>()}) {
    SCOPED_TRACE("dbaudit check " + target + " after the drifts");
    const json report = check(target);
    std::set<Subject> found;
    std::vector<json> unexpected;
    for (const auto& finding : ModelDifferences(report)) {
      const Subject subject = SubjectOf(finding);
      found.insert(subject);
      if (!expected.count(subject)) unexpected.push_back(finding);
    }
    for (const auto& [rule, table, column] : expected) {
      EXPECT_TRUE(found.count({rule, table, column})) << "missed: " << rule << " " << table << " " << column;
    }
    EXPECT_TRUE(unexpected.empty()) << "findings no drift explains:\n" << Describe(unexpected);
  }
  cluster.DropDatabase(database);
}

INSTANTIATE_TEST_SUITE_P(Projects, ModelOracle, ::testing::ValuesIn(OracleProjects()));

}  // namespace
}  // namespace dbaudit

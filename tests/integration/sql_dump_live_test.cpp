// The dump reader against the live catalog: the schema behind the unit tests' pg_dump
// fixture (tests/unit/sql/data) is created on the throwaway cluster, dumped with this
// machine's pg_dump, read back, and must equal what db::Introspect reads live.

#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>

#include "analyzer/sql/dump_reader.hpp"
#include "db/connection.hpp"
#include "db/introspect.hpp"
#include "tests/support/pg_cluster.hpp"

namespace dbaudit::sql {
namespace {

using dbaudit::testing::TestCluster;

std::string ReadSource(const std::string& relative) {
  std::ifstream file(std::string(DBAUDIT_SOURCE_DIR) + "/" + relative, std::ios::binary);
  EXPECT_TRUE(file.good()) << relative;
  return std::string(std::istreambuf_iterator<char>(file), {});
}

TEST(SqlDumpLive, UnitFixtureSchemaReadFromDumpEqualsLive) {
  const TestCluster cluster = TestCluster::Get();
  const std::string database = cluster.CreateDatabase("sql_dump_live");
  cluster.RunSql(database, ReadSource("tests/unit/sql/data/pg_dump_schema_only.source.sql"));

  const std::string dump = cluster.DumpSchema(database);
  auto from_dump = ReadDumpText(dump, "dump.sql", {});
  ASSERT_TRUE(from_dump.ok()) << from_dump.error().message;

  const auto settings = db::ResolveConnection(cluster.Url(database), {}, {});
  ASSERT_TRUE(settings.has_value());
  auto live = db::Introspect(*settings, {});
  ASSERT_TRUE(live.ok()) << live.error().message;

  EXPECT_TRUE(ir::SameSchema(live.value(), from_dump.value()))
      << ir::DescribeSchemaDifferences(live.value(), from_dump.value());
  // The fixture exercises every statement kind: nothing may be silently empty.
  EXPECT_EQ(from_dump.value().tables.size(), 11u);
  EXPECT_EQ(from_dump.value().functions.size(), 7u);
  for (const auto& diagnostic : from_dump.value().diagnostics)
    EXPECT_FALSE(diagnostic.incomplete) << diagnostic.message;
  cluster.DropDatabase(database);
}

}  // namespace
}  // namespace dbaudit::sql

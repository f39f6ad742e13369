#include "db/connection.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "db/introspect.hpp"
#include "tests/support/pg_cluster.hpp"

namespace dbaudit::db {
namespace {

using dbaudit::testing::TestCluster;

constexpr const char* kPassword = "Xq7-Very-Secret-Pw";

// The message must say what failed and where, and never hold the password in any spelling.
void ExpectCleanError(const ir::Result<ir::Catalog>& result, const std::string& expected_part) {
  ASSERT_FALSE(result.ok());
  const std::string& message = result.error().message;
  EXPECT_NE(message.find(expected_part), std::string::npos) << message;
  EXPECT_EQ(message.find(kPassword), std::string::npos) << message;
  EXPECT_EQ(message.find("Very-Secret"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

TEST(Connection, RefusedWhenNobodyListens) {
  const TestCluster cluster = TestCluster::Get();
  // The cluster's socket directory, but a port with no server behind it.
  const std::string url =
      std::string("postgresql://app:") + kPassword + "@/postgres?host=" + cluster.socket_dir() + "&port=1";
  const auto settings = ResolveConnection(url, {}, {});
  ASSERT_TRUE(settings);
  const auto result = Introspect(*settings, {});
  ExpectCleanError(result,
                   "could not connect to postgresql://app@/postgres?host=" + cluster.socket_dir() + "&port=1: ");
}

TEST(Connection, RefusedWhenTheSocketDirectoryDoesNotExist) {
  const auto settings = ResolveConnection(
      std::string("postgresql+psycopg2://app:") + kPassword + "@/app?host=/nonexistent/dbaudit", {}, {});
  ASSERT_TRUE(settings);
  IntrospectOptions options;
  options.connect_timeout_s = 2;
  ExpectCleanError(Introspect(*settings, options),
                   "could not connect to postgresql://app@/app?host=/nonexistent/dbaudit");
}

TEST(Connection, UnknownDatabase) {
  const TestCluster cluster = TestCluster::Get();
  const auto settings = ResolveConnection(cluster.Url("no_such_database_here"), {}, {});
  ASSERT_TRUE(settings);
  ExpectCleanError(Introspect(*settings, {}), "database \"no_such_database_here\" does not exist");
}

TEST(Connection, UnknownRoleWithPasswordInTheUrl) {
  const TestCluster cluster = TestCluster::Get();
  const std::string url = std::string("postgresql://nobody_here:") + kPassword +
                          "@/postgres?host=" + cluster.socket_dir() + "&port=" + cluster.port();
  const auto settings = ResolveConnection(url, {}, {});
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->display.find(kPassword), std::string::npos);
  ExpectCleanError(Introspect(*settings, {}), "role \"nobody_here\" does not exist");
}

TEST(Connection, PasswordInTheConnInfoNeverLeaks) {
  const TestCluster cluster = TestCluster::Get();
  // A conninfo string whose password libpq would echo if it could not parse the rest.
  const std::string conninfo = "host=" + cluster.socket_dir() + " port=" + cluster.port() +
                               " dbname=postgres password=" + kPassword + " user=nobody_either";
  const auto settings = ResolveConnection(conninfo, {}, {});
  ASSERT_TRUE(settings);
  ExpectCleanError(Introspect(*settings, {}), "nobody_either");
}

TEST(Connection, MalformedConnInfoIsAnErrorWithoutThePassword) {
  const auto settings = ResolveConnection(std::string("host=/tmp password=") + kPassword + " bogus_option=1", {}, {});
  ASSERT_TRUE(settings);
  // Refused before anything connects (issue #11), naming the keyword, never the password.
  ExpectCleanError(Introspect(*settings, {}), "'bogus_option' is no libpq connection keyword");
}

TEST(Connection, PgVariablesReachTheServer) {
  const TestCluster cluster = TestCluster::Get();
  const std::string database = cluster.CreateDatabase("connection_pg_vars");
  cluster.RunSql(database, "CREATE TABLE public.hello (id integer PRIMARY KEY);");
  const std::map<std::string, std::string> environment = {
      {"PGHOST", cluster.socket_dir()}, {"PGPORT", cluster.port()}, {"PGDATABASE", database}, {"PGUSER", "postgres"}};
  const auto settings = ResolveConnection(std::nullopt, environment, {});
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->origin, "PG* variables");
  const auto result = Introspect(*settings, {});
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_NE(result.value().FindTable("public", "hello"), nullptr);
  cluster.DropDatabase(database);
}

TEST(Connection, DotEnvSqlAlchemyUrlReachesTheServer) {
  const TestCluster cluster = TestCluster::Get();
  const std::string database = cluster.CreateDatabase("connection_dotenv");
  cluster.RunSql(database, "CREATE TABLE public.from_dotenv (id integer);");
  const auto project = std::filesystem::temp_directory_path() / "dbaudit-connection-dotenv";
  std::filesystem::create_directories(project);
  std::ofstream(project / ".env") << "# app settings\nexport DATABASE_URL='postgresql+psycopg2://postgres@/" << database
                                  << "?host=" << cluster.socket_dir() << "&port=" << cluster.port()
                                  << "&sslmode=disable'\nSECRET_KEY=abc\n";
  const auto settings = ResolveConnection(std::nullopt, {{"HOME", "/root"}}, project);
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->origin, ".env");
  const auto result = Introspect(*settings, {});
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_NE(result.value().FindTable("public", "from_dotenv"), nullptr);
  std::filesystem::remove_all(project);
  cluster.DropDatabase(database);
}

}  // namespace
}  // namespace dbaudit::db

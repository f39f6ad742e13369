#include "tests/support/pg_cluster.hpp"

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <gtest/gtest.h>

#include "tests/support/process.hpp"

namespace dbaudit::testing {

TestCluster TestCluster::Get() {
  std::ifstream info(DBAUDIT_TEST_PG_INFO);
  TestCluster cluster;
  if (!(info >> cluster.socket_dir_ >> cluster.port_)) {
    ADD_FAILURE() << "No throwaway PostgreSQL: " << DBAUDIT_TEST_PG_INFO
                  << " is missing. Run the tests with ctest (the postgres_start fixture starts the server).";
    throw std::runtime_error("no test cluster");
  }
  return cluster;
}

std::string TestCluster::ConnInfo(const std::string& database) const {
  return "host=" + socket_dir_ + " port=" + port_ + " user=postgres dbname=" + database;
}

std::string TestCluster::Url(const std::string& database) const {
  return "postgresql://postgres@/" + database + "?host=" + socket_dir_ + "&port=" + port_;
}

std::string TestCluster::CreateDatabase(const std::string& hint) const {
  std::string name = "t_";
  for (char c : hint) name += std::isalnum(static_cast<unsigned char>(c)) ? std::tolower(c) : '_';
  if (name.size() > 60) name.resize(60);
  DropDatabase(name);
  RunSql("postgres", "CREATE DATABASE " + name + ";");
  return name;
}

void TestCluster::DropDatabase(const std::string& name) const {
  RunSql("postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE);");
}

void TestCluster::RunSql(const std::string& database, const std::string& sql) const {
  const ProcessResult result = RunProcess({"psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", socket_dir_, "-p", port_,
                                           "-U", "postgres", "-d", database, "-f", "-"},
                                          sql);
  if (result.exit_code != 0) {
    ADD_FAILURE() << "psql failed on " << database << ":\n" << result.err << "\nSQL:\n" << sql;
    throw std::runtime_error("psql failed");
  }
}

std::string TestCluster::DumpSchema(const std::string& database) const {
  const ProcessResult result = RunProcess(
      {"pg_dump", "--schema-only", "--no-owner", "-h", socket_dir_, "-p", port_, "-U", "postgres", database});
  if (result.exit_code != 0) {
    ADD_FAILURE() << "pg_dump failed: " << result.err;
    throw std::runtime_error("pg_dump failed");
  }
  return result.out;
}

}  // namespace dbaudit::testing

#pragma once

#include <string>

namespace dbaudit::testing {

// The throwaway cluster that tests/pg/cluster.sh started for this ctest run. Every call
// fails the test loudly (never skips) when the cluster is not there.
class TestCluster {
 public:
  // Reads the info file; ADD_FAILURE()s and throws when the cluster is missing.
  static TestCluster Get();

  // A new, empty database with a unique name derived from `hint`; dropped first if present.
  std::string CreateDatabase(const std::string& hint) const;
  void DropDatabase(const std::string& name) const;
  // Runs a SQL script with psql (ON_ERROR_STOP), as the superuser.
  void RunSql(const std::string& database, const std::string& sql) const;
  // `pg_dump --schema-only` of the database, as text.
  std::string DumpSchema(const std::string& database) const;

  // "host=<socket dir> port=<port> user=postgres dbname=<database>"
  std::string ConnInfo(const std::string& database) const;
  // "postgresql://postgres@/<database>?host=<socket dir>&port=<port>"
  std::string Url(const std::string& database) const;
  const std::string& socket_dir() const { return socket_dir_; }
  const std::string& port() const { return port_; }

 private:
  std::string socket_dir_;
  std::string port_;
  std::string bindir_;
};

}  // namespace dbaudit::testing

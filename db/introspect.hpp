#pragma once

#include <string>
#include <vector>

#include "analyzer/ir/catalog.hpp"
#include "analyzer/ir/result.hpp"
#include "db/connection.hpp"

namespace dbaudit::db {

struct IntrospectOptions {
  std::vector<std::string> schemas;  // empty: every non-system schema
  std::vector<std::string> ignored_tables = {"alembic_version"};
  int statement_timeout_ms = 30000;
  int lock_timeout_ms = 5000;
  int connect_timeout_s = 10;
};

// Reads the live schema in one READ ONLY transaction with a fixed number of bulk catalog
// queries, whatever the schema size. Errors (refused connection, bad password, timeouts)
// come back as an Error whose message never contains the password. Objects the role may not
// read become diagnostics.
ir::Result<ir::Catalog> Introspect(const ConnectionSettings& settings, const IntrospectOptions& options);

}  // namespace dbaudit::db

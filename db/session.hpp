#pragma once

#include <functional>
#include <optional>
#include <string>

#include <pqxx/pqxx>

#include "analyzer/ir/result.hpp"
#include "db/connection.hpp"
#include "db/introspect.hpp"

// Internal to db/: the one place that opens a connection. pqxx types never leave db/.
namespace dbaudit::db::internal {

// One consistent snapshot for every catalog query, and the server refuses any write.
using ReadOnlyTransaction = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;

// Connects, opens a READ ONLY transaction, sets the statement and lock timeouts and an empty
// search_path (so the server's deparser schema-qualifies everything, as pg_dump's output
// does), checks that the transaction is read only, then runs `body`. Every libpqxx and
// libpq failure comes back as an Error whose message names the redacted target and never
// holds the password.
std::optional<ir::Error> WithReadOnlyTransaction(const ConnectionSettings& settings, const IntrospectOptions& options,
                                                 const std::function<void(ReadOnlyTransaction&)>& body);

// "postgresql://host:5432/db" from a display URL: no user, no query string. Objects are
// named "<prefix>#schema.table.column".
std::string ObjectUriPrefix(const std::string& display);

}  // namespace dbaudit::db::internal

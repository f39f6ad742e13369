#pragma once

#include <string>

#include "analyzer/ir/result.hpp"
#include "db/connection.hpp"
#include "db/introspect.hpp"

// For tests only: shows what the session Introspect() runs in looks like from the inside.
namespace dbaudit::db::testing {

// Runs `sql` inside the same read-only transaction (same timeouts, empty search_path) that
// Introspect() uses and returns the first column of the first row ("" when there is none).
ir::Result<std::string> QueryInIntrospectionSession(const ConnectionSettings& settings,
                                                    const IntrospectOptions& options, const std::string& sql);

}  // namespace dbaudit::db::testing

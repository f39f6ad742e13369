#pragma once

#include <string>

#include "analyzer/ir/catalog.hpp"
#include "analyzer/ir/result.hpp"

namespace dbaudit::sql {

struct DumpReaderOptions {
  std::vector<std::string> schemas;  // empty: every non-system schema
  std::vector<std::string> ignored_tables = {"alembic_version"};
};

// Reads a `pg_dump --schema-only` file (or any DDL script) into a Catalog (origin kDump) by
// replaying its statements in order with libpg_query. `display_path` goes in Locations.
// Statements that do not parse or are not understood become diagnostics with their line;
// a file that cannot be read, or holds no SQL at all, is an Error.
ir::Result<ir::Catalog> ReadDumpFile(const std::string& path, const std::string& display_path,
                                     const DumpReaderOptions& options);
ir::Result<ir::Catalog> ReadDumpText(const std::string& sql, const std::string& display_path,
                                     const DumpReaderOptions& options);

}  // namespace dbaudit::sql

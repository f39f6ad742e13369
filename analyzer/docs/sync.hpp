#pragma once

#include <string>
#include <vector>

#include "analyzer/ir/catalog.hpp"

// `docs sync`: the document rewritten to match the schema, keeping what people wrote.
namespace dbaudit::docs {

struct SyncOptions {
  // Tables (unqualified names) the schema source leaves out on purpose (alembic_version):
  // their sections are left as they are.
  std::vector<std::string> ignored_tables;
};

struct SyncResult {
  std::string text;  // the new document
  bool changed = false;
  // "schema.table", sorted.
  std::vector<std::string> tables_updated;  // an existing section whose rows changed
  std::vector<std::string> tables_added;
  std::vector<std::string> tables_removed;
  std::vector<ir::Diagnostic> notes;  // what the reader could not read (left as it was)
};

// Rewrites `original` (the document's bytes) so that reading it gives the schema's facts for
// everything the document states:
// - a documented table's column table or list is regenerated in its own layout (header
//   cells, their order, bullet style); cells and items that already agree with the schema,
//   and every description, are kept as written; rows follow the schema's column order;
// - a documented table the schema lacks loses its whole section (heading to next heading);
// - a schema table the document lacks is appended at the end in the layout of the first
//   documented table, or filled into a section that names it but had no readable body;
// - prose, other sections, unreadable sections and duplicates are left byte for byte.
SyncResult SyncSchemaDocument(const std::string& original, const std::string& display_path, const ir::Catalog& schema,
                              const SyncOptions& options);

}  // namespace dbaudit::docs

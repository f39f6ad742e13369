#pragma once

#include <string>
#include <vector>

#include "analyzer/ir/location.hpp"

// constraints_gap.md: the audit plan's phase 6 deliverable. Every unique constraint, index,
// check constraint and foreign key that one side (the models or the database) declares and
// the other lacks, plus the database's foreign keys without a supporting index.
namespace dbaudit::reports {

enum class GapKind { kUnique, kIndex, kCheck, kForeignKey };
// "Unique constraints", "Indexes", "Check constraints", "Foreign keys": the section titles.
const char* ToTitle(GapKind kind);

struct GapEntry {
  GapKind kind = GapKind::kUnique;
  std::string table;               // as messages print it: "users", "audit.events"
  std::string name;                // constraint or index name; may be empty (models rarely name them)
  std::string definition;          // "UNIQUE (email)", "FOREIGN KEY (user_id) REFERENCES users (id)"
  ir::Location model_location;     // where the models declare it (empty when they do not)
  ir::Location database_location;  // where the schema source declares it (empty when it does not)
};

struct ForeignKeyWithoutIndex {
  std::string table;
  std::string name;        // the foreign key's constraint name
  std::string definition;  // the foreign key's definition
  std::string index_sql;   // the CREATE INDEX that would support it
  ir::Location database_location;
  ir::Location model_location;  // where the models declare the key (empty when they do not)
};

struct ConstraintsGap {
  std::string models_source;                                       // "12 Python files"
  std::string schema_source;                                       // redacted
  std::vector<GapEntry> only_in_models;                            // sorted by table, kind, definition
  std::vector<GapEntry> only_in_database;                          // sorted by table, kind, definition
  std::vector<ForeignKeyWithoutIndex> foreign_keys_without_index;  // sorted by table, name
  // What could not be compared (a side that is missing, a model CheckConstraint whose SQL
  // the analyzer cannot read, two checks whose expressions may or may not mean the same),
  // one line each, with its location in the text. Sorted.
  std::vector<std::string> notes;
};

// Puts the entries, foreign keys and notes in the documented order (the builder calls it;
// the renderer prints in the order it is given).
void SortConstraintsGap(ConstraintsGap& gap);

// Deterministic Markdown: sources, counts, then one section per direction and kind with a
// table (table, name, definition, model location, database location), then the foreign keys
// without an index with the CREATE INDEX that would support each, then the notes. Empty
// sections say "None.".
std::string RenderConstraintsGap(const ConstraintsGap& gap);

}  // namespace dbaudit::reports

#pragma once

#include <string>
#include <vector>

#include "analyzer/ir/location.hpp"

// constraints_gap.md: the audit plan's phase 6 deliverable. Every unique constraint, index,
// check constraint and foreign key that one side (the models or the database) declares and
// the other lacks, plus the database's foreign keys without a supporting index.
namespace dbaudit::reports {

enum class GapKind { kUnique, kIndex, kCheck, kForeignKey };

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
  std::string definition;  // the foreign key's definition
  std::string index_sql;   // the CREATE INDEX that would support it
  ir::Location database_location;
};

struct ConstraintsGap {
  std::string models_source;               // "12 Python files"
  std::string schema_source;               // redacted
  std::vector<GapEntry> only_in_models;    // sorted by table, kind, definition
  std::vector<GapEntry> only_in_database;  // sorted by table, kind, definition
  std::vector<ForeignKeyWithoutIndex> foreign_keys_without_index;
  // What could not be compared (e.g. a model CheckConstraint whose SQL the analyzer cannot
  // render), one line each, with its location in the text.
  std::vector<std::string> notes;
};

// Deterministic Markdown: sources, counts, then one section per direction and kind with a
// table (table, name, definition, model line / database line), then the foreign keys without
// an index with the CREATE INDEX that would support each.
std::string RenderConstraintsGap(const ConstraintsGap& gap);

}  // namespace dbaudit::reports

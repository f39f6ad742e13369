#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/ir/catalog.hpp"
#include "analyzer/ir/result.hpp"

// A hand-written Markdown schema document, read into the shared Catalog shape plus what the
// Catalog cannot say: which facts the document states at all (a document without a
// "Default" column says nothing about defaults; that is not "no default"), and where every
// table lives in the text so that `docs sync` can rewrite it in place.
namespace dbaudit::docs {

// What a documented table states. A fact that is not stated is never a discrepancy.
struct StatedFacts {
  bool types = false;
  bool nullability = false;
  bool defaults = false;
  bool primary_key = false;  // a key/PK column or marker is present
  bool foreign_keys = false;
  bool unique = false;
  bool indexes = false;
  bool descriptions = false;
};

enum class TableLayout { kGfmTable, kBulletList, kHtmlTable, kOther };

// Where a documented table is in the text (1-based lines, inclusive), and its shape.
struct DocumentedTable {
  std::string schema;  // "public" unless the heading names one
  std::string name;
  StatedFacts stated;
  TableLayout layout = TableLayout::kGfmTable;
  std::uint32_t heading_line = 0;
  std::uint32_t body_begin_line = 0;  // first line of the column table / list
  std::uint32_t body_end_line = 0;    // last line of it
  // GFM tables: the header cells as written, in order ("Column", "Type", "Nullable", ...).
  std::vector<std::string> header_cells;
};

struct Document {
  std::string display_path;
  // origin kDocument. Types normalised to PostgreSQL's canonical names (empty when not
  // stated), nullable nullopt when not stated, descriptions in Column::comment and
  // Table::comment, every Location the document's line (column 1 unless known).
  // Sections the reader could not read are Catalog::diagnostics (notes with their line).
  ir::Catalog catalog;
  std::vector<DocumentedTable> tables;  // in document order
};

// The encoding of a document dbaudit cannot read or rewrite ("UTF-16 (little-endian)"), told
// by its byte-order mark or, without one, by NUL bytes; nullopt for UTF-8 (with or without
// a byte-order mark) and ASCII.
std::optional<std::string> UnsupportedEncoding(const std::string& bytes);
// The error for such a document: what it is, and how to convert it.
std::string UnsupportedEncodingMessage(const std::string& display_path, const std::string& encoding);

// Reads `path`; an Error when the file cannot be read at all or is not UTF-8. Never throws.
ir::Result<Document> ReadSchemaDocument(const std::filesystem::path& path, const std::string& display_path);
// Same, from text already in memory.
Document ParseSchemaDocument(const std::string& markdown, const std::string& display_path);

}  // namespace dbaudit::docs

#pragma once

// What the reader knows beyond the public Document: the raw cells of every row and item, the
// roles of a table's header cells, the sections it skipped. `docs sync` rewrites the text
// from this. Internal to analyzer/docs.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/docs/document.hpp"

namespace dbaudit::docs {

// What a header cell of a column table means.
enum class CellRole { kName, kType, kNullable, kNotNull, kDefault, kKey, kReferences, kDescription, kIgnored };

// How a bullet item is written: "- id (integer, PK)", "- email: text, unique", "- **email** — text".
enum class BulletForm { kParentheses, kColon, kDash };
enum class NameDecoration { kPlain, kBackticks, kBold };

struct DocumentedRow {
  std::string column;  // the name as read
  std::uint32_t begin_line = 0;
  std::uint32_t end_line = 0;
  std::vector<std::string> raw_cells;           // GFM tables: every cell as written
  std::string raw_type;                         // as written (bullets)
  std::string description;                      // as written, markup kept
  BulletForm bullet_form = BulletForm::kColon;  // bullets: how this item is written
  NameDecoration name_decoration = NameDecoration::kPlain;
};

struct TableDetail {
  std::size_t table_index = 0;  // into Document::tables (and the catalog's table of that name)
  int heading_level = 2;
  std::string heading_line_text;  // the heading line as written
  std::uint32_t section_end_line = 0;
  std::string columns_subheading;  // tbls: "## Columns", when the table sits under one
  // GFM tables.
  std::vector<CellRole> roles;
  std::string header_row;
  std::string delimiter_row;
  bool leading_pipe = true;
  std::string true_spelling = "yes";  // how the nullable / required column says yes and no
  std::string false_spelling = "no";
  bool references_arrow = false;  // "→ users.id" rather than "users.id"
  // Bullet lists.
  std::string bullet_marker = "- ";
  BulletForm bullet_form = BulletForm::kColon;
  NameDecoration name_decoration = NameDecoration::kPlain;
  bool mentions_not_null = false;
  bool mentions_nullable = false;
  std::vector<DocumentedRow> rows;
};

// A heading that names a table but whose section held nothing the reader could read.
struct UnreadSection {
  std::string schema;
  std::string name;
  std::uint32_t heading_line = 0;
  std::uint32_t section_end_line = 0;
};

struct ParsedDocument {
  Document document;
  std::vector<TableDetail> details;  // one per Document::tables entry
  std::vector<UnreadSection> unread;
  std::vector<std::string> lines;  // the text, UTF-8 sanitised, without line endings
  std::string newline = "\n";      // the document's line ending: "\n", "\r\n" or "\r" (old Mac)
};

ParsedDocument ParseDocumentDetailed(const std::string& markdown, const std::string& display_path);

// A type as a document spells it, in format_type()'s canonical spelling; `autoincrement` is
// set for the SERIAL family and `identity` for "... identity".
struct DocumentedType {
  std::string canonical;
  bool autoincrement = false;
  ir::IdentityKind identity = ir::IdentityKind::kNone;
};
DocumentedType CanonicalDocumentType(const std::string& spelled, const std::string& default_schema);

// A reference as written ("users.id", "users(id)", "→ public.users.id"); nullopt when the text
// names none.
struct Reference {
  std::string schema;
  std::string table;
  std::string column;
};
std::optional<Reference> ParseReference(const std::string& text, const std::string& default_schema);

}  // namespace dbaudit::docs

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string_view>

#include "analyzer/docs/document.hpp"
#include "analyzer/docs/markdown_blocks.hpp"
#include "analyzer/docs/parsed_document.hpp"
#include "analyzer/docs/text_utils.hpp"
#include "analyzer/sql/dump_reader.hpp"
#include "analyzer/sql/normalize.hpp"

namespace dbaudit::docs {

namespace {

// The rule the diff registers for everything the reader could not read.
constexpr const char* kRuleSectionUnreadable = "docs-section-unreadable";
constexpr const char* kDefaultSchema = "public";

// tbls and dbaudit's own export put a table's parts under sub-headings.
enum class SubSection {
  kNone,
  kColumns,
  kConstraints,  // tbls: Name | Type | Definition
  kIndexes,      // tbls: Name | Definition; dbaudit's export: Name | Keys | Unique | Method | ...
  kPrimaryKey,   // dbaudit's export: Name | Columns
  kForeignKeys,  // dbaudit's export: Name | Columns | References | Referenced columns | ...
  kUnique,       // dbaudit's export: Name | Columns
  kDescription,
  kOther
};

SubSection ClassifySubheading(const std::string& text) {
  const std::string lowered = Lower(StripInlineMarkup(text));
  if (lowered == "columns" || lowered == "fields") return SubSection::kColumns;
  if (lowered == "constraints" || lowered == "keys") return SubSection::kConstraints;
  if (lowered == "primary key") return SubSection::kPrimaryKey;
  if (lowered == "foreign keys") return SubSection::kForeignKeys;
  if (lowered == "unique constraints") return SubSection::kUnique;
  if (lowered == "indexes" || lowered == "indices") return SubSection::kIndexes;
  if (lowered == "description" || lowered == "comment") return SubSection::kDescription;
  static const std::set<std::string> kOthers = {"relations",  "triggers",          "referenced by", "references",
                                                "er diagram", "check constraints", "definition",    "notes"};
  if (kOthers.count(lowered)) return SubSection::kOther;
  return SubSection::kNone;
}

struct HeadingName {
  std::string schema;
  std::string name;
  bool explicit_form = false;  // "Table: x", "x table", "schema.x", a code span or a link
  ir::TableKind kind = ir::TableKind::kTable;
  bool sql_like = false;  // written in lower case: looks like a table name even without "Table:"
};

bool LooksLikeSqlName(const std::string& name);

// "users", "Table: users", "Table `public.users`", "public.users", "users table".
std::optional<HeadingName> ParseHeadingName(const std::string& heading_text, const std::string& raw_line) {
  HeadingName result;
  std::string text = Trim(StripInlineMarkup(heading_text));
  const std::string lowered = Lower(text);
  // dbaudit's export names the kind: "Table `public.users`", "Materialized view `public.x`".
  struct Prefix {
    const char* text;
    ir::TableKind kind;
  };
  static constexpr Prefix kPrefixes[] = {
      {"table:", ir::TableKind::kTable},
      {"table ", ir::TableKind::kTable},
      {"partitioned table ", ir::TableKind::kPartitionedTable},
      {"foreign table ", ir::TableKind::kForeignTable},
      {"materialized view ", ir::TableKind::kMaterializedView},
      {"view:", ir::TableKind::kView},
      {"view ", ir::TableKind::kView},
  };
  bool prefixed = false;
  for (const auto& prefix : kPrefixes) {
    const std::string p = prefix.text;
    if (lowered.rfind(p, 0) == 0) {
      text = Trim(text.substr(p.size()));
      result.explicit_form = true;
      result.kind = prefix.kind;
      prefixed = true;
      break;
    }
  }
  // A name in a code span after a kind ("Table `public.Order Items`") is taken as written,
  // odd characters included; "Enum `public.mood`" or "Schema `public`" name no table.
  const bool code_span = prefixed && raw_line.find('`') != std::string::npos;
  if (!result.explicit_form && lowered.size() > 6 && lowered.compare(lowered.size() - 6, 6, " table") == 0) {
    text = Trim(text.substr(0, text.size() - 6));
    result.explicit_form = true;
  }
  const bool quoted = text.size() >= 2 && text.front() == '"' && text.back() == '"';
  if (quoted) text = text.substr(1, text.size() - 2);
  const std::size_t dot = text.find('.');
  if (dot != std::string::npos) {
    result.schema = text.substr(0, dot);
    result.name = text.substr(dot + 1);
    if (!IsIdentifier(result.schema) && !(code_span && !result.schema.empty())) return std::nullopt;
    result.explicit_form = true;
  } else {
    result.schema = kDefaultSchema;
    result.name = text;
  }
  if (!IsIdentifier(result.name) && !(code_span && result.explicit_form && !result.name.empty())) return std::nullopt;
  if (raw_line.find('`') != std::string::npos || raw_line.find("](") != std::string::npos) {
    result.explicit_form = true;
  }
  // As in SQL, a bare name is folded to lower case ("## Users" is users); a quoted one or one
  // in a code span (dbaudit's export) is taken as written.
  result.sql_like = LooksLikeSqlName(result.name);
  if (!quoted && raw_line.find('`') == std::string::npos) {
    result.schema = Lower(result.schema);
    result.name = Lower(result.name);
  }
  return result;
}

// SQL-like names (lower case, digits, underscores) look like tables even without "Table:".
bool LooksLikeSqlName(const std::string& name) {
  return std::none_of(name.begin(), name.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)); });
}

std::string ReplaceBreaks(std::string text) {
  for (std::size_t at = text.find("<br>"); at != std::string::npos; at = text.find("<br>", at)) {
    text.replace(at, 4, "\n");
  }
  return text;
}

// The code spans of a cell ("`a`, `b`" -> a, b; "`` x`y ``" -> x`y), "\|" unescaped. A cell
// without code spans is split on commas outside parentheses.
std::vector<std::string> CodeList(const std::string& raw) {
  std::vector<std::string> items;
  const std::string cell = UnescapePipes(raw);
  if (cell.find('`') == std::string::npos) {
    for (const auto& part : SplitOutsideParentheses(StripInlineMarkup(cell), ',')) {
      if (!part.empty()) items.push_back(part);
    }
    return items;
  }
  std::size_t i = 0;
  while ((i = cell.find('`', i)) != std::string::npos) {
    std::size_t run = i;
    while (run < cell.size() && cell[run] == '`') ++run;
    const std::string fence = cell.substr(i, run - i);
    const std::size_t close = cell.find(fence, run);
    if (close == std::string::npos) break;
    std::string content = cell.substr(run, close - run);
    if (content.size() >= 2 && content.front() == ' ' && content.back() == ' ') {
      content = content.substr(1, content.size() - 2);
    }
    items.push_back(content);
    i = close + fence.size();
  }
  return items;
}

// A cell that is one code span gives its content; anything else its text without markup.
std::string CodeSpanText(const std::string& raw) {
  const std::string cell = Trim(raw);
  if (!cell.empty() && cell.front() == '`') {
    const auto items = CodeList(cell);
    if (items.size() == 1) return items.front();
  }
  return Trim(UnescapePipes(cell));
}

std::string ColumnNameCell(const std::string& raw) {
  const std::string cell = Trim(raw);
  if (!cell.empty() && cell.front() == '`') return CodeSpanText(cell);
  if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"') return cell.substr(1, cell.size() - 2);
  return Lower(StripInlineMarkup(UnescapePipes(cell)));  // bare names fold to lower case, as in SQL
}

std::string CellComment(const std::string& raw) {
  return ReplaceBreaks(UnescapePipes(raw));
}

CellRole ClassifyHeaderCell(const std::string& cell) {
  std::string text = Lower(StripInlineMarkup(cell));
  while (!text.empty() && (text.back() == '?' || text.back() == ':')) text.pop_back();
  std::replace(text.begin(), text.end(), '_', ' ');
  static const std::map<std::string, CellRole> kRoles = {
      {"column", CellRole::kName},
      {"columns", CellRole::kName},
      {"column name", CellRole::kName},
      {"field", CellRole::kName},
      {"field name", CellRole::kName},
      {"name", CellRole::kName},
      {"attribute", CellRole::kName},
      {"type", CellRole::kType},
      {"data type", CellRole::kType},
      {"datatype", CellRole::kType},
      {"sql type", CellRole::kType},
      {"column type", CellRole::kType},
      {"nullable", CellRole::kNullable},
      {"null", CellRole::kNullable},
      {"is nullable", CellRole::kNullable},
      {"optional", CellRole::kNullable},
      {"nulls", CellRole::kNullable},
      {"required", CellRole::kNotNull},
      {"not null", CellRole::kNotNull},
      {"notnull", CellRole::kNotNull},
      {"mandatory", CellRole::kNotNull},
      {"default", CellRole::kDefault},
      {"default value", CellRole::kDefault},
      {"defaults", CellRole::kDefault},
      {"key", CellRole::kKey},
      {"keys", CellRole::kKey},
      {"pk", CellRole::kKey},
      {"constraints", CellRole::kKey},
      {"constraint", CellRole::kKey},
      {"primary key", CellRole::kKey},
      {"flags", CellRole::kKey},
      {"references", CellRole::kReferences},
      {"reference", CellRole::kReferences},
      {"fk", CellRole::kReferences},
      {"foreign key", CellRole::kReferences},
      {"refs", CellRole::kReferences},
      {"references to", CellRole::kReferences},
      {"description", CellRole::kDescription},
      {"comment", CellRole::kDescription},
      {"comments", CellRole::kDescription},
      {"notes", CellRole::kDescription},
      {"note", CellRole::kDescription},
      {"remarks", CellRole::kDescription},
      {"purpose", CellRole::kDescription},
  };
  const auto found = kRoles.find(text);
  return found == kRoles.end() ? CellRole::kIgnored : found->second;
}

bool IsMark(const std::string& value) {
  return value == "✓" || value == "✔" || value == "☑" || value == "x" || value == "✅";
}

// A nullable / required cell: the column's nullability, or nullopt when the cell says nothing.
std::optional<bool> ReadNullabilityCell(const std::string& raw, bool positive, bool marks_used) {
  const std::string value = Lower(StripInlineMarkup(raw));
  if (value == "not null" || value == "non-null" || value == "notnull" || value == "non null") return false;
  if (value == "nullable" || value == "null") return true;
  if (value == "required" || value == "mandatory") return false;
  if (value == "optional") return true;
  std::optional<bool> cell;
  static const std::set<std::string> kYes = {"yes", "y", "true", "t", "1", "✓", "✔", "☑", "x", "✅"};
  static const std::set<std::string> kNo = {"no", "n", "false", "f", "0", "✗", "✘", "❌"};
  if (kYes.count(value)) cell = true;
  if (kNo.count(value)) cell = false;
  if (!cell && marks_used && (value.empty() || value == "-" || value == "—")) cell = false;
  if (!cell) return std::nullopt;
  return positive ? *cell : !*cell;
}

bool ContainsWord(const std::string& lowered, const std::string& word) {
  std::size_t at = lowered.find(word);
  while (at != std::string::npos) {
    const bool left = at == 0 || !std::isalnum(static_cast<unsigned char>(lowered[at - 1]));
    const std::size_t end = at + word.size();
    const bool right = end >= lowered.size() || !std::isalnum(static_cast<unsigned char>(lowered[end]));
    if (left && right) return true;
    at = lowered.find(word, at + 1);
  }
  return false;
}

// What a key cell or a bullet's facts say about one column.
struct KeyFacts {
  bool primary_key = false;
  bool unique = false;
  std::vector<std::string> unique_columns;  // "UNIQUE (a, b)": a composite unique
  bool foreign_key = false;
  std::optional<Reference> reference;
  std::optional<bool> nullable;
};

KeyFacts ReadKeyText(const std::string& raw, const std::string& default_schema) {
  KeyFacts facts;
  const std::string text = StripInlineMarkup(raw);
  const std::string lowered = Lower(text);
  facts.primary_key = ContainsWord(lowered, "pk") || lowered.find("primary key") != std::string::npos;
  if (lowered.find("unique") != std::string::npos || ContainsWord(lowered, "uq") || ContainsWord(lowered, "uk")) {
    facts.unique = true;
    const std::size_t at = lowered.find("unique");
    if (at != std::string::npos) {
      std::size_t open = at + 6;
      while (open < text.size() && text[open] == ' ') ++open;
      if (open < text.size() && text[open] == '(') {
        const std::size_t close = text.find(')', open);
        if (close != std::string::npos) {
          for (const auto& part : SplitOutsideParentheses(text.substr(open + 1, close - open - 1), ',')) {
            if (IsIdentifier(part)) facts.unique_columns.push_back(part);
          }
        }
      }
    }
  }
  if (lowered.find("not null") != std::string::npos) facts.nullable = false;
  for (const std::string marker : {"→", "->", "references", "foreign key", "fk"}) {
    const std::size_t at = lowered.find(marker);
    if (at == std::string::npos) continue;
    if (marker == "fk" && !ContainsWord(lowered, "fk")) continue;
    facts.foreign_key = true;
    if (!facts.reference) facts.reference = ParseReference(text.substr(at), default_schema);
  }
  return facts;
}

std::string JoinLines(const std::vector<std::string>& lines, std::uint32_t begin, std::uint32_t end) {
  std::string out;
  for (std::uint32_t line = std::max<std::uint32_t>(begin, 1); line <= end && line <= lines.size(); ++line) {
    if (!out.empty()) out += '\n';
    out += lines[line - 1];
  }
  return out;
}

// One table heading and what the reader found under it so far.
struct OpenSection {
  HeadingName heading;
  int level = 0;
  std::uint32_t heading_line = 0;
  std::string heading_line_text;
  SubSection subsection = SubSection::kNone;
  std::string subheading_line_text;
  std::string columns_subheading;
  std::vector<std::string> comment_paragraphs;
  bool has_body = false;
  bool saw_unreadable = false;  // a table or list it could not read (already noted)
  ir::Table table;
  DocumentedTable documented;
  TableDetail detail;
  std::string constraint_sql;  // tbls-style constraint and index definitions, as DDL
};

class Reader {
 public:
  Reader(std::string display_path) : display_path_(std::move(display_path)) {}

  ParsedDocument Read(const std::string& markdown) {
    result_.document.display_path = display_path_;
    result_.document.catalog.origin = ir::CatalogOrigin::kDocument;
    result_.document.catalog.source_name = display_path_;
    result_.newline = FirstLineEnding(markdown);
    std::vector<unsigned> bad_lines;
    const std::string text = SanitizeUtf8(markdown, bad_lines);
    for (const unsigned line : bad_lines) {
      Note(line, "line " + std::to_string(line) +
                     " holds bytes that are not UTF-8; they were read as U+FFFD and the rest of the document was read");
    }
    result_.lines = SplitLines(text);
    export_mode_ = text.find("Generated by `dbaudit schema export`") != std::string::npos;
    const std::vector<Block> blocks = ParseMarkdownBlocks(text);
    for (const Block& block : blocks) Visit(block);
    Close(static_cast<std::uint32_t>(result_.lines.size()));
    return std::move(result_);
  }

 private:
  void Note(std::uint32_t line, std::string message) {
    ir::Diagnostic diagnostic;
    diagnostic.rule_id = kRuleSectionUnreadable;
    diagnostic.severity = ir::Severity::kNote;
    diagnostic.message = std::move(message);
    diagnostic.location.file = display_path_;
    diagnostic.location.line = line;
    diagnostic.location.column = 1;
    result_.document.catalog.diagnostics.push_back(std::move(diagnostic));
  }

  ir::Location At(std::uint32_t line) const {
    ir::Location location;
    location.file = display_path_;
    location.line = line;
    location.column = 1;
    return location;
  }

  const std::string& Line(std::uint32_t line) const {
    static const std::string kEmpty;
    return line >= 1 && line <= result_.lines.size() ? result_.lines[line - 1] : kEmpty;
  }

  void Visit(const Block& block) {
    if (block.kind == BlockKind::kHeading) {
      VisitHeading(block);
      return;
    }
    if (block.kind == BlockKind::kCodeBlock) {
      if (Lower(block.text).find("create table") != std::string::npos) {
        Note(block.begin_line, "the code block at line " + std::to_string(block.begin_line) +
                                   " holds CREATE TABLE statements; code blocks are not read as schema");
      }
      return;
    }
    if (block.kind == BlockKind::kHtml) {
      if (Lower(block.text).find("<table") != std::string::npos) {
        Note(block.begin_line, "the HTML table at line " + std::to_string(block.begin_line) +
                                   " is not read; write the columns as a Markdown table or list");
        if (open_) open_->saw_unreadable = true;
      }
      return;
    }
    if (!open_) return;
    switch (block.kind) {
      case BlockKind::kParagraph:
        if (!open_->has_body &&
            (open_->subsection == SubSection::kNone || open_->subsection == SubSection::kDescription)) {
          open_->comment_paragraphs.push_back(JoinLines(result_.lines, block.begin_line, block.end_line));
        }
        break;
      case BlockKind::kTable: VisitTable(block); break;
      case BlockKind::kList:
        if (!open_->has_body && open_->subsection != SubSection::kOther) VisitList(block);
        break;
      default: break;
    }
  }

  void VisitHeading(const Block& block) {
    const std::string& raw = Line(block.begin_line);
    if (open_ && block.heading_level > open_->level) {
      const SubSection subsection = ClassifySubheading(block.text);
      if (subsection != SubSection::kNone) {
        open_->subsection = subsection;
        open_->subheading_line_text = raw;
        return;
      }
    }
    Close(block.begin_line - 1);
    const auto name = ParseHeadingName(block.text, raw);
    if (!name) return;
    open_ = std::make_unique<OpenSection>();
    open_->heading = *name;
    open_->level = block.heading_level;
    open_->heading_line = block.begin_line;
    open_->heading_line_text = raw;
  }

  // --- GFM tables --------------------------------------------------------------------------

  void VisitTable(const Block& block) {
    // The header is the row above the delimiter row (a table may end a paragraph).
    std::uint32_t delimiter = 0;
    for (std::uint32_t line = block.begin_line; line <= block.end_line; ++line) {
      if (IsDelimiterRow(Line(line))) {
        delimiter = line;
        break;
      }
    }
    if (delimiter <= 1) return;
    const std::uint32_t header = delimiter - 1;
    const std::vector<std::string> cells = SplitTableRow(Line(header));
    std::vector<CellRole> roles;
    for (const auto& cell : cells) roles.push_back(ClassifyHeaderCell(cell));
    const bool has_definition = std::any_of(
        cells.begin(), cells.end(), [](const std::string& c) { return Lower(StripInlineMarkup(c)) == "definition"; });
    const SubSection subsection = open_->subsection;
    if (subsection == SubSection::kPrimaryKey || subsection == SubSection::kForeignKeys ||
        subsection == SubSection::kUnique || (subsection == SubSection::kIndexes && !has_definition)) {
      VisitExportTable(subsection, cells, delimiter, block.end_line);
      return;
    }
    if (open_->subsection == SubSection::kConstraints || open_->subsection == SubSection::kIndexes ||
        (has_definition && std::count(roles.begin(), roles.end(), CellRole::kNullable) == 0)) {
      VisitDefinitionTable(cells, delimiter, block.end_line);
      return;
    }
    if (open_->subsection == SubSection::kOther) return;
    const auto name_role = std::find(roles.begin(), roles.end(), CellRole::kName);
    if (name_role == roles.end()) {
      if (open_->heading.explicit_form || open_->heading.sql_like) {
        Note(header, "the table at line " + std::to_string(header) + " under heading '" + open_->heading.name +
                         "' has no column-name header cell (Column, Field or Name); it was not read");
        open_->saw_unreadable = true;
      }
      return;
    }
    if (open_->has_body) {
      Note(header, "a second column table for '" + open_->heading.name + "' at line " + std::to_string(header) +
                       " was not read (the first is at line " + std::to_string(open_->documented.body_begin_line) +
                       ")");
      return;
    }
    ReadColumnTable(cells, roles, header, delimiter, block.end_line);
  }

  void ReadColumnTable(const std::vector<std::string>& header_cells, const std::vector<CellRole>& roles,
                       std::uint32_t header, std::uint32_t delimiter, std::uint32_t end) {
    OpenSection& section = *open_;
    section.has_body = true;
    DocumentedTable& documented = section.documented;
    TableDetail& detail = section.detail;
    documented.layout = TableLayout::kGfmTable;
    documented.body_begin_line = header;
    while (end > delimiter && Trim(Line(end)).empty()) --end;
    documented.body_end_line = end;
    documented.header_cells = header_cells;
    detail.roles = roles;
    detail.header_row = Line(header);
    detail.delimiter_row = Line(delimiter);
    detail.leading_pipe = !Trim(detail.header_row).empty() && Trim(detail.header_row).front() == '|';
    detail.columns_subheading = section.subsection == SubSection::kColumns ? section.subheading_line_text : "";
    auto has = [&](CellRole role) { return std::find(roles.begin(), roles.end(), role) != roles.end(); };
    StatedFacts& stated = documented.stated;
    stated.types = has(CellRole::kType);
    stated.nullability = has(CellRole::kNullable) || has(CellRole::kNotNull);
    stated.defaults = has(CellRole::kDefault);
    stated.primary_key = has(CellRole::kKey);
    stated.unique = has(CellRole::kKey);
    stated.foreign_keys = has(CellRole::kReferences) || has(CellRole::kKey);
    stated.descriptions = has(CellRole::kDescription);

    // Check-mark columns say "no" with an empty cell.
    std::vector<bool> marks_used(roles.size(), false);
    for (std::uint32_t line = delimiter + 1; line <= end; ++line) {
      const auto cells = SplitTableRow(Line(line));
      for (std::size_t i = 0; i < cells.size() && i < roles.size(); ++i) {
        if (IsMark(Lower(StripInlineMarkup(cells[i])))) marks_used[i] = true;
      }
    }
    bool spelling_true_seen = false;
    bool spelling_false_seen = false;
    std::vector<std::string> primary_key;
    for (std::uint32_t line = delimiter + 1; line <= end; ++line) {
      std::vector<std::string> cells = SplitTableRow(Line(line));
      cells.resize(std::max(cells.size(), roles.size()));
      ir::Column column;
      column.location = At(line);
      KeyFacts keys;
      std::optional<Reference> reference;
      for (std::size_t i = 0; i < roles.size(); ++i) {
        const std::string& cell = cells[i];
        switch (roles[i]) {
          case CellRole::kName:
            if (column.name.empty()) column.name = ColumnNameCell(cell);
            break;
          case CellRole::kType: {
            const DocumentedType type = CanonicalDocumentType(UnescapePipes(cell), section.heading.schema);
            column.type = type.canonical;
            column.autoincrement = type.autoincrement;
            column.identity = type.identity;
            break;
          }
          case CellRole::kNullable:
          case CellRole::kNotNull: {
            const bool positive = roles[i] == CellRole::kNullable;
            column.nullable = ReadNullabilityCell(cell, positive, marks_used[i]);
            if (column.nullable) {
              const bool cell_value = positive ? *column.nullable : !*column.nullable;
              const std::string spelled = Trim(cell);
              if (cell_value && !spelling_true_seen && !spelled.empty()) {
                detail.true_spelling = spelled;
                spelling_true_seen = true;
              } else if (!cell_value && !spelling_false_seen) {
                detail.false_spelling = spelled;
                spelling_false_seen = true;
              }
            }
            break;
          }
          case CellRole::kDefault: {
            std::string value = CodeSpanText(cell);
            const std::string lowered = Lower(value);
            if (lowered == "generated always as identity") {
              column.identity = ir::IdentityKind::kAlways;
              break;
            }
            if (lowered == "generated by default as identity") {
              column.identity = ir::IdentityKind::kByDefault;
              break;
            }
            if (lowered.rfind("generated always as (", 0) == 0 && lowered.size() > 29 &&
                lowered.compare(lowered.size() - 8, 8, ") stored") == 0) {
              column.generated = value.substr(21, value.size() - 21 - 8);
              break;
            }
            if (!value.empty() && value != "-" && value != "—" && lowered != "null" && lowered != "none") {
              column.server_default = value;
            }
            break;
          }
          case CellRole::kKey: keys = ReadKeyText(cell, section.heading.schema); break;
          case CellRole::kReferences: {
            const std::string stripped = Trim(cell);
            if (stripped.rfind("→", 0) == 0 || stripped.rfind("->", 0) == 0) detail.references_arrow = true;
            reference = ParseReference(cell, section.heading.schema);
            break;
          }
          case CellRole::kDescription:
            if (column.comment.empty()) column.comment = CellComment(cell);
            break;
          case CellRole::kIgnored: break;
        }
      }
      if (!IsIdentifier(column.name) && column.name.empty()) {
        Note(line, "the row at line " + std::to_string(line) + " of '" + section.heading.name + "' names no column");
        continue;
      }
      if (section.table.FindColumn(column.name)) {
        Note(line, "column '" + column.name + "' of '" + section.heading.name + "' is listed twice; line " +
                       std::to_string(line) + " was not read");
        continue;
      }
      if (!column.nullable && keys.nullable) column.nullable = keys.nullable;
      if (!column.nullable && keys.primary_key) column.nullable = false;
      if (keys.primary_key) primary_key.push_back(column.name);
      if (keys.unique && !keys.primary_key) {
        ir::UniqueConstraint unique;
        unique.columns = keys.unique_columns.empty() ? std::vector<std::string>{column.name} : keys.unique_columns;
        unique.location = At(line);
        section.table.unique_constraints.push_back(std::move(unique));
      }
      if (!reference && keys.reference) reference = keys.reference;
      if (reference) AddForeignKey(column.name, *reference, line);
      DocumentedRow row;
      row.column = column.name;
      row.begin_line = line;
      row.end_line = line;
      row.raw_cells = cells;
      row.description = column.comment;
      detail.rows.push_back(std::move(row));
      section.table.columns.push_back(std::move(column));
    }
    SetPrimaryKey(primary_key, header);
  }

  void AddForeignKey(const std::string& column, const Reference& reference, std::uint32_t line) {
    ir::ForeignKey foreign_key;
    foreign_key.columns = {column};
    foreign_key.referenced_schema = reference.schema;
    foreign_key.referenced_table = reference.table;
    foreign_key.referenced_columns = {reference.column};
    foreign_key.location = At(line);
    open_->table.foreign_keys.push_back(std::move(foreign_key));
  }

  void SetPrimaryKey(const std::vector<std::string>& columns, std::uint32_t line) {
    if (columns.empty()) return;
    ir::PrimaryKey key;
    key.columns = columns;
    key.location = At(line);
    open_->table.primary_key = std::move(key);
  }

  // tbls "Constraints" (Name | Type | Definition) and "Indexes" (Name | Definition) tables:
  // the definitions are SQL, replayed through the dump reader so they read exactly as a dump.
  void VisitDefinitionTable(const std::vector<std::string>& header_cells, std::uint32_t delimiter, std::uint32_t end) {
    std::size_t name_cell = header_cells.size();
    std::size_t definition_cell = header_cells.size();
    for (std::size_t i = 0; i < header_cells.size(); ++i) {
      const std::string lowered = Lower(StripInlineMarkup(header_cells[i]));
      if (lowered == "name" && name_cell == header_cells.size()) name_cell = i;
      if (lowered == "definition") definition_cell = i;
    }
    if (definition_cell == header_cells.size()) {
      Note(delimiter - 1, "the table at line " + std::to_string(delimiter - 1) +
                              " has no Definition column; its constraints or indexes were not read");
      return;
    }
    OpenSection& section = *open_;
    const std::string qualified =
        sql::QuoteIdentifier(section.heading.schema) + "." + sql::QuoteIdentifier(section.heading.name);
    bool any_index = false;
    bool any_constraint = false;
    for (std::uint32_t line = delimiter + 1; line <= end; ++line) {
      const auto cells = SplitTableRow(Line(line));
      if (definition_cell >= cells.size()) continue;
      const std::string definition = StripInlineMarkup(UnescapePipes(cells[definition_cell]));
      const std::string name = name_cell < cells.size() ? StripInlineMarkup(cells[name_cell]) : "";
      const std::string lowered = Lower(definition);
      if (lowered.rfind("create ", 0) == 0) {
        section.constraint_sql += definition + ";\n";
        any_index = true;
      } else if (lowered.rfind("primary key", 0) == 0 || lowered.rfind("foreign key", 0) == 0 ||
                 lowered.rfind("unique", 0) == 0) {
        section.constraint_sql +=
            "ALTER TABLE " + qualified + " ADD CONSTRAINT " + sql::QuoteIdentifier(name) + " " + definition + ";\n";
        any_constraint = true;
      }
      // CHECK and other constraints are not facts a document states (StatedFacts).
    }
    if (any_constraint) {
      section.documented.stated.primary_key = true;
      section.documented.stated.foreign_keys = true;
      section.documented.stated.unique = true;
    }
    if (any_index) {
      section.documented.stated.indexes = true;
      section.documented.stated.unique = true;
    }
    if (!any_index && !any_constraint && delimiter + 1 <= end) {
      // An empty "Constraints" table of a table that has none still says so.
      if (section.subsection == SubSection::kIndexes) section.documented.stated.indexes = true;
    }
  }

  // dbaudit's own export (docs/schema-export.md): one table per kind of constraint.
  void VisitExportTable(SubSection subsection, const std::vector<std::string>& header_cells, std::uint32_t delimiter,
                        std::uint32_t end) {
    std::map<std::string, std::size_t> at;
    for (std::size_t i = 0; i < header_cells.size(); ++i) at.emplace(Lower(StripInlineMarkup(header_cells[i])), i);
    OpenSection& section = *open_;
    StatedFacts& stated = section.documented.stated;
    auto cell = [&](const std::vector<std::string>& cells, const std::string& name) -> std::string {
      const auto found = at.find(name);
      return found != at.end() && found->second < cells.size() ? cells[found->second] : std::string();
    };
    for (std::uint32_t line = delimiter + 1; line <= end; ++line) {
      const auto cells = SplitTableRow(Line(line));
      const std::string name = CodeSpanText(cell(cells, "name"));
      const std::vector<std::string> columns = CodeList(cell(cells, "columns"));
      switch (subsection) {
        case SubSection::kPrimaryKey: {
          ir::PrimaryKey key;
          key.name = name;
          key.columns = columns;
          key.location = At(line);
          section.table.primary_key = std::move(key);
          break;
        }
        case SubSection::kForeignKeys: {
          ir::ForeignKey key;
          key.name = name;
          key.columns = columns;
          const std::string target = CodeSpanText(cell(cells, "references"));
          const std::size_t dot = target.find('.');
          key.referenced_schema = dot == std::string::npos ? section.heading.schema : target.substr(0, dot);
          key.referenced_table = dot == std::string::npos ? target : target.substr(dot + 1);
          key.referenced_columns = CodeList(cell(cells, "referenced columns"));
          key.on_delete = ReadAction(cell(cells, "on delete"));
          key.on_update = ReadAction(cell(cells, "on update"));
          const std::string deferrable = Lower(StripInlineMarkup(cell(cells, "deferrable")));
          key.deferrable = deferrable.rfind("yes", 0) == 0;
          key.initially_deferred = deferrable.find("initially deferred") != std::string::npos;
          key.location = At(line);
          section.table.foreign_keys.push_back(std::move(key));
          break;
        }
        case SubSection::kUnique: {
          ir::UniqueConstraint unique;
          unique.name = name;
          unique.columns = columns;
          unique.location = At(line);
          section.table.unique_constraints.push_back(std::move(unique));
          break;
        }
        default: {
          ir::Index index;
          index.name = name;
          index.keys = CodeList(cell(cells, "keys"));
          index.unique = Lower(StripInlineMarkup(cell(cells, "unique"))) == "yes";
          const std::string method = StripInlineMarkup(cell(cells, "method"));
          if (!method.empty()) index.method = method;
          const std::string predicate = CodeSpanText(cell(cells, "predicate"));
          if (!predicate.empty()) index.predicate = predicate;
          index.include = CodeList(cell(cells, "include"));
          index.location = At(line);
          section.table.indexes.push_back(std::move(index));
          break;
        }
      }
    }
    stated.primary_key = stated.primary_key || subsection == SubSection::kPrimaryKey;
    stated.foreign_keys = stated.foreign_keys || subsection == SubSection::kForeignKeys;
    stated.unique = stated.unique || subsection == SubSection::kUnique || subsection == SubSection::kIndexes;
    stated.indexes = stated.indexes || subsection == SubSection::kIndexes;
  }

  static ir::ReferentialAction ReadAction(const std::string& cell) {
    const std::string text = Lower(StripInlineMarkup(cell));
    if (text == "cascade") return ir::ReferentialAction::kCascade;
    if (text == "restrict") return ir::ReferentialAction::kRestrict;
    if (text == "set null") return ir::ReferentialAction::kSetNull;
    if (text == "set default") return ir::ReferentialAction::kSetDefault;
    if (text == "no action") return ir::ReferentialAction::kNoAction;
    return ir::ReferentialAction::kUnspecified;
  }

  void ApplyConstraintSql(OpenSection& section) {
    if (section.constraint_sql.empty()) return;
    const std::string qualified =
        sql::QuoteIdentifier(section.heading.schema) + "." + sql::QuoteIdentifier(section.heading.name);
    sql::DumpReaderOptions options;
    options.ignored_tables.clear();
    auto catalog =
        sql::ReadDumpText("CREATE TABLE " + qualified + " ();\n" + section.constraint_sql, display_path_, options);
    if (!catalog.ok()) {
      Note(section.heading_line,
           "the constraints and indexes of '" + section.heading.name + "' were not read: " + catalog.error().message);
      return;
    }
    const ir::Table* read = catalog.value().FindTable(section.heading.schema, section.heading.name);
    if (!read) return;
    const ir::Location location = At(section.heading_line);
    if (read->primary_key) {
      section.table.primary_key = read->primary_key;
      section.table.primary_key->location = location;
      for (const auto& column : read->primary_key->columns) {
        if (ir::Column* documented = section.table.FindColumn(column); documented && !documented->nullable) {
          documented->nullable = false;
        }
      }
    }
    for (auto foreign_key : read->foreign_keys) {
      foreign_key.location = location;
      section.table.foreign_keys.push_back(std::move(foreign_key));
    }
    std::set<std::string> constraint_names;
    for (auto unique : read->unique_constraints) {
      constraint_names.insert(unique.name);
      unique.location = location;
      section.table.unique_constraints.push_back(std::move(unique));
    }
    if (read->primary_key) constraint_names.insert(read->primary_key->name);
    for (auto index : read->indexes) {
      // An index that a constraint owns is implied by the constraint (catalog.hpp).
      if (constraint_names.count(index.name)) continue;
      index.location = location;
      section.table.indexes.push_back(std::move(index));
    }
    for (const auto& diagnostic : catalog.value().diagnostics) {
      Note(section.heading_line,
           "in the constraints or indexes of '" + section.heading.name + "': " + diagnostic.message);
    }
  }

  // --- Bullet lists --------------------------------------------------------------------------

  struct BulletColumn {
    std::string name;
    std::string raw_type;
    std::vector<std::string> facts;
    std::string description;
    NameDecoration decoration = NameDecoration::kPlain;
    BulletForm form = BulletForm::kColon;
  };

  static std::optional<BulletColumn> ParseBullet(const std::string& raw_text) {
    BulletColumn result;
    std::string text = Trim(raw_text);
    std::size_t i = 0;
    if (text.rfind("**", 0) == 0) {
      const std::size_t close = text.find("**", 2);
      if (close == std::string::npos) return std::nullopt;
      result.name = text.substr(2, close - 2);
      result.decoration = NameDecoration::kBold;
      i = close + 2;
    } else if (text.rfind("`", 0) == 0) {
      const std::size_t close = text.find('`', 1);
      if (close == std::string::npos) return std::nullopt;
      result.name = text.substr(1, close - 1);
      result.decoration = NameDecoration::kBackticks;
      i = close + 1;
    } else {
      while (i < text.size() && text[i] != ' ' && text[i] != ':' && text[i] != '(' && text[i] != ',') ++i;
      result.name = text.substr(0, i);
    }
    result.name = Trim(result.name);
    if (!result.name.empty() && result.name.back() == ':') result.name.pop_back();
    if (result.decoration != NameDecoration::kBackticks) result.name = Lower(result.name);
    if (!IsIdentifier(result.name)) return std::nullopt;
    std::string rest = Trim(text.substr(i));
    std::string facts;
    auto split_description = [&](const std::string& from) {
      for (const std::string separator : {" — ", " – ", " - "}) {
        const std::size_t at = from.find(separator);
        if (at != std::string::npos) {
          facts = from.substr(0, at);
          result.description = Trim(from.substr(at + separator.size()));
          return;
        }
      }
      facts = from;
    };
    if (rest.rfind("(", 0) == 0) {
      result.form = BulletForm::kParentheses;
      int depth = 0;
      std::size_t close = std::string::npos;
      for (std::size_t k = 0; k < rest.size(); ++k) {
        if (rest[k] == '(') ++depth;
        if (rest[k] == ')' && --depth == 0) {
          close = k;
          break;
        }
      }
      if (close == std::string::npos) return std::nullopt;
      facts = rest.substr(1, close - 1);
      std::string after = Trim(rest.substr(close + 1));
      for (const std::string separator : {"—", "–", "-", ":"}) {
        if (after.rfind(separator, 0) == 0) {
          after = Trim(after.substr(separator.size()));
          break;
        }
      }
      result.description = after;
    } else if (rest.rfind(":", 0) == 0) {
      result.form = BulletForm::kColon;
      split_description(Trim(rest.substr(1)));
    } else if (rest.rfind("—", 0) == 0 || rest.rfind("–", 0) == 0 || rest.rfind("-", 0) == 0) {
      result.form = BulletForm::kDash;
      const std::size_t skip = rest.rfind("-", 0) == 0 ? 1 : std::string("—").size();
      split_description(" " + Trim(rest.substr(skip)));
      facts = Trim(facts);
    } else {
      return std::nullopt;
    }
    for (auto& part : SplitOutsideParentheses(facts, ',')) {
      if (!part.empty()) result.facts.push_back(part);
    }
    if (result.facts.empty()) return std::nullopt;
    // The first fact is the type unless it is a key word.
    const std::string first = Lower(StripInlineMarkup(result.facts.front()));
    static const std::set<std::string> kNotTypes = {"pk", "primary key", "unique", "not null", "nullable", "null"};
    if (!kNotTypes.count(first) && first.rfind("default", 0) != 0 && first.rfind("fk", 0) != 0 &&
        first.rfind("→", 0) != 0 && first.rfind("references", 0) != 0) {
      result.raw_type = result.facts.front();
      result.facts.erase(result.facts.begin());
    }
    return result;
  }

  void VisitList(const Block& block) {
    std::vector<std::pair<const ListItem*, BulletColumn>> parsed;
    std::vector<const ListItem*> unread;
    for (const ListItem& item : block.items) {
      const std::string text = JoinLines(result_.lines, item.begin_line, item.end_line);
      std::string stripped = Trim(text);
      // Drop the list marker ("- ", "* ", "+ ", "1. ").
      std::size_t k = 0;
      while (k < stripped.size() && std::isdigit(static_cast<unsigned char>(stripped[k]))) ++k;
      if (k < stripped.size() && (stripped[k] == '-' || stripped[k] == '*' || stripped[k] == '+' ||
                                  ((stripped[k] == '.' || stripped[k] == ')') && k > 0))) {
        stripped = Trim(stripped.substr(k + 1));
      }
      for (char& c : stripped) {
        if (c == '\n') c = ' ';
      }
      auto column = ParseBullet(stripped);
      if (column) {
        parsed.emplace_back(&item, std::move(*column));
      } else {
        unread.push_back(&item);
      }
    }
    if (parsed.empty() || parsed.size() < unread.size()) return;  // not a column list
    for (const ListItem* item : unread) {
      Note(item->begin_line, "the list item at line " + std::to_string(item->begin_line) + " under '" +
                                 open_->heading.name + "' does not read as a column (name: type, facts)");
    }
    ReadBulletList(block, parsed);
  }

  void ReadBulletList(const Block& block, const std::vector<std::pair<const ListItem*, BulletColumn>>& parsed) {
    OpenSection& section = *open_;
    section.has_body = true;
    DocumentedTable& documented = section.documented;
    TableDetail& detail = section.detail;
    documented.layout = TableLayout::kBulletList;
    documented.body_begin_line = block.begin_line;
    documented.body_end_line = block.end_line;
    // cmark counts the blank lines after the last item as part of the list.
    while (documented.body_end_line > documented.body_begin_line && Trim(Line(documented.body_end_line)).empty()) {
      --documented.body_end_line;
    }
    const std::string first_line = Trim(Line(parsed.front().first->begin_line));
    std::size_t marker_end = first_line.find(' ');
    detail.bullet_marker = marker_end == std::string::npos ? "- " : first_line.substr(0, marker_end + 1);
    detail.bullet_form = parsed.front().second.form;
    detail.name_decoration = parsed.front().second.decoration;
    // Which facts the list speaks of at all.
    for (const auto& [item, bullet] : parsed) {
      if (!bullet.raw_type.empty()) documented.stated.types = true;
      if (!bullet.description.empty()) documented.stated.descriptions = true;
      for (const auto& fact : bullet.facts) {
        const std::string lowered = Lower(StripInlineMarkup(fact));
        if (lowered.find("not null") != std::string::npos) {
          detail.mentions_not_null = true;
        } else if (lowered == "nullable" || lowered == "null") {
          detail.mentions_nullable = true;
        }
        const KeyFacts keys = ReadKeyText(fact, section.heading.schema);
        if (keys.primary_key) documented.stated.primary_key = true;
        if (keys.unique) documented.stated.unique = true;
        if (keys.foreign_key) documented.stated.foreign_keys = true;
        if (lowered.rfind("default", 0) == 0) documented.stated.defaults = true;
      }
    }
    documented.stated.nullability = detail.mentions_not_null || detail.mentions_nullable;
    std::vector<std::string> primary_key;
    for (const auto& [item, bullet] : parsed) {
      ir::Column column;
      column.name = bullet.name;
      column.location = At(item->begin_line);
      if (!bullet.raw_type.empty()) {
        const DocumentedType type = CanonicalDocumentType(bullet.raw_type, section.heading.schema);
        column.type = type.canonical;
        column.autoincrement = type.autoincrement;
        column.identity = type.identity;
      }
      column.comment = bullet.description;
      bool is_primary = false;
      for (const auto& fact : bullet.facts) {
        const std::string plain = StripInlineMarkup(fact);
        const std::string lowered = Lower(plain);
        if (lowered == "nullable" || lowered == "null") column.nullable = true;
        if (lowered.rfind("default", 0) == 0) {
          std::string value = Trim(plain.substr(7));
          if (!value.empty() && (value.front() == ':' || value.front() == '=')) value = Trim(value.substr(1));
          if (!value.empty()) column.server_default = value;
          continue;
        }
        KeyFacts keys = ReadKeyText(fact, section.heading.schema);
        if (keys.nullable) column.nullable = keys.nullable;
        if (keys.primary_key) is_primary = true;
        if (keys.unique && !keys.primary_key) {
          ir::UniqueConstraint unique;
          unique.columns = keys.unique_columns.empty() ? std::vector<std::string>{column.name} : keys.unique_columns;
          unique.location = At(item->begin_line);
          section.table.unique_constraints.push_back(std::move(unique));
        }
        if (keys.reference) AddForeignKey(column.name, *keys.reference, item->begin_line);
      }
      // A list that marks only "not null" means the others are nullable, and vice versa.
      if (!column.nullable && is_primary) column.nullable = false;
      if (!column.nullable && detail.mentions_not_null != detail.mentions_nullable) {
        column.nullable = detail.mentions_not_null;
      }
      if (is_primary) primary_key.push_back(column.name);
      if (section.table.FindColumn(column.name)) {
        Note(item->begin_line, "column '" + column.name + "' of '" + section.heading.name + "' is listed twice; line " +
                                   std::to_string(item->begin_line) + " was not read");
        continue;
      }
      DocumentedRow row;
      row.column = column.name;
      row.begin_line = item->begin_line;
      row.end_line = std::max(item->end_line, item->item_end_line);
      while (row.end_line > row.begin_line && Trim(Line(row.end_line)).empty()) --row.end_line;
      row.raw_type = bullet.raw_type;
      row.bullet_form = bullet.form;
      row.name_decoration = bullet.decoration;
      row.description = bullet.description;
      detail.rows.push_back(std::move(row));
      section.table.columns.push_back(std::move(column));
    }
    SetPrimaryKey(primary_key, block.begin_line);
  }

  // --- Closing a section ---------------------------------------------------------------------

  void Close(std::uint32_t section_end) {
    if (!open_) return;
    std::unique_ptr<OpenSection> section = std::move(open_);
    const std::string qualified = section->heading.schema + "." + section->heading.name;
    const bool view =
        section->heading.kind == ir::TableKind::kView || section->heading.kind == ir::TableKind::kMaterializedView;
    if (!section->has_body && view && section->heading.explicit_form) {
      // dbaudit's export writes a view read from a dump as heading + definition, without
      // columns: the view is documented, its columns are not stated.
      section->has_body = true;
      section->documented.layout = TableLayout::kOther;
    }
    if (!section->has_body) {
      const bool looks_like_table = section->heading.explicit_form || section->heading.sql_like;
      if (looks_like_table && !section->saw_unreadable) {
        Note(section->heading_line, "the section '" + section->heading.name + "' at line " +
                                        std::to_string(section->heading_line) +
                                        " names a table but holds no column table or list the reader understands");
      }
      if (looks_like_table) {
        result_.unread.push_back({section->heading.schema, section->heading.name, section->heading_line, section_end});
      }
      return;
    }
    if (const auto seen = seen_.find(qualified); seen != seen_.end()) {
      Note(section->heading_line, "table '" + qualified + "' is documented twice (lines " +
                                      std::to_string(seen->second) + " and " + std::to_string(section->heading_line) +
                                      "); the second one was not read");
      return;
    }
    seen_[qualified] = section->heading_line;
    ApplyConstraintSql(*section);
    if (export_mode_ && section->heading.explicit_form) {
      // dbaudit's export writes every constraint table a relation has: a missing one means none.
      StatedFacts& stated = section->documented.stated;
      stated.primary_key = stated.foreign_keys = stated.unique = stated.indexes = true;
    }
    ir::Table& table = section->table;
    table.schema = section->heading.schema;
    table.name = section->heading.name;
    table.kind = section->heading.kind;
    table.location = At(section->heading_line);
    for (const auto& paragraph : section->comment_paragraphs) {
      if (!table.comment.empty()) table.comment += "\n\n";
      table.comment += ReplaceBreaks(paragraph);
    }
    DocumentedTable& documented = section->documented;
    documented.schema = table.schema;
    documented.name = table.name;
    documented.heading_line = section->heading_line;
    TableDetail& detail = section->detail;
    detail.table_index = result_.document.tables.size();
    detail.heading_level = section->level;
    detail.heading_line_text = section->heading_line_text;
    detail.section_end_line = section_end;
    result_.document.tables.push_back(std::move(documented));
    result_.details.push_back(std::move(detail));
    result_.document.catalog.tables.push_back(std::move(table));
  }

  std::string display_path_;
  ParsedDocument result_;
  std::unique_ptr<OpenSection> open_;
  std::map<std::string, std::uint32_t> seen_;
  bool export_mode_ = false;
};

}  // namespace

ParsedDocument ParseDocumentDetailed(const std::string& markdown, const std::string& display_path) {
  return Reader(display_path).Read(markdown);
}

Document ParseSchemaDocument(const std::string& markdown, const std::string& display_path) {
  return ParseDocumentDetailed(markdown, display_path).document;
}

std::optional<std::string> UnsupportedEncoding(const std::string& bytes) {
  const auto starts = [&](std::string_view mark) { return std::string_view(bytes).starts_with(mark); };
  using namespace std::string_view_literals;
  // UTF-32's marks first: UTF-32LE's begins with UTF-16LE's.
  if (starts("\xFF\xFE\x00\x00"sv)) return "UTF-32 (little-endian)";
  if (starts("\x00\x00\xFE\xFF"sv)) return "UTF-32 (big-endian)";
  if (starts("\xFF\xFE"sv)) return "UTF-16 (little-endian)";
  if (starts("\xFE\xFF"sv)) return "UTF-16 (big-endian)";
  // UTF-16 without a mark holds a NUL in every ASCII character; a stray NUL in UTF-8 text
  // is only read as U+FFFD.
  const std::string_view head = std::string_view(bytes).substr(0, 4096);
  const auto nuls = static_cast<std::size_t>(std::count(head.begin(), head.end(), '\0'));
  if (nuls > 0 && nuls * 4 >= head.size()) return "UTF-16 (no byte-order mark)";
  return std::nullopt;
}

std::string UnsupportedEncodingMessage(const std::string& display_path, const std::string& encoding) {
  return "the schema document " + display_path + " is not UTF-8 but " + encoding +
         "; dbaudit reads and rewrites UTF-8 documents only, so it was left as it is: convert it first, e.g. "
         "`iconv -f UTF-16 -t UTF-8`";
}

ir::Result<Document> ReadSchemaDocument(const std::filesystem::path& path, const std::string& display_path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    return ir::Error{"cannot read the schema document " + display_path + ": not a file", ir::Location{display_path}};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return ir::Error{"cannot read the schema document " + display_path, ir::Location{display_path}};
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return ir::Error{"cannot read the schema document " + display_path, ir::Location{display_path}};
  if (const auto encoding = UnsupportedEncoding(buffer.str())) {
    return ir::Error{UnsupportedEncodingMessage(display_path, *encoding), ir::Location{display_path}};
  }
  return ParseSchemaDocument(buffer.str(), display_path);
}

}  // namespace dbaudit::docs

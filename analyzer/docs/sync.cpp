#include "analyzer/docs/sync.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "analyzer/docs/parsed_document.hpp"
#include "analyzer/docs/text_utils.hpp"
#include "analyzer/sql/normalize.hpp"

namespace dbaudit::docs {

namespace {

// Lines [begin, end) of the original (0-based) replaced by `lines`.
struct Edit {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::vector<std::string> lines;
};

std::string Qualified(const std::string& schema, const std::string& name) {
  return schema + "." + name;
}

// What the schema says about one column's keys.
struct ColumnKeys {
  bool primary_key = false;
  bool unique = false;                                     // a one-column unique constraint or index
  std::vector<std::vector<std::string>> composite_unique;  // those starting at this column
  const ir::ForeignKey* foreign_key = nullptr;             // a one-column foreign key
};

ColumnKeys KeysOf(const ir::Table& table, const std::string& column) {
  ColumnKeys keys;
  if (table.primary_key) {
    const auto& columns = table.primary_key->columns;
    keys.primary_key = std::find(columns.begin(), columns.end(), column) != columns.end();
  }
  auto add_unique = [&](const std::vector<std::string>& columns) {
    if (columns.size() == 1 && columns.front() == column) keys.unique = true;
    if (columns.size() > 1 && columns.front() == column &&
        std::find(keys.composite_unique.begin(), keys.composite_unique.end(), columns) == keys.composite_unique.end()) {
      keys.composite_unique.push_back(columns);
    }
  };
  for (const auto& unique : table.unique_constraints) add_unique(unique.columns);
  for (const auto& index : table.indexes) {
    if (index.unique && !index.predicate) add_unique(index.keys);
  }
  for (const auto& foreign_key : table.foreign_keys) {
    if (foreign_key.columns.size() == 1 && foreign_key.columns.front() == column) {
      keys.foreign_key = &foreign_key;
      break;
    }
  }
  return keys;
}

ColumnKeys DocumentedKeysOf(const ir::Table& table, const std::string& column) {
  return KeysOf(table, column);
}

bool SameTarget(const ir::ForeignKey* a, const ir::ForeignKey* b) {
  if (!a || !b) return a == b;
  return a->referenced_schema == b->referenced_schema && a->referenced_table == b->referenced_table &&
         a->referenced_columns == b->referenced_columns;
}

bool SameDefault(const std::optional<std::string>& a, const std::optional<std::string>& b) {
  if (!a || !b) return !a && !b;
  if (*a == *b) return true;
  const auto left = sql::NormalizeDefault(*a);
  const auto right = sql::NormalizeDefault(*b);
  return left && right && *left == *right;
}

// "nextval('orders_id_seq'::regclass)" on an integer column is what SERIAL makes (the
// sequence name schema-qualified or not, as the server printed it).
std::string SerialSpelling(const ir::Table& table, const ir::Column& column) {
  if (!column.server_default) return {};
  const std::string sequence = table.name + "_" + column.name + "_seq";
  const std::string bare = "nextval('" + sequence + "'::regclass)";
  const std::string qualified = "nextval('" + table.schema + "." + sequence + "'::regclass)";
  if (*column.server_default != qualified && !(table.schema == "public" && *column.server_default == bare)) return {};
  if (column.type == "integer") return "serial";
  if (column.type == "bigint") return "bigserial";
  if (column.type == "smallint") return "smallserial";
  return {};
}

std::string ReferenceText(const ir::ForeignKey& foreign_key, const std::string& table_schema, bool arrow) {
  std::string text = arrow ? "→ " : "";
  if (foreign_key.referenced_schema != table_schema) text += foreign_key.referenced_schema + ".";
  text += foreign_key.referenced_table + "." + foreign_key.referenced_columns.front();
  return text;
}

std::string Decorate(const std::string& name, NameDecoration decoration) {
  switch (decoration) {
    case NameDecoration::kBackticks: return "`" + name + "`";
    case NameDecoration::kBold: return "**" + name + "**";
    case NameDecoration::kPlain: break;
  }
  return name;
}

NameDecoration DecorationOf(const std::string& raw) {
  if (raw.rfind("`", 0) == 0) return NameDecoration::kBackticks;
  if (raw.rfind("**", 0) == 0) return NameDecoration::kBold;
  return NameDecoration::kPlain;
}

class Syncer {
 public:
  Syncer(const ParsedDocument& parsed, const ir::Catalog& schema, const SyncOptions& options)
      : parsed_(parsed), schema_(schema), options_(options) {}

  std::vector<Edit> Plan(SyncResult& result) {
    std::vector<Edit> edits;
    std::set<std::string> documented;
    const Document& document = parsed_.document;
    for (std::size_t i = 0; i < document.tables.size(); ++i) {
      const DocumentedTable& table = document.tables[i];
      const TableDetail& detail = parsed_.details[i];
      documented.insert(Qualified(table.schema, table.name));
      if (IsIgnored(table.name)) continue;
      const ir::Table* actual = schema_.FindTable(table.schema, table.name);
      if (!actual) {
        edits.push_back({table.heading_line - 1, detail.section_end_line, {}});
        result.tables_removed.push_back(Qualified(table.schema, table.name));
        continue;
      }
      if (table.body_begin_line == 0) continue;  // a view documented without columns
      std::vector<std::string> body = RenderBody(detail, &document.catalog.tables[i], table.stated, *actual);
      const std::vector<std::string> old(parsed_.lines.begin() + table.body_begin_line - 1,
                                         parsed_.lines.begin() + table.body_end_line);
      if (body != old) {
        edits.push_back({table.body_begin_line - 1, table.body_end_line, std::move(body)});
        result.tables_updated.push_back(Qualified(table.schema, table.name));
      }
    }
    // Schema tables the document lacks, in the schema's (sorted) order.
    std::vector<std::string> appended;
    for (const ir::Table& table : schema_.tables) {
      if (table.kind != ir::TableKind::kTable && table.kind != ir::TableKind::kPartitionedTable) continue;
      const std::string qualified = Qualified(table.schema, table.name);
      if (documented.count(qualified) || IsIgnored(table.name)) continue;
      result.tables_added.push_back(qualified);
      const UnreadSection* unread = FindUnread(table);
      if (unread) {
        // Fill the section that names it, after its last non-blank line.
        std::size_t last = unread->section_end_line;
        while (last > unread->heading_line && Trim(parsed_.lines[last - 1]).empty()) --last;
        std::vector<std::string> lines = {""};
        for (auto& line : RenderNewBody(table)) lines.push_back(std::move(line));
        edits.push_back({last, last, std::move(lines)});
        continue;
      }
      for (auto& line : RenderNewSection(table)) appended.push_back(std::move(line));
    }
    if (!appended.empty() && appended.back().empty()) appended.pop_back();
    appended_ = std::move(appended);
    std::sort(result.tables_updated.begin(), result.tables_updated.end());
    std::sort(result.tables_added.begin(), result.tables_added.end());
    std::sort(result.tables_removed.begin(), result.tables_removed.end());
    std::stable_sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.begin < b.begin; });
    return edits;
  }

 private:
  bool IsIgnored(const std::string& name) const {
    return std::find(options_.ignored_tables.begin(), options_.ignored_tables.end(), name) !=
           options_.ignored_tables.end();
  }

  const UnreadSection* FindUnread(const ir::Table& table) const {
    for (const auto& section : parsed_.unread) {
      if (section.schema == table.schema && section.name == table.name) return &section;
    }
    return nullptr;
  }

  // The layout new sections copy: the first documented table's, else a full GFM table.
  const TableDetail& Template() const {
    if (!parsed_.details.empty()) return parsed_.details.front();
    static const TableDetail kDefault = [] {
      TableDetail detail;
      detail.heading_level = 2;
      detail.heading_line_text = "## users";
      detail.roles = {CellRole::kName, CellRole::kType,       CellRole::kNullable,   CellRole::kDefault,
                      CellRole::kKey,  CellRole::kReferences, CellRole::kDescription};
      detail.header_row = "| Column | Type | Nullable | Default | Key | References | Description |";
      detail.delimiter_row = "|---|---|---|---|---|---|---|";
      return detail;
    }();
    return kDefault;
  }

  StatedFacts TemplateStated() const {
    if (!parsed_.document.tables.empty()) return parsed_.document.tables.front().stated;
    StatedFacts stated;
    stated.types = stated.nullability = stated.defaults = stated.primary_key = stated.foreign_keys = stated.unique =
        stated.descriptions = true;
    return stated;
  }

  std::vector<std::string> RenderNewBody(const ir::Table& table) const {
    return RenderBody(Template(), nullptr, TemplateStated(), table);
  }

  std::vector<std::string> RenderNewSection(const ir::Table& table) const {
    const TableDetail& layout = Template();
    std::string heading = layout.heading_line_text;
    std::string template_schema = "public";
    std::string template_name = "users";
    if (!parsed_.document.tables.empty()) {
      template_schema = parsed_.document.tables.front().schema;
      template_name = parsed_.document.tables.front().name;
    }
    const std::string template_qualified = Qualified(template_schema, template_name);
    const bool qualified_heading = heading.find(template_qualified) != std::string::npos;
    const std::string replacement =
        qualified_heading || table.schema != "public" ? Qualified(table.schema, table.name) : table.name;
    const std::string& needle = qualified_heading ? template_qualified : template_name;
    std::string rendered;
    for (std::size_t at = 0; at < heading.size();) {
      const std::size_t found = heading.find(needle, at);
      if (found == std::string::npos) {
        rendered += heading.substr(at);
        break;
      }
      rendered += heading.substr(at, found - at) + replacement;
      at = found + needle.size();
    }
    std::vector<std::string> lines = {rendered, ""};
    if (!table.comment.empty()) {
      lines.push_back(table.comment);
      lines.push_back("");
    }
    if (!layout.columns_subheading.empty()) {
      lines.push_back(layout.columns_subheading);
      lines.push_back("");
    }
    for (auto& line : RenderNewBody(table)) lines.push_back(std::move(line));
    lines.push_back("");
    return lines;
  }

  const DocumentedRow* FindRow(const TableDetail& detail, const ir::Table* documented,
                               const std::string& column) const {
    if (!documented) return nullptr;
    for (const auto& row : detail.rows) {
      if (row.column == column) return &row;
    }
    return nullptr;
  }

  // The type as the document wrote it when it means the schema's type, else the schema's.
  std::string TypeText(const std::string& raw, const ir::Column* documented, const ir::Table& table,
                       const ir::Column& actual) const {
    if (documented && !raw.empty() && documented->type == actual.type) {
      const bool sequence = actual.server_default && sql::IsSequenceDefault(*actual.server_default);
      const bool identity = actual.identity != ir::IdentityKind::kNone;
      if (!documented->autoincrement || sequence || identity) return raw;
    }
    const std::string serial = SerialSpelling(table, actual);
    return serial.empty() ? actual.type : serial;
  }

  // A SERIAL-family type says the sequence default already (see CanonicalDocumentType).
  static std::optional<std::string> WantedDefault(const std::string& type_text, const ir::Table& table,
                                                  const ir::Column& column) {
    if (column.server_default && sql::IsSequenceDefault(*column.server_default) &&
        CanonicalDocumentType(type_text, table.schema).autoincrement) {
      return std::nullopt;
    }
    return column.server_default;
  }

  static std::string TypeCellOf(const TableDetail& detail, const DocumentedRow* row) {
    if (!row) return {};
    for (std::size_t i = 0; i < detail.roles.size() && i < row->raw_cells.size(); ++i) {
      if (detail.roles[i] == CellRole::kType) return row->raw_cells[i];
    }
    return {};
  }

  std::vector<std::string> RenderBody(const TableDetail& detail, const ir::Table* documented, const StatedFacts& stated,
                                      const ir::Table& actual) const {
    if (!detail.roles.empty()) return RenderGfm(detail, documented, actual);
    return RenderBullets(detail, documented, stated, actual);
  }

  std::vector<std::string> RenderGfm(const TableDetail& detail, const ir::Table* documented,
                                     const ir::Table& actual) const {
    std::vector<std::string> lines = {detail.header_row, detail.delimiter_row};
    const bool has_references =
        std::find(detail.roles.begin(), detail.roles.end(), CellRole::kReferences) != detail.roles.end();
    NameDecoration decoration = NameDecoration::kPlain;
    for (std::size_t i = 0; i < detail.roles.size() && !detail.rows.empty(); ++i) {
      if (detail.roles[i] == CellRole::kName && i < detail.rows.front().raw_cells.size()) {
        decoration = DecorationOf(detail.rows.front().raw_cells[i]);
        break;
      }
    }
    for (const ir::Column& column : actual.columns) {
      const DocumentedRow* row = FindRow(detail, documented, column.name);
      const ir::Column* said = row ? documented->FindColumn(column.name) : nullptr;
      const ColumnKeys keys = KeysOf(actual, column.name);
      const ColumnKeys said_keys = said ? DocumentedKeysOf(*documented, column.name) : ColumnKeys{};
      const std::string type_raw = TypeCellOf(detail, row);
      const std::string type = TypeText(type_raw, said, actual, column);
      std::optional<std::string> wanted_default = WantedDefault(type, actual, column);
      std::vector<std::string> cells;
      for (std::size_t i = 0; i < detail.roles.size(); ++i) {
        const std::string raw = row && i < row->raw_cells.size() ? row->raw_cells[i] : "";
        switch (detail.roles[i]) {
          case CellRole::kName: cells.push_back(row ? raw : Decorate(column.name, decoration)); break;
          case CellRole::kType: cells.push_back(type == raw ? raw : EscapePipes(type)); break;
          case CellRole::kNullable:
          case CellRole::kNotNull: {
            if (!column.nullable) {
              cells.push_back("");
              break;
            }
            if (said && said->nullable == column.nullable && !raw.empty()) {
              cells.push_back(raw);
              break;
            }
            const bool cell_value = detail.roles[i] == CellRole::kNullable ? *column.nullable : !*column.nullable;
            cells.push_back(cell_value ? detail.true_spelling : detail.false_spelling);
            break;
          }
          case CellRole::kDefault: {
            const std::optional<std::string>& wanted = wanted_default;
            if (said && SameDefault(said->server_default, wanted)) {
              cells.push_back(raw);
            } else {
              cells.push_back(wanted ? EscapePipes(*wanted) : "");
            }
            break;
          }
          case CellRole::kKey: {
            const bool same = said && said_keys.primary_key == keys.primary_key && said_keys.unique == keys.unique &&
                              said_keys.composite_unique == keys.composite_unique &&
                              (has_references || SameTarget(said_keys.foreign_key, keys.foreign_key));
            if (same) {
              cells.push_back(raw);
              break;
            }
            std::vector<std::string> parts;
            if (keys.primary_key) parts.push_back("PK");
            if (keys.unique && !keys.primary_key) parts.push_back("UNIQUE");
            for (const auto& columns : keys.composite_unique) {
              std::string text = "UNIQUE (";
              for (std::size_t k = 0; k < columns.size(); ++k) text += (k ? ", " : "") + columns[k];
              parts.push_back(text + ")");
            }
            if (!has_references && keys.foreign_key) {
              parts.push_back("FK " + ReferenceText(*keys.foreign_key, actual.schema, true));
            }
            std::string text;
            for (const auto& part : parts) text += (text.empty() ? "" : ", ") + part;
            cells.push_back(text);
            break;
          }
          case CellRole::kReferences:
            if (said && SameTarget(said_keys.foreign_key, keys.foreign_key)) {
              cells.push_back(raw);
            } else {
              cells.push_back(
                  keys.foreign_key ? ReferenceText(*keys.foreign_key, actual.schema, detail.references_arrow) : "");
            }
            break;
          case CellRole::kDescription:
            cells.push_back(row && !Trim(raw).empty() ? raw : EscapePipes(column.comment));
            break;
          case CellRole::kIgnored: cells.push_back(raw); break;
        }
      }
      if (row && row->raw_cells.size() >= cells.size() &&
          std::equal(cells.begin(), cells.end(), row->raw_cells.begin())) {
        lines.push_back(parsed_.lines[row->begin_line - 1]);  // as written, spacing included
        continue;
      }
      // An empty cell is written "| |" rather than "|  |".
      std::string line = detail.leading_pipe ? "|" : "";
      for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i || detail.leading_pipe) line += cells[i].empty() ? " " : " " + cells[i] + " ";
        if (!i && !detail.leading_pipe) line += cells[i] + " ";
        if (i + 1 < cells.size() || detail.leading_pipe) line += "|";
      }
      while (!detail.leading_pipe && !line.empty() && line.back() == ' ') line.pop_back();
      lines.push_back(line);
    }
    return lines;
  }

  std::vector<std::string> RenderBullets(const TableDetail& detail, const ir::Table* documented,
                                         const StatedFacts& stated, const ir::Table& actual) const {
    std::vector<std::string> lines;
    for (const ir::Column& column : actual.columns) {
      const DocumentedRow* row = FindRow(detail, documented, column.name);
      const ir::Column* said = row ? documented->FindColumn(column.name) : nullptr;
      const ColumnKeys keys = KeysOf(actual, column.name);
      const std::string type = TypeText(row ? row->raw_type : "", said, actual, column);
      const std::optional<std::string> wanted_default = WantedDefault(type, actual, column);
      if (said) {
        const ColumnKeys said_keys = DocumentedKeysOf(*documented, column.name);
        const bool agrees = (!stated.types || type == row->raw_type) &&
                            (!stated.nullability || !column.nullable || said->nullable == column.nullable) &&
                            (!stated.defaults || SameDefault(said->server_default, wanted_default)) &&
                            (!stated.primary_key || said_keys.primary_key == keys.primary_key) &&
                            (!stated.unique || (said_keys.unique == keys.unique &&
                                                said_keys.composite_unique == keys.composite_unique)) &&
                            (!stated.foreign_keys || SameTarget(said_keys.foreign_key, keys.foreign_key));
        if (agrees) {
          for (std::uint32_t line = row->begin_line; line <= row->end_line; ++line) {
            lines.push_back(parsed_.lines[line - 1]);
          }
          continue;
        }
      }
      std::vector<std::string> parts;
      if (stated.types || !said) parts.push_back(type);
      if (stated.primary_key && keys.primary_key) parts.push_back("PK");
      if (stated.unique && keys.unique && !keys.primary_key) parts.push_back("unique");
      if (stated.unique) {
        for (const auto& columns : keys.composite_unique) {
          std::string text = "unique (";
          for (std::size_t k = 0; k < columns.size(); ++k) text += (k ? ", " : "") + columns[k];
          parts.push_back(text + ")");
        }
      }
      if (stated.nullability && column.nullable) {
        const bool only_not_null = detail.mentions_not_null && !detail.mentions_nullable;
        const bool only_nullable = detail.mentions_nullable && !detail.mentions_not_null;
        if (!*column.nullable && !keys.primary_key && !only_nullable) parts.push_back("not null");
        if (!*column.nullable && keys.primary_key && only_nullable) {
          // PK implies not null; nothing to add.
        }
        if (*column.nullable && !only_not_null) parts.push_back("nullable");
      }
      if (stated.defaults && wanted_default) parts.push_back("default " + *wanted_default);
      if (stated.foreign_keys && keys.foreign_key)
        parts.push_back(ReferenceText(*keys.foreign_key, actual.schema, true));
      std::string facts;
      for (const auto& part : parts) facts += (facts.empty() ? "" : ", ") + part;
      const std::string description = row ? row->description : column.comment;
      const BulletForm form = row ? row->bullet_form : detail.bullet_form;
      std::string line =
          detail.bullet_marker + Decorate(column.name, row ? row->name_decoration : detail.name_decoration);
      switch (form) {
        case BulletForm::kParentheses: line += " (" + facts + ")"; break;
        case BulletForm::kColon: line += ": " + facts; break;
        case BulletForm::kDash: line += " — " + facts; break;
      }
      if (!description.empty()) line += " — " + description;
      lines.push_back(line);
    }
    return lines;
  }

  std::vector<std::string> appended_;  // new sections, after the last line

 public:
  std::vector<std::string> TakeAppended() { return std::move(appended_); }

 private:
  const ParsedDocument& parsed_;
  const ir::Catalog& schema_;
  const SyncOptions& options_;
};

}  // namespace

SyncResult SyncSchemaDocument(const std::string& original, const std::string& display_path, const ir::Catalog& schema,
                              const SyncOptions& options) {
  SyncResult result;
  const ParsedDocument parsed = ParseDocumentDetailed(original, display_path);
  result.notes = parsed.document.catalog.diagnostics;
  Syncer syncer(parsed, schema, options);
  const std::vector<Edit> edits = syncer.Plan(result);
  const std::vector<std::string> appended = syncer.TakeAppended();
  if (edits.empty() && appended.empty()) {
    result.text = original;
    return result;
  }
  // Untouched lines keep their original bytes (the parse saw them UTF-8-sanitised).
  const std::vector<std::string> original_lines = SplitLines(original);
  const std::string& newline = parsed.newline;
  std::vector<std::string> out;
  std::size_t next = 0;
  for (const Edit& edit : edits) {
    for (; next < edit.begin && next < original_lines.size(); ++next) out.push_back(original_lines[next]);
    for (const auto& line : edit.lines) out.push_back(line);
    next = std::max(next, edit.end);
  }
  for (; next < original_lines.size(); ++next) out.push_back(original_lines[next]);
  if (!appended.empty()) {
    // One blank line between what is left of the document and the new sections.
    while (!out.empty() && Trim(out.back()).empty()) out.pop_back();
    if (!out.empty()) out.push_back("");
    for (const auto& line : appended) out.push_back(line);
  }
  for (const auto& line : out) result.text += line + newline;
  // Keep "no newline at end of file" as it was.
  if (!original.empty() && original.back() != '\n' && original.back() != '\r' && result.text.size() >= newline.size()) {
    result.text.resize(result.text.size() - newline.size());
  }
  result.changed = result.text != original;
  return result;
}

}  // namespace dbaudit::docs

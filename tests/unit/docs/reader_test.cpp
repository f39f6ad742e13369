// The schema-document reader on documents in the shapes people write (tests/docs/*.md).
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <unistd.h>

#include "analyzer/docs/document.hpp"

namespace dbaudit::docs {
namespace {

namespace fs = std::filesystem;
const fs::path kFixtures = fs::path(DBAUDIT_SOURCE_DIR) / "tests" / "docs";

Document ReadFixture(const std::string& name) {
  auto document = ReadSchemaDocument(kFixtures / name, name);
  EXPECT_TRUE(document.ok()) << (document.ok() ? "" : document.error().message);
  return document.take();
}

const DocumentedTable* FindDocumented(const Document& document, const std::string& name) {
  for (const auto& table : document.tables) {
    if (table.name == name) return &table;
  }
  return nullptr;
}

bool HasNote(const Document& document, std::uint32_t line, const std::string& fragment) {
  for (const auto& diagnostic : document.catalog.diagnostics) {
    if (diagnostic.rule_id == "docs-section-unreadable" && diagnostic.location.line == line &&
        diagnostic.message.find(fragment) != std::string::npos) {
      return true;
    }
  }
  return false;
}

std::string Notes(const Document& document) {
  std::string out;
  for (const auto& diagnostic : document.catalog.diagnostics) {
    out += std::to_string(diagnostic.location.line) + ": " + diagnostic.message + "\n";
  }
  return out;
}

TEST(DocsReader, GfmTableWithEveryFact) {
  const Document document = ReadFixture("gfm_variants.md");
  const ir::Table* users = document.catalog.FindTable("public", "users");
  ASSERT_NE(users, nullptr);
  EXPECT_EQ(users->location.line, 5u);
  EXPECT_EQ(users->comment, "Customer accounts. One row per login.");
  ASSERT_EQ(users->columns.size(), 4u);
  const ir::Column& id = users->columns[0];
  EXPECT_EQ(id.name, "id");
  EXPECT_EQ(id.type, "integer");
  EXPECT_TRUE(id.autoincrement);  // serial
  EXPECT_FALSE(id.server_default.has_value());
  EXPECT_EQ(id.nullable, std::optional<bool>(false));
  EXPECT_EQ(id.comment, "surrogate key");
  EXPECT_EQ(id.location.line, 11u);
  const ir::Column& email = users->columns[1];
  EXPECT_EQ(email.type, "character varying(255)");
  EXPECT_EQ(email.nullable, std::optional<bool>(false));
  EXPECT_EQ(email.comment, "login | contact address");
  EXPECT_EQ(users->columns[2].type, "timestamp with time zone");
  EXPECT_EQ(users->columns[2].server_default, std::optional<std::string>("now()"));
  EXPECT_EQ(users->columns[3].type, "text");
  EXPECT_EQ(users->columns[3].nullable, std::optional<bool>(true));
  ASSERT_TRUE(users->primary_key.has_value());
  EXPECT_EQ(users->primary_key->columns, std::vector<std::string>{"id"});
  ASSERT_EQ(users->unique_constraints.size(), 1u);
  EXPECT_EQ(users->unique_constraints[0].columns, std::vector<std::string>{"email"});

  const DocumentedTable* documented = FindDocumented(document, "users");
  ASSERT_NE(documented, nullptr);
  EXPECT_EQ(documented->heading_line, 5u);
  EXPECT_EQ(documented->body_begin_line, 9u);
  EXPECT_EQ(documented->body_end_line, 14u);
  EXPECT_EQ(documented->layout, TableLayout::kGfmTable);
  EXPECT_EQ(documented->header_cells.front(), "Column");
  EXPECT_TRUE(documented->stated.types && documented->stated.nullability && documented->stated.defaults &&
              documented->stated.primary_key && documented->stated.foreign_keys && documented->stated.descriptions);
}

TEST(DocsReader, HeaderCellsInAnyOrderAndCase) {
  const Document document = ReadFixture("gfm_variants.md");
  const ir::Table* orders = document.catalog.FindTable("public", "orders");
  ASSERT_NE(orders, nullptr) << Notes(document);
  ASSERT_EQ(orders->columns.size(), 4u);
  EXPECT_EQ(orders->columns[0].name, "id");
  EXPECT_EQ(orders->columns[0].type, "bigint");
  EXPECT_TRUE(orders->columns[0].autoincrement);
  EXPECT_EQ(orders->columns[0].comment, "the order");
  EXPECT_EQ(orders->columns[0].nullable, std::optional<bool>(false));  // "Required: yes"
  EXPECT_EQ(orders->columns[1].name, "user_id");
  EXPECT_EQ(orders->columns[1].type, "integer");
  EXPECT_EQ(orders->columns[2].type, "numeric(10,2)");
  EXPECT_EQ(orders->columns[2].nullable, std::optional<bool>(true));  // "Required: no"
  EXPECT_EQ(orders->columns[3].type, "integer[]");
  EXPECT_FALSE(orders->columns[3].nullable.has_value());  // blank: not stated
  ASSERT_TRUE(orders->primary_key.has_value());
  EXPECT_EQ(orders->primary_key->columns, std::vector<std::string>{"id"});
  ASSERT_EQ(orders->foreign_keys.size(), 1u);
  EXPECT_EQ(orders->foreign_keys[0].columns, std::vector<std::string>{"user_id"});
  EXPECT_EQ(orders->foreign_keys[0].referenced_table, "users");
  EXPECT_EQ(orders->foreign_keys[0].referenced_columns, std::vector<std::string>{"id"});
  EXPECT_EQ(orders->foreign_keys[0].location.line, 21u);
  const DocumentedTable* documented = FindDocumented(document, "orders");
  ASSERT_NE(documented, nullptr);
  EXPECT_FALSE(documented->stated.defaults);  // no Default column: says nothing about defaults
  EXPECT_TRUE(documented->stated.descriptions);
}

TEST(DocsReader, CodeSpanAndLinkHeadingsAndMarks) {
  const Document document = ReadFixture("gfm_variants.md");
  const ir::Table* payments = document.catalog.FindTable("public", "payments");
  ASSERT_NE(payments, nullptr) << Notes(document);
  ASSERT_EQ(payments->columns.size(), 4u);
  EXPECT_EQ(payments->columns[0].type, "integer");
  EXPECT_EQ(payments->columns[0].nullable, std::optional<bool>(false));
  EXPECT_EQ(payments->columns[1].type, "timestamp without time zone");
  EXPECT_EQ(payments->columns[2].type, "double precision");
  EXPECT_EQ(payments->columns[3].type, "double precision");
  // A check-mark column: blank is "no".
  EXPECT_EQ(payments->columns[2].nullable, std::optional<bool>(true));
  EXPECT_EQ(payments->columns[3].nullable, std::optional<bool>(false));
  EXPECT_FALSE(FindDocumented(document, "payments")->stated.defaults);
  EXPECT_FALSE(FindDocumented(document, "payments")->stated.descriptions);

  const ir::Table* refunds = document.catalog.FindTable("public", "refunds");
  ASSERT_NE(refunds, nullptr) << Notes(document);
  EXPECT_EQ(refunds->columns[0].type, "uuid");
  EXPECT_EQ(refunds->columns[0].nullable, std::optional<bool>(false));  // "Not Null: ✓"
  EXPECT_EQ(refunds->columns[2].type, "jsonb");
  EXPECT_EQ(refunds->columns[2].nullable, std::optional<bool>(true));  // blank in a check-mark column
  ASSERT_EQ(refunds->foreign_keys.size(), 1u);
  EXPECT_EQ(refunds->foreign_keys[0].referenced_table, "payments");
  EXPECT_EQ(refunds->columns[1].comment, "which payment");

  const ir::Table* audit = document.catalog.FindTable("public", "audit_entries");
  ASSERT_NE(audit, nullptr);
  EXPECT_EQ(audit->columns[0].type, "boolean");
  EXPECT_FALSE(FindDocumented(document, "audit_entries")->stated.nullability);
  EXPECT_FALSE(audit->columns[0].nullable.has_value());
  EXPECT_NE(document.catalog.FindTable("public", "shipments"), nullptr);
  EXPECT_TRUE(document.catalog.diagnostics.empty()) << Notes(document);
}

TEST(DocsReader, BulletLists) {
  const Document document = ReadFixture("bullets.md");
  const ir::Table* users = document.catalog.FindTable("public", "users");
  ASSERT_NE(users, nullptr) << Notes(document);
  EXPECT_EQ(users->comment, "The people.");
  ASSERT_EQ(users->columns.size(), 4u);
  EXPECT_EQ(users->columns[0].type, "integer");
  EXPECT_EQ(users->columns[0].nullable, std::optional<bool>(false));  // PK
  EXPECT_EQ(users->columns[1].name, "email");
  EXPECT_EQ(users->columns[1].type, "character varying(255)");
  EXPECT_EQ(users->columns[1].nullable, std::optional<bool>(false));
  EXPECT_EQ(users->columns[1].location.line, 8u);
  EXPECT_EQ(users->columns[2].name, "display_name");
  EXPECT_EQ(users->columns[2].nullable, std::optional<bool>(true));
  EXPECT_EQ(users->columns[2].comment, "shown in the header");
  EXPECT_EQ(users->columns[3].name, "bio");
  EXPECT_FALSE(users->columns[3].nullable.has_value());  // the list says both "not null" and "nullable"
  ASSERT_TRUE(users->primary_key.has_value());
  ASSERT_EQ(users->unique_constraints.size(), 1u);
  const DocumentedTable* documented = FindDocumented(document, "users");
  EXPECT_EQ(documented->layout, TableLayout::kBulletList);
  EXPECT_EQ(documented->body_begin_line, 7u);
  EXPECT_EQ(documented->body_end_line, 10u);

  const ir::Table* orders = document.catalog.FindTable("public", "orders");
  ASSERT_NE(orders, nullptr);
  EXPECT_EQ(orders->columns[0].type, "bigint");
  EXPECT_EQ(orders->columns[0].comment, "the order number");
  EXPECT_EQ(orders->columns[1].nullable, std::optional<bool>(false));
  EXPECT_EQ(orders->columns[2].nullable, std::optional<bool>(true));  // only "not null" is ever said
  EXPECT_EQ(orders->columns[2].server_default, std::optional<std::string>("'none'"));
  ASSERT_EQ(orders->foreign_keys.size(), 1u);
  EXPECT_EQ(orders->foreign_keys[0].referenced_table, "users");
  EXPECT_TRUE(FindDocumented(document, "orders")->stated.defaults);
  EXPECT_FALSE(FindDocumented(document, "users")->stated.defaults);
}

TEST(DocsReader, TblsOutput) {
  const Document document = ReadFixture("tbls_users.md");
  const ir::Table* users = document.catalog.FindTable("public", "users");
  ASSERT_NE(users, nullptr) << Notes(document);
  EXPECT_EQ(users->comment, "Registered users.");
  ASSERT_EQ(users->columns.size(), 3u);
  EXPECT_EQ(users->columns[0].server_default, std::optional<std::string>("nextval('users_id_seq'::regclass)"));
  EXPECT_EQ(users->columns[0].nullable, std::optional<bool>(false));
  EXPECT_EQ(users->columns[2].nullable, std::optional<bool>(true));
  EXPECT_EQ(users->columns[0].comment, "key");
  ASSERT_TRUE(users->primary_key.has_value());
  EXPECT_EQ(users->primary_key->columns, std::vector<std::string>{"id"});
  ASSERT_EQ(users->foreign_keys.size(), 1u);
  EXPECT_EQ(users->foreign_keys[0].referenced_table, "teams");
  EXPECT_EQ(users->foreign_keys[0].on_delete, ir::ReferentialAction::kCascade);
  ASSERT_EQ(users->unique_constraints.size(), 1u);
  EXPECT_EQ(users->unique_constraints[0].columns, std::vector<std::string>{"email"});
  ASSERT_EQ(users->indexes.size(), 1u);  // the constraints' own indexes are implied
  EXPECT_EQ(users->indexes[0].name, "ix_users_team");
  const DocumentedTable* documented = FindDocumented(document, "users");
  EXPECT_TRUE(documented->stated.indexes);
  EXPECT_TRUE(documented->stated.foreign_keys);
  EXPECT_EQ(documented->body_begin_line, 9u);
  EXPECT_TRUE(document.catalog.diagnostics.empty()) << Notes(document);
}

TEST(DocsReader, DbauditExportFormat) {
  const Document document = ReadFixture("export_format.md");
  EXPECT_TRUE(document.catalog.diagnostics.empty()) << Notes(document);
  ASSERT_EQ(document.catalog.tables.size(), 3u);
  const ir::Table* users = document.catalog.FindTable("public", "users");
  ASSERT_NE(users, nullptr);
  EXPECT_EQ(users->comment, "People who log in.\nStaff too.");
  ASSERT_EQ(users->columns.size(), 5u);
  EXPECT_EQ(users->columns[0].server_default, std::optional<std::string>("nextval('public.users_id_seq'::regclass)"));
  EXPECT_EQ(users->columns[1].comment, "Login | name");
  EXPECT_EQ(users->columns[2].type, "public.user_role");
  EXPECT_EQ(users->columns[2].server_default, std::optional<std::string>("'customer'::public.user_role"));
  EXPECT_EQ(users->columns[3].identity, ir::IdentityKind::kAlways);
  EXPECT_FALSE(users->columns[3].server_default.has_value());
  ASSERT_TRUE(users->primary_key.has_value());
  EXPECT_EQ(users->primary_key->name, "users_pkey");
  ASSERT_EQ(users->unique_constraints.size(), 1u);
  EXPECT_EQ(users->unique_constraints[0].columns, (std::vector<std::string>{"email", "role"}));
  ASSERT_EQ(users->indexes.size(), 1u);
  EXPECT_EQ(users->indexes[0].keys, std::vector<std::string>{"lower((email)::text)"});
  EXPECT_TRUE(users->indexes[0].unique);
  EXPECT_EQ(users->indexes[0].predicate, std::optional<std::string>("(role IS NOT NULL)"));
  const ir::Table* orders = document.catalog.FindTable("public", "orders");
  ASSERT_NE(orders, nullptr);
  ASSERT_EQ(orders->foreign_keys.size(), 1u);
  EXPECT_EQ(orders->foreign_keys[0].on_delete, ir::ReferentialAction::kCascade);
  EXPECT_EQ(orders->foreign_keys[0].on_update, ir::ReferentialAction::kNoAction);
  EXPECT_TRUE(orders->foreign_keys[0].initially_deferred);
  EXPECT_FALSE(orders->primary_key.has_value());
  // The export writes every constraint section a table has: none here means none.
  const DocumentedTable* documented = FindDocumented(document, "orders");
  EXPECT_TRUE(documented->stated.primary_key && documented->stated.indexes && documented->stated.unique);
  const ir::Table* view = document.catalog.FindTable("public", "order_totals");
  ASSERT_NE(view, nullptr);
  EXPECT_EQ(view->kind, ir::TableKind::kView);
  // A view from a dump: heading and definition, no columns. Documented, columns unstated.
  const Document dumped = ParseSchemaDocument(
      "Generated by `dbaudit schema export`\n\n### View `public.v`\n\n#### Definition\n\n```sql\n SELECT 1;\n```\n",
      "v.md");
  EXPECT_TRUE(dumped.catalog.diagnostics.empty()) << Notes(dumped);
  ASSERT_NE(dumped.catalog.FindTable("public", "v"), nullptr);
  EXPECT_TRUE(dumped.catalog.FindTable("public", "v")->columns.empty());
  EXPECT_EQ(dumped.tables.at(0).layout, TableLayout::kOther);
}

TEST(DocsReader, MessyDocumentNotesWhatItCannotRead) {
  const Document document = ReadFixture("messy.md");
  // Code fences are never tables, but one holding DDL is said.
  EXPECT_EQ(document.catalog.FindTable("public", "secret"), nullptr);
  EXPECT_TRUE(HasNote(document, 3, "CREATE TABLE")) << Notes(document);
  // The first users section is read; the second one is a duplicate, noted with both lines.
  const ir::Table* users = document.catalog.FindTable("public", "users");
  ASSERT_NE(users, nullptr);
  EXPECT_EQ(users->columns.at(0).type, "integer");
  EXPECT_TRUE(HasNote(document, 31, "lines 13 and 31")) << Notes(document);
  EXPECT_EQ(document.tables.size(), 1u);
  // A heading that names a table with prose only.
  EXPECT_TRUE(HasNote(document, 19, "daily_sales")) << Notes(document);
  // An HTML table.
  EXPECT_TRUE(HasNote(document, 27, "HTML table")) << Notes(document);
  // A table under a table-like heading whose header names no column.
  EXPECT_TRUE(HasNote(document, 45, "no column-name header")) << Notes(document);
  // "Overview" and "Enums" are not table names: no note for them.
  for (const auto& diagnostic : document.catalog.diagnostics) {
    EXPECT_EQ(diagnostic.message.find("Overview"), std::string::npos) << diagnostic.message;
    EXPECT_EQ(diagnostic.message.find("Enums"), std::string::npos) << diagnostic.message;
    EXPECT_EQ(diagnostic.location.file, "messy.md");
    EXPECT_EQ(diagnostic.severity, ir::Severity::kNote);
  }
}

TEST(DocsReader, NonUtf8BytesAreNotedAndTheRestIsRead) {
  const std::string text =
      "## users\n\n| column | type | description |\n|---|---|---|\n| id | integer | caf\xE9 |\n"
      "| name | text | ok |\n";
  const Document document = ParseSchemaDocument(text, "latin1.md");
  EXPECT_TRUE(HasNote(document, 5, "not UTF-8")) << Notes(document);
  const ir::Table* users = document.catalog.FindTable("public", "users");
  ASSERT_NE(users, nullptr);
  ASSERT_EQ(users->columns.size(), 2u);
  EXPECT_EQ(users->columns[0].comment, "caf\xEF\xBF\xBD");
  EXPECT_EQ(users->columns[1].type, "text");
}

TEST(DocsReader, BareNamesFoldToLowerCaseAsInSql) {
  const Document document = ParseSchemaDocument(
      "## Users\n\n| Column | Type |\n|---|---|\n| ID | INT |\n| `Nick` | text |\n\n"
      "## \"Mixed\"\n\n- Email: text\n- `Odd`: text\n",
      "case.md");
  const ir::Table* users = document.catalog.FindTable("public", "users");
  ASSERT_NE(users, nullptr) << Notes(document);
  EXPECT_EQ(users->columns.at(0).name, "id");
  EXPECT_EQ(users->columns.at(1).name, "Nick");  // a code span keeps its case
  const ir::Table* mixed = document.catalog.FindTable("public", "Mixed");
  ASSERT_NE(mixed, nullptr) << Notes(document);
  EXPECT_EQ(mixed->columns.at(0).name, "email");
  EXPECT_EQ(mixed->columns.at(1).name, "Odd");
}

// cmark-gfm gives a paragraph that a table's header row ends no lines (0-0); a line holding
// only "|" above a table is such a paragraph (issue #11: it crashed every docs command).
TEST(DocsReader, ParagraphEndingInATableHeader) {
  for (const std::string above : {"|", "Some prose", "|\n|", "one\ntwo"}) {
    const std::string text = "# Schema\n\n## users\n\n" + above + "\n| Column | Type |\n|---|---|\n| id | integer |\n";
    const Document document = ParseSchemaDocument(text, "pipe.md");
    const ir::Table* users = document.catalog.FindTable("public", "users");
    ASSERT_NE(users, nullptr) << above << "\n" << Notes(document);
    ASSERT_EQ(users->columns.size(), 1u) << above;
    EXPECT_EQ(users->columns[0].type, "integer");
    const DocumentedTable* documented = FindDocumented(document, "users");
    ASSERT_NE(documented, nullptr);
    const auto above_lines = static_cast<std::uint32_t>(std::count(above.begin(), above.end(), '\n') + 1);
    EXPECT_EQ(documented->body_begin_line, 5u + above_lines) << above;
  }
  // The same with nothing open above it, and as the document's very first line.
  EXPECT_TRUE(ParseSchemaDocument("|\n| a | b |\n|---|---|\n| 1 | 2 |\n", "top.md").tables.empty());
  EXPECT_TRUE(ParseSchemaDocument("|\n|---|\n", "delimiter.md").tables.empty());
}

// CommonMark ends a line at "\n", "\r\n" or a lone "\r"; the reader counts lines as cmark-gfm
// does, so that CR-only (old Mac) documents read like the others (issue #11: a crash).
TEST(DocsReader, EveryLineEndingReadsTheSame) {
  for (const std::string name : {"gfm_variants.md", "bullets.md", "messy.md", "export_format.md", "tbls_users.md"}) {
    const Document lf = ReadFixture(name);
    std::string text;
    {
      std::ifstream in(kFixtures / name, std::ios::binary);
      std::ostringstream buffer;
      buffer << in.rdbuf();
      text = buffer.str();
    }
    for (const std::string newline : {"\r", "\r\n"}) {
      std::string converted;
      for (const char c : text) converted += c == '\n' ? newline : std::string(1, c);
      const Document other = ParseSchemaDocument(converted, name);
      ASSERT_EQ(other.tables.size(), lf.tables.size()) << name;
      for (std::size_t i = 0; i < lf.tables.size(); ++i) {
        EXPECT_EQ(other.tables[i].name, lf.tables[i].name) << name;
        EXPECT_EQ(other.tables[i].body_begin_line, lf.tables[i].body_begin_line) << name;
        EXPECT_EQ(other.tables[i].body_end_line, lf.tables[i].body_end_line) << name;
      }
      ASSERT_EQ(other.catalog.tables.size(), lf.catalog.tables.size()) << name;
      for (std::size_t i = 0; i < lf.catalog.tables.size(); ++i) {
        EXPECT_EQ(other.catalog.tables[i].columns.size(), lf.catalog.tables[i].columns.size()) << name;
      }
      EXPECT_EQ(Notes(other), Notes(lf)) << name;
    }
  }
}

TEST(DocsReader, Utf16AndUtf32AreRefusedUtf8WithAByteOrderMarkIsRead) {
  EXPECT_EQ(UnsupportedEncoding(std::string("\xFF\xFE#\0 \0", 6)), "UTF-16 (little-endian)");
  EXPECT_EQ(UnsupportedEncoding(std::string("\xFE\xFF\0#\0 ", 6)), "UTF-16 (big-endian)");
  EXPECT_EQ(UnsupportedEncoding(std::string("\xFF\xFE\0\0#\0\0\0", 8)), "UTF-32 (little-endian)");
  EXPECT_EQ(UnsupportedEncoding(std::string("\0\0\xFE\xFF\0\0\0#", 8)), "UTF-32 (big-endian)");
  EXPECT_EQ(UnsupportedEncoding(std::string("#\0 \0u\0s\0", 8)), "UTF-16 (no byte-order mark)");
  EXPECT_EQ(UnsupportedEncoding("\xEF\xBB\xBF# Schema\n"), std::nullopt);
  EXPECT_EQ(UnsupportedEncoding("# Schema\n"), std::nullopt);
  EXPECT_EQ(UnsupportedEncoding(""), std::nullopt);
  // A stray NUL in a UTF-8 document is read as U+FFFD, like any other bad byte.
  EXPECT_EQ(UnsupportedEncoding(std::string("# Schema\n\nprose with a \0 in it\n", 30)), std::nullopt);

  const fs::path folder = fs::temp_directory_path() / ("dbaudit-docs-encoding-" + std::to_string(::getpid()));
  fs::create_directories(folder);
  std::ofstream(folder / "utf16.md", std::ios::binary) << std::string("\xFF\xFE#\0 \0S\0\n\0", 8);
  const auto utf16 = ReadSchemaDocument(folder / "utf16.md", "utf16.md");
  ASSERT_FALSE(utf16.ok());
  EXPECT_NE(utf16.error().message.find("utf16.md is not UTF-8 but UTF-16 (little-endian)"), std::string::npos)
      << utf16.error().message;

  std::ofstream(folder / "bom.md", std::ios::binary) << "\xEF\xBB\xBF## users\n\n| Column | Type |\n|---|---|\n| id | "
                                                        "integer |\n";
  const auto bom = ReadSchemaDocument(folder / "bom.md", "bom.md");
  ASSERT_TRUE(bom.ok()) << bom.error().message;
  const ir::Table* users = bom.value().catalog.FindTable("public", "users");
  ASSERT_NE(users, nullptr) << Notes(bom.value());
  EXPECT_EQ(users->columns.size(), 1u);
  fs::remove_all(folder);
}

TEST(DocsReader, MissingFileIsAnError) {
  auto document = ReadSchemaDocument(kFixtures / "no_such_document.md", "no_such_document.md");
  ASSERT_FALSE(document.ok());
  EXPECT_NE(document.error().message.find("no_such_document.md"), std::string::npos);
}

TEST(DocsReader, FiveMegabyteDocumentIsFast) {
  std::ostringstream text;
  std::size_t tables = 0;
  while (static_cast<std::size_t>(text.tellp()) < 5 * 1024 * 1024) {
    text << "## table_" << tables << "\n\nTable number " << tables << ".\n\n"
         << "| Column | Type | Nullable | Default | Description |\n|---|---|---|---|---|\n";
    for (int column = 0; column < 20; ++column) {
      text << "| col_" << column << " | " << (column % 2 ? "varchar(" + std::to_string(column) + ")" : "bigint")
           << " | " << (column % 3 ? "yes" : "no") << " | | column " << column << " of table " << tables << " |\n";
    }
    text << "\n";
    ++tables;
  }
  const auto start = std::chrono::steady_clock::now();
  const Document document = ParseSchemaDocument(text.str(), "big.md");
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(document.catalog.tables.size(), tables);
  EXPECT_EQ(document.catalog.tables.back().columns.size(), 20u);
  EXPECT_EQ(document.catalog.tables.back().columns[1].type, "character varying(1)");
  EXPECT_TRUE(document.catalog.diagnostics.empty());
  EXPECT_LT(seconds, 10.0);
}

}  // namespace
}  // namespace dbaudit::docs

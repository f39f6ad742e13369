// `docs sync` as a pure function: document text + schema -> new document text.
#include "analyzer/docs/sync.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "analyzer/docs/document.hpp"
#include "analyzer/docs/unified_diff.hpp"

namespace dbaudit::docs {
namespace {

namespace fs = std::filesystem;
const fs::path kFixtures = fs::path(DBAUDIT_SOURCE_DIR) / "tests" / "docs";

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

ir::Column MakeColumn(const std::string& name, const std::string& type, bool nullable,
                      std::optional<std::string> server_default = std::nullopt, const std::string& comment = "") {
  ir::Column column;
  column.name = name;
  column.type = type;
  column.nullable = nullable;
  column.server_default = std::move(server_default);
  column.comment = comment;
  return column;
}

// users (changed since the document), teams (new); orders, payments, ... are gone.
ir::Catalog MakeSchema() {
  ir::Catalog catalog;
  catalog.origin = ir::CatalogOrigin::kDatabase;
  ir::Table users;
  users.schema = "public";
  users.name = "users";
  users.columns.push_back(MakeColumn("id", "integer", false, "nextval('users_id_seq'::regclass)"));
  users.columns.push_back(MakeColumn("email", "character varying(320)", false));
  users.columns.push_back(MakeColumn("created_at", "timestamp with time zone", false, "now()"));
  users.columns.push_back(MakeColumn("team_id", "bigint", true, std::nullopt, "the team | group"));
  users.primary_key = ir::PrimaryKey{"users_pkey", {"id"}, {}};
  users.unique_constraints.push_back({"users_email_key", {"email"}, {}});
  ir::ForeignKey team;
  team.name = "users_team_id_fkey";
  team.columns = {"team_id"};
  team.referenced_schema = "public";
  team.referenced_table = "teams";
  team.referenced_columns = {"id"};
  users.foreign_keys.push_back(team);
  catalog.tables.push_back(users);
  ir::Table teams;
  teams.schema = "public";
  teams.name = "teams";
  teams.comment = "Teams of users.";
  teams.columns.push_back(MakeColumn("id", "bigint", false, "nextval('teams_id_seq'::regclass)"));
  teams.columns.push_back(MakeColumn("name", "text", false, std::nullopt, "display name"));
  teams.primary_key = ir::PrimaryKey{"teams_pkey", {"id"}, {}};
  catalog.tables.push_back(teams);
  return catalog;
}

// The facts a document states about `table` equal the schema's.
void ExpectAgrees(const Document& document, const ir::Catalog& schema, const std::string& name) {
  const ir::Table* said = document.catalog.FindTable("public", name);
  const ir::Table* actual = schema.FindTable("public", name);
  ASSERT_NE(said, nullptr) << name;
  ASSERT_NE(actual, nullptr) << name;
  ASSERT_EQ(said->columns.size(), actual->columns.size()) << name;
  for (std::size_t i = 0; i < said->columns.size(); ++i) {
    const ir::Column& column = said->columns[i];
    const ir::Column& truth = actual->columns[i];
    EXPECT_EQ(column.name, truth.name);
    if (!column.type.empty()) EXPECT_EQ(column.type, truth.type) << name << "." << column.name;
    if (column.nullable) EXPECT_EQ(column.nullable, truth.nullable) << name << "." << column.name;
    if (column.server_default) EXPECT_EQ(column.server_default, truth.server_default) << name << "." << column.name;
    if (!column.server_default && truth.server_default && !column.autoincrement) {
      for (const auto& documented : document.tables) {
        if (documented.name == name) EXPECT_FALSE(documented.stated.defaults) << name << "." << column.name;
      }
    }
  }
  if (said->primary_key) {
    ASSERT_TRUE(actual->primary_key.has_value());
    EXPECT_EQ(said->primary_key->columns, actual->primary_key->columns);
  }
}

TEST(DocsSync, RewritesGfmTablesKeepingWhatPeopleWrote) {
  const std::string original = ReadText(kFixtures / "gfm_variants.md");
  const ir::Catalog schema = MakeSchema();
  const SyncResult result = SyncSchemaDocument(original, "gfm_variants.md", schema, {});
  ASSERT_TRUE(result.changed);
  const std::string& text = result.text;
  // Prose and descriptions survive; the table's own header and spellings too.
  EXPECT_NE(text.find("Intro prose that is not a table."), std::string::npos) << text;
  EXPECT_NE(text.find("Customer accounts. One row per login."), std::string::npos) << text;
  EXPECT_NE(text.find("| id | serial | no | | PK | | surrogate key |"), std::string::npos) << text;
  EXPECT_NE(text.find("login \\| contact address"), std::string::npos) << text;
  EXPECT_NE(text.find("| Column | Type | Nullable | Default | Key | References | Description |"), std::string::npos);
  // The changed type, the new column (with its comment), the dropped column.
  EXPECT_NE(text.find("| email | character varying(320) | NO | | UNIQUE | | login"), std::string::npos) << text;
  EXPECT_NE(text.find("| team_id | bigint | yes | | | teams.id | the team \\| group |"), std::string::npos) << text;
  EXPECT_EQ(text.find("nickname"), std::string::npos) << text;
  // Tables the schema lacks are gone, with their sections; new ones appended in the layout.
  EXPECT_EQ(text.find("orders"), std::string::npos) << text;
  EXPECT_EQ(text.find("refunds"), std::string::npos) << text;
  EXPECT_NE(text.find("## teams\n\nTeams of users.\n\n| Column | Type |"), std::string::npos) << text;
  EXPECT_NE(text.find("| id | bigserial | no | | PK | | |"), std::string::npos) << text;
  EXPECT_EQ(result.tables_added, std::vector<std::string>{"public.teams"});
  EXPECT_EQ(result.tables_updated, std::vector<std::string>{"public.users"});
  EXPECT_EQ(result.tables_removed, (std::vector<std::string>{"public.audit_entries", "public.orders", "public.payments",
                                                             "public.refunds", "public.shipments"}));

  const Document reread = ParseSchemaDocument(text, "gfm_variants.md");
  EXPECT_TRUE(reread.catalog.diagnostics.empty());
  ExpectAgrees(reread, schema, "users");
  ExpectAgrees(reread, schema, "teams");
  ASSERT_EQ(reread.catalog.FindTable("public", "users")->foreign_keys.size(), 1u);
  EXPECT_EQ(reread.catalog.FindTable("public", "users")->columns[0].comment, "surrogate key");

  // A second run has nothing to do.
  const SyncResult again = SyncSchemaDocument(text, "gfm_variants.md", schema, {});
  EXPECT_FALSE(again.changed) << UnifiedDiff(text, again.text, "a", "b");
  EXPECT_EQ(again.text, text);
}

TEST(DocsSync, RewritesBulletListsInTheirStyle) {
  const std::string original = ReadText(kFixtures / "bullets.md");
  const ir::Catalog schema = MakeSchema();
  const SyncResult result = SyncSchemaDocument(original, "bullets.md", schema, {});
  const std::string& text = result.text;
  EXPECT_NE(text.find("- id (integer, PK)\n"), std::string::npos) << text;  // agrees: kept as written
  EXPECT_NE(text.find("- email: character varying(320), unique, not null"), std::string::npos) << text;
  EXPECT_NE(text.find("- team_id (bigint, nullable) — the team | group\n\n## teams"), std::string::npos) << text;
  EXPECT_EQ(text.find("display_name"), std::string::npos) << text;
  EXPECT_NE(text.find("## teams"), std::string::npos) << text;
  const Document reread = ParseSchemaDocument(text, "bullets.md");
  ExpectAgrees(reread, schema, "users");
  ExpectAgrees(reread, schema, "teams");
  EXPECT_EQ(reread.catalog.FindTable("public", "teams")->columns[1].comment, "display name");
  const SyncResult again = SyncSchemaDocument(text, "bullets.md", schema, {});
  EXPECT_FALSE(again.changed) << UnifiedDiff(text, again.text, "a", "b");
}

TEST(DocsSync, FillsATableLikeSectionWithoutABodyAndKeepsNotesSections) {
  const std::string original = ReadText(kFixtures / "messy.md");
  ir::Catalog schema = MakeSchema();
  ir::Table daily;
  daily.schema = "public";
  daily.name = "daily_sales";
  daily.columns.push_back(MakeColumn("day", "date", false));
  schema.tables.push_back(daily);
  const SyncResult result = SyncSchemaDocument(original, "messy.md", schema, {});
  const std::string& text = result.text;
  // The prose under "## daily_sales" stays and the columns follow it.
  EXPECT_NE(text.find("`day date PK, revenue numeric`.\n\n| column | type |\n|---|---|\n| day | date |"),
            std::string::npos)
      << text;
  // Code fences, the HTML table and the duplicate section are left alone.
  EXPECT_NE(text.find("CREATE TABLE secret (id integer);"), std::string::npos);
  EXPECT_NE(text.find("<table>"), std::string::npos);
  EXPECT_NE(text.find("| id | bigint |"), std::string::npos);
  EXPECT_FALSE(result.notes.empty());
  EXPECT_EQ(SyncSchemaDocument(text, "messy.md", schema, {}).text, text);
}

TEST(DocsSync, NothingToDoLeavesTheBytesAlone) {
  const std::string original = "# Doc\r\n\r\n## users\r\n\r\n| column | type |\r\n|---|---|\r\n| id | integer |";
  ir::Catalog schema;
  ir::Table users;
  users.schema = "public";
  users.name = "users";
  users.columns.push_back(MakeColumn("id", "integer", false));
  schema.tables.push_back(users);
  const SyncResult result = SyncSchemaDocument(original, "crlf.md", schema, {});
  EXPECT_FALSE(result.changed);
  EXPECT_EQ(result.text, original);
  schema.tables[0].columns.push_back(MakeColumn("name", "text", true));
  const SyncResult changed = SyncSchemaDocument(original, "crlf.md", schema, {});
  EXPECT_EQ(changed.text,
            "# Doc\r\n\r\n## users\r\n\r\n| column | type |\r\n|---|---|\r\n| id | integer |\r\n| name | text |");
}

std::string WithNewlines(const std::string& text, const std::string& newline) {
  std::string out;
  for (const char c : text) out += c == '\n' ? newline : std::string(1, c);
  return out;
}

// A CR-only (old Mac) or CRLF document syncs to what its LF twin syncs to, in its own line
// endings, and a second run has nothing to do (issue #11: CR-only documents crashed, also
// the one sync had just written).
TEST(DocsSync, EveryLineEndingSyncsTheSame) {
  const ir::Catalog schema = MakeSchema();
  for (const std::string name : {"gfm_variants.md", "bullets.md", "messy.md", "sync_messy.md", "export_format.md"}) {
    const std::string original = ReadText(kFixtures / name);
    const SyncResult lf = SyncSchemaDocument(original, name, schema, {});
    for (const std::string newline : {"\r", "\r\n"}) {
      const SyncResult other = SyncSchemaDocument(WithNewlines(original, newline), name, schema, {});
      EXPECT_EQ(other.text, WithNewlines(lf.text, newline)) << name;
      const SyncResult again = SyncSchemaDocument(other.text, name, schema, {});
      EXPECT_FALSE(again.changed) << name << "\n" << UnifiedDiff(other.text, again.text, "a", "b");
    }
  }
}

// A line holding only "|" right above a table (issue #11: a crash) is prose; the table is
// synced and the line kept.
TEST(DocsSync, ALonePipeAboveATableIsKept) {
  const std::string original = "## teams\n\n|\n| Column | Type |\n|---|---|\n| id | bigint |\n";
  ir::Catalog schema = MakeSchema();
  schema.tables.erase(schema.tables.begin());  // teams only
  const SyncResult result = SyncSchemaDocument(original, "pipe.md", schema, {});
  EXPECT_EQ(result.text, "## teams\n\n|\n| Column | Type |\n|---|---|\n| id | bigint |\n| name | text |\n");
  EXPECT_FALSE(SyncSchemaDocument(result.text, "pipe.md", schema, {}).changed);
}

TEST(DocsSync, AByteOrderMarkIsKept) {
  const std::string original = "\xEF\xBB\xBF## teams\n\n| Column | Type |\n|---|---|\n| id | bigint |\n";
  ir::Catalog schema = MakeSchema();
  schema.tables.erase(schema.tables.begin());
  const SyncResult result = SyncSchemaDocument(original, "bom.md", schema, {});
  EXPECT_EQ(result.text, "\xEF\xBB\xBF## teams\n\n| Column | Type |\n|---|---|\n| id | bigint |\n| name | text |\n");
  EXPECT_TRUE(result.tables_removed.empty());
  EXPECT_TRUE(result.tables_added.empty());
}

TEST(DocsSync, AViewWithoutColumnsIsLeftAsWritten) {
  const std::string original = "### View `public.v`\n\n#### Definition\n\n```sql\n SELECT 1;\n```\n";
  ir::Catalog schema;
  ir::Table view;
  view.schema = "public";
  view.name = "v";
  view.kind = ir::TableKind::kView;
  schema.tables.push_back(view);
  const SyncResult result = SyncSchemaDocument(original, "v.md", schema, {});
  EXPECT_FALSE(result.changed) << result.text;
  EXPECT_EQ(SyncSchemaDocument(original, "v.md", ir::Catalog{}, {}).text, "");  // gone from the schema
}

TEST(DocsSync, IgnoredTablesAreLeftAsWritten) {
  const std::string original = "## alembic_version\n\n| column | type |\n|---|---|\n| version_num | text |\n";
  SyncOptions options;
  options.ignored_tables = {"alembic_version"};
  const SyncResult result = SyncSchemaDocument(original, "a.md", ir::Catalog{}, options);
  EXPECT_FALSE(result.changed);
  EXPECT_TRUE(SyncSchemaDocument(original, "a.md", ir::Catalog{}, {}).text.empty());
}

TEST(UnifiedDiff, HunksWithContext) {
  EXPECT_EQ(UnifiedDiff("a\nb\n", "a\nb\n", "old", "new"), "");
  EXPECT_EQ(UnifiedDiff("a\nb\nc\n", "a\nx\nc\n", "old", "new"), "--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n-b\n+x\n c\n");
  EXPECT_EQ(UnifiedDiff("", "a\n", "old", "new"), "--- old\n+++ new\n@@ -0,0 +1 @@\n+a\n");
  EXPECT_EQ(UnifiedDiff("a\n", "a", "old", "new"),
            "--- old\n+++ new\n@@ -1 +1 @@\n-a\n+a\n\\ No newline at end of file\n");
  // Two changes far apart make two hunks; near ones one.
  std::string before;
  for (int i = 1; i <= 20; ++i) before += std::to_string(i) + "\n";
  std::string after = before;
  after.replace(after.find("2\n"), 2, "two\n");
  after.replace(after.find("19\n"), 3, "nineteen\n");
  const std::string diff = UnifiedDiff(before, after, "old", "new");
  EXPECT_NE(diff.find("@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n 4\n 5\n"), std::string::npos) << diff;
  EXPECT_NE(diff.find("@@ -16,5 +16,5 @@\n 16\n 17\n 18\n-19\n+nineteen\n 20\n"), std::string::npos) << diff;
  const std::string near = UnifiedDiff("1\n2\n3\n4\n5\n", "1\nx\n3\n4\ny\n", "old", "new");
  EXPECT_EQ(near, "--- old\n+++ new\n@@ -1,5 +1,5 @@\n 1\n-2\n+x\n 3\n 4\n-5\n+y\n");
}

}  // namespace
}  // namespace dbaudit::docs

// RenderConstraintsGap: layout, counts, empty sections, cell escaping and sort order.
#include "reports/constraints_gap.hpp"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace dbaudit::reports {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

ir::Location File(const std::string& file, std::uint32_t line) {
  ir::Location location;
  location.file = file;
  location.line = line;
  location.column = 7;
  return location;
}

ir::Location Object(const std::string& object) {
  ir::Location location;
  location.object = object;
  return location;
}

GapEntry Entry(GapKind kind, std::string table, std::string name, std::string definition) {
  GapEntry entry;
  entry.kind = kind;
  entry.table = std::move(table);
  entry.name = std::move(name);
  entry.definition = std::move(definition);
  return entry;
}

ConstraintsGap SampleGap() {
  ConstraintsGap gap;
  gap.models_source = "3 Python files";
  gap.schema_source = "postgresql://app@db/shop";
  GapEntry slug = Entry(GapKind::kUnique, "categories", "", "UNIQUE (slug)");
  slug.model_location = File("app/models/catalog.py", 19);
  GapEntry check = Entry(GapKind::kCheck, "products", "ck_stock", "CHECK (stock >= 0)");
  check.model_location = File("app/models/catalog.py", 31);
  gap.only_in_models = {check, slug};
  GapEntry index = Entry(GapKind::kIndex, "products", "ix_products_created_at", "INDEX (created_at)");
  index.database_location = Object("postgresql://app@db/shop#public.products.ix_products_created_at");
  gap.only_in_database = {index};
  ForeignKeyWithoutIndex key;
  key.table = "payments";
  key.name = "payments_order_id_fkey";
  key.definition = "FOREIGN KEY (order_id) REFERENCES public.orders (id)";
  key.index_sql = "CREATE INDEX CONCURRENTLY IF NOT EXISTS payments_order_id_idx ON public.payments (order_id);";
  key.database_location = Object("postgresql://app@db/shop#public.payments.payments_order_id_fkey");
  key.model_location = File("app/models/order.py", 59);
  gap.foreign_keys_without_index = {key};
  gap.notes = {"a note | with a pipe"};
  SortConstraintsGap(gap);
  return gap;
}

TEST(RenderConstraintsGap, SourcesAndCounts) {
  const std::string markdown = RenderConstraintsGap(SampleGap());
  EXPECT_THAT(markdown, HasSubstr("# Constraints gap\n"));
  EXPECT_THAT(markdown, HasSubstr("- Models: 3 Python files\n- Schema: postgresql://app@db/shop\n"));
  EXPECT_THAT(markdown, HasSubstr("| Unique constraints | 1 | 0 |\n"));
  EXPECT_THAT(markdown, HasSubstr("| Indexes | 0 | 1 |\n"));
  EXPECT_THAT(markdown, HasSubstr("| Check constraints | 1 | 0 |\n"));
  EXPECT_THAT(markdown, HasSubstr("| Foreign keys | 0 | 0 |\n"));
  EXPECT_THAT(markdown, HasSubstr("| **Total** | 2 | 1 |\n"));
  EXPECT_THAT(markdown, HasSubstr("Foreign keys without a supporting index: 1. Not compared: 1.\n"));
}

TEST(RenderConstraintsGap, SectionsInOrderWithTablesOrNone) {
  const std::string markdown = RenderConstraintsGap(SampleGap());
  const auto models = markdown.find("## Declared in the models, missing in the database");
  const auto database = markdown.find("## In the database, not declared in the models");
  const auto keys = markdown.find("## Foreign keys without a supporting index");
  const auto notes = markdown.find("## Not compared");
  ASSERT_NE(models, std::string::npos);
  ASSERT_NE(database, std::string::npos);
  ASSERT_NE(keys, std::string::npos);
  ASSERT_NE(notes, std::string::npos);
  EXPECT_LT(models, database);
  EXPECT_LT(database, keys);
  EXPECT_LT(keys, notes);
  // Unique constraints come before check constraints in the models' section.
  const std::string models_part = markdown.substr(models, database - models);
  EXPECT_LT(models_part.find("### Unique constraints"), models_part.find("### Indexes"));
  EXPECT_LT(models_part.find("### Indexes"), models_part.find("### Check constraints"));
  EXPECT_LT(models_part.find("### Check constraints"), models_part.find("### Foreign keys"));
  EXPECT_THAT(models_part, HasSubstr("### Indexes\n\nNone.\n"));
  EXPECT_THAT(models_part, HasSubstr("### Foreign keys\n\nNone.\n"));
  EXPECT_THAT(models_part, HasSubstr("| categories | - | `UNIQUE (slug)` | app/models/catalog.py:19 | - |\n"));
  EXPECT_THAT(models_part,
              HasSubstr("| products | ck_stock | `CHECK (stock >= 0)` | app/models/catalog.py:31 | - |\n"));
  const std::string database_part = markdown.substr(database, keys - database);
  EXPECT_THAT(database_part, HasSubstr("| products | ix_products_created_at | `INDEX (created_at)` | - | "
                                       "postgresql://app@db/shop#public.products.ix_products_created_at |\n"));
  EXPECT_THAT(database_part, HasSubstr("### Unique constraints\n\nNone.\n"));
}

TEST(RenderConstraintsGap, ForeignKeysWithTheirIndexSql) {
  const std::string markdown = RenderConstraintsGap(SampleGap());
  EXPECT_THAT(markdown, HasSubstr("| payments | payments_order_id_fkey | `FOREIGN KEY (order_id) REFERENCES "
                                  "public.orders (id)` | app/models/order.py:59 | "
                                  "postgresql://app@db/shop#public.payments.payments_order_id_fkey |\n"));
  EXPECT_THAT(markdown, HasSubstr("```sql\nCREATE INDEX CONCURRENTLY IF NOT EXISTS payments_order_id_idx ON "
                                  "public.payments (order_id);\n```\n"));
}

TEST(RenderConstraintsGap, NotesAreEscapedListItems) {
  const std::string markdown = RenderConstraintsGap(SampleGap());
  EXPECT_THAT(markdown, HasSubstr("## Not compared\n\n- a note | with a pipe\n"));
}

TEST(RenderConstraintsGap, CellsEscapePipesAndLineBreaks) {
  ConstraintsGap gap;
  GapEntry entry = Entry(GapKind::kCheck, "t", "c", "CHECK ((a || b) <> ''\n)");
  gap.only_in_database = {entry};
  const std::string markdown = RenderConstraintsGap(gap);
  EXPECT_THAT(markdown, HasSubstr("`CHECK ((a \\|\\| b) <> '' )`"));
}

TEST(RenderConstraintsGap, EmptyGapSaysNoneEverywhere) {
  const std::string markdown = RenderConstraintsGap(ConstraintsGap{});
  EXPECT_THAT(markdown, HasSubstr("- Models: none\n- Schema: none\n"));
  EXPECT_THAT(markdown, HasSubstr("## Foreign keys without a supporting index\n\nNone.\n"));
  EXPECT_THAT(markdown, HasSubstr("## Not compared\n\nNone.\n"));
  EXPECT_THAT(markdown, Not(HasSubstr("```sql")));
  EXPECT_THAT(markdown, Not(HasSubstr("| Table |")));
}

TEST(SortConstraintsGap, ByTableThenKindThenDefinition) {
  ConstraintsGap gap;
  gap.only_in_models = {Entry(GapKind::kIndex, "b", "", "INDEX (x)"), Entry(GapKind::kCheck, "a", "", "CHECK (z)"),
                        Entry(GapKind::kUnique, "a", "", "UNIQUE (y)"), Entry(GapKind::kUnique, "a", "", "UNIQUE (b)")};
  gap.notes = {"z", "a"};
  SortConstraintsGap(gap);
  ASSERT_EQ(gap.only_in_models.size(), 4u);
  EXPECT_EQ(gap.only_in_models[0].definition, "UNIQUE (b)");
  EXPECT_EQ(gap.only_in_models[1].definition, "UNIQUE (y)");
  EXPECT_EQ(gap.only_in_models[2].definition, "CHECK (z)");
  EXPECT_EQ(gap.only_in_models[3].definition, "INDEX (x)");
  EXPECT_EQ(gap.notes.front(), "a");
}

TEST(RenderConstraintsGap, IsDeterministic) {
  EXPECT_EQ(RenderConstraintsGap(SampleGap()), RenderConstraintsGap(SampleGap()));
}

}  // namespace
}  // namespace dbaudit::reports

// The supporting-index predicate (rules/schema/index_support) and the
// schema-foreign-key-without-index rule on hand-made catalogs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "rules/rule.hpp"
#include "rules/schema/index_support.hpp"
#include "tests/unit/rules/catalog_builders.hpp"

namespace dbaudit::rules {
namespace {

using testing::Col;
using testing::Database;
using testing::Fk;
using ::testing::HasSubstr;
using testing::Idx;
using testing::MakeTable;
using testing::Models;
using testing::WithPk;

ir::Table Orders() {
  return WithPk(MakeTable("orders", {Col("id", "integer"), Col("user_id", "integer"), Col("region", "text"),
                                     Col("created_at", "timestamp with time zone")}),
                {"id"}, "orders_pkey");
}

TEST(FindSupportingIndex, LeadingColumnsInAnyOrder) {
  ir::Table table = Orders();
  table.indexes = {Idx("orders_region_user_id_created_idx", {"region", "user_id", "created_at"})};
  const auto both = FindSupportingIndex(table, {"user_id", "region"});
  ASSERT_TRUE(both);
  EXPECT_EQ(both->name, "orders_region_user_id_created_idx");
  EXPECT_EQ(both->kind, "index");
  EXPECT_TRUE(FindSupportingIndex(table, {"region"}));
  // user_id is second: an index on (region, ...) does not serve lookups on user_id alone.
  EXPECT_FALSE(FindSupportingIndex(table, {"user_id"}));
  EXPECT_FALSE(FindSupportingIndex(table, {"user_id", "created_at"}));
}

TEST(FindSupportingIndex, PrimaryKeyAndUniqueConstraintsCount) {
  ir::Table table = WithPk(MakeTable("tags", {Col("post_id", "integer"), Col("tag_id", "integer")}),
                           {"post_id", "tag_id"}, "tags_pkey");
  const auto primary = FindSupportingIndex(table, {"post_id"});
  ASSERT_TRUE(primary);
  EXPECT_EQ(primary->kind, "primary key");
  EXPECT_EQ(primary->name, "tags_pkey");
  EXPECT_FALSE(FindSupportingIndex(table, {"tag_id"}));
  table.unique_constraints.push_back({"tags_tag_id_post_id_key", {"tag_id", "post_id"}, {}});
  const auto unique = FindSupportingIndex(table, {"tag_id"});
  ASSERT_TRUE(unique);
  EXPECT_EQ(unique->kind, "unique constraint");
}

TEST(FindSupportingIndex, PartialExpressionAndNonBtreeIndexesDoNot) {
  ir::Table table = Orders();
  ir::Index partial = Idx("partial_idx", {"user_id"});
  partial.predicate = "(user_id IS NOT NULL)";
  ir::Index expression = Idx("expression_idx", {"(user_id + 0)", "user_id"});
  ir::Index gin = Idx("gin_idx", {"user_id"});
  gin.method = "gin";
  table.indexes = {partial, expression, gin};
  EXPECT_FALSE(FindSupportingIndex(table, {"user_id"}));
}

TEST(FindSupportingIndex, HashServesOneColumnOnly) {
  ir::Table table = Orders();
  ir::Index hash = Idx("hash_idx", {"user_id"});
  hash.method = "hash";
  table.indexes = {hash};
  EXPECT_TRUE(FindSupportingIndex(table, {"user_id"}));
  EXPECT_FALSE(FindSupportingIndex(table, {"user_id", "region"}));
  // A unique index that no constraint owns is an index like the others.
  table.indexes = {Idx("orders_user_id_region_key", {"user_id", "region"}, /*unique=*/true)};
  EXPECT_TRUE(FindSupportingIndex(table, {"region", "user_id"}));
}

TEST(ForeignKeysWithoutIndex, SortedSkipsIgnoredAndViews) {
  ir::Table payments = WithPk(MakeTable("payments", {Col("id", "integer"), Col("order_id", "integer")}), {"id"});
  payments.foreign_keys = {Fk({"order_id"}, "orders", {"id"}, "payments_order_id_fkey")};
  ir::Table orders = Orders();
  orders.foreign_keys = {Fk({"user_id"}, "users", {"id"}, "orders_user_id_fkey")};
  ir::Table view = MakeTable("order_view", {Col("user_id", "integer")});
  view.kind = ir::TableKind::kView;
  view.foreign_keys = {Fk({"user_id"}, "users", {"id"}, "not_a_real_key")};
  const ir::Catalog schema = Database({payments, view, orders});
  const auto all = ForeignKeysWithoutIndex(schema);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].table->name, "orders");
  EXPECT_EQ(all[1].table->name, "payments");
  const auto some = ForeignKeysWithoutIndex(schema, {"public.orders"});
  ASSERT_EQ(some.size(), 1u);
  EXPECT_EQ(some[0].key->name, "payments_order_id_fkey");
  EXPECT_TRUE(ForeignKeysWithoutIndex(schema, {"orders", "payments"}).empty());
}

TEST(SupportingIndexSql, QuotesAndNamesAsPostgresWould) {
  ir::Table table = MakeTable("Order Lines", {Col("order_id", "integer"), Col("Region", "text")}, "sales");
  const ir::ForeignKey key = Fk({"order_id", "Region"}, "orders", {"id", "region"});
  EXPECT_EQ(SupportingIndexName(table, key), "Order Lines_order_id_Region_idx");
  EXPECT_EQ(SupportingIndexSql(table, key),
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS \"Order Lines_order_id_Region_idx\" ON sales.\"Order Lines\" "
            "(order_id, \"Region\");");
}

std::vector<ir::Finding> RunRule(const Facts& facts) {
  for (const auto& rule : MakeAllRules()) {
    if (rule->Info().id != "schema-foreign-key-without-index") continue;
    EXPECT_EQ(rule->Info().default_severity, ir::Severity::kWarning);
    FindingSink sink;
    rule->Check(facts, sink);
    return sink.findings();
  }
  ADD_FAILURE() << "rule not registered";
  return {};
}

class SchemaForeignKeyWithoutIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ir::Table model_payments =
        WithPk(MakeTable("payments", {Col("id", "integer"), Col("order_id", "integer")}), {"id"});
    ir::ForeignKey declared = Fk({"order_id"}, "orders", {"id"});
    declared.location = testing::ModelAt("app/models.py", 42);
    model_payments.foreign_keys = {declared};
    models_ = Models({model_payments, Orders()});

    ir::Table payments = WithPk(
        MakeTable("payments", {Col("id", "integer"), Col("order_id", "integer"), Col("user_id", "integer")}), {"id"});
    ir::ForeignKey order_key = Fk({"order_id"}, "orders", {"id"}, "payments_order_id_fkey");
    order_key.location = testing::DbObject("public.payments.payments_order_id_fkey");
    ir::ForeignKey user_key = Fk({"user_id"}, "users", {"id"}, "payments_user_id_fkey");
    user_key.location = testing::DbObject("public.payments.payments_user_id_fkey");
    payments.foreign_keys = {order_key, user_key};
    ir::Table orders = Orders();
    orders.foreign_keys = {Fk({"user_id"}, "users", {"id"}, "orders_user_id_fkey")};
    orders.indexes = {Idx("ix_orders_user_id", {"user_id"})};
    schema_ = Database({payments, orders});
    diff_ = CompareCatalogs(models_, schema_, {});
  }

  ir::Catalog models_;
  ir::Catalog schema_;
  CatalogDiff diff_;
};

TEST_F(SchemaForeignKeyWithoutIndexTest, FiresOnUnindexedKeysWithTheModelAsRelated) {
  Facts facts;
  facts.schema = &schema_;
  facts.models = &models_;
  facts.model_diff = &diff_;
  const auto findings = RunRule(facts);
  ASSERT_EQ(findings.size(), 2u);  // orders.user_id is indexed
  const ir::Finding& order = findings[0];
  EXPECT_EQ(order.location.object, "schema.sql#public.payments.payments_order_id_fkey");
  ASSERT_EQ(order.related.size(), 1u);
  EXPECT_EQ(order.related[0].location.file, "app/models.py");
  EXPECT_EQ(order.related[0].location.line, 42u);
  EXPECT_EQ(order.subject, (ir::Subject{"public", "payments", {"order_id"}, "payments_order_id_fkey"}));
  EXPECT_THAT(order.message, HasSubstr("payments_order_id_fkey"));
  EXPECT_THAT(order.message, HasSubstr("every DELETE on orders"));
  EXPECT_THAT(order.message, HasSubstr("scans payments"));
  ASSERT_TRUE(order.fix);
  EXPECT_EQ(order.fix->sql,
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS payments_order_id_idx ON public.payments (order_id);");
  // The models do not declare payments.user_id's key: no related location.
  const ir::Finding& user = findings[1];
  EXPECT_EQ(user.subject.constraint, "payments_user_id_fkey");
  EXPECT_TRUE(user.related.empty());
}

TEST_F(SchemaForeignKeyWithoutIndexTest, NeedsOnlyTheSchema) {
  Facts facts;
  facts.schema = &schema_;
  EXPECT_EQ(RunRule(facts).size(), 2u);
  EXPECT_TRUE(RunRule(Facts{}).empty());
}

TEST_F(SchemaForeignKeyWithoutIndexTest, SilentOnceIndexed) {
  schema_.tables[0].indexes = {Idx("payments_order_id_user_id_idx", {"order_id", "user_id"}),
                               Idx("payments_user_id_idx", {"user_id"})};
  Facts facts;
  facts.schema = &schema_;
  EXPECT_TRUE(RunRule(facts).empty());
}

}  // namespace
}  // namespace dbaudit::rules

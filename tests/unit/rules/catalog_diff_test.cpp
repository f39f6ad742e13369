#include "rules/compare/catalog_diff.hpp"

#include <gtest/gtest.h>

#include "tests/unit/rules/catalog_builders.hpp"

namespace dbaudit::rules {
namespace {

using testing::Col;
using testing::Database;
using testing::Fk;
using testing::Idx;
using testing::MakeTable;
using testing::Models;
using testing::WithPk;

std::vector<std::string> Names(const std::vector<const ir::Table*>& tables) {
  std::vector<std::string> names;
  for (const auto* table : tables) names.push_back(table->QualifiedName());
  return names;
}

// A diff with no difference of any kind (rename hints included).
void ExpectNoDifferences(const CatalogDiff& diff) {
  EXPECT_TRUE(diff.tables_only_left.empty());
  EXPECT_TRUE(diff.tables_only_right.empty());
  EXPECT_TRUE(diff.columns_only_left.empty());
  EXPECT_TRUE(diff.columns_only_right.empty());
  EXPECT_TRUE(diff.type_mismatches.empty());
  EXPECT_TRUE(diff.nullable_mismatches.empty());
  EXPECT_TRUE(diff.default_mismatches.empty());
  EXPECT_TRUE(diff.primary_key_mismatches.empty());
  EXPECT_TRUE(diff.foreign_keys_only_left.empty());
  EXPECT_TRUE(diff.foreign_keys_only_right.empty());
  EXPECT_TRUE(diff.foreign_key_action_mismatches.empty());
  EXPECT_TRUE(diff.uniques_only_left.empty());
  EXPECT_TRUE(diff.uniques_only_right.empty());
  EXPECT_TRUE(diff.indexes_only_left.empty());
  EXPECT_TRUE(diff.indexes_only_right.empty());
  EXPECT_TRUE(diff.enum_mismatches.empty());
  EXPECT_TRUE(diff.enums_only_left.empty());
}

TEST(TypesCompatible, UnspecifiedModifiersOnTheModelSideMatchAny) {
  EXPECT_TRUE(TypesCompatible("character varying", "character varying(255)"));
  EXPECT_TRUE(TypesCompatible("numeric", "numeric(10,2)"));
  EXPECT_TRUE(TypesCompatible("timestamp without time zone", "timestamp(3) without time zone"));
  EXPECT_TRUE(TypesCompatible("character varying[]", "character varying(20)[]"));
}

TEST(TypesCompatible, SpecifiedModifiersMustAgree) {
  EXPECT_FALSE(TypesCompatible("character varying(120)", "character varying(255)"));
  EXPECT_FALSE(TypesCompatible("numeric(12,2)", "numeric(10,2)"));
  // The model says 255, the database allows any length: a real difference.
  EXPECT_FALSE(TypesCompatible("character varying(255)", "character varying"));
  EXPECT_TRUE(TypesCompatible("numeric(10, 2)", "numeric(10,2)"));
}

TEST(TypesCompatible, BaseTypesMustAgree) {
  EXPECT_FALSE(TypesCompatible("integer", "bigint"));
  EXPECT_FALSE(TypesCompatible("timestamp without time zone", "timestamp with time zone"));
  EXPECT_FALSE(TypesCompatible("integer", "integer[]"));
  EXPECT_FALSE(TypesCompatible("public.mood", "public.status"));
  EXPECT_TRUE(TypesCompatible("public.mood", "public.mood"));
  EXPECT_TRUE(TypesCompatible("", "integer"));  // unknown says nothing
}

TEST(Levenshtein, CountsEdits) {
  EXPECT_EQ(LevenshteinDistance("email", "email"), 0u);
  EXPECT_EQ(LevenshteinDistance("email", "e_mail"), 1u);
  EXPECT_EQ(LevenshteinDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(LevenshteinDistance("", "abc"), 3u);
}

TEST(CompareCatalogs, TablesOnlyOnOneSideInSortedOrder) {
  const auto left = Models({MakeTable("zeta", {Col("id", "integer")}), MakeTable("users", {Col("id", "integer")}),
                            MakeTable("alpha", {Col("id", "integer")})});
  const auto right = Database({MakeTable("users", {Col("id", "integer")}), MakeTable("orders", {Col("id", "integer")}),
                               MakeTable("events", {Col("id", "integer")}, "audit")});
  const auto diff = CompareCatalogs(left, right, {});
  EXPECT_EQ(Names(diff.tables_only_left), (std::vector<std::string>{"public.alpha", "public.zeta"}));
  EXPECT_EQ(Names(diff.tables_only_right), (std::vector<std::string>{"audit.events", "public.orders"}));
  ASSERT_EQ(diff.matched_tables.size(), 1u);
  EXPECT_EQ(diff.matched_tables[0].left->name, "users");
  EXPECT_EQ(diff.matched_tables[0].right, right.FindTable("public", "users"));
}

TEST(CompareCatalogs, SameNameInAnotherSchemaDoesNotMatch) {
  const auto left = Models({MakeTable("users", {Col("id", "integer")})});
  const auto right = Database({MakeTable("users", {Col("id", "integer")}, "legacy")});
  const auto diff = CompareCatalogs(left, right, {});
  EXPECT_EQ(Names(diff.tables_only_left), (std::vector<std::string>{"public.users"}));
  EXPECT_EQ(Names(diff.tables_only_right), (std::vector<std::string>{"legacy.users"}));
}

TEST(CompareCatalogs, IgnoredTablesOnTheRightAreSkipped) {
  const auto left = Models({MakeTable("users", {Col("id", "integer")})});
  const auto right = Database({MakeTable("users", {Col("id", "integer")}),
                               MakeTable("alembic_version", {Col("version_num", "character varying(32)")}),
                               MakeTable("spatial_ref_sys", {Col("srid", "integer")})});
  CompareOptions options;
  options.ignored_tables = {"alembic_version", "public.spatial_ref_sys"};
  const auto diff = CompareCatalogs(left, right, options);
  EXPECT_TRUE(diff.tables_only_right.empty());
  const auto unfiltered = CompareCatalogs(left, right, {});
  EXPECT_EQ(unfiltered.tables_only_right.size(), 2u);
}

TEST(CompareCatalogs, UnmappedViewsAreNotMissingModels) {
  auto view = MakeTable("active_users", {Col("id", "integer")});
  view.kind = ir::TableKind::kView;
  auto matview = MakeTable("daily_totals", {Col("day", "date")});
  matview.kind = ir::TableKind::kMaterializedView;
  const auto diff = CompareCatalogs(Models({}), Database({view, matview}), {});
  EXPECT_TRUE(diff.tables_only_right.empty());
}

TEST(CompareCatalogs, MappedViewComparesColumnNamesOnly) {
  auto view = MakeTable("active_users", {Col("id", "bigint", true), Col("email", "text", true)});
  view.kind = ir::TableKind::kView;
  const auto left = Models({MakeTable("active_users", {Col("id", "integer", false), Col("name", "text", false)})});
  const auto diff = CompareCatalogs(left, Database({view}), {});
  ASSERT_EQ(diff.columns_only_left.size(), 1u);
  EXPECT_EQ(diff.columns_only_left[0].left->name, "name");
  ASSERT_EQ(diff.columns_only_right.size(), 1u);
  EXPECT_EQ(diff.columns_only_right[0].right->name, "email");
  EXPECT_TRUE(diff.type_mismatches.empty());
  EXPECT_TRUE(diff.nullable_mismatches.empty());
  EXPECT_TRUE(diff.primary_key_mismatches.empty());
}

TEST(CompareCatalogs, ViewFromADumpWithoutColumnsReportsNoColumns) {
  auto view = MakeTable("active_users", {});
  view.kind = ir::TableKind::kView;
  const auto left = Models({MakeTable("active_users", {Col("id", "integer")})});
  const auto diff = CompareCatalogs(left, Database({view}), {});
  EXPECT_EQ(diff.matched_tables.size(), 1u);
  EXPECT_TRUE(diff.columns_only_left.empty());
}

TEST(CompareCatalogs, ColumnsOnlyOnOneSideInTableThenColumnOrder) {
  const auto left = Models({MakeTable("b", {Col("id", "integer"), Col("x", "text")}),
                            MakeTable("a", {Col("id", "integer"), Col("q", "text"), Col("p", "text")})});
  const auto right = Database({MakeTable("a", {Col("id", "integer"), Col("r", "boolean")}),
                               MakeTable("b", {Col("id", "integer"), Col("y", "boolean")})});
  const auto diff = CompareCatalogs(left, right, {});
  ASSERT_EQ(diff.columns_only_left.size(), 3u);
  EXPECT_EQ(diff.columns_only_left[0].left_table->name, "a");
  EXPECT_EQ(diff.columns_only_left[0].left->name, "q");
  EXPECT_EQ(diff.columns_only_left[1].left->name, "p");
  EXPECT_EQ(diff.columns_only_left[2].left->name, "x");
  EXPECT_EQ(diff.columns_only_left[0].right, nullptr);
  ASSERT_EQ(diff.columns_only_right.size(), 2u);
  EXPECT_EQ(diff.columns_only_right[0].right->name, "r");
  EXPECT_EQ(diff.columns_only_right[0].left, nullptr);
  EXPECT_NE(diff.columns_only_right[0].left_table, nullptr);
  EXPECT_EQ(diff.columns_only_right[1].right->name, "y");
}

TEST(CompareCatalogs, TypeMismatchOnlyWhenSpecifiedTypesDiffer) {
  const auto left =
      Models({MakeTable("users", {Col("email", "character varying(120)"), Col("name", "character varying"),
                                  Col("bio", ""), Col("age", "integer")})});
  const auto right =
      Database({MakeTable("users", {Col("email", "character varying(255)"), Col("name", "character varying(255)"),
                                    Col("bio", "text"), Col("age", "bigint")})});
  const auto diff = CompareCatalogs(left, right, {});
  ASSERT_EQ(diff.type_mismatches.size(), 2u);
  EXPECT_EQ(diff.type_mismatches[0].left->name, "email");
  EXPECT_EQ(diff.type_mismatches[0].right->type, "character varying(255)");
  EXPECT_EQ(diff.type_mismatches[1].left->name, "age");
}

TEST(CompareCatalogs, SerialPrimaryKeyMatchesAnAutoincrementModel) {
  auto model_id = Col("id", "integer", false);
  model_id.autoincrement = true;
  auto db_id = Col("id", "integer", false);
  db_id.server_default = "nextval('public.users_id_seq'::regclass)";
  auto identity_id = Col("id", "bigint", false);
  identity_id.identity = ir::IdentityKind::kByDefault;
  auto model_big_id = Col("id", "bigint", false);
  model_big_id.autoincrement = true;
  model_big_id.server_default = "Identity()";  // never compared against an identity column
  const auto left =
      Models({WithPk(MakeTable("users", {model_id}), {"id"}), WithPk(MakeTable("events", {model_big_id}), {"id"})});
  const auto right = Database({WithPk(MakeTable("users", {db_id}), {"id"}, "users_pkey"),
                               WithPk(MakeTable("events", {identity_id}), {"id"}, "events_pkey")});
  ExpectNoDifferences(CompareCatalogs(left, right, {}));
}

TEST(CompareCatalogs, NullableMismatchNeedsBothSidesKnown) {
  const auto left = Models(
      {MakeTable("users", {Col("email", "text", true), Col("name", "text", std::nullopt), Col("bio", "text", false)})});
  const auto right = Database(
      {MakeTable("users", {Col("email", "text", false), Col("name", "text", false), Col("bio", "text", false)})});
  const auto diff = CompareCatalogs(left, right, {});
  ASSERT_EQ(diff.nullable_mismatches.size(), 1u);
  EXPECT_EQ(diff.nullable_mismatches[0].left->name, "email");
}

TEST(CompareCatalogs, ServerDefaults) {
  auto created_model = Col("created_at", "timestamp with time zone");
  created_model.server_default = "now()";
  auto created_db = Col("created_at", "timestamp with time zone");
  created_db.server_default = "CURRENT_TIMESTAMP";
  auto status_model = Col("status", "character varying(20)");
  status_model.server_default = "'active'";
  auto status_db = Col("status", "character varying(20)");
  status_db.server_default = "'active'::character varying";
  auto kind_model = Col("kind", "text");
  kind_model.server_default = "'a'";
  auto kind_db = Col("kind", "text");
  kind_db.server_default = "'b'::text";
  auto missing_model = Col("score", "integer");
  missing_model.server_default = "0";
  auto db_only_default = Col("flag", "boolean");
  db_only_default.server_default = "false";
  const auto left =
      Models({MakeTable("t", {created_model, status_model, kind_model, missing_model, Col("flag", "boolean")})});
  const auto right =
      Database({MakeTable("t", {created_db, status_db, kind_db, Col("score", "integer"), db_only_default})});
  const auto diff = CompareCatalogs(left, right, {});
  ASSERT_EQ(diff.default_mismatches.size(), 2u);
  EXPECT_EQ(diff.default_mismatches[0].left->name, "kind");
  EXPECT_EQ(diff.default_mismatches[1].left->name, "score");
  EXPECT_FALSE(diff.default_mismatches[1].right->server_default.has_value());
}

TEST(CompareCatalogs, QuotedLiteralDefaultIsCoercedToTheColumnType) {
  // server_default="0" reaches the database as DEFAULT '0', which PostgreSQL stores as 0.
  auto stock_model = Col("stock", "integer");
  stock_model.server_default = "'0'";
  auto stock_db = Col("stock", "integer");
  stock_db.server_default = "0";
  auto active_model = Col("active", "boolean");
  active_model.server_default = "'true'";
  auto active_db = Col("active", "boolean");
  active_db.server_default = "true";
  auto limit_model = Col("quota", "integer");
  limit_model.server_default = "'10'";
  auto limit_db = Col("quota", "integer");
  limit_db.server_default = "5";
  const auto left = Models({MakeTable("t", {stock_model, active_model, limit_model})});
  const auto right = Database({MakeTable("t", {stock_db, active_db, limit_db})});
  const auto diff = CompareCatalogs(left, right, {});
  ASSERT_EQ(diff.default_mismatches.size(), 1u);
  EXPECT_EQ(diff.default_mismatches[0].left->name, "quota");
}

TEST(CompareCatalogs, PrimaryKeySetsCompareAsSets) {
  const auto cols = std::vector<ir::Column>{Col("a", "integer"), Col("b", "integer")};
  const auto left = Models({WithPk(MakeTable("same", cols), {"a", "b"}), WithPk(MakeTable("diff", cols), {"a"}),
                            WithPk(MakeTable("none_db", cols), {"a"}), MakeTable("none_both", cols)});
  const auto right = Database({WithPk(MakeTable("same", cols), {"b", "a"}), WithPk(MakeTable("diff", cols), {"a", "b"}),
                               MakeTable("none_db", cols), MakeTable("none_both", cols)});
  const auto diff = CompareCatalogs(left, right, {});
  ASSERT_EQ(diff.primary_key_mismatches.size(), 2u);
  EXPECT_EQ(diff.primary_key_mismatches[0].left->name, "diff");
  EXPECT_EQ(diff.primary_key_mismatches[1].left->name, "none_db");
}

TEST(CompareCatalogs, ForeignKeysMatchIgnoringNamesAndUnspecifiedIsNoAction) {
  auto left_orders = MakeTable("orders", {Col("id", "integer"), Col("user_id", "integer"), Col("shop_id", "integer"),
                                          Col("coupon_id", "integer")});
  left_orders.foreign_keys = {Fk({"user_id"}, "users", {"id"}), Fk({"shop_id"}, "shops", {"id"}),
                              Fk({"coupon_id"}, "coupons", {"id"})};
  left_orders.foreign_keys[1].on_delete = ir::ReferentialAction::kCascade;
  auto right_orders = left_orders;
  right_orders.foreign_keys = {Fk({"user_id"}, "users", {"id"}, "orders_user_id_fkey"),
                               Fk({"shop_id"}, "shops", {"id"}, "orders_shop_id_fkey"),
                               Fk({"id"}, "ledger", {"order_id"}, "orders_ledger_fkey")};
  right_orders.foreign_keys[0].on_delete = ir::ReferentialAction::kNoAction;
  right_orders.foreign_keys[0].on_update = ir::ReferentialAction::kNoAction;
  right_orders.foreign_keys[1].on_delete = ir::ReferentialAction::kSetNull;
  const auto left = Models({left_orders});
  const auto right = Database({right_orders});
  const auto diff = CompareCatalogs(left, right, {});
  ASSERT_EQ(diff.foreign_keys_only_left.size(), 1u);
  EXPECT_EQ(diff.foreign_keys_only_left[0].left->referenced_table, "coupons");
  EXPECT_EQ(diff.foreign_keys_only_left[0].right, nullptr);
  ASSERT_EQ(diff.foreign_keys_only_right.size(), 1u);
  EXPECT_EQ(diff.foreign_keys_only_right[0].right->name, "orders_ledger_fkey");
  ASSERT_EQ(diff.foreign_key_action_mismatches.size(), 1u);
  EXPECT_EQ(diff.foreign_key_action_mismatches[0].left->referenced_table, "shops");
  EXPECT_EQ(diff.foreign_key_action_mismatches[0].right->name, "orders_shop_id_fkey");
}

TEST(CompareCatalogs, ForeignKeyWithEmptyReferencedSchemaMeansTheTablesSchema) {
  auto left_table = MakeTable("orders", {Col("user_id", "integer")});
  left_table.foreign_keys = {Fk({"user_id"}, "users", {"id"})};
  left_table.foreign_keys[0].referenced_schema.clear();
  auto right_table = MakeTable("orders", {Col("user_id", "integer")});
  right_table.foreign_keys = {Fk({"user_id"}, "users", {"id"}, "fk")};
  const auto diff = CompareCatalogs(Models({left_table}), Database({right_table}), {});
  EXPECT_TRUE(diff.foreign_keys_only_left.empty());
  EXPECT_TRUE(diff.foreign_keys_only_right.empty());
}

TEST(CompareCatalogs, UniqueSetsAreEnforcedByConstraintsOrNonPartialUniqueIndexes) {
  const auto cols = std::vector<ir::Column>{Col("id", "integer"), Col("email", "text"), Col("slug", "text"),
                                            Col("code", "text"),  Col("a", "text"),     Col("b", "text")};
  auto left_table = WithPk(MakeTable("users", cols), {"id"});
  left_table.unique_constraints = {{"", {"email"}, {}}, {"", {"slug"}, {}}, {"", {"code"}, {}}, {"", {"b", "a"}, {}}};
  auto right_table = WithPk(MakeTable("users", cols), {"id"}, "users_pkey");
  right_table.indexes = {Idx("users_email_idx", {"email"}, true), Idx("users_slug_live", {"slug"}, true)};
  right_table.indexes[1].predicate = "(deleted_at IS NULL)";
  right_table.unique_constraints = {{"users_a_b_key", {"a", "b"}, {}}, {"users_id_key", {"id"}, {}}};
  const auto diff = CompareCatalogs(Models({left_table}), Database({right_table}), {});
  // email: a unique index enforces it; (b, a) == (a, b) as sets; slug: only a partial index.
  ASSERT_EQ(diff.uniques_only_left.size(), 2u);
  EXPECT_EQ(diff.uniques_only_left[0].columns, (std::vector<std::string>{"slug"}));
  EXPECT_TRUE(diff.uniques_only_left[0].only_on_left);
  EXPECT_EQ(diff.uniques_only_left[1].columns, (std::vector<std::string>{"code"}));
  // users_id_key is the primary key's own column set: never reported.
  EXPECT_TRUE(diff.uniques_only_right.empty());
}

TEST(CompareCatalogs, UniquesOnlyInTheDatabase) {
  const auto cols = std::vector<ir::Column>{Col("id", "integer"), Col("email", "text"), Col("name", "text")};
  auto left_table = WithPk(MakeTable("users", cols), {"id"});
  left_table.indexes = {Idx("ix_users_email", {"email"}, true)};
  auto right_table = WithPk(MakeTable("users", cols), {"id"});
  right_table.unique_constraints = {{"users_email_key", {"email"}, {}},
                                    {"users_name_key", {"name"}, testing::DbObject("n")}};
  const auto diff = CompareCatalogs(Models({left_table}), Database({right_table}), {});
  EXPECT_TRUE(diff.uniques_only_left.empty());
  ASSERT_EQ(diff.uniques_only_right.size(), 1u);
  EXPECT_EQ(diff.uniques_only_right[0].name, "users_name_key");
  EXPECT_EQ(diff.uniques_only_right[0].location.object, "schema.sql#n");
  EXPECT_FALSE(diff.uniques_only_right[0].only_on_left);
}

TEST(CompareCatalogs, IndexesMatchByKeyListIgnoringNames) {
  const auto cols = std::vector<ir::Column>{Col("id", "integer"), Col("a", "text"), Col("b", "text"), Col("c", "text")};
  auto left_table = WithPk(MakeTable("t", cols), {"id"});
  left_table.indexes = {Idx("ix_t_a", {"a"}), Idx("ix_t_b_c", {"b", "c"}), Idx("ix_t_id", {"id"}),
                        Idx("ix_t_c", {"c"})};
  auto right_table = WithPk(MakeTable("t", cols), {"id"});
  right_table.indexes = {Idx("t_a_idx", {"a"}), Idx("t_c_b_idx", {"c", "b"}), Idx("t_lower_a", {"lower(a)"}),
                         Idx("t_c_key", {"c"}, true)};
  const auto diff = CompareCatalogs(Models({left_table}), Database({right_table}), {});
  // (b, c) vs (c, b): key order matters; ix_t_id is covered by the primary key; ix_t_c by the
  // unique index on c.
  ASSERT_EQ(diff.indexes_only_left.size(), 1u);
  EXPECT_EQ(diff.indexes_only_left[0].index->name, "ix_t_b_c");
  ASSERT_EQ(diff.indexes_only_right.size(), 2u);
  EXPECT_EQ(diff.indexes_only_right[0].index->name, "t_c_b_idx");
  EXPECT_EQ(diff.indexes_only_right[1].index->name, "t_lower_a");
  // The plain unique index t_c_key is compared as a unique set, not as an index.
  ASSERT_EQ(diff.uniques_only_right.size(), 1u);
  EXPECT_EQ(diff.uniques_only_right[0].name, "t_c_key");
}

TEST(CompareCatalogs, Enums) {
  ir::Catalog left = Models({});
  left.enums = {{"public", "mood", {"happy", "sad"}, {}},
                {"public", "status", {"new", "done"}, {}},
                {"public", "color", {"red"}, {}}};
  ir::Catalog right = Database({});
  right.enums = {{"public", "mood", {"happy", "sad"}, {}},
                 {"public", "status", {"new", "open", "done"}, {}},
                 {"public", "unused", {"x"}, {}}};
  const auto diff = CompareCatalogs(left, right, {});
  ASSERT_EQ(diff.enums_only_left.size(), 1u);
  EXPECT_EQ(diff.enums_only_left[0].left->name, "color");
  EXPECT_EQ(diff.enums_only_left[0].right, nullptr);
  ASSERT_EQ(diff.enum_mismatches.size(), 1u);
  EXPECT_EQ(diff.enum_mismatches[0].left->name, "status");
  EXPECT_EQ(diff.enum_mismatches[0].right->labels.size(), 3u);
}

TEST(CompareCatalogs, EnumLabelOrderMatters) {
  ir::Catalog left = Models({});
  left.enums = {{"public", "size", {"small", "large"}, {}}};
  ir::Catalog right = Database({});
  right.enums = {{"public", "size", {"large", "small"}, {}}};
  EXPECT_EQ(CompareCatalogs(left, right, {}).enum_mismatches.size(), 1u);
}

TEST(CompareCatalogs, PossibleTableRename) {
  const auto left = Models({MakeTable("customers", {Col("id", "integer"), Col("email", "text"), Col("name", "text")}),
                            MakeTable("widgets", {Col("id", "integer"), Col("sku", "text")})});
  const auto right = Database(
      {MakeTable("clients", {Col("id", "integer"), Col("email", "text"), Col("name", "text"), Col("phone", "text")}),
       MakeTable("gadgets", {Col("id", "integer"), Col("serial", "text"), Col("x", "text")})});
  const auto diff = CompareCatalogs(left, right, {});
  ASSERT_EQ(diff.possible_table_renames.size(), 1u);
  EXPECT_EQ(diff.possible_table_renames[0].left->name, "customers");
  EXPECT_EQ(diff.possible_table_renames[0].right->name, "clients");
  EXPECT_EQ(FindTableRename(diff, right.FindTable("public", "clients")), &diff.possible_table_renames[0]);
  EXPECT_EQ(FindTableRename(diff, left.FindTable("public", "widgets")), nullptr);
  // The hint does not hide the differences.
  EXPECT_EQ(diff.tables_only_left.size(), 2u);
  EXPECT_EQ(diff.tables_only_right.size(), 2u);
}

TEST(CompareCatalogs, PossibleColumnRenameNeedsCompatibleTypeAndSimilarName) {
  const auto left = Models({MakeTable("users", {Col("id", "integer"), Col("email_address", "character varying"),
                                                Col("nick", "text"), Col("age", "integer")})});
  const auto right = Database({MakeTable("users", {Col("id", "integer"), Col("email", "character varying(255)"),
                                                   Col("nickname_text", "integer"), Col("years", "integer")})});
  const auto diff = CompareCatalogs(left, right, {});
  ASSERT_EQ(diff.possible_column_renames.size(), 1u);
  EXPECT_EQ(diff.possible_column_renames[0].left->name, "email_address");
  EXPECT_EQ(diff.possible_column_renames[0].right->name, "email");
  const auto* nick = left.tables[0].FindColumn("nick");
  EXPECT_EQ(FindColumnRename(diff, nick), nullptr);  // similar name, other type
}

TEST(CompareCatalogs, IdenticalCatalogsHaveNoDifferences) {
  auto users = WithPk(MakeTable("users", {Col("id", "integer", false), Col("email", "text", false)}), {"id"});
  users.unique_constraints = {{"users_email_key", {"email"}, {}}};
  users.indexes = {Idx("ix_users_email_lower", {"lower(email)"})};
  auto orders = WithPk(MakeTable("orders", {Col("id", "integer", false), Col("user_id", "integer", true)}), {"id"});
  orders.foreign_keys = {Fk({"user_id"}, "users", {"id"}, "orders_user_id_fkey")};
  ExpectNoDifferences(CompareCatalogs(Models({users, orders}), Database({users, orders}), {}));
}

TEST(CompareCatalogs, AModelWithAnUnreadBaseReportsOnlyWhatItDeclares) {
  ir::Table tokens = testing::WithPk(testing::MakeTable("tokens", {testing::Col("id", "integer", false),
                                                                   testing::Col("scope", "character varying(80)")}),
                                     {"id"});
  tokens.unread_bases = {"oauth_toolkit.sqla.TokenMixin"};
  const auto left = testing::Models({tokens});
  ir::Table database =
      testing::WithPk(testing::MakeTable("tokens", {testing::Col("id", "integer", false), testing::Col("scope", "text"),
                                                    testing::Col("access_token", "character varying(255)", false),
                                                    testing::Col("user_id", "integer")}),
                      {"id"});
  database.foreign_keys = {testing::Fk({"user_id"}, "users", {"id"})};
  database.indexes = {testing::Idx("ix_tokens_access_token", {"access_token"}, true),
                      testing::Idx("ix_tokens_user_id", {"user_id"})};
  const auto right = testing::Database({database, testing::MakeTable("users", {testing::Col("id", "integer")})});
  const auto diff = CompareCatalogs(left, right, {});
  // What the mixin may declare is not reported ...
  EXPECT_TRUE(diff.columns_only_right.empty());
  EXPECT_TRUE(diff.foreign_keys_only_right.empty());
  EXPECT_TRUE(diff.uniques_only_right.empty());
  EXPECT_TRUE(diff.indexes_only_right.empty());
  // ... what the model does declare is still compared.
  ASSERT_EQ(diff.type_mismatches.size(), 1u);
  EXPECT_EQ(diff.type_mismatches[0].left->name, "scope");
}

}  // namespace
}  // namespace dbaudit::rules

// BuildConstraintsGap through the driver (RunCheck on small projects written to a temp
// folder, and on the bundled example): which differences become entries, which become notes,
// and the example's constraints_gap.md as a reviewed snapshot.
#include "analyzer/driver/constraints_gap.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "analyzer/driver/check.hpp"
#include "tests/support/snapshot.hpp"

namespace dbaudit::driver {
namespace {

namespace fs = std::filesystem;
using reports::GapKind;
using ::testing::HasSubstr;

class Project {
 public:
  Project() {
    root_ = fs::temp_directory_path() / ("dbaudit-gap-" + std::to_string(getpid()) + "-" + std::to_string(counter_++));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  ~Project() { fs::remove_all(root_); }
  void Write(const std::string& relative, const std::string& text) const {
    fs::create_directories((root_ / relative).parent_path());
    std::ofstream(root_ / relative, std::ios::binary) << text;
  }
  CheckRun Check(bool with_schema = true) const {
    CheckOptions options;
    options.project_root = root_;
    options.paths = {root_ / "app"};
    if (with_schema) options.schema_sql = (root_ / "schema.sql").string();
    options.require_schema = with_schema;
    options.allow_environment_connection = false;
    options.select = {"schema-*"};
    options.threads = 2;
    return RunCheck(options);
  }

 private:
  static inline int counter_ = 0;
  fs::path root_;
};

const reports::GapEntry* Find(const std::vector<reports::GapEntry>& entries, GapKind kind, const std::string& table) {
  const auto found = std::find_if(entries.begin(), entries.end(), [&](const reports::GapEntry& entry) {
    return entry.kind == kind && entry.table == table;
  });
  return found == entries.end() ? nullptr : &*found;
}

std::size_t CountKind(const std::vector<reports::GapEntry>& entries, GapKind kind) {
  return static_cast<std::size_t>(std::count_if(entries.begin(), entries.end(),
                                                [&](const reports::GapEntry& entry) { return entry.kind == kind; }));
}

constexpr const char* kShopModels = R"py(from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import CheckConstraint, Index, UniqueConstraint

db = SQLAlchemy()


class User(db.Model):
    __tablename__ = "users"
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(200), unique=True)
    nickname = db.Column(db.String(50))


class Product(db.Model):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("price >= 0", name="price_non_negative"),
        CheckConstraint("stock >= 0", name="stock_non_negative"),
        Index("ix_products_name", "name"),
    )
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(100))
    price = db.Column(db.Numeric(10, 2))
    stock = db.Column(db.Integer)


class Order(db.Model):
    __tablename__ = "orders"
    __table_args__ = (CheckConstraint("status IN ('new', 'paid')", name="status_known"),)
    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"))
    product_id = db.Column(db.Integer, db.ForeignKey("products.id"))
    status = db.Column(db.String(20))
)py";

// products: price check equal after normalisation; stock check missing; a DB-only check on
// name. orders: the status check written by the server's deparser (may be the model's: a
// note), FK product_id missing, user_id action differs (not a gap) and unindexed; a DB-only
// FK on coupon_id. users: email unique missing, DB-only unique on nickname and DB-only index.
constexpr const char* kShopSchema = R"(CREATE TABLE public.users (
    id integer NOT NULL,
    email character varying(200),
    nickname character varying(50)
);
CREATE TABLE public.products (
    id integer NOT NULL,
    name character varying(100),
    price numeric(10,2),
    stock integer,
    CONSTRAINT ck_products_price_non_negative CHECK ((price >= (0)::numeric)),
    CONSTRAINT products_name_check CHECK ((length((name)::text) > 0))
);
CREATE TABLE public.coupons (id integer NOT NULL);
CREATE TABLE public.orders (
    id integer NOT NULL,
    user_id integer,
    product_id integer,
    status character varying(20),
    coupon_id integer,
    CONSTRAINT orders_status_check CHECK (((status)::text = ANY ((ARRAY['new'::character varying, 'paid'::character varying])::text[])))
);
ALTER TABLE ONLY public.users ADD CONSTRAINT users_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.users ADD CONSTRAINT users_nickname_key UNIQUE (nickname);
ALTER TABLE ONLY public.products ADD CONSTRAINT products_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.coupons ADD CONSTRAINT coupons_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.orders ADD CONSTRAINT orders_pkey PRIMARY KEY (id);
CREATE INDEX ix_users_nickname_lower ON public.users USING btree (lower((nickname)::text));
ALTER TABLE ONLY public.orders ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);
ALTER TABLE ONLY public.orders ADD CONSTRAINT orders_coupon_id_fkey FOREIGN KEY (coupon_id) REFERENCES public.coupons(id);
)";

class ConstraintsGapTest : public ::testing::Test {
 protected:
  void SetUp() override {
    project_.Write("app/models.py", kShopModels);
    project_.Write("schema.sql", kShopSchema);
    run_ = project_.Check();
    ASSERT_FALSE(run_.fatal_error) << *run_.fatal_error;
    gap_ = BuildConstraintsGap(run_, {"alembic_version"});
  }

  Project project_;
  CheckRun run_;
  reports::ConstraintsGap gap_;
};

TEST_F(ConstraintsGapTest, SourcesComeFromTheRun) {
  EXPECT_EQ(gap_.models_source, "1 Python files");
  EXPECT_THAT(gap_.schema_source, HasSubstr("schema.sql"));
}

TEST_F(ConstraintsGapTest, UniquesBothWays) {
  const auto* email = Find(gap_.only_in_models, GapKind::kUnique, "users");
  ASSERT_NE(email, nullptr);
  EXPECT_EQ(email->definition, "UNIQUE (email)");
  EXPECT_EQ(email->model_location.file, "app/models.py");
  EXPECT_EQ(email->model_location.line, 10u);
  EXPECT_FALSE(email->database_location.IsKnown());

  const auto* nickname = Find(gap_.only_in_database, GapKind::kUnique, "users");
  ASSERT_NE(nickname, nullptr);
  EXPECT_EQ(nickname->definition, "UNIQUE (nickname)");
  EXPECT_EQ(nickname->name, "users_nickname_key");
  EXPECT_EQ(nickname->database_location.file, "schema.sql");
  EXPECT_GT(nickname->database_location.line, 0u);
  EXPECT_FALSE(nickname->model_location.IsKnown());
}

TEST_F(ConstraintsGapTest, IndexesBothWaysWithExpressionKeysInParentheses) {
  const auto* name = Find(gap_.only_in_models, GapKind::kIndex, "products");
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(name->name, "ix_products_name");
  EXPECT_EQ(name->definition, "INDEX (name)");
  const auto* lower = Find(gap_.only_in_database, GapKind::kIndex, "users");
  ASSERT_NE(lower, nullptr);
  EXPECT_EQ(lower->name, "ix_users_nickname_lower");
  EXPECT_THAT(lower->definition, HasSubstr("INDEX ((lower("));
}

TEST_F(ConstraintsGapTest, ForeignKeysBothWaysButNotActionMismatches) {
  ASSERT_EQ(CountKind(gap_.only_in_models, GapKind::kForeignKey), 1u);
  const auto* product = Find(gap_.only_in_models, GapKind::kForeignKey, "orders");
  ASSERT_NE(product, nullptr);
  EXPECT_EQ(product->definition, "FOREIGN KEY (product_id) REFERENCES public.products (id)");
  EXPECT_EQ(product->model_location.line, 32u);
  // orders.user_id differs only in ON DELETE: its own rule reports that, the gap does not.
  ASSERT_EQ(CountKind(gap_.only_in_database, GapKind::kForeignKey), 1u);
  const auto* coupon = Find(gap_.only_in_database, GapKind::kForeignKey, "orders");
  ASSERT_NE(coupon, nullptr);
  EXPECT_EQ(coupon->name, "orders_coupon_id_fkey");
}

TEST_F(ConstraintsGapTest, ChecksCompareByNormalisedExpression) {
  // price >= 0 equals CHECK ((price >= (0)::numeric)): not listed. stock >= 0: the database
  // has no check reading stock. products_name_check: the models have no check reading name.
  ASSERT_EQ(CountKind(gap_.only_in_models, GapKind::kCheck), 1u);
  const auto* stock = Find(gap_.only_in_models, GapKind::kCheck, "products");
  ASSERT_NE(stock, nullptr);
  EXPECT_EQ(stock->definition, "CHECK (stock >= 0)");
  EXPECT_EQ(stock->model_location.line, 18u);
  ASSERT_EQ(CountKind(gap_.only_in_database, GapKind::kCheck), 1u);
  const auto* name = Find(gap_.only_in_database, GapKind::kCheck, "products");
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(name->name, "products_name_check");
  EXPECT_EQ(name->definition, "CHECK ((length((name)::text) > 0))");
}

TEST_F(ConstraintsGapTest, AChecksThatMayBeTheSameIsANoteNeverAGap) {
  // status IN (...) is stored as = ANY (ARRAY[...]): the trees differ, the meaning may not.
  EXPECT_EQ(Find(gap_.only_in_models, GapKind::kCheck, "orders"), nullptr);
  EXPECT_EQ(Find(gap_.only_in_database, GapKind::kCheck, "orders"), nullptr);
  const auto note = std::find_if(gap_.notes.begin(), gap_.notes.end(), [](const std::string& text) {
    return text.find("orders_status_check") != std::string::npos;
  });
  ASSERT_NE(note, gap_.notes.end());
  EXPECT_THAT(*note, HasSubstr("status IN ('new', 'paid')"));
  EXPECT_THAT(*note, HasSubstr("app/models.py:29"));
}

TEST_F(ConstraintsGapTest, ForeignKeysWithoutIndexUseTheRulesPredicate) {
  // orders.user_id and orders.coupon_id have no index; the rule fires on the same two.
  ASSERT_EQ(gap_.foreign_keys_without_index.size(), 2u);
  const auto& coupon = gap_.foreign_keys_without_index[0];
  const auto& user = gap_.foreign_keys_without_index[1];
  EXPECT_EQ(coupon.name, "orders_coupon_id_fkey");
  EXPECT_FALSE(coupon.model_location.IsKnown());
  EXPECT_EQ(user.name, "orders_user_id_fkey");
  EXPECT_EQ(user.index_sql, "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_idx ON public.orders (user_id);");
  EXPECT_EQ(user.model_location.line, 31u);
  EXPECT_EQ(user.definition, "FOREIGN KEY (user_id) REFERENCES public.users (id)");
  std::size_t rule_findings = 0;
  for (const auto& finding : run_.report.findings) {
    if (finding.rule_id == "schema-foreign-key-without-index") ++rule_findings;
  }
  EXPECT_EQ(rule_findings, gap_.foreign_keys_without_index.size());
}

TEST_F(ConstraintsGapTest, TablesOnOneSideAreANote) {
  const auto note = std::find_if(gap_.notes.begin(), gap_.notes.end(), [](const std::string& text) {
    return text.find("no model maps") != std::string::npos;
  });
  ASSERT_NE(note, gap_.notes.end());
  EXPECT_THAT(*note, HasSubstr("coupons"));
}

TEST_F(ConstraintsGapTest, IgnoredTablesAreLeftOut) {
  const auto gap = BuildConstraintsGap(run_, {"orders"});
  for (const auto& entry : gap.only_in_database) EXPECT_NE(entry.table, "orders");
  EXPECT_TRUE(gap.foreign_keys_without_index.empty());
}

TEST(ConstraintsGap, UnreadableModelCheckIsANote) {
  Project project;
  project.Write("app/models.py",
                "from flask_sqlalchemy import SQLAlchemy\n"
                "from sqlalchemy import CheckConstraint\n"
                "db = SQLAlchemy()\n"
                "RULE = make_rule()\n"
                "class Item(db.Model):\n"
                "    __tablename__ = 'items'\n"
                "    __table_args__ = (CheckConstraint(RULE, name='qty_positive'),)\n"
                "    id = db.Column(db.Integer, primary_key=True)\n"
                "    qty = db.Column(db.Integer)\n");
  project.Write("schema.sql",
                "CREATE TABLE public.items (id integer NOT NULL, qty integer,\n"
                "    CONSTRAINT items_qty_check CHECK ((qty > 0)));\n"
                "ALTER TABLE ONLY public.items ADD CONSTRAINT items_pkey PRIMARY KEY (id);\n");
  const CheckRun run = project.Check();
  ASSERT_FALSE(run.fatal_error) << *run.fatal_error;
  const auto gap = BuildConstraintsGap(run, {});
  EXPECT_TRUE(gap.only_in_models.empty());
  EXPECT_TRUE(gap.only_in_database.empty());
  ASSERT_FALSE(gap.notes.empty());
  EXPECT_TRUE(std::any_of(gap.notes.begin(), gap.notes.end(), [](const std::string& note) {
    return note.find("app/models.py:7") != std::string::npos && note.find("RULE") != std::string::npos;
  }));
}

TEST(ConstraintsGap, WithoutASchemaTheNoteSaysSo) {
  Project project;
  project.Write("app/models.py", kShopModels);
  const CheckRun run = project.Check(/*with_schema=*/false);
  ASSERT_FALSE(run.fatal_error) << *run.fatal_error;
  const auto gap = BuildConstraintsGap(run, {});
  EXPECT_TRUE(gap.only_in_models.empty());
  EXPECT_TRUE(gap.foreign_keys_without_index.empty());
  ASSERT_EQ(gap.notes.size(), 1u);
  EXPECT_THAT(gap.notes[0], HasSubstr("No schema source"));
}

TEST(ConstraintsGap, WithoutModelsTheForeignKeysAreStillListed) {
  Project project;
  project.Write("app/plain.py", "print('no models here')\n");
  project.Write("schema.sql", kShopSchema);
  const CheckRun run = project.Check();
  ASSERT_FALSE(run.fatal_error) << *run.fatal_error;
  const auto gap = BuildConstraintsGap(run, {});
  EXPECT_TRUE(gap.only_in_models.empty());
  EXPECT_TRUE(gap.only_in_database.empty());
  EXPECT_EQ(gap.foreign_keys_without_index.size(), 2u);
  ASSERT_EQ(gap.notes.size(), 1u);
  EXPECT_THAT(gap.notes[0], HasSubstr("No SQLAlchemy models"));
}

TEST(ConstraintsGap, FlaskShopMatchesTheReviewedSnapshot) {
  const fs::path root = fs::path(DBAUDIT_SOURCE_DIR) / "examples" / "flask_shop";
  CheckOptions options;
  options.project_root = root;
  options.paths = {root};
  options.schema_sql = (root / "schema.sql").string();
  options.allow_environment_connection = false;
  options.select = {"schema-foreign-key-without-index"};
  options.threads = 2;
  const CheckRun run = RunCheck(options);
  ASSERT_FALSE(run.fatal_error) << *run.fatal_error;
  const auto gap = BuildConstraintsGap(run, options.ignore_tables);
  // The rule and the report agree on every foreign key without an index.
  EXPECT_EQ(run.report.findings.size(), gap.foreign_keys_without_index.size());
  const std::string markdown =
      testing::ReplaceAll(reports::RenderConstraintsGap(gap), root.string() + "/", "examples/flask_shop/");
  testing::ExpectMatchesSnapshot(markdown, "tests/snapshots/flask_shop_constraints_gap.md");
}

}  // namespace
}  // namespace dbaudit::driver

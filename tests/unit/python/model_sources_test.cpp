// Which files declare models, how module names follow the package layout, and the reader's
// own coverage check (input-models-not-read).
#include "analyzer/ir/diagnostic.hpp"
#include "tests/unit/python/model_test_util.hpp"

namespace dbaudit::python::testing {
namespace {

constexpr const char* kInvoiceModel = R"PY(
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()

class Invoice(Base):
    __tablename__ = "invoices"
    id = Column(Integer, primary_key=True)
    number = Column(String(40), nullable=False)
)PY";

TEST_F(PythonModelTest, AlembicRevisionClassesAreNotModels) {
  Write("shop/models.py", kInvoiceModel);
  // A data migration freezes the table as it was at its revision, under its own base.
  Write("db/revisions/20240101_split_number.py", R"PY(
from alembic import op
import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

revision = "a1b2c3"
down_revision = "f0e0d0"

Base = declarative_base()

class Invoice(Base):
    __tablename__ = "invoices"
    id = sa.Column(sa.Integer, primary_key=True)
    legacy_number = sa.Column(sa.String(10))

class Archive(Base):
    __tablename__ = "invoice_archive"
    id = sa.Column(sa.Integer, primary_key=True)

def upgrade():
    op.add_column("invoices", sa.Column("number", sa.String(40)))
)PY");
  auto catalog = Read();
  ASSERT_EQ(catalog.tables.size(), 1u) << Diagnostics(catalog);
  const auto& invoices = TableOf(catalog, "invoices");
  EXPECT_EQ(invoices.location.file, "shop/models.py");
  EXPECT_EQ(invoices.FindColumn("legacy_number"), nullptr);

  ModelReaderOptions options;
  options.read_migration_models = true;
  auto with_migrations = Read(options);
  EXPECT_NE(with_migrations.FindTable("public", "invoice_archive"), nullptr);
}

TEST_F(PythonModelTest, MigrationTreesAndTestSuitesAreNotModelSources) {
  Write("app/models.py", kInvoiceModel);
  const char* frozen = R"PY(
from sqlalchemy import Column, Integer
from sqlalchemy.orm import declarative_base
Base = declarative_base()
class Snapshot(Base):
    __tablename__ = "frozen_snapshot"
    id = Column(Integer, primary_key=True)
)PY";
  Write("migrations/versions/0042_backfill.py", frozen);
  Write("alembic/helpers.py", frozen);
  Write("tests/test_invoices.py", R"PY(
from sqlalchemy import Column, Integer
from app.models import Base
class Probe(Base):
    __tablename__ = "probe_only_in_tests"
    id = Column(Integer, primary_key=True)
)PY");
  Write("conftest.py", frozen);
  auto catalog = Read();
  ASSERT_EQ(catalog.tables.size(), 1u) << Diagnostics(catalog);
  EXPECT_NE(catalog.FindTable("public", "invoices"), nullptr);

  ModelReaderOptions options;
  options.read_test_models = true;
  auto with_tests = Read(options);
  EXPECT_NE(with_tests.FindTable("public", "probe_only_in_tests"), nullptr);
  EXPECT_EQ(with_tests.FindTable("public", "frozen_snapshot") != nullptr, true);  // conftest.py
}

TEST_F(PythonModelTest, BaseOutsideTheGivenFolderIsFollowedThroughThePackage) {
  // `check app/models`: the base and the db object live in app/, outside the given folder.
  WriteAside("app/__init__.py", "");
  WriteAside("app/database.py", R"PY(
from flask_sqlalchemy import SQLAlchemy
from app.conventions import metadata
db = SQLAlchemy(metadata=metadata)

class Setting(db.Model):
    __tablename__ = "settings_outside_the_paths"
    id = db.Column(db.Integer, primary_key=True)
)PY");
  WriteAside("app/conventions.py", R"PY(
from sqlalchemy import MetaData
metadata = MetaData(schema="shop")
)PY");
  Write("app/models/__init__.py", "from .user import User\n");
  Write("app/models/user.py", R"PY(
from app.database import db

class User(db.Model):
    __tablename__ = "users"
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(120), nullable=False)
)PY");
  auto catalog = Read();
  ASSERT_EQ(catalog.tables.size(), 1u) << Diagnostics(catalog);
  const auto& users = TableOf(catalog, "users", "shop");
  EXPECT_EQ(ColumnOf(users, "email").type, "character varying(120)");
  EXPECT_EQ(users.mapped_by, std::vector<std::string>{"app.models.user.User"});
  EXPECT_EQ(CountDiagnostics(catalog, ir::kRuleModelsNotRead), 0) << Diagnostics(catalog);

  // Without the module outside the paths, `db.Model` is still taken for Flask-SQLAlchemy's
  // base, but the MetaData's schema is lost: the table would be compared as public.users.
  ModelReaderOptions options;
  options.read_imported_modules = false;
  auto without = Read(options);
  EXPECT_EQ(without.FindTable("shop", "users"), nullptr);
  EXPECT_NE(without.FindTable("public", "users"), nullptr);
}

TEST_F(PythonModelTest, ModuleNamesComeFromThePackageNotFromTheGivenPath) {
  // A src/ layout given from the repository root: display paths start with src/, module names
  // do not, and absolute imports of the package resolve exactly.
  Write("src/billing/__init__.py", "");
  Write("src/billing/base.py", R"PY(
from sqlalchemy.orm import DeclarativeBase
class Base(DeclarativeBase):
    pass
)PY");
  Write("src/billing/models.py", R"PY(
from sqlalchemy.orm import Mapped, mapped_column
from billing.base import Base
class Payment(Base):
    __tablename__ = "payments"
    id: Mapped[int] = mapped_column(primary_key=True)
)PY");
  // A same-named module elsewhere would make a suffix match ambiguous.
  Write("tools/billing/base.py", "Base = object\n");
  auto catalog = Read();
  const auto& payments = TableOf(catalog, "payments");
  EXPECT_EQ(payments.mapped_by, std::vector<std::string>{"billing.models.Payment"});
  EXPECT_EQ(payments.location.file, "src/billing/models.py");
}

TEST_F(PythonModelTest, CoverageNoteWhenSqlAlchemyIsUsedButNoModelIsRead) {
  Write("models/orders.py", R"PY(
from sqlalchemy import Column, Integer
from platform_sdk.orm import TenantBase

class Order(TenantBase):
    __tablename__ = "orders"
    id = Column(Integer, primary_key=True)
)PY");
  auto catalog = Read();
  EXPECT_TRUE(catalog.tables.empty());
  ASSERT_EQ(CountDiagnostics(catalog, ir::kRuleModelsNotRead), 1) << Diagnostics(catalog);
  for (const auto& diagnostic : catalog.diagnostics) {
    if (diagnostic.rule_id != ir::kRuleModelsNotRead) continue;
    EXPECT_TRUE(diagnostic.incomplete);
    EXPECT_EQ(diagnostic.location.file, "models/orders.py");
    EXPECT_EQ(diagnostic.location.line, 5u);
    EXPECT_NE(diagnostic.message.find("class Order derives from TenantBase"), std::string::npos) << diagnostic.message;
  }
}

TEST_F(PythonModelTest, NoCoverageNoteForTiedClassesMixinsOrCodeWithoutSqlAlchemy) {
  Write("app/models.py", R"PY(
from sqlalchemy import Column, Integer
from sqlalchemy.orm import declarative_base, declared_attr

Base = declarative_base()

class NamedByClass:
    @declared_attr
    def __tablename__(cls):
        return cls.__name__.lower()

class AbstractThing(Base):
    __abstract__ = True
    __tablename__ = "never_a_table"

class Widget(NamedByClass, Base):
    id = Column(Integer, primary_key=True)

class Gadget(Base):
    __tablename__ = "gadgets"
    id = Column(Integer, primary_key=True)
)PY");
  Write("scripts/report.py", "class Row:\n    __tablename__ = 'not_sqlalchemy'\n");
  auto catalog = Read();
  EXPECT_EQ(catalog.tables.size(), 2u) << Diagnostics(catalog);
  EXPECT_EQ(CountDiagnostics(catalog, ir::kRuleModelsNotRead), 0) << Diagnostics(catalog);
}

TEST_F(PythonModelTest, NoCoverageNoteWithoutSqlAlchemyImports) {
  Write("tool.py", "class Row:\n    __tablename__ = 'rows'\n");
  auto catalog = Read();
  EXPECT_TRUE(catalog.tables.empty());
  EXPECT_EQ(CountDiagnostics(catalog, ir::kRuleModelsNotRead), 0);
}

TEST_F(PythonModelTest, PythonThreeFourteenSyntaxParsesWithoutErrors) {
  // PEP 758 (except without brackets), PEP 750 (template strings), PEP 695 (type parameters)
  // and PEP 701 (nested f-strings) around an ordinary model.
  Write("app/models.py", R"PY(
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()

type Pair[T] = tuple[T, T]

def parse(value):
    try:
        return int(value)
    except ValueError, TypeError, OverflowError:
        return None

def render(name, items):
    greeting = t"hello {name}"
    return f"{'; '.join(f"{item!r:>{len(name)}}" for item in items)}", greeting

class Account[T](Base):
    __tablename__ = "accounts"
    id = Column(Integer, primary_key=True)
    label = Column(String(40))
)PY");
  auto catalog = Read();
  EXPECT_EQ(CountDiagnostics(catalog, ir::kRulePythonSyntaxError), 0) << Diagnostics(catalog);
  EXPECT_EQ(ColumnOf(TableOf(catalog, "accounts"), "label").type, "character varying(40)");
}

TEST_F(PythonModelTest, DeeplyUnclosedBracketsAreASyntaxErrorNotACrash) {
  Write("generated.py", "x = " + std::string(70000, '[') + "\n");
  Write("models.py", R"PY(
from sqlalchemy import Column, Integer
from sqlalchemy.orm import declarative_base
Base = declarative_base()
class Item(Base):
    __tablename__ = "items"
    id = Column(Integer, primary_key=True)
)PY");
  auto catalog = Read();
  EXPECT_NE(catalog.FindTable("public", "items"), nullptr);
  EXPECT_EQ(CountDiagnostics(catalog, ir::kRulePythonSyntaxError), 1) << Diagnostics(catalog);
}

}  // namespace
}  // namespace dbaudit::python::testing

#include "analyzer/ir/diagnostic.hpp"
#include "tests/unit/python/model_test_util.hpp"

namespace dbaudit::python::testing {
namespace {

using ir::ReferentialAction;

TEST_F(PythonModelTest, FlaskSqlalchemyColumnsTypesAndNullability) {
  Write("app/models.py", R"PY(
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()

class User(db.Model):
    __tablename__ = "users"
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(255), nullable=False, unique=True)
    bio = db.Column(db.Text)
    active = db.Column(db.Boolean, nullable=False, default=True)
)PY");
  auto catalog = Read();
  EXPECT_EQ(catalog.origin, ir::CatalogOrigin::kModels);
  EXPECT_EQ(catalog.source_name, "models");
  const auto& users = TableOf(catalog, "users");
  ASSERT_EQ(users.columns.size(), 4u);
  EXPECT_EQ(users.columns[0].name, "id");
  EXPECT_EQ(users.columns[0].type, "integer");
  EXPECT_EQ(users.columns[0].nullable, false);
  EXPECT_TRUE(users.columns[0].autoincrement);
  EXPECT_EQ(ColumnOf(users, "email").type, "character varying(255)");
  EXPECT_EQ(ColumnOf(users, "email").nullable, false);
  EXPECT_EQ(ColumnOf(users, "bio").type, "text");
  EXPECT_EQ(ColumnOf(users, "bio").nullable, true);
  EXPECT_EQ(ColumnOf(users, "active").type, "boolean");
  ASSERT_TRUE(users.primary_key.has_value());
  EXPECT_EQ(users.primary_key->columns, std::vector<std::string>{"id"});
  ASSERT_EQ(users.unique_constraints.size(), 1u);
  EXPECT_EQ(users.unique_constraints[0].columns, std::vector<std::string>{"email"});
  EXPECT_EQ(users.unique_constraints[0].name, "");
  EXPECT_EQ(users.mapped_by, std::vector<std::string>{"app.models.User"});
}

TEST_F(PythonModelTest, LocationsPointAtAttributeAndClassName) {
  Write("m.py",
        "from flask_sqlalchemy import SQLAlchemy\n"
        "db = SQLAlchemy()\n"
        "class Item(db.Model):\n"
        "    __tablename__ = 'items'\n"
        "    id = db.Column(db.Integer, primary_key=True)\n"
        "    name = db.Column(db.String(20), unique=True)\n");
  auto catalog = Read();
  const auto& items = TableOf(catalog, "items");
  EXPECT_EQ(items.location.file, "m.py");
  EXPECT_EQ(items.location.line, 3u);
  EXPECT_EQ(items.location.column, 7u);
  EXPECT_EQ(ColumnOf(items, "name").location.line, 6u);
  EXPECT_EQ(ColumnOf(items, "name").location.column, 5u);
}

TEST_F(PythonModelTest, FlaskAutomaticTableNameWhenNoTablename) {
  Write("models.py", R"PY(
from flask_sqlalchemy import SQLAlchemy
db = SQLAlchemy()
class UserAccount(db.Model):
    id = db.Column(db.Integer, primary_key=True)
)PY");
  auto catalog = Read();
  ASSERT_EQ(catalog.tables.size(), 1u);
  EXPECT_EQ(catalog.tables[0].name, "user_account");
}

TEST(PythonTableNameTest, FollowsFlaskSqlalchemyRegex) {
  EXPECT_EQ(FlaskSqlalchemyTableName("UserAccount"), "user_account");
  EXPECT_EQ(FlaskSqlalchemyTableName("HTTPRequest"), "http_request");
  EXPECT_EQ(FlaskSqlalchemyTableName("APIKey"), "api_key");
  // (?<=[a-z0-9])[A-Z] matches the F after '2'; the A after F matches neither branch.
  EXPECT_EQ(FlaskSqlalchemyTableName("User2FA"), "user2_fa");
  EXPECT_EQ(FlaskSqlalchemyTableName("User"), "user");
  EXPECT_EQ(FlaskSqlalchemyTableName("_Private"), "private");
  EXPECT_EQ(FlaskSqlalchemyTableName("ABC"), "abc");
  EXPECT_EQ(FlaskSqlalchemyTableName("OAuth2Token"), "o_auth2_token");
}

TEST_F(PythonModelTest, DeclarativeBaseFunction) {
  Write("models.py", R"PY(
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base
Base = declarative_base()
class Post(Base):
    __tablename__ = "posts"
    id = Column(Integer, primary_key=True)
    title = Column(String(100))
)PY");
  auto catalog = Read();
  const auto& posts = TableOf(catalog, "posts");
  EXPECT_EQ(ColumnOf(posts, "title").type, "character varying(100)");
  EXPECT_EQ(catalog.tables.size(), 1u);
}

TEST_F(PythonModelTest, RegistryGenerateBaseAndMappedDecorator) {
  Write("models.py", R"PY(
from sqlalchemy import Column, Integer, BigInteger
from sqlalchemy.orm import registry
mapper_registry = registry()
Base = mapper_registry.generate_base()
class A(Base):
    __tablename__ = "a"
    id = Column(BigInteger, primary_key=True)

@mapper_registry.mapped
class B:
    __tablename__ = "b"
    id = Column(Integer, primary_key=True)
)PY");
  auto catalog = Read();
  EXPECT_EQ(ColumnOf(TableOf(catalog, "a"), "id").type, "bigint");
  EXPECT_EQ(ColumnOf(TableOf(catalog, "b"), "id").type, "integer");
}

TEST_F(PythonModelTest, SqlAlchemy2MappedAnnotations) {
  Write("models.py", R"PY(
import datetime
import decimal
import uuid
from typing import Optional
from sqlalchemy import String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

class Base(DeclarativeBase):
    pass

class Account(Base):
    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30))
    nickname: Mapped[Optional[str]]
    bio: Mapped[str | None] = mapped_column(Text)
    forced: Mapped[Optional[int]] = mapped_column(nullable=False)
    balance: Mapped[decimal.Decimal]
    created: Mapped[datetime.datetime]
    born: Mapped[datetime.date]
    at: Mapped[datetime.time]
    span: Mapped[datetime.timedelta]
    blob: Mapped[bytes]
    token: Mapped[uuid.UUID]
    ratio: Mapped[float]
    flag: Mapped[bool]
)PY");
  auto catalog = Read();
  const auto& t = TableOf(catalog, "accounts");
  EXPECT_EQ(ColumnOf(t, "id").type, "integer");
  EXPECT_TRUE(ColumnOf(t, "id").autoincrement);
  EXPECT_EQ(ColumnOf(t, "name").type, "character varying(30)");
  EXPECT_EQ(ColumnOf(t, "name").nullable, false);
  EXPECT_EQ(ColumnOf(t, "nickname").type, "character varying");
  EXPECT_EQ(ColumnOf(t, "nickname").nullable, true);
  EXPECT_EQ(ColumnOf(t, "bio").type, "text");
  EXPECT_EQ(ColumnOf(t, "bio").nullable, true);
  EXPECT_EQ(ColumnOf(t, "forced").nullable, false);
  EXPECT_EQ(ColumnOf(t, "balance").type, "numeric");
  EXPECT_EQ(ColumnOf(t, "created").type, "timestamp without time zone");
  EXPECT_EQ(ColumnOf(t, "born").type, "date");
  EXPECT_EQ(ColumnOf(t, "at").type, "time without time zone");
  EXPECT_EQ(ColumnOf(t, "span").type, "interval");
  EXPECT_EQ(ColumnOf(t, "blob").type, "bytea");
  EXPECT_EQ(ColumnOf(t, "token").type, "uuid");
  EXPECT_EQ(ColumnOf(t, "ratio").type, "double precision");
  EXPECT_EQ(ColumnOf(t, "flag").type, "boolean");
  EXPECT_EQ(ColumnOf(t, "flag").nullable, false);
  // The base itself is no table.
  EXPECT_EQ(catalog.tables.size(), 1u);
}

TEST_F(PythonModelTest, MappedDictIsUnknownWithNote) {
  Write("models.py", R"PY(
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
class Base(DeclarativeBase):
    pass
class Doc(Base):
    __tablename__ = "docs"
    id: Mapped[int] = mapped_column(primary_key=True)
    payload: Mapped[dict]
)PY");
  auto catalog = Read();
  const auto& docs = TableOf(catalog, "docs");
  EXPECT_EQ(ColumnOf(docs, "payload").type, "");
  EXPECT_EQ(CountDiagnostics(catalog, ir::kRuleModelUnreadable), 1) << Diagnostics(catalog);
  EXPECT_EQ(catalog.diagnostics[0].location.line, 8u);
}

TEST_F(PythonModelTest, MappedPythonEnumBecomesEnumType) {
  Write("models.py", R"PY(
import enum
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
class Base(DeclarativeBase):
    pass
class Status(enum.Enum):
    ACTIVE = "active"
    BANNED = "banned"
class Member(Base):
    __tablename__ = "members"
    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[Status]
)PY");
  auto catalog = Read();
  EXPECT_EQ(ColumnOf(TableOf(catalog, "members"), "status").type, "public.status");
  const auto* status = catalog.FindEnum("public", "status");
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(status->labels, (std::vector<std::string>{"ACTIVE", "BANNED"}));
}

TEST_F(PythonModelTest, SqlModelTableTrueOnly) {
  Write("models.py", R"PY(
from typing import Optional
from sqlmodel import Field, SQLModel

class HeroBase(SQLModel):
    name: str = Field(index=True)
    secret_name: str
    age: Optional[int] = Field(default=None, index=True)

class Hero(HeroBase, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    team_id: Optional[int] = Field(default=None, foreign_key="team.id")

class HeroCreate(HeroBase):
    pass

class Team(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    headquarters: str = Field(max_length=80, unique=True)
)PY");
  auto catalog = Read();
  ASSERT_EQ(catalog.tables.size(), 2u);
  const auto& hero = TableOf(catalog, "hero");
  EXPECT_EQ(ColumnOf(hero, "id").type, "integer");
  EXPECT_EQ(ColumnOf(hero, "id").nullable, false);
  EXPECT_TRUE(ColumnOf(hero, "id").autoincrement);
  EXPECT_EQ(ColumnOf(hero, "name").type, "character varying");
  EXPECT_EQ(ColumnOf(hero, "name").nullable, false);
  EXPECT_EQ(ColumnOf(hero, "secret_name").nullable, false);
  EXPECT_EQ(ColumnOf(hero, "age").nullable, true);
  EXPECT_FALSE(ColumnOf(hero, "age").python_default.has_value());
  ASSERT_EQ(hero.foreign_keys.size(), 1u);
  EXPECT_EQ(hero.foreign_keys[0].referenced_table, "team");
  EXPECT_EQ(hero.foreign_keys[0].referenced_columns, std::vector<std::string>{"id"});
  EXPECT_EQ(hero.indexes.size(), 2u);
  const auto& team = TableOf(catalog, "team");
  EXPECT_EQ(ColumnOf(team, "headquarters").type, "character varying(80)");
  EXPECT_EQ(team.unique_constraints.size(), 1u);
  EXPECT_EQ(catalog.FindTable("public", "herocreate"), nullptr);
  EXPECT_EQ(catalog.FindTable("public", "herobase"), nullptr);
}

TEST_F(PythonModelTest, SqlModelSaColumn) {
  Write("models.py", R"PY(
from sqlmodel import Field, SQLModel
from sqlalchemy import Column, DateTime, func
class Event(SQLModel, table=True):
    id: int = Field(primary_key=True)
    at: str = Field(sa_column=Column(DateTime(timezone=True), server_default=func.now(), nullable=False))
)PY");
  auto catalog = Read();
  const auto& at = ColumnOf(TableOf(catalog, "event"), "at");
  EXPECT_EQ(at.type, "timestamp with time zone");
  EXPECT_EQ(at.nullable, false);
  EXPECT_EQ(at.server_default, "now()");
}

TEST_F(PythonModelTest, AbstractClassIsNoTableButContributesColumns) {
  Write("models.py", R"PY(
from flask_sqlalchemy import SQLAlchemy
db = SQLAlchemy()
class TimestampedModel(db.Model):
    __abstract__ = True
    id = db.Column(db.Integer, primary_key=True)
    created_at = db.Column(db.DateTime, server_default=db.func.now())
class Invoice(TimestampedModel):
    __tablename__ = "invoices"
    total = db.Column(db.Numeric(10, 2))
)PY");
  auto catalog = Read();
  ASSERT_EQ(catalog.tables.size(), 1u);
  const auto& invoices = TableOf(catalog, "invoices");
  ASSERT_EQ(invoices.columns.size(), 3u);
  EXPECT_EQ(invoices.columns[0].name, "id");
  EXPECT_EQ(ColumnOf(invoices, "created_at").server_default, "now()");
  EXPECT_EQ(ColumnOf(invoices, "total").type, "numeric(10,2)");
  EXPECT_EQ(invoices.primary_key->columns, std::vector<std::string>{"id"});
}

TEST_F(PythonModelTest, MixinAcrossFilesLandsOnEveryConcreteTable) {
  Write("app/mixins.py", R"PY(
from sqlalchemy import Column, DateTime, func
class TimestampMixin:
    created_at = Column(DateTime(timezone=True), server_default=func.now(), nullable=False)
    updated_at = Column(DateTime(timezone=True), onupdate=func.now())
)PY");
  Write("app/models.py", R"PY(
from sqlalchemy import Column, Integer
from sqlalchemy.orm import declarative_base
from .mixins import TimestampMixin
Base = declarative_base()
class A(TimestampMixin, Base):
    __tablename__ = "a"
    id = Column(Integer, primary_key=True)
class B(Base, TimestampMixin):
    __tablename__ = "b"
    id = Column(Integer, primary_key=True)
)PY");
  auto catalog = Read();
  for (const char* name : {"a", "b"}) {
    const auto& table = TableOf(catalog, name);
    EXPECT_EQ(ColumnOf(table, "created_at").type, "timestamp with time zone") << name;
    EXPECT_EQ(ColumnOf(table, "created_at").nullable, false) << name;
    EXPECT_EQ(ColumnOf(table, "updated_at").python_onupdate, "func.now()") << name;
    EXPECT_FALSE(ColumnOf(table, "updated_at").server_default.has_value()) << name;
    EXPECT_EQ(ColumnOf(table, "created_at").location.file, "app/mixins.py");
  }
}

TEST_F(PythonModelTest, SingleTableInheritanceColumnsLandOnParent) {
  Write("models.py", R"PY(
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base
Base = declarative_base()
class Employee(Base):
    __tablename__ = "employees"
    id = Column(Integer, primary_key=True)
    kind = Column(String(20))
    __mapper_args__ = {"polymorphic_on": kind}
class Manager(Employee):
    __mapper_args__ = {"polymorphic_identity": "manager"}
    reports = Column(Integer)
)PY");
  auto catalog = Read();
  ASSERT_EQ(catalog.tables.size(), 1u);
  const auto& employees = TableOf(catalog, "employees");
  EXPECT_EQ(ColumnOf(employees, "reports").type, "integer");
  EXPECT_EQ(employees.mapped_by, (std::vector<std::string>{"models.Employee", "models.Manager"}));
}

TEST_F(PythonModelTest, JoinedTableInheritanceGetsOwnTable) {
  Write("models.py", R"PY(
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base
Base = declarative_base()
class Person(Base):
    __tablename__ = "people"
    id = Column(Integer, primary_key=True)
    name = Column(String)
class Engineer(Person):
    __tablename__ = "engineers"
    id = Column(Integer, ForeignKey("people.id"), primary_key=True)
    language = Column(String(30))
)PY");
  auto catalog = Read();
  const auto& engineers = TableOf(catalog, "engineers");
  ASSERT_EQ(engineers.columns.size(), 2u);
  EXPECT_EQ(engineers.FindColumn("name"), nullptr);
  // A key that is also a foreign key is not autoincrementing in SQLAlchemy.
  EXPECT_FALSE(ColumnOf(engineers, "id").autoincrement);
  ASSERT_EQ(engineers.foreign_keys.size(), 1u);
  EXPECT_EQ(engineers.foreign_keys[0].referenced_table, "people");
  EXPECT_EQ(engineers.mapped_by, std::vector<std::string>{"models.Engineer"});
}

TEST_F(PythonModelTest, FlaskJoinedInheritanceWithOwnPrimaryKeyGetsAutomaticName) {
  Write("models.py", R"PY(
from flask_sqlalchemy import SQLAlchemy
db = SQLAlchemy()
class Animal(db.Model):
    id = db.Column(db.Integer, primary_key=True)
class HouseCat(Animal):
    id = db.Column(db.Integer, db.ForeignKey("animal.id"), primary_key=True)
)PY");
  auto catalog = Read();
  EXPECT_NE(catalog.FindTable("public", "animal"), nullptr);
  EXPECT_NE(catalog.FindTable("public", "house_cat"), nullptr);
}

TEST_F(PythonModelTest, AssociationTableWithSchema) {
  Write("models.py", R"PY(
import sqlalchemy as sa
from sqlalchemy.orm import declarative_base
Base = declarative_base()
tags = sa.Table(
    "post_tags",
    Base.metadata,
    sa.Column("post_id", sa.Integer, sa.ForeignKey("blog.posts.id", ondelete="cascade"), primary_key=True),
    sa.Column("tag_id", sa.Integer, sa.ForeignKey("tags.id"), primary_key=True),
    schema="blog",
)
)PY");
  auto catalog = Read();
  const auto& table = TableOf(catalog, "post_tags", "blog");
  ASSERT_TRUE(table.primary_key.has_value());
  EXPECT_EQ(table.primary_key->columns, (std::vector<std::string>{"post_id", "tag_id"}));
  EXPECT_FALSE(ColumnOf(table, "post_id").autoincrement);
  ASSERT_EQ(table.foreign_keys.size(), 2u);
  EXPECT_EQ(table.foreign_keys[0].referenced_schema, "blog");
  EXPECT_EQ(table.foreign_keys[0].referenced_table, "posts");
  EXPECT_EQ(table.foreign_keys[0].on_delete, ReferentialAction::kCascade);
  EXPECT_EQ(table.foreign_keys[1].referenced_schema, "public");
  EXPECT_EQ(ColumnOf(table, "post_id").location.line, 8u);
  EXPECT_EQ(ColumnOf(table, "post_id").location.column, 5u);
}

TEST_F(PythonModelTest, ColumnTypeSpellings) {
  Write("models.py", R"PY(
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import JSONB, UUID, ARRAY, INET, CITEXT, TSVECTOR
from sqlalchemy.orm import declarative_base
Base = declarative_base()
class T(Base):
    __tablename__ = "t"
    id = sa.Column(sa.BigInteger, primary_key=True)
    a = sa.Column(sa.String)
    b = sa.Column(sa.Unicode(40))
    c = sa.Column(sa.UnicodeText)
    d = sa.Column(sa.SmallInteger)
    e = sa.Column(sa.DateTime)
    f = sa.Column(sa.TIMESTAMP(timezone=True))
    g = sa.Column(sa.Float)
    h = sa.Column(sa.Float(precision=24))
    i = sa.Column(sa.Numeric)
    j = sa.Column(sa.LargeBinary)
    k = sa.Column(sa.JSON)
    l = sa.Column(JSONB)
    m = sa.Column(UUID(as_uuid=True))
    n = sa.Column(ARRAY(sa.Integer))
    o = sa.Column(INET)
    p = sa.Column(CITEXT)
    q = sa.Column(TSVECTOR)
    r = sa.Column(postgresql.CHAR(2))
    s = sa.Column(postgresql.VARCHAR(12))
    u = sa.Column(sa.Interval)
    v = sa.Column(sa.Time(timezone=True))
    w = sa.Column(sa.REAL)
    x = sa.Column(postgresql.BYTEA)
    y = sa.Column(sa.Uuid)
    z = sa.Column(postgresql.MACADDR)
    aa = sa.Column(postgresql.CIDR)
    ab = sa.Column(postgresql.TIMESTAMP(precision=3))
)PY");
  auto catalog = Read();
  const auto& t = TableOf(catalog, "t");
  std::map<std::string, std::string> expected = {
      {"id", "bigint"},
      {"a", "character varying"},
      {"b", "character varying(40)"},
      {"c", "text"},
      {"d", "smallint"},
      {"e", "timestamp without time zone"},
      {"f", "timestamp with time zone"},
      {"g", "double precision"},
      {"h", "real"},
      {"i", "numeric"},
      {"j", "bytea"},
      {"k", "json"},
      {"l", "jsonb"},
      {"m", "uuid"},
      {"n", "integer[]"},
      {"o", "inet"},
      {"p", "public.citext"},
      {"q", "tsvector"},
      {"r", "character(2)"},
      {"s", "character varying(12)"},
      {"u", "interval"},
      {"v", "time with time zone"},
      {"w", "real"},
      {"x", "bytea"},
      {"y", "uuid"},
      {"z", "macaddr"},
      {"aa", "cidr"},
      {"ab", "timestamp(3) without time zone"},
  };
  for (const auto& [name, type] : expected) EXPECT_EQ(ColumnOf(t, name).type, type) << name;
  EXPECT_TRUE(ColumnOf(t, "id").autoincrement);
  EXPECT_EQ(CountDiagnostics(catalog, ir::kRuleModelUnreadable), 0) << Diagnostics(catalog);
}

TEST_F(PythonModelTest, EnumInTheDefaultSchemaUnlessItInheritsTheTables) {
  Write("models.py", R"PY(
from sqlalchemy import Column, Enum, Integer
from sqlalchemy.orm import declarative_base
Base = declarative_base()
class Person(Base):
    __tablename__ = "people"
    __table_args__ = {"schema": "crm"}
    id = Column(Integer, primary_key=True)
    mood = Column(Enum("sad", "ok", "happy", name="mood"))
    tone = Column(Enum("low", "high", name="tone", inherit_schema=True))
)PY");
  // SQLAlchemy creates an enum type in the default schema unless it inherits the table's (as
  // tests/oracle/pantry's audit.entries shows on a real server).
  auto catalog = Read();
  const auto& people = TableOf(catalog, "people", "crm");
  EXPECT_EQ(ColumnOf(people, "mood").type, "public.mood");
  const auto* mood = catalog.FindEnum("public", "mood");
  ASSERT_NE(mood, nullptr);
  EXPECT_EQ(mood->labels, (std::vector<std::string>{"sad", "ok", "happy"}));
  EXPECT_EQ(ColumnOf(people, "tone").type, "crm.tone");
  EXPECT_NE(catalog.FindEnum("crm", "tone"), nullptr);
}

TEST_F(PythonModelTest, EnumOfPythonClassUsesMemberNames) {
  Write("enums.py", R"PY(
import enum
class OrderState(enum.Enum):
    NEW = "new"
    PAID = "paid"
)PY");
  Write("models.py", R"PY(
import sqlalchemy as sa
from sqlalchemy.orm import declarative_base
from enums import OrderState
Base = declarative_base()
class Order(Base):
    __tablename__ = "orders"
    id = sa.Column(sa.Integer, primary_key=True)
    state = sa.Column(sa.Enum(OrderState), nullable=False)
    state2 = sa.Column(sa.Enum(OrderState, name="order_state_v", values_callable=lambda e: [m.value for m in e]))
)PY");
  auto catalog = Read();
  const auto& orders = TableOf(catalog, "orders");
  EXPECT_EQ(ColumnOf(orders, "state").type, "public.orderstate");
  const auto* state = catalog.FindEnum("public", "orderstate");
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(state->labels, (std::vector<std::string>{"NEW", "PAID"}));
  const auto* values = catalog.FindEnum("public", "order_state_v");
  ASSERT_NE(values, nullptr);
  EXPECT_EQ(values->labels, (std::vector<std::string>{"new", "paid"}));
}

TEST_F(PythonModelTest, EnumWithoutNameIsNoted) {
  Write("models.py", R"PY(
from sqlalchemy import Column, Enum, Integer
from sqlalchemy.orm import declarative_base
Base = declarative_base()
class P(Base):
    __tablename__ = "p"
    id = Column(Integer, primary_key=True)
    mood = Column(Enum("a", "b"))
)PY");
  auto catalog = Read();
  EXPECT_EQ(ColumnOf(TableOf(catalog, "p"), "mood").type, "");
  EXPECT_EQ(CountDiagnostics(catalog, ir::kRuleModelUnreadable), 1) << Diagnostics(catalog);
  EXPECT_TRUE(catalog.enums.empty());
}

TEST_F(PythonModelTest, TypeDecoratorResolvesToImpl) {
  Write("app/types.py", R"PY(
import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
class LowerCaseText(TypeDecorator):
    impl = sa.String(120)
    cache_ok = True
class JsonEncoded(TypeDecorator):
    impl = sa.Text
)PY");
  Write("app/models.py", R"PY(
import sqlalchemy as sa
from sqlalchemy.orm import declarative_base
from app.types import LowerCaseText, JsonEncoded
Base = declarative_base()
class U(Base):
    __tablename__ = "u"
    id = sa.Column(sa.Integer, primary_key=True)
    email = sa.Column(LowerCaseText())
    data = sa.Column(JsonEncoded)
)PY");
  auto catalog = Read();
  const auto& u = TableOf(catalog, "u");
  EXPECT_EQ(ColumnOf(u, "email").type, "character varying(120)");
  EXPECT_EQ(ColumnOf(u, "data").type, "text");
}

TEST_F(PythonModelTest, UnknownTypeIsEmptyWithNoteAtColumn) {
  Write("models.py", R"PY(
import sqlalchemy as sa
from geoalchemy2 import Geography
from sqlalchemy.orm import declarative_base
Base = declarative_base()
class Place(Base):
    __tablename__ = "places"
    id = sa.Column(sa.Integer, primary_key=True)
    where = sa.Column(Geography("POINT"))
)PY");
  auto catalog = Read();
  EXPECT_EQ(ColumnOf(TableOf(catalog, "places"), "where").type, "");
  ASSERT_EQ(CountDiagnostics(catalog, ir::kRuleModelUnreadable), 1) << Diagnostics(catalog);
  EXPECT_EQ(catalog.diagnostics[0].severity, ir::Severity::kNote);
  EXPECT_EQ(catalog.diagnostics[0].location.line, 9u);
  EXPECT_EQ(catalog.diagnostics[0].location.column, 5u);
}

TEST_F(PythonModelTest, IndexAndUniqueIndex) {
  Write("models.py", R"PY(
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base
Base = declarative_base()
class U(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    email = Column(String, index=True, unique=True)
    city = Column(String, index=True)
)PY");
  auto catalog = Read();
  const auto& users = TableOf(catalog, "users");
  EXPECT_TRUE(users.unique_constraints.empty());
  ASSERT_EQ(users.indexes.size(), 2u);
  EXPECT_EQ(users.indexes[0].name, "ix_users_city");
  EXPECT_FALSE(users.indexes[0].unique);
  EXPECT_EQ(users.indexes[1].name, "ix_users_email");
  EXPECT_TRUE(users.indexes[1].unique);
  EXPECT_EQ(users.indexes[1].keys, std::vector<std::string>{"email"});
}

TEST_F(PythonModelTest, ForeignKeyFormsAndActions) {
  Write("models.py", R"PY(
from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import declarative_base
Base = declarative_base()
class Parent(Base):
    __tablename__ = "parents"
    pk = Column("parent_id", Integer, primary_key=True)
class Child(Base):
    __tablename__ = "children"
    id = Column(Integer, primary_key=True)
    a = Column(Integer, ForeignKey("parents.parent_id", ondelete="set null", onupdate="cascade"))
    b = Column(Integer, ForeignKey(Parent.pk))
    c = Column(ForeignKey("audit.logs.id"))
)PY");
  auto catalog = Read();
  const auto& children = TableOf(catalog, "children");
  ASSERT_EQ(children.foreign_keys.size(), 3u);
  const auto& a = children.foreign_keys[0];
  EXPECT_EQ(a.columns, std::vector<std::string>{"a"});
  EXPECT_EQ(a.referenced_table, "parents");
  EXPECT_EQ(a.on_delete, ReferentialAction::kSetNull);
  EXPECT_EQ(a.on_update, ReferentialAction::kCascade);
  const auto& b = children.foreign_keys[1];
  EXPECT_EQ(b.referenced_columns, std::vector<std::string>{"parent_id"});
  EXPECT_EQ(b.referenced_schema, "public");
  const auto& c = children.foreign_keys[2];
  EXPECT_EQ(c.referenced_schema, "audit");
  EXPECT_EQ(c.referenced_table, "logs");
  // c's type would come from audit.logs.id, which is not in the models: unknown and noted.
  EXPECT_EQ(ColumnOf(children, "c").type, "");
  EXPECT_GE(CountDiagnostics(catalog, ir::kRuleModelUnreadable), 1);
  const auto& parents = TableOf(catalog, "parents");
  EXPECT_EQ(ColumnOf(parents, "parent_id").attribute, "pk");
}

TEST_F(PythonModelTest, ForeignKeyWithoutTypeTakesReferencedType) {
  Write("models.py", R"PY(
from sqlalchemy import BigInteger, Column, ForeignKey
from sqlalchemy.orm import declarative_base
Base = declarative_base()
class A(Base):
    __tablename__ = "a"
    id = Column(BigInteger, primary_key=True)
class B(Base):
    __tablename__ = "b"
    id = Column(BigInteger, primary_key=True)
    a_id = Column(ForeignKey("a.id"))
)PY");
  auto catalog = Read();
  EXPECT_EQ(ColumnOf(TableOf(catalog, "b"), "a_id").type, "bigint");
}

TEST_F(PythonModelTest, ServerDefaultsAreRenderedAndPythonDefaultsAreNot) {
  Write("models.py", R"PY(
import sqlalchemy as sa
from sqlalchemy import text, func
from sqlalchemy.orm import declarative_base
Base = declarative_base()
class T(Base):
    __tablename__ = "t"
    id = sa.Column(sa.Integer, primary_key=True)
    a = sa.Column(sa.DateTime, server_default=text("now()"))
    b = sa.Column(sa.String, server_default="draft")
    c = sa.Column(sa.DateTime, server_default=func.now())
    d = sa.Column(sa.DateTime, server_default=func.current_timestamp())
    e = sa.Column(sa.Boolean, server_default=sa.false())
    f = sa.Column(sa.Boolean, server_default=sa.true())
    g = sa.Column(sa.Integer, server_default=text("0"))
    h = sa.Column(sa.Integer, default=0)
    i = sa.Column(sa.DateTime, default=datetime.utcnow, onupdate=datetime.utcnow)
    j = sa.Column(sa.DateTime, server_onupdate=func.now())
    k = sa.Column(sa.String, server_default="it's")
)PY");
  auto catalog = Read();
  const auto& t = TableOf(catalog, "t");
  EXPECT_EQ(ColumnOf(t, "a").server_default, "now()");
  EXPECT_EQ(ColumnOf(t, "b").server_default, "'draft'");
  EXPECT_EQ(ColumnOf(t, "c").server_default, "now()");
  EXPECT_EQ(ColumnOf(t, "d").server_default, "CURRENT_TIMESTAMP");
  EXPECT_EQ(ColumnOf(t, "e").server_default, "false");
  EXPECT_EQ(ColumnOf(t, "f").server_default, "true");
  EXPECT_EQ(ColumnOf(t, "g").server_default, "0");
  EXPECT_FALSE(ColumnOf(t, "h").server_default.has_value());
  EXPECT_EQ(ColumnOf(t, "h").python_default, "0");
  EXPECT_EQ(ColumnOf(t, "i").python_default, "datetime.utcnow");
  EXPECT_EQ(ColumnOf(t, "i").python_onupdate, "datetime.utcnow");
  EXPECT_EQ(ColumnOf(t, "j").server_onupdate, "now()");
  EXPECT_EQ(ColumnOf(t, "k").server_default, "'it''s'");
}

TEST_F(PythonModelTest, ExplicitColumnNameAndKey) {
  Write("models.py", R"PY(
from sqlalchemy import Column, Integer, String, Table, MetaData
from sqlalchemy.orm import declarative_base
Base = declarative_base()
class U(Base):
    __tablename__ = "u"
    id = Column(Integer, primary_key=True)
    email = Column("email_address", String(200))
metadata = MetaData()
legacy = Table("legacy", metadata, Column("user name", String, key="username"))
)PY");
  auto catalog = Read();
  const auto& email = ColumnOf(TableOf(catalog, "u"), "email_address");
  EXPECT_EQ(email.attribute, "email");
  EXPECT_EQ(ColumnOf(TableOf(catalog, "legacy"), "user name").attribute, "username");
}

TEST_F(PythonModelTest, TableArgsConstraints) {
  Write("models.py", R"PY(
from sqlalchemy import (CheckConstraint, Column, ForeignKeyConstraint, Index, Integer, String,
                        UniqueConstraint, PrimaryKeyConstraint, text)
from sqlalchemy.orm import declarative_base
Base = declarative_base()
class Line(Base):
    __tablename__ = "lines"
    order_id = Column(Integer)
    line_no = Column(Integer)
    sku = Column("sku_code", String(20))
    price = Column(Integer)
    __table_args__ = (
        PrimaryKeyConstraint("order_id", "line_no"),
        UniqueConstraint("order_id", "sku", name="uq_line_sku"),
        Index("ix_lines_sku", "sku", unique=True, postgresql_where=text("price > 0")),
        Index("ix_lines_lower", text("lower(sku_code)")),
        CheckConstraint("price > 0", name="ck_price_positive"),
        ForeignKeyConstraint(["order_id"], ["orders.id"], ondelete="CASCADE"),
        {"schema": "sales", "comment": "order lines"},
    )
)PY");
  auto catalog = Read();
  const auto& lines = TableOf(catalog, "lines", "sales");
  ASSERT_TRUE(lines.primary_key.has_value());
  EXPECT_EQ(lines.primary_key->columns, (std::vector<std::string>{"order_id", "line_no"}));
  EXPECT_EQ(ColumnOf(lines, "order_id").nullable, false);
  EXPECT_FALSE(ColumnOf(lines, "order_id").autoincrement);
  ASSERT_EQ(lines.unique_constraints.size(), 1u);
  EXPECT_EQ(lines.unique_constraints[0].name, "uq_line_sku");
  EXPECT_EQ(lines.unique_constraints[0].columns, (std::vector<std::string>{"order_id", "sku_code"}));
  ASSERT_EQ(lines.indexes.size(), 2u);
  EXPECT_EQ(lines.indexes[0].name, "ix_lines_lower");
  EXPECT_EQ(lines.indexes[0].keys, std::vector<std::string>{"lower(sku_code)"});
  EXPECT_EQ(lines.indexes[1].name, "ix_lines_sku");
  EXPECT_TRUE(lines.indexes[1].unique);
  EXPECT_EQ(lines.indexes[1].predicate, "price > 0");
  ASSERT_EQ(lines.check_constraints.size(), 1u);
  EXPECT_EQ(lines.check_constraints[0].expression, "price > 0");
  EXPECT_EQ(lines.check_constraints[0].name, "ck_price_positive");
  ASSERT_EQ(lines.foreign_keys.size(), 1u);
  EXPECT_EQ(lines.foreign_keys[0].referenced_table, "orders");
  EXPECT_EQ(lines.foreign_keys[0].on_delete, ReferentialAction::kCascade);
  EXPECT_EQ(lines.comment, "order lines");
  EXPECT_EQ(lines.unique_constraints[0].location.line, 14u);
}

TEST_F(PythonModelTest, NamingConventionOnDeclarativeBase) {
  Write("models.py", R"PY(
from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase
convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=convention)
class Org(Base):
    __tablename__ = "orgs"
    id = Column(Integer, primary_key=True)
class Member(Base):
    __tablename__ = "members"
    id = Column(Integer, primary_key=True)
    org_id = Column(Integer, ForeignKey("orgs.id"), index=True)
    handle = Column(String, unique=True)
    age = Column(Integer, CheckConstraint("age > 0", name="adult"))
)PY");
  auto catalog = Read();
  const auto& members = TableOf(catalog, "members");
  EXPECT_EQ(members.primary_key->name, "pk_members");
  ASSERT_EQ(members.foreign_keys.size(), 1u);
  EXPECT_EQ(members.foreign_keys[0].name, "fk_members_org_id_orgs");
  ASSERT_EQ(members.unique_constraints.size(), 1u);
  EXPECT_EQ(members.unique_constraints[0].name, "uq_members_handle");
  ASSERT_EQ(members.indexes.size(), 1u);
  EXPECT_EQ(members.indexes[0].name, "ix_members_org_id");
  ASSERT_EQ(members.check_constraints.size(), 1u);
  EXPECT_EQ(members.check_constraints[0].name, "ck_members_adult");
}

TEST_F(PythonModelTest, NamingConventionOnFlaskSqlalchemy) {
  Write("ext.py", R"PY(
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
db = SQLAlchemy(metadata=MetaData(naming_convention={"uq": "uq_%(table_name)s_%(column_0_N_name)s"}))
)PY");
  Write("models.py", R"PY(
from ext import db
class Tag(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    label = db.Column(db.String(50), unique=True)
)PY");
  auto catalog = Read();
  const auto& tag = TableOf(catalog, "tag");
  ASSERT_EQ(tag.unique_constraints.size(), 1u);
  EXPECT_EQ(tag.unique_constraints[0].name, "uq_tag_label");
}

TEST_F(PythonModelTest, ImportAliasesAndPartialFactories) {
  Write("models.py", R"PY(
import functools
from sqlalchemy import Column as C, Integer as Int, String
from sqlalchemy.orm import declarative_base
Base = declarative_base()
NotNullColumn = functools.partial(C, nullable=False)
class T(Base):
    __tablename__ = "t"
    id = C(Int, primary_key=True)
    name = NotNullColumn(String(10))
    maybe = NotNullColumn(String(10), nullable=True)
)PY");
  auto catalog = Read();
  const auto& t = TableOf(catalog, "t");
  EXPECT_EQ(ColumnOf(t, "id").type, "integer");
  EXPECT_EQ(ColumnOf(t, "name").nullable, false);
  EXPECT_EQ(ColumnOf(t, "name").type, "character varying(10)");
  EXPECT_EQ(ColumnOf(t, "maybe").nullable, true);
}

TEST_F(PythonModelTest, HelperFunctionColumnsAreReadAsFarAsTheyDoNotDependOnArguments) {
  Write("models.py", R"PY(
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base
Base = declarative_base()
def required_string(n):
    return Column(String(n), nullable=False)
class T(Base):
    __tablename__ = "t"
    id = Column(Integer, primary_key=True)
    name = required_string(40)
)PY");
  auto catalog = Read();
  // The helper's Column() is read: nullable=False is written there; the length comes from
  // the helper's argument, so the type stays unknown (said once, at the model's line).
  const ir::Column* name = TableOf(catalog, "t").FindColumn("name");
  ASSERT_NE(name, nullptr);
  EXPECT_TRUE(name->type.empty());
  EXPECT_EQ(name->nullable, false);
  EXPECT_FALSE(name->server_default.has_value());
  ASSERT_EQ(CountDiagnostics(catalog, ir::kRuleModelUnreadable), 1) << Diagnostics(catalog);
  EXPECT_EQ(catalog.diagnostics[0].location.line, 10u);
  EXPECT_NE(catalog.diagnostics[0].message.find("length 'n'"), std::string::npos) << Diagnostics(catalog);
}

TEST_F(PythonModelTest, ConstantsAsLengthsIncludingImportedOnes) {
  Write("app/constants.py", "EMAIL_LEN = 254\nNAME_LEN = 2 * 50\n");
  Write("app/models.py", R"PY(
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base
from app.constants import EMAIL_LEN
from app import constants
CODE_LEN = 8
Base = declarative_base()
class T(Base):
    __tablename__ = "t"
    id = Column(Integer, primary_key=True)
    email = Column(String(EMAIL_LEN))
    name = Column(String(constants.NAME_LEN))
    code = Column(String(length=CODE_LEN))
)PY");
  auto catalog = Read();
  const auto& t = TableOf(catalog, "t");
  EXPECT_EQ(ColumnOf(t, "email").type, "character varying(254)");
  EXPECT_EQ(ColumnOf(t, "name").type, "character varying(100)");
  EXPECT_EQ(ColumnOf(t, "code").type, "character varying(8)");
}

TEST_F(PythonModelTest, DeclaredAttrTablename) {
  Write("models.py", R"PY(
from sqlalchemy import Column, Integer
from sqlalchemy.orm import declarative_base, declared_attr
Base = declarative_base()
class NameMixin:
    @declared_attr
    def __tablename__(cls):
        return cls.__name__.lower()
class Widget(NameMixin, Base):
    id = Column(Integer, primary_key=True)
class WeirdMixin:
    @declared_attr
    def __tablename__(cls):
        name = compute(cls)
        return name
class Gadget(WeirdMixin, Base):
    id = Column(Integer, primary_key=True)
)PY");
  auto catalog = Read();
  EXPECT_NE(catalog.FindTable("public", "widget"), nullptr);
  EXPECT_TRUE(catalog.FindTable("public", "widget")->name_alternatives.empty());
  // compute(cls) is unreadable: the class is kept under the spellings a class name commonly
  // gets, and the driver keeps the one the database has (or leaves it out with a note).
  EXPECT_EQ(catalog.tables.size(), 2u);
  EXPECT_EQ(TableOf(catalog, "gadget").name_alternatives, std::vector<std::string>{"gadget"});
  EXPECT_EQ(CountDiagnostics(catalog, ir::kRuleModelUnreadable), 0) << Diagnostics(catalog);
}

TEST_F(PythonModelTest, SyntaxErrorFileStillYieldsReadableModels) {
  Write("models.py", R"PY(
from sqlalchemy import Column, Integer
from sqlalchemy.orm import declarative_base
Base = declarative_base()
class Good(Base):
    __tablename__ = "good"
    id = Column(Integer, primary_key=True)

def broken(:
    pass

class AlsoGood(Base):
    __tablename__ = "also_good"
    id = Column(Integer, primary_key=True)
)PY");
  auto catalog = Read();
  EXPECT_NE(catalog.FindTable("public", "good"), nullptr);
  EXPECT_NE(catalog.FindTable("public", "also_good"), nullptr);
  ASSERT_EQ(CountDiagnostics(catalog, ir::kRulePythonSyntaxError), 1) << Diagnostics(catalog);
  const auto& diagnostic = catalog.diagnostics[0];
  EXPECT_EQ(diagnostic.severity, ir::Severity::kWarning);
  EXPECT_EQ(diagnostic.location.line, 9u);
}

TEST_F(PythonModelTest, BinaryFileIsUnreadable) {
  Write("blob.py", std::string("\x7f"
                               "ELF\0\0\x01",
                               7));
  Write("ok.py", "x = 1\n");
  auto catalog = Read();
  ASSERT_EQ(CountDiagnostics(catalog, ir::kRuleFileUnreadable), 1) << Diagnostics(catalog);
  EXPECT_EQ(catalog.diagnostics[0].severity, ir::Severity::kError);
  EXPECT_TRUE(catalog.diagnostics[0].incomplete);
  EXPECT_EQ(catalog.diagnostics[0].location.file, "blob.py");
}

TEST_F(PythonModelTest, MissingFileNamesTheOsError) {
  files_.push_back({root_ / "nope.py", "nope.py"});
  auto catalog = Read();
  ASSERT_EQ(catalog.diagnostics.size(), 1u);
  EXPECT_EQ(catalog.diagnostics[0].rule_id, ir::kRuleFileUnreadable);
  EXPECT_NE(catalog.diagnostics[0].message.find("No such file"), std::string::npos);
}

TEST_F(PythonModelTest, InvalidUtf8IsReadWithANote) {
  Write("models.py", std::string("# caf\xe9\n") + R"PY(
from sqlalchemy import Column, Integer
from sqlalchemy.orm import declarative_base
Base = declarative_base()
class Cafe(Base):
    __tablename__ = "cafe"
    id = Column(Integer, primary_key=True)
)PY");
  auto catalog = Read();
  EXPECT_NE(catalog.FindTable("public", "cafe"), nullptr);
  ASSERT_EQ(catalog.diagnostics.size(), 1u);
  EXPECT_EQ(catalog.diagnostics[0].severity, ir::Severity::kNote);
  EXPECT_EQ(catalog.diagnostics[0].location.line, 1u);
}

TEST_F(PythonModelTest, EmptyAndDeeplyNestedFilesDoNotCrash) {
  Write("empty.py", "");
  std::string deep = "x = " + std::string(5000, '(') + "1" + std::string(5000, ')') + "\n";
  deep += "y = " + std::string(3000, '[') + std::string(3000, ']') + "\n";
  deep += "z = f(" + std::string(2000, 'a') + ")\n";
  std::string call = "1";
  for (int i = 0; i < 3000; ++i) call = "g(" + call + ")";
  deep += "w = " + call + "\n";
  Write("deep.py", deep);
  auto catalog = Read();
  EXPECT_TRUE(catalog.tables.empty());
}

TEST_F(PythonModelTest, RelationshipsAndNonColumnsAreIgnored) {
  Write("models.py", R"PY(
from typing import List, Optional
from sqlalchemy import ForeignKey
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
class Base(DeclarativeBase):
    pass
class Parent(Base):
    __tablename__ = "parent"
    id: Mapped[int] = mapped_column(primary_key=True)
    children: Mapped[List["Child"]] = relationship(back_populates="parent")
    favourite: Mapped[Optional["Child"]] = relationship()
    label = "not a column"
    __mapper_args__ = {"eager_defaults": True}
class Child(Base):
    __tablename__ = "child"
    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("parent.id"))
    parent: Mapped["Parent"] = relationship(back_populates="children")
)PY");
  auto catalog = Read();
  EXPECT_EQ(TableOf(catalog, "parent").columns.size(), 1u);
  const auto& child = TableOf(catalog, "child");
  EXPECT_EQ(child.columns.size(), 2u);
  EXPECT_EQ(ColumnOf(child, "parent_id").type, "integer");
  EXPECT_FALSE(ColumnOf(child, "parent_id").autoincrement);
  EXPECT_EQ(CountDiagnostics(catalog, ir::kRuleModelUnreadable), 0) << Diagnostics(catalog);
}

TEST_F(PythonModelTest, AnnotatedAliasesCarryMappedColumnArguments) {
  Write("models.py", R"PY(
from typing import Annotated
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
intpk = Annotated[int, mapped_column(primary_key=True)]
str50 = Annotated[str, mapped_column(String(50))]
class Base(DeclarativeBase):
    pass
class T(Base):
    __tablename__ = "t"
    id: Mapped[intpk]
    name: Mapped[str50]
)PY");
  auto catalog = Read();
  const auto& t = TableOf(catalog, "t");
  ASSERT_TRUE(t.primary_key.has_value());
  EXPECT_EQ(t.primary_key->columns, std::vector<std::string>{"id"});
  EXPECT_EQ(ColumnOf(t, "id").type, "integer");
  EXPECT_EQ(ColumnOf(t, "name").type, "character varying(50)");
}

TEST_F(PythonModelTest, ResultIsDeterministicAcrossThreadCounts) {
  for (int i = 0; i < 12; ++i) {
    std::string n = std::to_string(i);
    Write("pkg/m" + n + ".py", "from pkg.base import db\nclass Model" + n +
                                   "(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n"
                                   "    v = db.Column(db.String(" +
                                   n + "0))\n");
  }
  Write("pkg/base.py", "from flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\n");
  auto one = Read(1);
  auto four = Read(4);
  ASSERT_EQ(one.tables.size(), 12u);
  EXPECT_TRUE(ir::SameSchema(one, four)) << ir::DescribeSchemaDifferences(one, four);
  for (std::size_t i = 0; i < one.tables.size(); ++i) {
    EXPECT_EQ(one.tables[i].location, four.tables[i].location);
  }
  EXPECT_EQ(one.tables[0].name, "model0");
}

TEST_F(PythonModelTest, NonModelClassesAreNotTables) {
  Write("models.py", R"PY(
from sqlalchemy import Column, Integer
class Plain:
    __tablename__ = "plain"
    id = Column(Integer, primary_key=True)
class Config:
    DEBUG = True
)PY");
  auto catalog = Read();
  EXPECT_TRUE(catalog.tables.empty());
}

}  // namespace
}  // namespace dbaudit::python::testing

namespace dbaudit::python::testing {
namespace {

TEST_F(PythonModelTest, MetadataSchemaIsTheDefaultForTablesAndReferences) {
  Write("models.py", R"PY(
from sqlalchemy import Column, ForeignKey, Integer, MetaData
from sqlalchemy.orm import declarative_base
Base = declarative_base(metadata=MetaData(schema="app"))
class A(Base):
    __tablename__ = "a"
    id = Column(Integer, primary_key=True)
class B(Base):
    __tablename__ = "b"
    id = Column(Integer, primary_key=True)
    a_id = Column(Integer, ForeignKey("a.id"))
)PY");
  auto catalog = Read();
  const auto& b = TableOf(catalog, "b", "app");
  ASSERT_EQ(b.foreign_keys.size(), 1u);
  EXPECT_EQ(b.foreign_keys[0].referenced_schema, "app");
  EXPECT_NE(catalog.FindTable("app", "a"), nullptr);
}

TEST_F(PythonModelTest, NonNativeEnumIsVarcharWithoutEnumType) {
  Write("models.py", R"PY(
from sqlalchemy import Column, Enum, Integer
from sqlalchemy.orm import declarative_base
Base = declarative_base()
class T(Base):
    __tablename__ = "t"
    id = Column(Integer, primary_key=True)
    size = Column(Enum("small", "medium", "large", name="size", native_enum=False))
)PY");
  auto catalog = Read();
  EXPECT_EQ(ColumnOf(TableOf(catalog, "t"), "size").type, "character varying(6)");
  EXPECT_TRUE(catalog.enums.empty());
}

TEST_F(PythonModelTest, IdentityAndComputedColumns) {
  Write("models.py", R"PY(
from sqlalchemy import Column, Computed, Identity, Integer
from sqlalchemy.orm import declarative_base
Base = declarative_base()
class T(Base):
    __tablename__ = "t"
    id = Column(Integer, Identity(always=True), primary_key=True)
    n = Column(Integer)
    doubled = Column(Integer, Computed("n * 2"))
)PY");
  auto catalog = Read();
  const auto& t = TableOf(catalog, "t");
  EXPECT_EQ(ColumnOf(t, "id").identity, ir::IdentityKind::kAlways);
  EXPECT_EQ(ColumnOf(t, "n").identity, ir::IdentityKind::kNone);
  EXPECT_EQ(ColumnOf(t, "doubled").generated, "n * 2");
}

TEST_F(PythonModelTest, ModuleLevelIndexAndTableMappedByClass) {
  Write("models.py", R"PY(
from sqlalchemy import Column, Index, Integer, String, Table
from sqlalchemy.orm import declarative_base
Base = declarative_base()
users = Table("users", Base.metadata, Column("id", Integer, primary_key=True), Column("email", String(80)))
class User(Base):
    __table__ = users
class Thing(Base):
    __tablename__ = "things"
    id = Column(Integer, primary_key=True)
    code = Column(String(5))
Index("ix_things_code_upper", Thing.code, unique=True)
Index("ix_users_email", users.c.email)
)PY");
  auto catalog = Read();
  const auto& users = TableOf(catalog, "users");
  EXPECT_EQ(users.mapped_by, std::vector<std::string>{"models.User"});
  EXPECT_EQ(catalog.tables.size(), 2u);
  ASSERT_EQ(users.indexes.size(), 1u);
  EXPECT_EQ(users.indexes[0].keys, std::vector<std::string>{"email"});
  const auto& things = TableOf(catalog, "things");
  ASSERT_EQ(things.indexes.size(), 1u);
  EXPECT_TRUE(things.indexes[0].unique);
  EXPECT_EQ(things.indexes[0].location.line, 12u);
}

TEST_F(PythonModelTest, DeclaredAttrColumnInMixin) {
  Write("models.py", R"PY(
from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import declarative_base, declared_attr
Base = declarative_base()
class Owner(Base):
    __tablename__ = "owners"
    id = Column(Integer, primary_key=True)
class OwnedMixin:
    @declared_attr
    def owner_id(cls):
        return Column(Integer, ForeignKey("owners.id"), nullable=False)
class Car(OwnedMixin, Base):
    __tablename__ = "cars"
    id = Column(Integer, primary_key=True)
)PY");
  auto catalog = Read();
  const auto& cars = TableOf(catalog, "cars");
  EXPECT_EQ(ColumnOf(cars, "owner_id").nullable, false);
  ASSERT_EQ(cars.foreign_keys.size(), 1u);
  EXPECT_EQ(cars.foreign_keys[0].referenced_table, "owners");
}

TEST_F(PythonModelTest, UnreadableMixinColumnIsNotedOnce) {
  Write("models.py", R"PY(
from sqlalchemy import Column, Integer
from sqlalchemy.orm import declarative_base
from somewhere import MysteryType
Base = declarative_base()
class M:
    odd = Column(MysteryType)
class A(M, Base):
    __tablename__ = "a"
    id = Column(Integer, primary_key=True)
class B(M, Base):
    __tablename__ = "b"
    id = Column(Integer, primary_key=True)
)PY");
  auto catalog = Read();
  EXPECT_EQ(ColumnOf(TableOf(catalog, "a"), "odd").type, "");
  EXPECT_EQ(ColumnOf(TableOf(catalog, "b"), "odd").type, "");
  EXPECT_EQ(CountDiagnostics(catalog, ir::kRuleModelUnreadable), 1) << Diagnostics(catalog);
}

TEST_F(PythonModelTest, WithVariantPicksThePostgresqlType) {
  Write("models.py", R"PY(
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import declarative_base
JsonType = sa.JSON().with_variant(JSONB(), "postgresql")
Base = declarative_base()
class T(Base):
    __tablename__ = "t"
    id = sa.Column(sa.Integer, primary_key=True)
    data = sa.Column(JsonType)
    other = sa.Column(sa.Text().with_variant(sa.String(10), "sqlite"))
)PY");
  auto catalog = Read();
  const auto& t = TableOf(catalog, "t");
  EXPECT_EQ(ColumnOf(t, "data").type, "jsonb");
  EXPECT_EQ(ColumnOf(t, "other").type, "text");
}

}  // namespace
}  // namespace dbaudit::python::testing

namespace dbaudit::python::testing {
namespace {

TEST_F(PythonModelTest, ComputedColumnNameIsReadWhenExactAndNotedOtherwise) {
  Write("models.py", R"PY(
import os
import sqlalchemy as sa
from sqlalchemy.ext.declarative import as_declarative, declared_attr
@as_declarative()
class Base:
    @declared_attr
    def __tablename__(cls):
        return cls.__name__.lower()
    @declared_attr
    def id(cls):
        return sa.Column(f"{cls.__tablename__}_id", sa.Integer, primary_key=True)
    @declared_attr
    def region(cls):
        return sa.Column(os.environ["REGION_COLUMN"], sa.Text)
class Kek(Base):
    other = sa.Column(sa.Text)
)PY");
  auto catalog = Read();
  const auto& kek = TableOf(catalog, "kek");
  // SQLAlchemy names it kek_id: the f-string over the class's table name is computed.
  EXPECT_EQ(ColumnOf(kek, "kek_id").type, "integer");
  ASSERT_TRUE(kek.primary_key.has_value());
  EXPECT_EQ(kek.primary_key->columns, std::vector<std::string>{"kek_id"});
  EXPECT_EQ(kek.FindColumn("id"), nullptr);
  EXPECT_EQ(ColumnOf(kek, "other").type, "text");
  // A name read from the environment is not guessed.
  EXPECT_EQ(kek.FindColumn("region"), nullptr);
  ASSERT_EQ(CountDiagnostics(catalog, ir::kRuleModelUnreadable), 1) << Diagnostics(catalog);
  EXPECT_EQ(catalog.diagnostics[0].location.line, 14u);
}

}  // namespace
}  // namespace dbaudit::python::testing

namespace dbaudit::python::testing {
namespace {

TEST_F(PythonModelTest, FlaskModelClassCarriesItsNamingConvention) {
  Write("ext.py", R"PY(
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase
class Base(DeclarativeBase):
    metadata = MetaData(naming_convention={"pk": "pk_%(table_name)s"})
db = SQLAlchemy(model_class=Base)
)PY");
  Write("models.py", R"PY(
from ext import db
class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)
)PY");
  auto catalog = Read();
  const auto& note = TableOf(catalog, "note");
  ASSERT_TRUE(note.primary_key.has_value());
  EXPECT_EQ(note.primary_key->name, "pk_note");
  EXPECT_EQ(catalog.tables.size(), 1u);
}

}  // namespace
}  // namespace dbaudit::python::testing

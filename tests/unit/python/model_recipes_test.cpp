// Recipes real projects use to compute table names and column types, read without running
// them. Expected names for the re.sub recipes are what CPython's re module gives.
#include "analyzer/ir/diagnostic.hpp"
#include "analyzer/python/naming.hpp"
#include "tests/unit/python/model_test_util.hpp"

namespace dbaudit::python::testing {
namespace {

TEST(CaseSplitSub, MatchesPythonsReSubOnTheCommonRecipes) {
  const std::vector<std::string> names = {"UserAccount", "HTTPRequest", "OAuth2Token", "ABTestVariant", "X"};
  auto apply = [&](const std::string& pattern, const std::string& replacement) {
    std::vector<std::string> out;
    for (const auto& name : names) out.push_back(ApplyCaseSplitSub(pattern, replacement, name).value_or("<none>"));
    return out;
  };
  EXPECT_EQ(apply("(?<!^)(?=[A-Z])", "_"),
            (std::vector<std::string>{"User_Account", "H_T_T_P_Request", "O_Auth2_Token", "A_B_Test_Variant", "X"}));
  EXPECT_EQ(apply("([A-Z])", "_\\1"), (std::vector<std::string>{"_User_Account", "_H_T_T_P_Request", "_O_Auth2_Token",
                                                                "_A_B_Test_Variant", "_X"}));
  EXPECT_EQ(apply("(.)([A-Z][a-z]+)", "\\1_\\2"),
            (std::vector<std::string>{"User_Account", "HTTP_Request", "O_Auth2_Token", "AB_TestVariant", "X"}));
  EXPECT_EQ(apply("([a-z0-9])([A-Z])", "\\1_\\2"),
            (std::vector<std::string>{"User_Account", "HTTPRequest", "OAuth2_Token", "ABTest_Variant", "X"}));
  EXPECT_EQ(apply("([A-Z]+)([A-Z][a-z])", "\\1_\\2"),
            (std::vector<std::string>{"UserAccount", "HTTP_Request", "O_Auth2Token", "AB_TestVariant", "X"}));
  EXPECT_EQ(apply("(?<=[a-z0-9])(?=[A-Z])", "_"),
            (std::vector<std::string>{"User_Account", "HTTPRequest", "OAuth2_Token", "ABTest_Variant", "X"}));
  EXPECT_EQ(apply("([a-z])([A-Z])", "\\g<1>_\\g<2>"),
            (std::vector<std::string>{"User_Account", "HTTPRequest", "OAuth2Token", "ABTest_Variant", "X"}));
  EXPECT_FALSE(ApplyCaseSplitSub("[aeiou]", "", "UserAccount").has_value());
}

TEST(SnakeCaseCandidates, CommonSpellingsWithoutDuplicates) {
  EXPECT_EQ(SnakeCaseCandidates("HTTPRequest"),
            (std::vector<std::string>{"http_request", "h_t_t_p_request", "httprequest"}));
  EXPECT_EQ(SnakeCaseCandidates("UserAccount"), (std::vector<std::string>{"user_account", "useraccount"}));
  EXPECT_EQ(SnakeCaseCandidates("Order"), (std::vector<std::string>{"order"}));
}

TEST_F(PythonModelTest, DeclaredAttrTableNamesFromHelpersAndReSub) {
  Write("app/naming.py", R"PY(
import re

def camel_to_snake(name):
    first = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z0-9])([A-Z])", r"\1_\2", first).lower()

def plural(word):
    return word + "s"
)PY");
  Write("app/models.py", R"PY(
import re
from sqlalchemy import Column, Integer
from sqlalchemy.orm import declarative_base, declared_attr
from app.naming import camel_to_snake, plural

Base = declarative_base()

class Snake:
    @declared_attr
    def __tablename__(cls):
        return camel_to_snake(cls.__name__)

class Lowered:
    @declared_attr
    def __tablename__(cls):
        return plural(cls.__name__.lower())

class Prefixed:
    @declared_attr
    def __tablename__(cls):
        return "shop_" + re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()

class OAuth2Token(Snake, Base):
    id = Column(Integer, primary_key=True)

class Invoice(Lowered, Base):
    id = Column(Integer, primary_key=True)

class GiftCard(Prefixed, Base):
    id = Column(Integer, primary_key=True)
)PY");
  auto catalog = Read();
  EXPECT_NE(catalog.FindTable("public", "o_auth2_token"), nullptr) << Diagnostics(catalog);
  EXPECT_NE(catalog.FindTable("public", "invoices"), nullptr) << Diagnostics(catalog);
  EXPECT_NE(catalog.FindTable("public", "shop_gift_card"), nullptr) << Diagnostics(catalog);
  for (const auto& table : catalog.tables) EXPECT_TRUE(table.name_alternatives.empty()) << table.name;
  EXPECT_EQ(CountDiagnostics(catalog, ir::kRuleModelUnreadable), 0) << Diagnostics(catalog);
}

TEST_F(PythonModelTest, UnreadableTableNameRecipeGivesTheCommonSpellings) {
  Write("models.py", R"PY(
from sqlalchemy import Column, Integer
from sqlalchemy.orm import declarative_base, declared_attr
from inflection import underscore

Base = declarative_base()

class Named:
    @declared_attr
    def __tablename__(cls):
        return underscore(cls.__name__)

class HTTPRequestLog(Named, Base):
    id = Column(Integer, primary_key=True)
)PY");
  auto catalog = Read();
  const auto& table = TableOf(catalog, "http_request_log");
  EXPECT_EQ(table.name_alternatives,
            (std::vector<std::string>{"http_request_log", "h_t_t_p_request_log", "httprequestlog"}));
}

TEST_F(PythonModelTest, TypeDecoratorTakesItsPostgresqlTypeFromLoadDialectImpl) {
  Write("types.py", R"PY(
from sqlalchemy.dialects import postgresql
from sqlalchemy.types import CHAR, TypeDecorator

class GUID(TypeDecorator):
    impl = CHAR
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.UUID())
        else:
            return dialect.type_descriptor(CHAR(32))

class Portable(TypeDecorator):
    impl = CHAR(16)

    def load_dialect_impl(self, dialect):
        if dialect.name != "postgresql":
            return dialect.type_descriptor(CHAR(16))
        else:
            return dialect.type_descriptor(postgresql.INET())
)PY");
  Write("models.py", R"PY(
from sqlalchemy import Column
from sqlalchemy.orm import declarative_base
from types import GUID, Portable

Base = declarative_base()

class Device(Base):
    __tablename__ = "devices"
    id = Column(GUID(), primary_key=True)
    address = Column(Portable())
)PY");
  auto catalog = Read();
  const auto& devices = TableOf(catalog, "devices");
  EXPECT_EQ(ColumnOf(devices, "id").type, "uuid");
  EXPECT_EQ(ColumnOf(devices, "address").type, "inet");
}

TEST_F(PythonModelTest, HelperReturningARelationshipIsNoColumn) {
  Write("models.py", R"PY(
from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()

def belongs_to(target, **options):
    return relationship(target, lazy="joined", **options)

def make_counter():
    return Column(Integer, nullable=False)

class Author(Base):
    __tablename__ = "authors"
    id = Column(Integer, primary_key=True)

class Book(Base):
    __tablename__ = "books"
    id = Column(Integer, primary_key=True)
    author_id = Column(ForeignKey("authors.id"))
    author = belongs_to("Author")
    reads = make_counter()
)PY");
  auto catalog = Read();
  const auto& books = TableOf(catalog, "books");
  EXPECT_EQ(books.FindColumn("author"), nullptr);
  EXPECT_NE(books.FindColumn("reads"), nullptr);  // kept, with its details unknown
  EXPECT_EQ(ColumnOf(books, "author_id").type, "integer");
}

TEST_F(PythonModelTest, ThirdPartyTypesMapToWhatPostgresqlStores) {
  Write("models.py", R"PY(
from sqlalchemy import Column, Integer, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.mutable import MutableDict
from sqlalchemy.orm import declarative_base
from sqlalchemy_utils import ChoiceType, EmailType, PasswordType, TSVectorType, URLType, UUIDType
from sqlalchemy_utc import UtcDateTime

Base = declarative_base()

class Member(Base):
    __tablename__ = "members"
    id = Column(UUIDType(binary=False), primary_key=True)
    email = Column(EmailType)
    site = Column(URLType)
    role = Column(ChoiceType([("a", "Admin")], impl=String(5)))
    level = Column(ChoiceType([(1, "One")], impl=Integer()))
    password = Column(PasswordType(schemes=["bcrypt"]))
    search = Column(TSVectorType("email"))
    settings = Column(MutableDict.as_mutable(JSONB))
    joined = Column(UtcDateTime)
    shape = Column(Geometry("POINT"))
)PY");
  auto catalog = Read();
  const auto& members = TableOf(catalog, "members");
  EXPECT_EQ(ColumnOf(members, "id").type, "uuid");
  EXPECT_EQ(ColumnOf(members, "email").type, "character varying(255)");
  EXPECT_EQ(ColumnOf(members, "site").type, "text");
  EXPECT_EQ(ColumnOf(members, "role").type, "character varying(5)");
  EXPECT_EQ(ColumnOf(members, "level").type, "integer");
  EXPECT_EQ(ColumnOf(members, "password").type, "bytea");
  EXPECT_EQ(ColumnOf(members, "search").type, "tsvector");
  EXPECT_EQ(ColumnOf(members, "settings").type, "jsonb");
  EXPECT_EQ(ColumnOf(members, "joined").type, "timestamp with time zone");
  // Unknown type: the column stays (name, nullability, keys compared), its type is not.
  EXPECT_EQ(ColumnOf(members, "shape").type, "");
  EXPECT_EQ(CountDiagnostics(catalog, ir::kRuleModelUnreadable), 1) << Diagnostics(catalog);
}

TEST_F(PythonModelTest, OneNotePerUnknownTypeHoweverManyColumnsUseIt) {
  Write("models.py", R"PY(
from sqlalchemy import Column, Integer
from sqlalchemy.orm import declarative_base
from vendor.types import Money

Base = declarative_base()

class Price(Base):
    __tablename__ = "prices"
    id = Column(Integer, primary_key=True)
    net = Column(Money)
    gross = Column(Money)
    tax = Column(Money, nullable=False)
)PY");
  auto catalog = Read();
  const auto& prices = TableOf(catalog, "prices");
  EXPECT_EQ(prices.columns.size(), 4u);
  EXPECT_EQ(ColumnOf(prices, "tax").nullable, false);
  ASSERT_EQ(CountDiagnostics(catalog, ir::kRuleModelUnreadable), 1) << Diagnostics(catalog);
  EXPECT_NE(Diagnostics(catalog).find("(the same for 2 more columns)"), std::string::npos) << Diagnostics(catalog);
}

TEST_F(PythonModelTest, ColumnsFromHelpersAndMixinAliases) {
  Write("models.py", R"PY(
from sqlalchemy import Column, Integer, String
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import declarative_base

Base = declarative_base()

def key_type(name):
    return Integer

def primary_key(name):
    return Column(key_type(name), primary_key=True)

def labelled(length):
    return Column(String(length), nullable=False)

class BaseMixin:
    id = Column(UUID(as_uuid=True), primary_key=True)

class Query(Base):
    __tablename__ = "queries"
    id = primary_key("Query")
    title = labelled(80)

class Entity(Base, BaseMixin):
    __tablename__ = "entities"
    id = BaseMixin.id
    name = Column(String(40))
)PY");
  auto catalog = Read();
  const auto& queries = TableOf(catalog, "queries");
  ASSERT_TRUE(queries.primary_key.has_value()) << Diagnostics(catalog);
  EXPECT_EQ(queries.primary_key->columns, std::vector<std::string>{"id"});
  EXPECT_EQ(ColumnOf(queries, "id").type, "integer");
  EXPECT_EQ(ColumnOf(queries, "title").nullable, false);
  EXPECT_EQ(ColumnOf(queries, "title").type, "");  // String(length): the argument is not known
  const auto& entities = TableOf(catalog, "entities");
  ASSERT_TRUE(entities.primary_key.has_value());
  EXPECT_EQ(entities.primary_key->columns, std::vector<std::string>{"id"});
  EXPECT_EQ(ColumnOf(entities, "id").type, "uuid");
  EXPECT_EQ(ColumnOf(entities, "id").location.line, 27u);
}

TEST_F(PythonModelTest, NamesBuiltWithFStringsOverModuleConstants) {
  Write("app/settings.py", "SCHEMA = 'billing'\nPREFIX = 'bl_'\n");
  Write("app/models.py", R"PY(
from sqlalchemy import Column, ForeignKey, Integer, MetaData
from sqlalchemy.orm import declarative_base, declared_attr
from app.settings import PREFIX, SCHEMA

Base = declarative_base(metadata=MetaData(schema=SCHEMA))

class Plural:
    @declared_attr
    def __tablename__(cls):
        return f"{PREFIX}{cls.__name__.lower()}s"

class Customer(Base):
    __tablename__ = f"{PREFIX}customers"
    id = Column(Integer, primary_key=True)

class Invoice(Plural, Base):
    id = Column(Integer, primary_key=True)
    customer_id = Column(ForeignKey(f"{SCHEMA}.{PREFIX}customers.id"), nullable=False)
    note = Column(f"{PREFIX}note", Integer)
)PY");
  auto catalog = Read();
  EXPECT_NE(catalog.FindTable("billing", "bl_customers"), nullptr) << Diagnostics(catalog);
  const auto& invoices = TableOf(catalog, "bl_invoices", "billing");
  ASSERT_EQ(invoices.foreign_keys.size(), 1u) << Diagnostics(catalog);
  EXPECT_EQ(invoices.foreign_keys[0].referenced_table, "bl_customers");
  EXPECT_EQ(ColumnOf(invoices, "customer_id").type, "integer");
  EXPECT_NE(invoices.FindColumn("bl_note"), nullptr);
  EXPECT_EQ(CountDiagnostics(catalog, ir::kRuleModelUnreadable), 0) << Diagnostics(catalog);
}

TEST_F(PythonModelTest, MappedAnnotationsTakeTypesFromTheBasesTypeAnnotationMap) {
  Write("app/models.py", R"PY(
import datetime
import enum
from typing import Optional

from sqlalchemy import DateTime, Enum, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

class Status(enum.Enum):
    ACTIVE = "active"
    PAUSED = "paused"

class Base(DeclarativeBase):
    type_annotation_map = {
        str: String(120),
        datetime.datetime: DateTime(timezone=True),
        dict: JSONB,
        Status: Enum(Status, name="status", values_callable=lambda kinds: [k.value for k in kinds]),
    }

class Campaign(Base):
    __tablename__ = "campaigns"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    starts: Mapped[Optional[datetime.datetime]]
    settings: Mapped[dict]
    status: Mapped[Status]
    code: Mapped[str] = mapped_column(String(8))
)PY");
  auto catalog = Read();
  const auto& campaigns = TableOf(catalog, "campaigns");
  EXPECT_EQ(ColumnOf(campaigns, "title").type, "character varying(120)");
  EXPECT_EQ(ColumnOf(campaigns, "title").nullable, false);
  EXPECT_EQ(ColumnOf(campaigns, "starts").type, "timestamp with time zone");
  EXPECT_EQ(ColumnOf(campaigns, "starts").nullable, true);
  EXPECT_EQ(ColumnOf(campaigns, "settings").type, "jsonb");
  EXPECT_EQ(ColumnOf(campaigns, "code").type, "character varying(8)");
  ASSERT_EQ(catalog.enums.size(), 1u) << Diagnostics(catalog);
  EXPECT_EQ(catalog.enums[0].name, "status");
  EXPECT_EQ(catalog.enums[0].labels, (std::vector<std::string>{"active", "paused"}));
}

TEST_F(PythonModelTest, LibraryMixinsThatMayDeclareColumnsAreSaidNotGuessed) {
  Write("models.py", R"PY(
from flask_login import UserMixin
from oauth_toolkit.sqla import TokenMixin
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()

class User(UserMixin, Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)

class Token(Base, TokenMixin):
    __tablename__ = "tokens"
    id = Column(Integer, primary_key=True)
    scope = Column(String(80))

class RefreshToken(Base, TokenMixin):
    __tablename__ = "refresh_tokens"
    id = Column(Integer, primary_key=True)
)PY");
  auto catalog = Read();
  EXPECT_TRUE(TableOf(catalog, "users").unread_bases.empty());
  EXPECT_EQ(TableOf(catalog, "tokens").unread_bases, std::vector<std::string>{"oauth_toolkit.sqla.TokenMixin"});
  EXPECT_EQ(TableOf(catalog, "refresh_tokens").unread_bases.size(), 1u);
  // Said once per library class.
  ASSERT_EQ(CountDiagnostics(catalog, ir::kRuleModelUnreadable), 1) << Diagnostics(catalog);
  EXPECT_NE(Diagnostics(catalog).find("derives from oauth_toolkit.sqla.TokenMixin"), std::string::npos);
  EXPECT_NE(Diagnostics(catalog).find("(the same for 1 more table)"), std::string::npos) << Diagnostics(catalog);
}

TEST_F(PythonModelTest, AGenericEnumEntryOfTheTypeMapServesEveryEnumClass) {
  Write("models.py", R"PY(
import enum
import sqlalchemy
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

class Reason(enum.Enum):
    FROZEN = "account frozen"
    ADMIN = "admin initiated"

class Base(DeclarativeBase):
    type_annotation_map = {enum.Enum: sqlalchemy.Enum(enum.Enum, values_callable=lambda x: [e.value for e in x])}

class Account(Base):
    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(primary_key=True)
    disabled_for: Mapped[Reason | None]
)PY");
  auto catalog = Read();
  EXPECT_EQ(ColumnOf(TableOf(catalog, "accounts"), "disabled_for").type, "public.reason");
  const auto* reason = catalog.FindEnum("public", "reason");
  ASSERT_NE(reason, nullptr) << Diagnostics(catalog);
  EXPECT_EQ(reason->labels, (std::vector<std::string>{"account frozen", "admin initiated"}));
}

TEST_F(PythonModelTest, TablesMadeInAModuleLevelLoopOverLiteralNames) {
  Write("models.py", R"PY(
from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table

metadata = MetaData()
roles = Table("roles", metadata, Column("id", Integer, primary_key=True))

for entity in ("user", "group"):
    table = Table(
        f"{entity}_role_map",
        metadata,
        Column(f"{entity}_id", Integer, primary_key=True),
        Column("role_id", ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True),
    )
)PY");
  auto catalog = Read();
  const auto& users = TableOf(catalog, "user_role_map");
  EXPECT_NE(users.FindColumn("user_id"), nullptr);
  const auto& groups = TableOf(catalog, "group_role_map");
  EXPECT_NE(groups.FindColumn("group_id"), nullptr);
  ASSERT_EQ(groups.foreign_keys.size(), 1u);
  EXPECT_EQ(groups.foreign_keys[0].referenced_table, "roles");
  EXPECT_EQ(catalog.tables.size(), 3u);
}

TEST_F(PythonModelTest, TablesKeptOnAPlainClassThroughAForwardingWrapper) {
  Write("app/util.py", R"PY(
import sqlalchemy as sa

def Table(*args, **kwargs):
    kwargs["mysql_character_set"] = "utf8"
    return sa.Table(*args, **kwargs)
)PY");
  Write("app/model.py", R"PY(
import sqlalchemy as sa
from app import util

class Model:
    metadata = sa.MetaData()

    builds = util.Table(
        "builds",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("number", sa.Integer, nullable=False),
    )

    def helper(self):
        return sa.Table("not_a_table", self.metadata)
)PY");
  auto catalog = Read();
  ASSERT_EQ(catalog.tables.size(), 1u) << Diagnostics(catalog);
  EXPECT_EQ(ColumnOf(TableOf(catalog, "builds"), "number").nullable, false);
}

TEST_F(PythonModelTest, TableNamesFromClassAttributesAndClassmethods) {
  Write("models.py", R"PY(
from sqlalchemy import Column, Integer
from sqlalchemy.orm import declarative_base, declared_attr

Base = declarative_base()

class Flavored:
    __flavor__ = None
    __tablename_base__ = None

    @classmethod
    def _prefix(cls):
        return cls.__flavor__.lower() + "_"

    @classmethod
    def _table_prefix(cls, name):
        return cls._prefix() + name

    @declared_attr
    def __tablename__(cls):
        return cls._table_prefix(cls.__tablename_base__)

class TorrentBase(Flavored):
    __tablename_base__ = "torrents"
    id = Column(Integer, primary_key=True)

class GreenTorrent(TorrentBase, Base):
    __flavor__ = "Green"

class BlueTorrent(TorrentBase, Base):
    __flavor__ = "Blue"
)PY");
  auto catalog = Read();
  EXPECT_NE(catalog.FindTable("public", "green_torrents"), nullptr) << Diagnostics(catalog);
  EXPECT_NE(catalog.FindTable("public", "blue_torrents"), nullptr) << Diagnostics(catalog);
  for (const auto& table : catalog.tables) EXPECT_TRUE(table.name_alternatives.empty()) << table.name;
}

TEST_F(PythonModelTest, IndexesDeclaredInAPlainClassBodyNextToItsTables) {
  Write("model.py", R"PY(
import sqlalchemy as sa

class Model:
    metadata = sa.MetaData()

    builds = sa.Table(
        "builds",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("builder", sa.Integer, nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
    )

    sa.Index("builds_builder", builds.c.builder)
    sa.Index("builds_number", builds.c.builder, builds.c.number, unique=True)
)PY");
  auto catalog = Read();
  const auto& builds = TableOf(catalog, "builds");
  ASSERT_EQ(builds.indexes.size(), 2u) << Diagnostics(catalog);
  EXPECT_EQ(builds.indexes[0].keys, std::vector<std::string>{"builder"});
  EXPECT_EQ(builds.indexes[1].keys, (std::vector<std::string>{"builder", "number"}));
  EXPECT_TRUE(builds.indexes[1].unique);
  EXPECT_EQ(CountDiagnostics(catalog, ir::kRuleModelUnreadable), 0) << Diagnostics(catalog);
}

TEST_F(PythonModelTest, HelperColumnAfterComputedArguments) {
  Write("models.py", R"PY(
import functools
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
Column = functools.partial(db.Column, nullable=False)
key_definitions = load_key_definitions()

def primary_key(name):
    key_type, kwargs = key_definitions[name]
    return Column(key_type, primary_key=True, **kwargs)

class DataSource(db.Model):
    __tablename__ = "data_sources"
    id = primary_key("DataSource")
    name = Column(db.String(255))
)PY");
  auto catalog = Read();
  const auto& sources = TableOf(catalog, "data_sources");
  ASSERT_TRUE(sources.primary_key.has_value()) << Diagnostics(catalog);
  EXPECT_EQ(sources.primary_key->columns, std::vector<std::string>{"id"});
  EXPECT_EQ(ColumnOf(sources, "id").type, "");
  EXPECT_EQ(ColumnOf(sources, "name").nullable, false);
}

TEST_F(PythonModelTest, AForeignKeyTypesAColumnOverItsMappedAnnotation) {
  // SQLAlchemy 2.0 compiles `t_id: Mapped[str] = mapped_column(ForeignKey("t.id"))` to the
  // referenced column's type (uuid here), not to the annotation's varchar.
  Write("models.py", R"PY(
import uuid
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

class Base(DeclarativeBase):
    pass

class Target(Base):
    __tablename__ = "t"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)

class Source(Base):
    __tablename__ = "s"
    id: Mapped[int] = mapped_column(primary_key=True)
    t_id: Mapped[str] = mapped_column(ForeignKey("t.id"))
    label: Mapped[str] = mapped_column(String(12), ForeignKey("t.id"))
)PY");
  auto catalog = Read();
  const auto& source = TableOf(catalog, "s");
  EXPECT_EQ(ColumnOf(source, "t_id").type, "uuid");
  EXPECT_EQ(ColumnOf(source, "t_id").nullable, false);
  EXPECT_EQ(ColumnOf(source, "label").type, "character varying(12)");  // an explicit type wins
}

TEST_F(PythonModelTest, FlaskSubclassWithoutItsOwnKeySharesItsParentsTable) {
  Write("models.py", R"PY(
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()

class User(db.Model):
    __tablename__ = "users"
    id = db.Column(db.Integer, primary_key=True)
    type = db.Column(db.String(80))
    __mapper_args__ = {"polymorphic_on": type, "polymorphic_identity": "user"}

class Admin(User):
    __tablename__ = "admins"
    __mapper_args__ = {"polymorphic_identity": "admin"}

class Auditor(User):
    __tablename__ = "auditors"
    id = db.Column(db.Integer, db.ForeignKey("users.id"), primary_key=True)
)PY");
  auto catalog = Read();
  EXPECT_EQ(catalog.FindTable("public", "admins"), nullptr);
  EXPECT_EQ(TableOf(catalog, "users").mapped_by, (std::vector<std::string>{"models.Admin", "models.User"}));
  EXPECT_NE(catalog.FindTable("public", "auditors"), nullptr);  // joined: its own key
}

TEST_F(PythonModelTest, AnIndexAssignedInTheClassBodyBelongsToTheTable) {
  Write("models.py", R"PY(
from sqlalchemy import Column, DateTime, Index, Integer
from sqlalchemy.orm import declarative_base

Base = declarative_base()

class Certificate(Base):
    __tablename__ = "certificates"
    id = Column(Integer, primary_key=True)
    not_after = Column(DateTime)
    not_after_ix = Index("ix_certificates_not_after", not_after)
)PY");
  auto catalog = Read();
  const auto& certificates = TableOf(catalog, "certificates");
  EXPECT_EQ(certificates.FindColumn("not_after_ix"), nullptr);
  ASSERT_EQ(certificates.indexes.size(), 1u) << Diagnostics(catalog);
  EXPECT_EQ(certificates.indexes[0].name, "ix_certificates_not_after");
  EXPECT_EQ(certificates.indexes[0].keys, std::vector<std::string>{"not_after"});
}

// Expected tables are what SQLAlchemy 2.0's CreateTable / CreateIndex print for the same models.
TEST_F(PythonModelTest, InheritanceShapesOfSqlalchemy2) {
  Write("models.py", R"PY(
import enum
from typing import Literal
from sqlalchemy import ForeignKey, Index, String, literal_column
from sqlalchemy.ext.declarative import AbstractConcreteBase
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

class Shape(str, enum.Enum):
    circle = "circle"
    square = "square"

class Base(DeclarativeBase):
    pass

class Figure(Base):
    __tablename__ = "figures"
    id: Mapped[int] = mapped_column(primary_key=True)
    shape: Mapped[Shape] = mapped_column(String, nullable=False, index=True)
    __mapper_args__ = {"polymorphic_on": "shape"}

class Circle(Figure):
    # Narrows the annotation only: the column stays as Figure declared it, index included.
    shape: Mapped[Literal[Shape.circle]] = mapped_column(use_existing_column=True)
    __mapper_args__ = {"polymorphic_identity": Shape.circle}

class Remark(AbstractConcreteBase, Base):
    text: Mapped[str] = mapped_column(String(50))

class FigureRemark(Remark):
    __tablename__ = "figure_remarks"
    id: Mapped[int] = mapped_column(primary_key=True)
    figure_id: Mapped[int] = mapped_column(ForeignKey(f"{Figure.__tablename__}.id"))
    __mapper_args__ = {"polymorphic_identity": "figure", "concrete": True}

class Tick(Base):
    __tablename__ = "ticks"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[int]
    __table_args__ = (Index("ix_ticks_at", "id", literal_column("at DESC")),)
)PY");
  auto catalog = Read();
  EXPECT_EQ(catalog.tables.size(), 3u) << Diagnostics(catalog);  // no table for the abstract Remark
  const auto& figures = TableOf(catalog, "figures");
  ASSERT_EQ(figures.indexes.size(), 1u);
  EXPECT_EQ(figures.indexes[0].keys, std::vector<std::string>{"shape"});
  EXPECT_EQ(ColumnOf(figures, "shape").type, "character varying");
  const auto& remarks = TableOf(catalog, "figure_remarks");
  EXPECT_EQ(ColumnOf(remarks, "text").type, "character varying(50)");
  ASSERT_EQ(remarks.foreign_keys.size(), 1u);
  EXPECT_EQ(remarks.foreign_keys[0].referenced_table, "figures");
  // The database readers keep an index key without its sort order; so does the model reader.
  const auto& ticks = TableOf(catalog, "ticks");
  ASSERT_EQ(ticks.indexes.size(), 1u);
  EXPECT_EQ(ticks.indexes[0].keys, (std::vector<std::string>{"id", "at"}));
}

TEST_F(PythonModelTest, ServerDefaultsGivenPositionallyOrThroughAnEnumClassmethod) {
  Write("models.py", R"PY(
import enum
from sqlalchemy import Column, DateTime, DefaultClause, Enum, Integer, Text, func
from sqlalchemy.orm import declarative_base

Base = declarative_base()

class Mode(enum.Enum):
    OFF = 0
    ON = 1

    @classmethod
    def default(cls):
        return cls.ON

def site_default():
    import os
    return os.environ.get("SITE", "main")

class Job(Base):
    __tablename__ = "jobs"
    id = Column(Integer, primary_key=True)
    queued_at = Column(DateTime, DefaultClause(func.now()), nullable=False)
    mode = Column(Enum(Mode), nullable=False, server_default=Mode.default().name)
    site = Column(Text, server_default=site_default())
)PY");
  auto catalog = Read();
  const auto& jobs = TableOf(catalog, "jobs");
  EXPECT_EQ(ColumnOf(jobs, "queued_at").server_default, "now()");
  EXPECT_EQ(ColumnOf(jobs, "mode").server_default, "'ON'");
  // What cannot be rendered is not compared: no default rather than the Python text.
  EXPECT_EQ(ColumnOf(jobs, "site").server_default, std::nullopt);
  EXPECT_NE(Diagnostics(catalog).find("'site_default()' is not an expression"), std::string::npos)
      << Diagnostics(catalog);
}

TEST_F(PythonModelTest, ANameUsedAboveAClassOfTheSameNameIsStillTheImport) {
  Write("app/__init__.py", "");
  Write("app/services.py", R"PY(
from sqlalchemy import Column, Integer
from app.base import Base

class Service(Base):
    __tablename__ = "services"
    id = Column(Integer, primary_key=True)
)PY");
  Write("app/base.py", R"PY(
from sqlalchemy.orm import declarative_base
Base = declarative_base()
)PY");
  Write("app/signals.py", R"PY(
from pydantic import BaseModel
from sqlalchemy import Column, ForeignKey, Integer
from app.base import Base
from app.services import Service

class Signal(Base):
    __tablename__ = "signals"
    id = Column(Integer, primary_key=True)
    service_id = Column(Integer, ForeignKey(Service.id))

class Service(BaseModel):
    name: str
)PY");
  auto catalog = Read();
  const auto& signals = TableOf(catalog, "signals");
  ASSERT_EQ(signals.foreign_keys.size(), 1u) << Diagnostics(catalog);
  EXPECT_EQ(signals.foreign_keys[0].referenced_table, "services");
  EXPECT_EQ(catalog.tables.size(), 2u);
}

TEST_F(PythonModelTest, SqlmodelStoresStrLikeTypesAsVarchar) {
  Write("models.py", R"PY(
import ipaddress
from pydantic import EmailStr
from sqlmodel import Field, SQLModel

class Member(SQLModel, table=True):
    id: int = Field(primary_key=True)
    email: EmailStr = Field(max_length=255)
    backup_email: EmailStr | None = None
    last_ip: ipaddress.IPv4Address | None = None
)PY");
  auto catalog = Read();
  const auto& member = TableOf(catalog, "member");
  EXPECT_EQ(ColumnOf(member, "email").type, "character varying(255)");
  EXPECT_EQ(ColumnOf(member, "backup_email").type, "character varying");
  EXPECT_EQ(ColumnOf(member, "last_ip").type, "character varying");
}
}  // namespace
}  // namespace dbaudit::python::testing

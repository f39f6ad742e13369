// Code that runs once per mapped class: a mixin's declared_attr bodies, which see the class
// they are evaluated for (`cls`), and the classes such bodies build with type() (a side table
// per parent). Each is read as SQLAlchemy would evaluate it for every class that inherits it.
#include <algorithm>

#include "analyzer/ir/diagnostic.hpp"
#include "tests/unit/python/model_test_util.hpp"

namespace dbaudit::python::testing {
namespace {

bool HasForeignKey(const ir::Table& table, const std::vector<std::string>& columns, const std::string& referenced,
                   const std::vector<std::string>& referenced_columns) {
  return std::any_of(table.foreign_keys.begin(), table.foreign_keys.end(), [&](const ir::ForeignKey& fk) {
    return fk.columns == columns && fk.referenced_table == referenced && fk.referenced_columns == referenced_columns;
  });
}

const char* const kCommentMixins = R"PY(
from sqlalchemy import Column, ForeignKey, Integer, Unicode, UnicodeText
from sqlalchemy.orm import declarative_base, declared_attr, relationship

Base = declarative_base()

class Keyed:
    id = Column(Integer, primary_key=True)

    @declared_attr
    def __tablename__(cls):
        return cls.__name__.lower()

class CommentFields:
    text = Column(UnicodeText(), nullable=False)

class CommentsMixin:
    @declared_attr
    def comments(self):
        name = f"{self.__name__:s}Comment"
        self.Comment = type(
            name,
            (CommentFields, Keyed, Base),
            {
                "__tablename__": f"{self.__tablename__!s}_comment",
                "parent_id": Column(Integer, ForeignKey(f"{self.__tablename__}.id"), nullable=False),
                "parent": relationship(self, viewonly=True),
            },
        )
        return relationship(self.Comment)

class TagsMixin:
    @declared_attr
    def tags(cls):
        cls.Tag = type("%sTag" % cls.__name__, (Keyed, Base),
                       {"__tablename__": cls.__tablename__ + "_tag", "label": Column(Unicode(30))})
        return relationship(cls.Tag)
)PY";

TEST_F(PythonModelTest, AMixinsDeclaredAttrBuildsASideTablePerMappedClass) {
  Write("app/mixins.py", kCommentMixins);
  Write("app/models.py", R"PY(
from sqlalchemy import Column, Integer, Unicode
from app.mixins import Base, CommentsMixin, Keyed, TagsMixin

class Story(CommentsMixin, TagsMixin, Keyed, Base):
    title = Column(Unicode(80))

class Photo(CommentsMixin, Keyed, Base):
    caption = Column(Unicode(80))

class Draft(Story):
    pass  # single-table inheritance: no table, so no second story_comment

class Template(CommentsMixin, Keyed, Base):
    __abstract__ = True
)PY");
  auto catalog = Read();
  const auto& story_comment = TableOf(catalog, "story_comment");
  EXPECT_EQ(ColumnOf(story_comment, "text").type, "text");
  EXPECT_EQ(ColumnOf(story_comment, "parent_id").nullable, false);
  EXPECT_NE(story_comment.FindColumn("id"), nullptr);
  EXPECT_EQ(story_comment.FindColumn("parent"), nullptr);  // a relationship
  EXPECT_TRUE(HasForeignKey(story_comment, {"parent_id"}, "story", {"id"})) << Diagnostics(catalog);
  EXPECT_TRUE(HasForeignKey(TableOf(catalog, "photo_comment"), {"parent_id"}, "photo", {"id"}));
  EXPECT_EQ(ColumnOf(TableOf(catalog, "story_tag"), "label").type, "character varying(30)");
  EXPECT_EQ(catalog.FindTable("public", "photo_tag"), nullptr);  // Photo has no TagsMixin
  EXPECT_EQ(catalog.FindTable("public", "draft_comment"), nullptr);
  EXPECT_EQ(catalog.FindTable("public", "template_comment"), nullptr);
  EXPECT_EQ(catalog.tables.size(), 5u) << Diagnostics(catalog);  // story, photo and their side tables
  // The mixin's own attributes are relationships: no column, and nothing to say about them.
  EXPECT_EQ(TableOf(catalog, "story").FindColumn("comments"), nullptr);
  EXPECT_EQ(CountDiagnostics(catalog, ir::kRuleModelUnreadable), 0) << Diagnostics(catalog);
}

TEST_F(PythonModelTest, ATypeCallTheReaderCannotFollowIsSaidOnceAndMakesNoTable) {
  Write("app/models.py", R"PY(
from sqlalchemy import Column, Integer
from sqlalchemy.orm import declarative_base, declared_attr, relationship

Base = declarative_base()

def audit_namespace(cls):
    return {"__tablename__": cls.__tablename__ + "_audit", "id": Column(Integer, primary_key=True)}

class AuditMixin:
    @declared_attr
    def audit(cls):
        cls.Audit = type(cls.__name__ + "Audit", (Base,), audit_namespace(cls))
        return relationship(cls.Audit)

class Invoice(AuditMixin, Base):
    __tablename__ = "invoice"
    id = Column(Integer, primary_key=True)

class Receipt(AuditMixin, Base):
    __tablename__ = "receipt"
    id = Column(Integer, primary_key=True)
)PY");
  auto catalog = Read();
  EXPECT_EQ(catalog.tables.size(), 2u);
  int notes = 0;
  for (const auto& d : catalog.diagnostics) {
    if (d.message.find("builds a mapped class with type()") != std::string::npos) {
      ++notes;
      EXPECT_EQ(d.location.line, 13u);  // the type() call
      EXPECT_NE(d.message.find("not a dict literal"), std::string::npos) << d.message;
    }
  }
  EXPECT_EQ(notes, 1) << Diagnostics(catalog);
}

TEST_F(PythonModelTest, DeclaredAttrBodiesSeeTheClassTheyAreReadFor) {
  Write("models.py", R"PY(
from sqlalchemy import Column, ForeignKey, ForeignKeyConstraint, Index, Integer
from sqlalchemy.orm import declarative_base, declared_attr

Base = declarative_base()

class Sited:
    __site__ = None

    @classmethod
    def _named(cls, name):
        return cls.__site__ + "_" + name

    @declared_attr
    def __tablename__(cls):
        return cls._named(cls.__stem__)

class ShelfBase(Sited):
    __stem__ = "shelves"
    id = Column(Integer, primary_key=True)
    row = Column(Integer, nullable=False)

class BookBase(Sited):
    __stem__ = "books"
    id = Column(Integer, primary_key=True)
    shelf_row = Column(Integer, nullable=False)

    @declared_attr
    def shelf_id(cls):
        target = ForeignKey(cls._named("shelves.id"), ondelete="CASCADE")
        return Column(Integer, target, nullable=False)

    @declared_attr
    def sequel_id(cls):
        key = cls._named("books") + ".id"
        return Column(Integer, ForeignKey(key))

    @declared_attr
    def __table_args__(cls):
        return (
            Index(cls._named("books_shelf_idx"), "shelf_id", "shelf_row"),
            ForeignKeyConstraint(["shelf_id", "shelf_row"], [cls._named("shelves.id"), cls._named("shelves.row")]),
        )

class NorthShelf(ShelfBase, Base):
    __site__ = "north"

class SouthShelf(ShelfBase, Base):
    __site__ = "south"

class NorthBook(BookBase, Base):
    __site__ = "north"
    id = Column(Integer, primary_key=True)
    # A key of this very class body, named as Python sees it there.
    prequel_id = Column(Integer, ForeignKey(id))

class SouthBook(BookBase, Base):
    __site__ = "south"
)PY");
  auto catalog = Read();
  for (const std::string site : {"north", "south"}) {
    SCOPED_TRACE(site);
    const auto& books = TableOf(catalog, site + "_books");
    EXPECT_EQ(ColumnOf(books, "shelf_id").nullable, false);
    EXPECT_TRUE(HasForeignKey(books, {"shelf_id"}, site + "_shelves", {"id"})) << Diagnostics(catalog);
    EXPECT_TRUE(HasForeignKey(books, {"sequel_id"}, site + "_books", {"id"}));
    EXPECT_TRUE(HasForeignKey(books, {"shelf_id", "shelf_row"}, site + "_shelves", {"id", "row"}));
    ASSERT_EQ(books.indexes.size(), 1u);
    EXPECT_EQ(books.indexes[0].name, site + "_books_shelf_idx");
    EXPECT_EQ(books.indexes[0].keys, (std::vector<std::string>{"shelf_id", "shelf_row"}));
  }
  EXPECT_TRUE(HasForeignKey(TableOf(catalog, "north_books"), {"prequel_id"}, "north_books", {"id"}));
  EXPECT_EQ(CountDiagnostics(catalog, ir::kRuleModelUnreadable), 0) << Diagnostics(catalog);
}

TEST_F(PythonModelTest, FStringsWithAStringConversionOrFormatAreRead) {
  Write("models.py", R"PY(
from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import declarative_base

Base = declarative_base()
PREFIX = "shop"

class Order(Base):
    __tablename__ = f"{PREFIX:s}_order"
    id = Column(Integer, primary_key=True)

class Line(Base):
    __tablename__ = f"{PREFIX!s}_line"
    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey(f"{PREFIX}_order.id"))

class Odd(Base):
    __tablename__ = f"{PREFIX!r}_odd"  # quotes in the name: not a name the reader makes up
    id = Column(Integer, primary_key=True)
)PY");
  auto catalog = Read();
  EXPECT_NE(catalog.FindTable("public", "shop_order"), nullptr) << Diagnostics(catalog);
  EXPECT_TRUE(HasForeignKey(TableOf(catalog, "shop_line"), {"order_id"}, "shop_order", {"id"}));
  EXPECT_EQ(catalog.tables.size(), 2u);
  EXPECT_NE(Diagnostics(catalog).find("Odd"), std::string::npos) << Diagnostics(catalog);
}

TEST_F(PythonModelTest, AMixinNoModelUsesChangesNothingElse) {
  Write("app/mixins.py", kCommentMixins);
  Write("app/tables.py", R"PY(
import sqlalchemy as sa
from app.mixins import Base

visits = sa.Table("visits", Base.metadata, sa.Column("id", sa.Integer, primary_key=True), sa.Column("at", sa.DateTime))
sa.Index("visits_at", visits.c.at)

class Registry:
    hits = sa.Table("hits", Base.metadata, sa.Column("id", sa.Integer, primary_key=True), sa.Column("path", sa.Text))
    sa.Index("hits_path", hits.c.path)
)PY");
  auto catalog = Read();
  EXPECT_EQ(catalog.tables.size(), 2u) << Diagnostics(catalog);
  EXPECT_EQ(TableOf(catalog, "visits").indexes.size(), 1u);
  EXPECT_EQ(TableOf(catalog, "hits").indexes.size(), 1u);
}
}  // namespace
}  // namespace dbaudit::python::testing

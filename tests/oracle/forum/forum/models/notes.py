"""Per-parent side tables: a mixin gives every model that uses it a table of its own."""
from sqlalchemy import Boolean, Column, ForeignKey, Integer, Unicode, UnicodeText
from sqlalchemy.ext.declarative import declared_attr
from sqlalchemy.orm import relationship

from forum.models.base import Base, Keyed


class NoteFields:
    body = Column(UnicodeText(), nullable=False)

    @declared_attr
    def author_id(cls):
        return Column(Integer, ForeignKey("person.id"))


class FlagFields:
    flag = Column(Unicode(40), nullable=False)
    raised = Column(Boolean, nullable=False, default=False)


class NotesMixin:
    """Adds <table>_note, one row per note on a row of the parent."""

    @declared_attr
    def notes(self):
        class_name = f"{self.__name__:s}Note"
        self.Note = type(
            class_name,
            (NoteFields, Keyed, Base),
            {
                "__tablename__": f"{self.__tablename__:s}_note",
                "parent_id": Column(Integer, ForeignKey(f"{self.__tablename__:s}.id"), nullable=False),
                "parent": relationship(self, viewonly=True),
            },
        )
        return relationship(self.Note, cascade="all, delete-orphan")

    def add_note(self, body):
        self.notes.append(self.Note(body=body))


class FlagsMixin:
    """Adds <table>_flag, named with the classic %-format."""

    @declared_attr
    def flags(cls):
        cls.Flag = type(
            "%sFlag" % cls.__name__,
            (FlagFields, Keyed, Base),
            {
                "__tablename__": "%s_flag" % cls.__tablename__,
                "parent_id": Column(Integer, ForeignKey(cls.__tablename__ + ".id", ondelete="CASCADE")),
            },
        )
        return relationship(cls.Flag)

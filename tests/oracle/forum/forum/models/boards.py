"""The same tables once per site flavour: names come from a class attribute."""
from sqlalchemy import Column, ForeignKey, ForeignKeyConstraint, Index, Integer, Unicode, UniqueConstraint
from sqlalchemy.ext.declarative import declared_attr

from forum.models.base import Base


class Flavoured:
    __flavour__ = None

    @classmethod
    def _prefix(cls):
        return cls.__flavour__.lower() + "_"

    @classmethod
    def _named(cls, name):
        return cls._prefix() + name

    @declared_attr
    def __tablename__(cls):
        return cls._named(cls.__stem__)


class BoardBase(Flavoured):
    __stem__ = "boards"

    id = Column(Integer, primary_key=True)
    section = Column(Integer, nullable=False)
    title = Column(Unicode(120), nullable=False)
    __table_args__ = (UniqueConstraint("id", "section"),)


class PostBase(Flavoured):
    __stem__ = "posts"

    id = Column(Integer, primary_key=True)
    board_section = Column(Integer, nullable=False)

    @declared_attr
    def board_id(cls):
        target = ForeignKey(cls._named("boards.id"), ondelete="CASCADE")
        return Column(Integer, target, nullable=False)

    @declared_attr
    def moved_to(cls):
        key = cls._named("posts") + ".id"
        return Column(Integer, ForeignKey(key), nullable=True)

    @declared_attr
    def __table_args__(cls):
        return (
            Index(cls._named("posts_board_idx"), "board_id", "board_section"),
            ForeignKeyConstraint(
                ["board_id", "board_section"],
                [cls._named("boards.id"), cls._named("boards.section")],
            ),
        )


class MainBoard(BoardBase, Base):
    __flavour__ = "Main"


class ArchiveBoard(BoardBase, Base):
    __flavour__ = "Archive"


class MainPost(PostBase, Base):
    __flavour__ = "Main"


class ArchivePost(PostBase, Base):
    __flavour__ = "Archive"

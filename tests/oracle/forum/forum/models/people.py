from sqlalchemy import Column, ForeignKey, Integer, Unicode

from forum.models.base import Base, Keyed
from forum.models.notes import FlagsMixin, NotesMixin


class Person(NotesMixin, Keyed, Base):
    handle = Column(Unicode(60), nullable=False, unique=True)


class Topic(NotesMixin, FlagsMixin, Keyed, Base):
    id = Column(Integer, primary_key=True)
    title = Column(Unicode(200), nullable=False)
    owner_id = Column(Integer, ForeignKey("person.id"), nullable=False)
    # Replies point at another topic of the same table, by the name the key has in this class body.
    reply_to_id = Column(Integer, ForeignKey(id))

import enum

from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Mood(enum.Enum):
    happy = "happy"
    sad = "sad"


class Ticket(db.Model):
    __tablename__ = "tickets"
    id = db.Column(db.Integer, primary_key=True)
    # The database type lacks 'open': fires.
    status = db.Column(db.Enum("new", "open", "done", name="ticket_status"), nullable=False)
    # No such type in the database: fires.
    priority = db.Column(db.Enum("low", "high", name="ticket_priority"))
    # Same labels, same order: must not fire.
    mood = db.Column(db.Enum(Mood, name="mood"))

from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Event(db.Model):
    __tablename__ = "events"
    __table_args__ = (db.Index("ix_events_kind_created_at", "kind", "created_at"),)

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, index=True)  # no index in the database: fires
    kind = db.Column(db.String(40), nullable=False)
    created_at = db.Column(db.DateTime(timezone=True), index=True)  # indexed under another name: must not fire

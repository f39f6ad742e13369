from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Event(db.Model):
    __tablename__ = "events"
    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, index=True)  # indexed on both sides: must not fire
    email = db.Column(db.String(255))
    created_at = db.Column(db.DateTime(timezone=True))

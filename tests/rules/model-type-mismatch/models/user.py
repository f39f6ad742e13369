from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class User(db.Model):
    __tablename__ = "users"
    id = db.Column(db.Integer, primary_key=True)  # serial in the database: must not fire
    email = db.Column(db.String(120), nullable=False)  # varchar(255) in the database: fires
    name = db.Column(db.String, nullable=False)  # String vs varchar(255): must not fire
    balance = db.Column(db.Numeric)  # Numeric vs numeric(10,2): must not fire
    age = db.Column(db.Integer)  # bigint in the database: fires
    last_seen = db.Column(db.DateTime)  # timestamp with time zone in the database: fires

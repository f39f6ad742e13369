from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


user_roles = db.Table(
    "user_roles",
    db.Column("user_id", db.Integer, db.ForeignKey("users.id"), primary_key=True),
    db.Column("role", db.String(40), primary_key=True),
)


class User(db.Model):
    """Exists in the database: must not fire."""

    __tablename__ = "users"
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(255), nullable=False)


class Invoice(db.Model):
    """No such table: fires."""

    __tablename__ = "invoices"
    id = db.Column(db.Integer, primary_key=True)
    total = db.Column(db.Numeric(10, 2), nullable=False)


class Customer(db.Model):
    """The database calls it clients: fires with a possible-rename hint."""

    __tablename__ = "customers"
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(120), nullable=False)
    email = db.Column(db.String(255))

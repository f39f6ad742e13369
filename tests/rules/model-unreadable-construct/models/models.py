from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()

from sqlalchemy.orm import declared_attr

from .naming import make_table_name


class TenantBase(db.Model):
    __abstract__ = True

    @declared_attr
    def __tablename__(cls):
        # Computed by a function defined elsewhere, by a lookup: the spellings a class name
        # commonly gets ("invoice") are not tables of the database (note).
        return make_table_name(cls.__name__)

    id = db.Column(db.Integer, primary_key=True)


def money_column(precise=True):
    # Which column it builds depends on its argument: not followed.
    if precise:
        return db.Column(db.Numeric(10, 2))
    return db.Column(db.Float)


class Invoice(TenantBase):
    total = db.Column(db.Numeric(10, 2))


class Payment(db.Model):
    __tablename__ = "payments"
    id = db.Column(db.Integer, primary_key=True)
    # Built by a helper function: not read (note).
    amount = money_column()


class User(db.Model):
    """Plain model: must not produce a note."""

    __tablename__ = "users"
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(255), nullable=False)

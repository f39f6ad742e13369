"""Customers and their addresses."""
import enum

from sqlalchemy import text

from app import db
from app.models.mixins import TimestampMixin

EMAIL_LENGTH = 255
USERNAME_LENGTH = 120


class UserRole(enum.Enum):
    customer = "customer"
    staff = "staff"
    admin = "admin"


class User(TimestampMixin, db.Model):
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(EMAIL_LENGTH), unique=True, nullable=False)
    username = db.Column(db.String(USERNAME_LENGTH), nullable=False)
    display_name = db.Column(db.String)
    password_hash = db.Column(db.String(255), nullable=False)
    is_active = db.Column(db.Boolean, nullable=False, server_default=text("true"))
    role = db.Column(db.Enum(UserRole, name="user_role"), nullable=False, server_default="customer")
    phone = db.Column(db.String(32))

    addresses = db.relationship("Address", back_populates="user", cascade="all, delete-orphan")
    orders = db.relationship("Order", back_populates="user")

    def __repr__(self):
        return f"<User {self.email}>"


class Address(db.Model):
    __tablename__ = "addresses"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    line1 = db.Column(db.String(200), nullable=False)
    line2 = db.Column(db.String(200))
    city = db.Column(db.String(100), nullable=False)
    postal_code = db.Column(db.String(20), nullable=True)
    country = db.Column(db.String(2), nullable=False, server_default="US")

    user = db.relationship("User", back_populates="addresses")

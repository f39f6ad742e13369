from datetime import datetime

from sqlalchemy import DateTime, func, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Order(Base):
    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at = mapped_column(DateTime(timezone=True), default=datetime.utcnow)  # Python only: fires


class Invoice(Base):
    __tablename__ = "invoices"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at = mapped_column(DateTime(timezone=True), nullable=False)  # NOT NULL, no default anywhere: fires


class Customer(Base):
    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at = mapped_column(DateTime(timezone=True), default=datetime.utcnow)  # DB DEFAULT now(): must not fire


class Payment(Base):
    __tablename__ = "payments"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at = mapped_column(DateTime(timezone=True), server_default=func.now())  # CURRENT_TIMESTAMP: must not fire


class Refund(Base):
    __tablename__ = "refunds"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at = mapped_column(DateTime(timezone=True), server_default=text("timezone('utc', now())"))  # must not fire


class Shipment(Base):
    __tablename__ = "shipments"
    id: Mapped[int] = mapped_column(primary_key=True)
    # The database lacks this server_default: model-server-default-mismatch says so, not this rule.
    created_at = mapped_column(DateTime(timezone=True), server_default=func.now())


class LegacyImport(Base):
    __tablename__ = "legacy_imports"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at = mapped_column(DateTime(timezone=True))  # a constant DEFAULT in the DB: fires


class Note(Base):
    __tablename__ = "notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str]
    created_at = mapped_column(DateTime(timezone=True))  # a BEFORE INSERT trigger sets it: must not fire


class Tag(Base):
    __tablename__ = "tags"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at = mapped_column(DateTime(timezone=True))  # trigger "set_created_at" sets updated_at only: fires
    updated_at = mapped_column(DateTime(timezone=True))


class Review(Base):
    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at = mapped_column(DateTime(timezone=True))  # only an AFTER INSERT trigger assigns it: fires

# public.events has no model: its created_at has no default either: fires at the database.

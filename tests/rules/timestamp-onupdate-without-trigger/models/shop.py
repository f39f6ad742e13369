from datetime import datetime

from sqlalchemy import DateTime, FetchedValue, Integer, String, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Order(Base):
    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    # Claims the database maintains it; no trigger does: fires.
    updated_at = mapped_column(DateTime(timezone=True), server_default=func.now(), server_onupdate=FetchedValue())


class Customer(Base):
    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str]
    status_changed_at = mapped_column(DateTime(timezone=True))
    # Trigger function zz_row_maintenance sets it (inside an IF): must not fire.
    updated_at = mapped_column(DateTime(timezone=True), server_default=func.now(), server_onupdate=FetchedValue())


class Invoice(Base):
    __tablename__ = "invoices"
    id: Mapped[int] = mapped_column(primary_key=True)
    modified_by: Mapped[str]
    # The trigger named set_updated_at sets modified_by only: fires.
    updated_at = mapped_column(DateTime(timezone=True), server_default=func.now(), server_onupdate=FetchedValue())


class Payment(Base):
    __tablename__ = "payments"
    id: Mapped[int] = mapped_column(primary_key=True)
    # Only an AFTER UPDATE trigger assigns it, which changes nothing: fires.
    updated_at = mapped_column(DateTime(timezone=True), server_default=func.now(), server_onupdate=FetchedValue())


class Shipment(Base):
    __tablename__ = "shipments"
    id: Mapped[int] = mapped_column(primary_key=True)
    # Python-side only, and no trigger: raw SQL updates leave it stale: fires.
    updated_at = mapped_column(DateTime(timezone=True), server_default=func.now(), onupdate=datetime.utcnow)


class Refund(Base):
    __tablename__ = "refunds"
    id: Mapped[int] = mapped_column(primary_key=True)
    version = mapped_column(Integer, nullable=False, server_default="1", onupdate=lambda: 2)  # no policy column: must not fire


class Note(Base):
    __tablename__ = "notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    # Trigger function merge_defaults assigns the whole NEW record: unknown, so must not fire.
    updated_at = mapped_column(DateTime(timezone=True), server_default=func.now(), server_onupdate=FetchedValue())

from datetime import datetime

from sqlalchemy import Boolean, DateTime, FetchedValue, String, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Order(Base):
    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    # Trigger orders_touch sets it too: fires.
    updated_at = mapped_column(DateTime(timezone=True), server_default=func.now(), onupdate=func.now())


class Customer(Base):
    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(primary_key=True)
    # The correct setup: the trigger sets it, the model fetches it: must not fire.
    updated_at = mapped_column(DateTime(timezone=True), server_default=func.now(), server_onupdate=FetchedValue())


class Invoice(Base):
    __tablename__ = "invoices"
    id: Mapped[int] = mapped_column(primary_key=True)
    # Only an AFTER UPDATE trigger assigns it (no effect): must not fire.
    updated_at = mapped_column(DateTime(timezone=True), server_default=func.now(), onupdate=datetime.utcnow)


class Payment(Base):
    __tablename__ = "payments"
    id: Mapped[int] = mapped_column(primary_key=True)
    reviewed = mapped_column(Boolean)
    # The BEFORE UPDATE trigger sets `reviewed`, not this column: must not fire.
    updated_at = mapped_column(DateTime(timezone=True), server_default=func.now(), onupdate=func.now())


class Shipment(Base):
    __tablename__ = "shipments"
    id: Mapped[int] = mapped_column(primary_key=True)
    state = mapped_column(String)
    # Trigger function "log_changes" sets it in a CASE branch: fires (any column, whatever the names).
    modified_at = mapped_column(DateTime(timezone=True), server_default=func.now(), onupdate=datetime.utcnow)

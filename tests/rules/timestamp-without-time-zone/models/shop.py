from datetime import date, datetime

from sqlalchemy import Date, DateTime, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Order(Base):
    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at = mapped_column(DateTime, server_default=func.now(), nullable=False)  # without time zone: fires


class Customer(Base):
    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(primary_key=True)
    # The model says timezone=True, the database column is timestamp(3) without time zone: fires.
    updated_at = mapped_column(DateTime(timezone=True), server_default=func.now())


class Invoice(Base):
    __tablename__ = "invoices"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at = mapped_column(DateTime(timezone=True), server_default=func.now())  # with time zone: must not fire
    updated_at = mapped_column(DateTime(timezone=True))  # with time zone: must not fire


class Payment(Base):
    __tablename__ = "payments"
    id: Mapped[int] = mapped_column(primary_key=True)
    shipped_at = mapped_column(DateTime)  # no policy column: must not fire
    paid_on: Mapped[date] = mapped_column(Date)  # a date: must not fire


class Refund(Base):
    __tablename__ = "refunds"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at = mapped_column(DateTime)  # the database lacks the column; the model's type says no time zone: fires

# public.events has no model: its created_at is timestamp without time zone: fires at the database.

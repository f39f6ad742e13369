from typing import Optional

from sqlalchemy import String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)  # NOT NULL both: must not fire
    email: Mapped[Optional[str]] = mapped_column(String(255))  # NOT NULL in the DB: fires
    name: Mapped[str] = mapped_column(String(120))  # nullable in the DB: fires
    bio: Mapped[Optional[str]] = mapped_column(Text)  # nullable both: must not fire
    city: Mapped[str] = mapped_column(String(80), nullable=False)  # NOT NULL both: must not fire

from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))  # exists: must not fire
    nickname: Mapped[str | None] = mapped_column(String(50))  # missing: fires
    email_address: Mapped[str] = mapped_column(String(255))  # missing, DB has "email": fires with a rename hint
    login: Mapped[str] = mapped_column("username", String(80))  # attribute differs, column exists: must not fire

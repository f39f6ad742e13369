from sqlalchemy import DateTime, Integer, String, func, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)  # serial: must not fire
    status: Mapped[str] = mapped_column(String(20), server_default="active")  # 'pending' in the DB: fires
    score: Mapped[int] = mapped_column(Integer, server_default=text("0"))  # no default in the DB: fires
    created_at = mapped_column(DateTime(timezone=True), server_default=func.now())  # CURRENT_TIMESTAMP: must not fire
    role: Mapped[str] = mapped_column(String(20), server_default="member")  # same default: must not fire
    is_admin: Mapped[bool]  # the DB has DEFAULT false, the model none: must not fire

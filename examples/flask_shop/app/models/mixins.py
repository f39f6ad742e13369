"""Columns and limits shared by several models."""
from sqlalchemy import func

from app import db

# Column lengths used across the catalog; the DB was created from these values.
NAME_LENGTH = 120
SLUG_LENGTH = 80
SKU_LENGTH = 64


class TimestampMixin:
    """created_at / updated_at filled by the database, refreshed by the ORM on UPDATE."""

    created_at = db.Column(db.DateTime(timezone=True), nullable=False, server_default=func.now())
    updated_at = db.Column(
        db.DateTime(timezone=True),
        nullable=False,
        server_default=func.now(),
        onupdate=func.now(),
    )

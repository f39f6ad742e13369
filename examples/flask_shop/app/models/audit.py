"""Audit trail and API keys."""
from datetime import datetime

from sqlalchemy import Index
from sqlalchemy.dialects.postgresql import INET, JSONB

from app import db

# JSONB on PostgreSQL, plain JSON when the test suite runs on SQLite.
JSONType = JSONB().with_variant(db.JSON(), "sqlite")


class AuditLog(db.Model):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_actor_created", "actor_id", "created_at"),)

    id = db.Column(db.BigInteger, primary_key=True)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    action = db.Column(db.String(50), nullable=False)
    payload = db.Column(JSONB)
    context = db.Column(JSONType)
    ip_address = db.Column(INET)
    created_at = db.Column(db.DateTime, nullable=False, default=datetime.utcnow)


class ApiKey(db.Model):
    """Added in the API branch; its migration has not been run in production yet."""

    __tablename__ = "api_keys"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    key_hash = db.Column(db.String(128), unique=True, nullable=False)
    label = db.Column(db.String(80))
    created_at = db.Column(db.DateTime, nullable=False, default=datetime.utcnow)
    last_used_at = db.Column(db.DateTime)

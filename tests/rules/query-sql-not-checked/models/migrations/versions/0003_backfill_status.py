"""Backfill order status from the old flags.

Revision ID: 0003
Revises: 0002
"""
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade():
    # A note, not an error: "order_flags" is gone today, not when this ran (its column "is_paid"
    # goes unchecked with it).
    op.execute("UPDATE orders SET status = 'paid' FROM order_flags f WHERE f.order_id = orders.id AND f.is_paid")
    # Nothing: every name is in today's schema.
    op.execute("UPDATE orders SET status = 'open' WHERE status IS NULL")

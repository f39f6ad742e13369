"""Move buyers out of the old customers table.

Revision ID: 0007
Revises: 0006
"""
from alembic import op

revision = "0007"
down_revision = "0006"


def upgrade():
    # Must not fire: "customers" existed when this revision ran; a later one dropped it.
    op.execute("INSERT INTO users (id, email) SELECT id, mail FROM customers")
    op.execute("UPDATE alembic_version SET version_num = '0007'")


def downgrade():
    op.execute("DELETE FROM users WHERE id IN (SELECT id FROM customers)")

"""Backfill prices: a data migration freezes the table as it was at this revision."""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.ext.declarative import declarative_base

revision = "2a9f"
down_revision = "17c4"

Base = declarative_base()


class Product(Base):
    __tablename__ = "product"
    id = sa.Column(sa.Integer, primary_key=True)
    price = sa.Column(sa.Numeric(10, 2))


def upgrade():
    op.add_column("product", sa.Column("price_cents", sa.BigInteger()))

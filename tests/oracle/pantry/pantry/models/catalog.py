import enum

from sqlalchemy import Index, func, sql
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.mutable import MutableDict
from sqlalchemy_utils import ChoiceType, EmailType, URLType

from pantry.extensions import db
from pantry.models.mixins import GuidKeyMixin, RequiredColumn, TableNameMixin, TimestampMixin


class Visibility(enum.Enum):
    PUBLIC = "public"
    HIDDEN = "hidden"


STOCK_STATES = [("in", "In stock"), ("out", "Sold out")]

product_tags = db.Table(
    "product_tags",
    db.Column("product_id", db.ForeignKey("product.id", ondelete="CASCADE"), primary_key=True),
    db.Column("tag_id", db.Integer, db.ForeignKey("tag.id"), primary_key=True),
)


class Tag(TableNameMixin, db.Model):
    id = db.Column(db.Integer, primary_key=True)
    label = RequiredColumn(db.String(40), unique=True)


class Category(TableNameMixin, TimestampMixin, db.Model):
    id = db.Column(db.Integer, primary_key=True)
    slug = RequiredColumn(db.String(80))
    parent_id = db.Column(db.ForeignKey("category.id"))
    archived = db.Column(db.Boolean, nullable=False, server_default=sql.false())

    __table_args__ = (db.UniqueConstraint("slug", "parent_id"),)


class Product(TableNameMixin, GuidKeyMixin, TimestampMixin, db.Model):
    name = RequiredColumn(db.Unicode(200))
    category_id = db.Column(db.Integer, db.ForeignKey("category.id", ondelete="SET NULL"), index=True)
    contact = db.Column(EmailType)
    homepage = db.Column(URLType)
    stock = db.Column(ChoiceType(STOCK_STATES, impl=db.String(3)), nullable=False, server_default="in")
    visibility = db.Column(
        db.Enum(Visibility, name="visibility", values_callable=lambda members: [m.value for m in members]),
        nullable=False,
        server_default=Visibility.PUBLIC.value,
    )
    attributes = db.Column(MutableDict.as_mutable(JSONB), nullable=False, server_default=db.text("'{}'::jsonb"))
    price_cents = db.Column(db.BigInteger, nullable=False, default=0)
    search_name = db.column_property(func.lower(name))
    tags = db.relationship("Tag", secondary=product_tags, backref="products")


Index("ix_product_lower_name", func.lower(Product.name))

"""Categories, products and tags."""
from sqlalchemy import CheckConstraint, Index, UniqueConstraint

from app import db
from app.models.mixins import NAME_LENGTH, SKU_LENGTH, SLUG_LENGTH, TimestampMixin

product_tags = db.Table(
    "product_tags",
    db.Column("product_id", db.Integer, db.ForeignKey("products.id", ondelete="CASCADE"), primary_key=True),
    db.Column("tag_id", db.Integer, db.ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
)


class Category(db.Model):
    __tablename__ = "categories"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(NAME_LENGTH), nullable=False)
    slug = db.Column(db.String(SLUG_LENGTH), unique=True, nullable=False)
    parent_id = db.Column(db.Integer, db.ForeignKey("categories.id", ondelete="SET NULL"))

    parent = db.relationship("Category", remote_side=[id], backref="children")


class Product(TimestampMixin, db.Model):
    __tablename__ = "products"
    __table_args__ = (
        UniqueConstraint("sku", name="uq_products_sku"),
        Index("ix_products_category_id", "category_id"),
        Index("ix_products_name", "name"),
        CheckConstraint("price >= 0", name="price_non_negative"),
    )

    id = db.Column(db.Integer, primary_key=True)
    sku = db.Column(db.String(SKU_LENGTH), nullable=False)
    name = db.Column(db.String(NAME_LENGTH), nullable=False)
    description = db.Column(db.Text)
    price = db.Column(db.Numeric(10, 2), nullable=False)
    stock = db.Column(db.Integer, nullable=False, server_default="0")
    category_id = db.Column(db.Integer, db.ForeignKey("categories.id"), nullable=False)

    category = db.relationship("Category", backref="products")
    tags = db.relationship("Tag", secondary=product_tags, back_populates="products")


class Tag(db.Model):
    __tablename__ = "tags"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50), unique=True, nullable=False)

    products = db.relationship("Product", secondary=product_tags, back_populates="tags")

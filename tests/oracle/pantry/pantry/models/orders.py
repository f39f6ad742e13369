from sqlalchemy import CheckConstraint, text
from sqlalchemy.orm import deferred, synonym
from sqlalchemy_utils import TSVectorType

from pantry.extensions import db
from pantry.models.mixins import GuidKeyMixin, TimestampMixin
from pantry.types import AwareDateTime


def belongs_to(target, **kwargs):
    return db.relationship(target, lazy="joined", **kwargs)


class Order(GuidKeyMixin, TimestampMixin, db.Model):
    __tablename__ = "orders"

    customer_email = db.Column(db.String(254), nullable=False, index=True)
    placed_at = db.Column(AwareDateTime, server_default=text("now()"))
    notes = deferred(db.Column(db.Text))
    search = db.Column(TSVectorType("customer_email"))
    email = synonym("customer_email")
    lines = db.relationship("OrderLine", back_populates="order", cascade="all, delete-orphan")


class OrderLine(db.Model):
    __tablename__ = "order_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="positive_quantity"),
        db.Index("ix_order_lines_order_product", "order_id", "product_id"),
    )

    order_id = db.Column(db.ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True)
    product_id = db.Column(db.ForeignKey("product.id"), primary_key=True)
    quantity = db.Column(db.Integer, nullable=False, server_default="1")
    order = db.relationship("Order", back_populates="lines")
    product = belongs_to("Product")


shipments = db.Table(
    "shipments",
    db.metadata,
    db.Column("id", db.Integer, primary_key=True),
    db.Column("order_id", db.ForeignKey("orders.id"), nullable=False),
    db.Column("carrier", db.String(30), nullable=False, server_default="post"),
)


class Shipment(db.Model):
    __table__ = shipments

"""Every model, imported once so the mappers are configured before the first query."""
from app.models.audit import ApiKey, AuditLog
from app.models.catalog import Category, Product, Tag, product_tags
from app.models.mixins import TimestampMixin
from app.models.order import (
    BankTransferPayment,
    CardPayment,
    InvoicePayment,
    Order,
    OrderItem,
    OrderStatus,
    Payment,
)
from app.models.user import Address, User, UserRole

__all__ = [
    "Address",
    "ApiKey",
    "AuditLog",
    "BankTransferPayment",
    "CardPayment",
    "Category",
    "InvoicePayment",
    "Order",
    "OrderItem",
    "OrderStatus",
    "Payment",
    "Product",
    "Tag",
    "TimestampMixin",
    "User",
    "UserRole",
    "product_tags",
]

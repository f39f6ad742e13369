from pantry.models.catalog import Category, Product, product_tags, Tag  # noqa: F401
from pantry.models.orders import Order, OrderLine, Shipment  # noqa: F401
from pantry.models.audit import AuditEntry  # noqa: F401

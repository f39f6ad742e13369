# The shop's models derive from a base class that lives in an installed framework, which the
# analyzer cannot read: their tables are never read, and the run must say so.
from sqlalchemy import Column, ForeignKey, Integer, String
from storefront_framework.orm import TenantBase


class Customer(TenantBase):
    __tablename__ = "customers"
    id = Column(Integer, primary_key=True)
    email = Column(String(200), nullable=False)


class Address(TenantBase):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False)


class Invoice(TenantBase):
    __tablename__ = "invoices"
    id = Column(Integer, primary_key=True)

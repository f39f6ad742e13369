"""Events kept in a column store, described with SQLAlchemy only to build its queries."""
from sqlalchemy import Column, DateTime, MetaData, String, Table

events_store = MetaData()

page_views = Table("page_views", events_store, Column("path", String), Column("seen_at", DateTime))
signups = Table("signups", events_store, Column("email", String), Column("signed_up_at", DateTime))

import sqlite3

import sqlalchemy as sa
from sqlalchemy import func, select, text

from models.models import Order, User, db


def none_of_them():
    # Must not fire: a condition handed to filter() is an expression, not a statement.
    return db.session.query(User).filter(text("1 = 0"))


def newest_first():
    # Must not fire: an ORDER BY item, with its direction.
    return db.session.query(Order).order_by(text("created_at DESC, id"))


def label_or_blank():
    # Must not fire: an argument of a SQL function, and an operand of an operator.
    blank = func.coalesce(User.name, text("''"))
    week_ago = func.now() - text("interval '7 days'")
    return select(blank).where(Order.created_at > week_ago)


def partial_index():
    # Must not fire: the predicate of a partial index is an expression.
    return sa.Index("ix_orders_open", Order.status, postgresql_where=text("status <> 'closed'"))


def buyers():
    # Must not fire: kept in a variable first, it still only parses as a condition.
    has_orders = text("EXISTS (SELECT 1 FROM orders o WHERE o.user_id = users.id)")
    return select(User).where(has_orders)


def broken_condition():
    # Fires: the condition itself is incomplete.
    return db.session.query(User).filter(text("is_active = "))


def misspelt_statement():
    # Fires: kept in a variable and misspelt, it is still a statement, never a fragment.
    statement = text("SELEC id FROM users")
    return db.session.execute(statement).all()


def local_cache(path):
    # Must not fire: SQLite's PRAGMA on a sqlite3 connection, and a branch for MySQL.
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode = wal")
    if db.engine.dialect.name == "mysql":
        db.session.execute(text("SHOW VARIABLES LIKE 'max_connections'"))


def on_connect(dbapi_connection, record):
    # Must not fire: PRAGMA is SQLite's own statement, whichever handle sends it.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")


def is_oracle(url):
    return url.startswith("oracle")


def empty_bin(url):
    # Must not fire: the branch's condition names Oracle through a helper.
    if is_oracle(url):
        db.session.execute(text("PURGE RECYCLEBIN"))

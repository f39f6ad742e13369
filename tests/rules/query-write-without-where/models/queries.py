from sqlalchemy import text

from models.models import db


def deactivate_everyone():
    # Fires: every row.
    db.session.execute(text("UPDATE users SET is_active = false"))


def purge(cursor):
    # Fires: every row.
    cursor.execute("DELETE FROM orders")


def fine(cursor, cutoff):
    # Must not fire: bounded writes.
    cursor.execute("DELETE FROM orders WHERE status = 'void' AND created_at < %s", (cutoff,))
    db.session.execute(text("UPDATE users SET is_active = true WHERE id = :id"), {"id": 1})

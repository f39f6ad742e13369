from sqlalchemy import text

from models.models import db


def by_email(cursor, email):
    # Fires: the f-string interpolates a parameter.
    cursor.execute(f"SELECT id FROM users WHERE email = '{email}'")


def by_status(conn, status):
    # Fires: % formatting with a runtime value.
    conn.execute(text("SELECT id FROM orders WHERE status = '%s'" % status))


def sorted_users(column):
    # Fires: + with a runtime value, through a local variable.
    sql = "SELECT id, email FROM users ORDER BY " + column
    return db.session.execute(text(sql)).all()


def fine(cursor, email):
    # Must not fire: the value is a bound parameter.
    cursor.execute("SELECT id FROM users WHERE email = %s", (email,))

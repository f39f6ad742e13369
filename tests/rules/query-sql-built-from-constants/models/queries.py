from models.models import db

USERS_TABLE = "users"
ACTIVE = "is_active"


def active_count(cursor):
    # Fires (note): only constants are interpolated.
    cursor.execute(f"SELECT count(*) FROM {USERS_TABLE} WHERE {ACTIVE}")
    return cursor.fetchone()[0]


def fine(cursor):
    # Must not fire: a plain literal.
    cursor.execute("SELECT count(*) FROM users WHERE is_active")

from sqlalchemy import text

from models.models import db


def by_email(email):
    # Fires: "ORDER id" (BY is missing); the finding points at "id".
    return db.session.execute(text("SELECT id FROM users WHERE email = :email ORDER id"), {"email": email}).all()


def plus_one(n):
    # Fires: SQLAlchemy does not read ":n::int" as a parameter (a bind name followed by ':'
    # is left alone), so the server receives ":n::int" and rejects it. Write CAST(:n AS int).
    return db.session.execute(text("SELECT :n::int + 1"), {"n": n}).scalar()


def fine(cursor, pattern):
    # Must not fire: casts, a literal %% under psycopg, a parameter before a cast.
    cursor.execute("SELECT id::text FROM users WHERE email LIKE %s AND name LIKE '50%%'", (pattern,))
    db.session.execute(text("SELECT CAST(:n AS int) + 1, :m ::int"), {"n": 1, "m": 2})

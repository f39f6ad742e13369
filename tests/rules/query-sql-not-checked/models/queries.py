from sqlalchemy import text

from models.models import db


def items(document):
    # Note: JSON_TABLE is newer than the PostgreSQL 15 grammar: not checked, not an error.
    sql = text("SELECT jt.id FROM JSON_TABLE(CAST(:doc AS jsonb), '$[*]' COLUMNS (id int PATH '$.id')) AS jt")
    return db.session.execute(sql, {"doc": document}).all()


def fine():
    # Must not fire: plain SQL the parser reads.
    return db.session.execute(text("SELECT id FROM users")).all()

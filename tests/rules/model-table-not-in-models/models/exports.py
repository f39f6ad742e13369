from sqlalchemy import text

from .models import db


def export_rows():
    # Raw SQL: the table is used, but no model maps it.
    return db.session.execute(text("SELECT id, payload FROM legacy_export ORDER BY id")).all()

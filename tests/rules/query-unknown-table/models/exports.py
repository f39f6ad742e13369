import sqlite3

from sqlalchemy import create_engine, text

from models.models import db

archive = create_engine("sqlite:///archive.db")


def export_to_file(path):
    # Must not fire: these tables are in a SQLite file, not in the audited database.
    target = sqlite3.connect(path)
    target.execute("CREATE TABLE IF NOT EXISTS exported (id integer)")
    target.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    with archive.connect() as connection:
        connection.execute("SELECT count(*) FROM archived_orders")


def legacy_report():
    # Fires: application SQL that names a table the database no longer has.
    return db.session.execute(text("SELECT id FROM legacy_invoices")).all()


def mysql_only():
    if db.engine.dialect.name == "mysql":
        # Must not fire: this branch runs on MySQL only.
        db.session.execute(text("SELECT table_name FROM information_schema_tables_mysql"))


def schema_revision():
    # Must not fire: Alembic's bookkeeping table is in every migrated database.
    return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()

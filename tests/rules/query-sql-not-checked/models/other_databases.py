import sqlite3

from models.models import db


def tune(dbapi_connection):
    # A note: PRAGMA is SQLite's, PostgreSQL cannot parse it.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous = OFF")


def copy_out(path):
    # A note: the SQL goes to a SQLite file, so today's schema says nothing about "snapshots".
    target = sqlite3.connect(path)
    target.execute("INSERT INTO snapshots (id) VALUES (?)", (1,))
    # Nothing: no name is missing.
    target.execute("SELECT 1")

from sqlalchemy import text

from models.models import db


def order_count(user_id):
    # Fires: no table "ordrs" (did you mean "orders"?).
    sql = text("SELECT count(*) FROM ordrs WHERE user_id = :uid")
    return db.session.execute(sql, {"uid": user_id}).scalar()


def recent_events(conn):
    # Fires: audit has "events", not "event".
    return conn.execute(text("SELECT id, action FROM audit.event ORDER BY id DESC LIMIT 10")).all()


def fine(conn, user_id):
    # Must not fire: a CTE, a schema-qualified table, a set-returning function, the catalogs.
    conn.execute(
        text(
            """
            WITH recent AS (SELECT id, user_id FROM orders WHERE created_at > now() - interval '7 days')
            SELECT r.id, e.action
            FROM recent r JOIN audit.events e ON e.user_id = r.user_id
            WHERE r.user_id = :uid
            """
        ),
        {"uid": user_id},
    )
    conn.execute(text("SELECT n FROM generate_series(1, 10) AS n"))
    conn.execute(text("SELECT relname FROM pg_catalog.pg_class WHERE relkind = 'r'"))
    # Must not fire: the temporary table is created by the same SQL text.
    conn.execute(text("CREATE TEMP TABLE ids (id integer); INSERT INTO ids SELECT id FROM users; SELECT id FROM ids"))

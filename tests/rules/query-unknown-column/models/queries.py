from sqlalchemy import text

from models.models import db


def find_user(cursor, user_id):
    # Fires: "emial" (did you mean "email"?), with the exact column in the string.
    cursor.execute("SELECT id, emial FROM users WHERE id = %s", (user_id,))
    return cursor.fetchone()


def order_totals():
    # Fires: u.nmae through the alias (did you mean "name"?).
    return db.session.execute(
        text(
            "SELECT u.nmae, sum(o.total) AS total_spent "
            "FROM users u JOIN orders o ON o.user_id = u.id "
            "GROUP BY u.nmae ORDER BY total_spent DESC"
        )
    ).all()


def upsert_order(conn, order_id, total):
    # Must not fire: INSERT column list, ON CONFLICT target, excluded.*, RETURNING.
    conn.execute(
        text(
            "INSERT INTO orders (id, user_id, total, status) VALUES (:id, 1, :total, 'new') "
            "ON CONFLICT (id) DO UPDATE SET total = excluded.total RETURNING id, created_at"
        ),
        {"id": order_id, "total": total},
    )


def fine(conn):
    # Must not fire: an output alias in ORDER BY, a correlated subquery, a derived table.
    conn.execute(
        text(
            "SELECT u.id, (SELECT count(*) FROM orders o WHERE o.user_id = u.id) AS n "
            "FROM users u ORDER BY n"
        )
    )
    conn.execute(text("SELECT t.total FROM (SELECT total FROM orders) AS t"))

from datetime import date, timedelta

from flask import Blueprint, jsonify, request
from sqlalchemy import text

from app import db

bp = Blueprint("reports", __name__, url_prefix="/reports")

# daily_sales is filled by a nightly job in the warehouse project; no model maps it here.
DAILY_SALES_SQL = text(
    """
    SELECT day, orders_count, revenue
    FROM daily_sales
    WHERE day >= :since
    ORDER BY day
    """
)


@bp.get("/daily")
def daily():
    since = date.today() - timedelta(days=int(request.args.get("days", 30)))
    rows = db.session.execute(DAILY_SALES_SQL, {"since": since}).mappings()
    return jsonify([{"day": r["day"].isoformat(), "orders": r["orders_count"], "revenue": str(r["revenue"])} for r in rows])


@bp.get("/top-customers")
def top_customers():
    rows = db.session.execute(
        text(
            "SELECT u.id, u.email, sum(o.total) AS spent FROM users u "
            "JOIN orders o ON o.user_id = u.id WHERE o.status = 'paid' "
            "GROUP BY u.id, u.email ORDER BY spent DESC LIMIT :n"
        ),
        {"n": int(request.args.get("n", 10))},
    ).mappings()
    return jsonify([dict(r) for r in rows])


@bp.get("/unpaid")
def unpaid():
    rows = db.session.execute(
        text("SELECT o.id, o.total, o.paid_at FROM orders o WHERE o.status = 'pending' ORDER BY o.id")
    ).mappings()
    return jsonify([dict(r) for r in rows])

from flask import Blueprint, abort, jsonify, request
from sqlalchemy import text

from app import db
from app.models import Address, User

bp = Blueprint("users", __name__, url_prefix="/users")


@bp.get("/<int:user_id>")
def show(user_id):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return jsonify(id=user.id, email=user.email, name=user.display_name, role=user.role.value)


@bp.get("/by-email")
def by_email():
    user = User.query.filter_by(email=request.args["email"]).first_or_404()
    return jsonify(id=user.id)


@bp.get("/by-username")
def by_username():
    user = User.query.filter_by(user_name=request.args["username"]).first_or_404()
    return jsonify(id=user.id)


@bp.get("/by-phone")
def by_phone():
    users = User.query.filter(User.phone == request.args["phone"]).all()
    return jsonify([u.id for u in users])


@bp.post("/")
def register():
    payload = request.get_json()
    user = User(
        email=payload["email"],
        username=payload["username"],
        password_hash=payload["password_hash"],
        phone=payload.get("phone"),
    )
    db.session.add(user)
    db.session.commit()
    return jsonify(id=user.id), 201


@bp.get("/<int:user_id>/addresses")
def addresses(user_id):
    rows = (
        db.session.execute(db.select(Address).where(Address.user_id == user_id).order_by(Address.id))
        .scalars()
        .all()
    )
    return jsonify([{"city": a.city, "postal_code": a.postal_code, "country": a.country} for a in rows])


@bp.post("/<int:user_id>/deactivate")
def deactivate(user_id):
    db.session.execute(
        text("UPDATE users SET is_active = false, updated_at = now() WHERE id = :id"),
        {"id": user_id},
    )
    db.session.commit()
    return "", 204

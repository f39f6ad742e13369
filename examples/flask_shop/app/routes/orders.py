from decimal import Decimal

from flask import Blueprint, abort, jsonify, request
from sqlalchemy import func, select

from app import db
from app.models import CardPayment, Order, OrderItem, OrderStatus, Product

bp = Blueprint("orders", __name__, url_prefix="/orders")


@bp.get("/user/<int:user_id>")
def for_user(user_id):
    stmt = select(Order).where(Order.user_id == user_id).order_by(Order.created_at.desc())
    orders = db.session.scalars(stmt).all()
    return jsonify([{"id": o.id, "status": o.status.value, "total": str(o.total)} for o in orders])


@bp.post("/")
def create():
    payload = request.get_json()
    order = Order(user_id=payload["user_id"], total=Decimal("0"), status=OrderStatus.pending)
    for line in payload["items"]:
        product = db.session.get(Product, line["product_id"]) or abort(400)
        order.items.append(OrderItem(product_id=product.id, quantity=line["quantity"], unit_price=product.price))
        order.total += product.price * line["quantity"]
    db.session.add(order)
    db.session.commit()
    return jsonify(id=order.id), 201


@bp.post("/<int:order_id>/pay-by-card")
def pay_by_card(order_id):
    order = db.get_or_404(Order, order_id)
    payload = request.get_json()
    db.session.add(CardPayment(order=order, amount=order.total, card_brand=payload["brand"], card_last4=payload["last4"]))
    order.status = OrderStatus.paid
    db.session.commit()
    return "", 204


@bp.post("/<int:order_id>/refund")
def refund(order_id):
    Order.query.filter_by(id=order_id).update({"status": OrderStatus.refunded})
    db.session.commit()
    return "", 204


@bp.get("/stats")
def stats():
    rows = db.session.execute(
        select(Order.status, func.count(Order.id), func.sum(Order.total)).group_by(Order.status)
    ).all()
    return jsonify({status.value: {"count": n, "total": str(total)} for status, n, total in rows})

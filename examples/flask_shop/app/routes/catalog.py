from flask import Blueprint, jsonify, request
from sqlalchemy import text

from app import db
from app.models import Category, Product, Tag

bp = Blueprint("catalog", __name__, url_prefix="/catalog")


@bp.get("/products")
def list_products():
    query = Product.query.filter(Product.stock > 0)
    if "category" in request.args:
        query = query.join(Category).filter(Category.slug == request.args["category"])
    if "max_price" in request.args:
        query = query.filter(Product.price <= request.args["max_price"])
    products = query.order_by(Product.name).limit(50).all()
    return jsonify([{"sku": p.sku, "name": p.name, "price": str(p.price)} for p in products])


@bp.get("/tags/<name>")
def products_by_tag(name):
    tag = Tag.query.filter_by(name=name).first_or_404()
    return jsonify([p.sku for p in tag.products])


@bp.get("/search")
def search():
    # Legacy search endpoint: builds SQL from the request. Kept for the old mobile app.
    term = request.args.get("q", "")
    sort = request.args.get("sort", "name")
    sql = "SELECT id, sku, name, price FROM products WHERE name ILIKE '%" + term + "%' ORDER BY " + sort
    rows = db.session.execute(text(sql)).mappings().all()
    return jsonify([dict(r) for r in rows])


@bp.get("/low-stock")
def low_stock():
    rows = db.session.execute(
        text("SELECT p.sku, p.stock, c.name AS category FROM products p JOIN categories c ON c.id = p.category_id WHERE p.stock < :limit"),
        {"limit": int(request.args.get("limit", 5))},
    ).mappings()
    return jsonify([dict(r) for r in rows])

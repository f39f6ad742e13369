from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import ForeignKeyConstraint

db = SQLAlchemy()


class User(db.Model):
    __tablename__ = "users"
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.Text, nullable=False)


class Post(db.Model):
    __tablename__ = "posts"
    id = db.Column(db.Integer, primary_key=True)
    author_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)  # no index: fires
    editor_id = db.Column(db.Integer, db.ForeignKey("users.id"))  # only a partial index: fires
    reviewer_id = db.Column(db.Integer, db.ForeignKey("users.id"))  # index leads with created_at: fires
    approver_id = db.Column(db.Integer, db.ForeignKey("users.id"))  # only an expression index: fires
    created_at = db.Column(db.DateTime(timezone=True))


class Comment(db.Model):
    __tablename__ = "comments"
    id = db.Column(db.Integer, primary_key=True)
    post_id = db.Column(db.Integer, db.ForeignKey("posts.id", ondelete="CASCADE"), nullable=False)  # (post_id, id)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"))  # a hash index serves `=`: must not fire
    body = db.Column(db.Text)


class Tag(db.Model):
    __tablename__ = "tags"
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.Text, unique=True)


post_tags = db.Table(
    "post_tags",
    db.Column("post_id", db.Integer, db.ForeignKey("posts.id"), primary_key=True),  # leads the key: must not fire
    db.Column("tag_id", db.Integer, primary_key=True),  # the database's key is not declared here: fires anyway
)


class Order(db.Model):
    __tablename__ = "orders"
    order_no = db.Column(db.Integer, primary_key=True)
    region = db.Column(db.Text, primary_key=True)


class Shipment(db.Model):
    __tablename__ = "shipments"
    __table_args__ = (ForeignKeyConstraint(["order_no", "region"], ["orders.order_no", "orders.region"]),)
    id = db.Column(db.Integer, primary_key=True)
    order_no = db.Column(db.Integer)  # index on (region, order_no): must not fire
    region = db.Column(db.Text)


class Invoice(db.Model):
    __tablename__ = "invoices"
    __table_args__ = (ForeignKeyConstraint(["order_no", "region"], ["orders.order_no", "orders.region"]),)
    id = db.Column(db.Integer, primary_key=True)
    order_no = db.Column(db.Integer)  # index on order_no alone: fires
    region = db.Column(db.Text)


class Profile(db.Model):
    __tablename__ = "profiles"
    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), unique=True)  # unique constraint: must not fire

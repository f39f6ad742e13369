from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class User(db.Model):
    __tablename__ = "users"
    id = db.Column(db.Integer, primary_key=True)


class Shop(db.Model):
    __tablename__ = "shops"
    id = db.Column(db.Integer, primary_key=True)


class Coupon(db.Model):
    __tablename__ = "coupons"
    id = db.Column(db.Integer, primary_key=True)


class Order(db.Model):
    __tablename__ = "orders"
    id = db.Column(db.Integer, primary_key=True)
    # CASCADE in the model, NO ACTION in the database: fires.
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"))
    # Unspecified in the model, NO ACTION in the database: must not fire.
    shop_id = db.Column(db.Integer, db.ForeignKey("shops.id"))
    # SET NULL on both sides: must not fire.
    coupon_id = db.Column(db.Integer, db.ForeignKey("coupons.id", ondelete="SET NULL"))

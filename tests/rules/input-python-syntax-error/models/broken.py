from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Order(db.Model)
    __tablename__ = "orders"
    id = db.Column(db.Integer, primary_key=True)


class Shop(db.Model):
    __tablename__ = "shops"
    id = db.Column(db.Integer, primary_key=True)

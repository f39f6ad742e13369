from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Invoice(db.Model):
    __tablename__ = "invoices"
    __table_args__ = {"schema": "billing"}
    id = db.Column(db.Integer, primary_key=True)

from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class User(db.Model):
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(255), nullable=False)
    name = db.Column(db.String(100))
    is_active = db.Column(db.Boolean, nullable=False, server_default=db.text("true"))
    nickname = db.Column(db.String(50))  # never migrated: the database lacks it
    orders = db.relationship("Order", backref="user")

    @property
    def display_name(self):
        return self.name or self.email

    def deactivate(self):
        self.is_active = False


class Order(db.Model):
    __tablename__ = "orders"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    total = db.Column(db.Numeric(10, 2), nullable=False)
    status = db.Column(db.String(20), nullable=False)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, server_default=db.func.now())

from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class User(db.Model):
    __tablename__ = "users"
    __table_args__ = (db.UniqueConstraint("tenant_id", "slug", name="uq_users_tenant_slug"),)

    id = db.Column(db.Integer, primary_key=True)
    tenant_id = db.Column(db.Integer, nullable=False)
    slug = db.Column(db.String(80), nullable=False)
    username = db.Column(db.String(80), unique=True)  # nothing in the database: fires
    email = db.Column(db.String(255), unique=True)  # a unique index in the database: must not fire
    phone = db.Column(db.String(30), unique=True)  # only a partial unique index: fires

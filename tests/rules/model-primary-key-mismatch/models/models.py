from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Membership(db.Model):
    """The database key is (id, team_id): fires."""

    __tablename__ = "memberships"
    id = db.Column(db.Integer, primary_key=True)
    team_id = db.Column(db.Integer, nullable=False)


class LogEntry(db.Model):
    """The database table has no primary key: fires."""

    __tablename__ = "log_entries"
    id = db.Column(db.BigInteger, primary_key=True)
    message = db.Column(db.Text)


class UserRole(db.Model):
    """(user_id, role_id) vs (role_id, user_id): same set, must not fire."""

    __tablename__ = "user_roles"
    user_id = db.Column(db.Integer, primary_key=True)
    role_id = db.Column(db.Integer, primary_key=True)


class User(db.Model):
    __tablename__ = "users"
    id = db.Column(db.Integer, primary_key=True)

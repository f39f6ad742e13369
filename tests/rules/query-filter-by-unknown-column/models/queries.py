from models.models import Order, User, db


def by_email(address):
    # Fires: "emial" is no attribute of User (did you mean "email"?).
    return User.query.filter_by(emial=address).first()


def by_display_name(text_value):
    # Fires: display_name is a Python property, not a column.
    return db.session.query(User).filter_by(display_name=text_value).all()


def fine(user):
    # Must not fire: a column, and a relationship created by a backref.
    User.query.filter_by(email="a@example.com").first()
    return Order.query.filter_by(user=user, status="paid").all()

from models.models import Order, User


def search(pattern):
    # Fires: User has no attribute "emial" (did you mean "email"?).
    return User.query.filter(User.emial.ilike(pattern)).all()


def fine():
    # Must not fire: columns, a property, a method, a relationship, a backref, framework names.
    User.query.filter(User.email.isnot(None), User.is_active).order_by(User.name).all()
    getter = User.display_name
    action = User.deactivate
    relation = User.orders
    owner = Order.user
    table = User.__table__
    return getter, action, relation, owner, table

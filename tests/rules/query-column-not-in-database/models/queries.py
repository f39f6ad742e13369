from models.models import User


def by_nickname(nick):
    # Fires: the database has no users.nickname; this query fails at runtime.
    return User.query.filter_by(nickname=nick).first()


def sorted_users():
    # Fires: same column, through the class attribute.
    return User.query.order_by(User.nickname).all()


def fine():
    # Must not fire: columns the database has.
    return User.query.order_by(User.email).all()

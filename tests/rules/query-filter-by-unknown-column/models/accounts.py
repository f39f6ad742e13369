from sqlalchemy.ext.hybrid import hybrid_property

from models.models import db


class Payment(db.Model):
    __tablename__ = "payments"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer)
    team_id = db.Column(db.Integer)

    @hybrid_property
    def payer_id(self):
        return self.team_id or self.user_id

    @payer_id.expression
    def payer_id(cls):
        return db.func.coalesce(cls.team_id, cls.user_id)

    @property
    def label(self):
        return f"payment {self.id}"


def payments_of(payer):
    # Must not fire: a hybrid property is a SQL expression at class level; filter_by takes it.
    return Payment.query.filter_by(payer_id=payer).all()


def by_label(value):
    # Fires: a plain Python property is no mapped attribute.
    return Payment.query.filter_by(label=value).all()

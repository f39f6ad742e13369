from models.models import db


class Submission(db.Model):
    __tablename__ = "submissions"

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(20))
    submitted_at = db.Column(db.DateTime)
    reviewed_at = db.Column(db.DateTime)  # never migrated: the database lacks it

    __mapper_args__ = {"polymorphic_on": kind, "polymorphic_identity": "submission"}


class Accepted(Submission):
    # Joined-table inheritance: the columns above live in "submissions", the ORM joins them in.
    __tablename__ = "accepted"

    id = db.Column(db.Integer, db.ForeignKey("submissions.id"), primary_key=True)
    score = db.Column(db.Integer)

    __mapper_args__ = {"polymorphic_identity": "accepted"}


def latest_accepted():
    # Must not fire: submitted_at is the parent's column, in the parent's table.
    return Accepted.query.order_by(Accepted.submitted_at.desc()).all()


def unreviewed():
    # Fires: reviewed_at is the parent's column, and the parent's table lacks it too.
    return Accepted.query.filter(Accepted.reviewed_at.is_(None)).all()

import enum

from sqlalchemy.orm import declared_attr

from models.models import db


class Annotated:
    @declared_attr
    def annotation_kind(cls):
        # The mixin gives each class a class attribute of its own at mapping time.
        cls.AnnotationKind = type(f"{cls.__name__}AnnotationKind", (), {})
        return db.Column(db.String(20))


class Review(Annotated, db.Model):
    __tablename__ = "reviews"

    class Verdict(str, enum.Enum):
        APPROVED = "approved"
        DENIED = "denied"

    id = db.Column(db.Integer, primary_key=True)
    verdict = db.Column(db.String(20), nullable=False)


def approved():
    # Must not fire: a class nested in the model, a name the mixin's declared_attr sets on it.
    kind = Review.AnnotationKind
    return kind, Review.query.filter(Review.verdict == Review.Verdict.APPROVED).all()


def attach_reviewer():
    # Must not fire: the attribute is set on the class when this runs, then used.
    Review.reviewer = db.relationship("User")
    return Review.query.join(Review.reviewer).all()


def typo():
    # Fires: Review has no attribute "verdikt" (did you mean "verdict"?).
    return Review.query.filter(Review.verdikt == "denied").all()

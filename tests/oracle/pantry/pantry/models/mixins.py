import re
from functools import partial

from sqlalchemy import func
from sqlalchemy.ext.declarative import declared_attr

from pantry.extensions import db
from pantry.types import AwareDateTime, GUID

RequiredColumn = partial(db.Column, nullable=False)


def snake_case(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class TableNameMixin:
    @declared_attr
    def __tablename__(cls):
        return snake_case(cls.__name__)


class TimestampMixin:
    created_at = db.Column(AwareDateTime, nullable=False, server_default=func.now())
    updated_at = db.Column(AwareDateTime, onupdate=func.now())


class GuidKeyMixin:
    id = db.Column(GUID(), primary_key=True, server_default=db.text("gen_random_uuid()"))

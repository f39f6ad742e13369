from flask_sqlalchemy import SQLAlchemy as _BaseSQLAlchemy
from sqlalchemy import MetaData

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class SQLAlchemy(_BaseSQLAlchemy):
    """The project's own subclass, as teams write to tune engine options."""

    def apply_pool_defaults(self, app, options):
        return options


db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING))

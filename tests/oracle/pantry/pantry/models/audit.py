from pantry.extensions import db


class AuditEntry(db.Model):
    """A table in its own schema: where do its enum types go?"""

    __tablename__ = "entries"
    __table_args__ = {"schema": "audit"}

    id = db.Column(db.Integer, primary_key=True)
    # Created in the default schema: an enum does not follow its table's schema by itself.
    action = db.Column(db.Enum("insert", "update", "delete", name="audit_action"), nullable=False)
    # Created in the table's schema.
    origin = db.Column(db.Enum("web", "job", name="audit_origin", inherit_schema=True))
    order_id = db.Column(db.ForeignKey("orders.id", ondelete="SET NULL"), index=True)

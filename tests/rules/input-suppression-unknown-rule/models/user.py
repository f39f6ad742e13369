from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class User(db.Model):
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    # A typo in the id: it silences nothing, and the mismatch below is still reported.
    email = db.Column(db.String(255), nullable=True)  # dbaudit: ignore[model-nulable-mismatch]
    # A known id and a glob that matches rules: nothing to report.
    name = db.Column(db.String(50), nullable=True)  # dbaudit: ignore[model-nullable-mismatch, model-*]
    # A glob that matches no rule, on a line without findings.
    note = db.Column(db.Text)  # dbaudit: ignore[modle-*]
    # An id far from every rule: no hint.
    bio = db.Column(db.Text)  # dbaudit: ignore[model-type-mismatch, not-a-rule-at-all]
    # The bare form silences everything and names nothing.
    age = db.Column(db.Integer)  # dbaudit: ignore
    # The unknown id is itself suppressed by the same comment: nothing to report.
    city = db.Column(db.Text)  # dbaudit: ignore[input-suppression-unknown-rule, bogus-rule]

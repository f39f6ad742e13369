from pantry.extensions import db


class ScratchRow(db.Model):
    __tablename__ = "scratch_rows_for_tests"
    id = db.Column(db.Integer, primary_key=True)

"""A small Flask-SQLAlchemy shop written in the shapes real projects use (see tests/oracle)."""

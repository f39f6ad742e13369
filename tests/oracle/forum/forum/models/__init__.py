from forum.models import boards, notes, people  # noqa: F401

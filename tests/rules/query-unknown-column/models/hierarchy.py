from sqlalchemy import text

from models.models import Order, db

# The alias list names only the first column; the others keep the names `o.*` gives them.
CHAIN = """
WITH RECURSIVE chain(depth) AS (
    SELECT 0, o.* FROM orders AS o WHERE o.id = :id
    UNION ALL
    SELECT c.depth + 1, o.* FROM orders AS o, chain AS c
    WHERE o.user_id = c.user_id AND c.depth < 5
)
SELECT chain.id, chain.depth, chain.total FROM chain
"""

# Every column of the first term is named by the alias list.
CHAIN_TYPO = """
WITH RECURSIVE chain(depth, order_id) AS (
    SELECT 0, o.id FROM orders AS o WHERE o.id = :id
    UNION ALL
    SELECT c.depth + 1, c.order_id FROM chain AS c WHERE c.user_id IS NOT NULL
)
SELECT order_id FROM chain
"""


def chain(order_id):
    # Must not fire: c.user_id and chain.total come from `o.*` behind the partial alias list.
    return db.session.execute(text(CHAIN), {"id": order_id}).all()


def chain_typo(order_id):
    # Fires: c.user_id is not one of the CTE's two columns.
    return db.session.execute(text(CHAIN_TYPO), {"id": order_id}).all()


def by_fragment():
    # Must not fire: the fragment's column comes from the query it is put into.
    return db.session.query(Order).filter(text("paid_total > 0"))

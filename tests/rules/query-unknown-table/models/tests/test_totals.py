from sqlalchemy import text


def test_scratch_table(connection):
    # Must not fire: a test suite's SQL may use tables the test makes for itself.
    connection.execute(text("CREATE TABLE scratch_totals AS SELECT user_id, sum(total) AS total FROM orders GROUP BY 1"))
    connection.execute(text("SELECT total FROM scratch_totals_copy"))

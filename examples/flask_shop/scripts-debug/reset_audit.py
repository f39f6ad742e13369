"""Debug helper from an incident in 2024: empties the audit log on a developer database."""
import os

import psycopg2


def main():
    conn = psycopg2.connect(os.environ["DATABASE_URL"])
    with conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM order_item")
        print("order items:", cur.fetchone()[0])
        cur.execute("DELETE FROM audit_log")
    conn.close()


if __name__ == "__main__":
    main()

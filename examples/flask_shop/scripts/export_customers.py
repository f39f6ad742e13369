"""Nightly export of active customers for the CRM, run from cron outside Flask."""
import csv
import os
import sys
from datetime import datetime, timedelta

import psycopg2


def main():
    since = datetime.utcnow() - timedelta(days=1)
    conn = psycopg2.connect(os.environ["DATABASE_URL"])
    try:
        with conn, conn.cursor() as cur:
            cur.execute(
                "SELECT id, email, display_name, legacy_crm_id FROM users WHERE is_active AND updated_at >= %s ORDER BY id",
                (since,),
            )
            writer = csv.writer(sys.stdout)
            writer.writerow(["id", "email", "name", "crm_id"])
            for row in cur:
                writer.writerow(row)
            cur.execute(
                "INSERT INTO audit_log (action, payload, created_at) VALUES (%s, %s, now())",
                ("crm_export", '{"rows": %d}' % cur.rowcount),
            )
    finally:
        conn.close()


if __name__ == "__main__":
    main()

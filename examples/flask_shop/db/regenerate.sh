#!/usr/bin/env bash
# Rebuilds examples/flask_shop/schema.sql: loads db/create.sql into a throwaway PostgreSQL
# (tests/pg/cluster.sh) and writes what `pg_dump --schema-only --no-owner --no-privileges`
# prints. Run it after every change to db/create.sql; commit both files.
# pg_dump >= 15.14 wraps its output in psql's \restrict KEY ... \unrestrict KEY (a random key
# per run, CVE-2025-8714): a fixed --restrict-key keeps the committed file stable, and readers
# of dumps must skip those two meta-command lines.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
info=$(mktemp /tmp/flask-shop-pg.XXXXXX)
trap '"$repo/tests/pg/cluster.sh" stop "$info"' EXIT

"$repo/tests/pg/cluster.sh" start "$info" >/dev/null
read -r socket_dir port <"$info"
bindir=$(dirname "$(command -v pg_dump 2>/dev/null || echo /usr/lib/postgresql/15/bin/pg_dump)")
for candidate in /usr/lib/postgresql/*/bin; do [ -x "$candidate/pg_dump" ] && bindir=$candidate; done

"$bindir/psql" -X -q -h "$socket_dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
  -c "CREATE DATABASE flask_shop"
"$bindir/psql" -X -q -h "$socket_dir" -p "$port" -U postgres -d flask_shop -v ON_ERROR_STOP=1 \
  -f "$here/create.sql"
"$bindir/pg_dump" -h "$socket_dir" -p "$port" -U postgres --schema-only --no-owner --no-privileges \
  --restrict-key=flaskshopexample \
  flask_shop >"$here/../schema.sql.tmp"
mv "$here/../schema.sql.tmp" "$here/../schema.sql"
echo "wrote $(cd "$here/.." && pwd)/schema.sql"

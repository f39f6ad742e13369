#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the integration tests: socket-only, in its own temp
# dir, so runs never collide on a port and nothing outside the dir is touched.
#   cluster.sh start INFO_FILE   starts one and writes "socket_dir port" to INFO_FILE
#   cluster.sh stop INFO_FILE    stops it and removes its dir
# Fails loudly: tests that need the cluster must never skip.
set -euo pipefail

action=${1:?usage: cluster.sh start|stop INFO_FILE}
info_file=${2:?usage: cluster.sh start|stop INFO_FILE}
port=${DBAUDIT_TEST_PGPORT:-54329}

bindir=${DBAUDIT_PG_BINDIR:-}
if [ -z "$bindir" ]; then
  for candidate in /usr/lib/postgresql/*/bin; do
    [ -x "$candidate/initdb" ] && bindir=$candidate
  done
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "cluster.sh: no PostgreSQL server binaries (initdb) found; run scripts/install-deps.sh" >&2
  exit 1
fi

# initdb refuses to run as root: run the server as the postgres user then.
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  as_owner=(runuser -u postgres --)
fi

stop_cluster() {
  [ -f "$info_file" ] || return 0
  read -r dir _ <"$info_file" || true
  if [ -n "${dir:-}" ] && [ -d "$dir/data" ]; then
    "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  [ -n "${dir:-}" ] && rm -rf "$dir"
  rm -f "$info_file"
}

case "$action" in
  start)
    stop_cluster
    # Unix socket paths are limited to 107 bytes: keep the dir short.
    dir=$(mktemp -d /tmp/dbaudit-pg.XXXXXX)
    chmod 755 "$dir"
    [ ${#as_owner[@]} -gt 0 ] && chown postgres "$dir"
    if ! "${as_owner[@]}" "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync \
      >"$dir/initdb.log" 2>&1; then
      cat "$dir/initdb.log" >&2
      echo "cluster.sh: initdb failed" >&2
      exit 1
    fi
    if ! "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses='' -c fsync=off -c full_page_writes=off" start >/dev/null; then
      cat "$dir/server.log" >&2
      echo "cluster.sh: the server did not start" >&2
      exit 1
    fi
    mkdir -p "$(dirname "$info_file")"
    echo "$dir $port" >"$info_file"
    echo "cluster.sh: PostgreSQL running, socket in $dir, port $port"
    ;;
  stop)
    stop_cluster
    ;;
  *)
    echo "usage: cluster.sh start|stop INFO_FILE" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# dbaudit benchmark harness: see bench/README.md. Never part of the test suite.
#
#   bench/run.sh BUILD_DIR [--tables N] [--routes M] [--runs R] [--out FILE] [--keep]
#   bench/run.sh BUILD_DIR --stdlib [CORPUS_DIR] [--runs R] [--out FILE]
#
# Builds nothing: BUILD_DIR must hold dbaudit and bench/dbaudit_bare_parse
# (cmake --build BUILD_DIR --target dbaudit dbaudit_bare_parse). Each measurement runs R times
# (default 3) under /usr/bin/time -v; the table shows the median wall time and the median peak
# RSS, then the ratios against the targets.
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$bench_dir/.." && pwd)

build_dir=${1:?usage: run.sh BUILD_DIR [--tables N] [--routes M] [--runs R] [--stdlib [DIR]] [--out FILE] [--keep]}
shift
build_dir=$(cd "$build_dir" && pwd)
tables=10000
routes=""
runs=3
mode=synthetic
corpus=""
out_file=""
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --tables) tables=$2; shift 2 ;;
    --routes) routes=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --out) out_file=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --stdlib)
      mode=stdlib
      if [ $# -gt 1 ] && [ "${2#--}" = "$2" ]; then corpus=$2; shift; fi
      shift ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$routes" ] || routes=$((tables / 5 > 0 ? tables / 5 : 1))

dbaudit=$build_dir/dbaudit
bare_parse=$build_dir/bench/dbaudit_bare_parse
for tool in "$bare_parse" /usr/bin/time; do
  [ -x "$tool" ] || { echo "run.sh: $tool is missing (build the dbaudit_bare_parse target; apt install time)" >&2; exit 2; }
done
[ -x "$dbaudit" ] || echo "run.sh: $dbaudit is missing: the dbaudit rows will say so" >&2

pg_bindir=${DBAUDIT_PG_BINDIR:-}
if [ -z "$pg_bindir" ]; then
  for candidate in /usr/lib/postgresql/*/bin; do [ -x "$candidate/pg_dump" ] && pg_bindir=$candidate; done
fi

work=$(mktemp -d /tmp/dbaudit-bench.XXXXXX)
pg_info=$work/pg.info
cleanup() {
  [ -f "$pg_info" ] && "$repo/tests/pg/cluster.sh" stop "$pg_info" || true
  if [ "$keep" -eq 1 ]; then echo "run.sh: inputs and outputs kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

# --- measuring -------------------------------------------------------------------------------
declare -A WALL RSS STATUS NOTE
labels=()

# Wall clock "h:mm:ss" or "m:ss.cc" -> seconds.
to_seconds() { awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.3f", s }' <<<"$1"; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print ""; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# measure LABEL OK_CODES NOTE -- COMMAND...   (OK_CODES like "0" or "0 1": dbaudit exits 1 on findings)
measure() {
  local label=$1 ok_codes=$2 note=$3
  shift 4
  labels+=("$label")
  NOTE[$label]=$note
  local walls=() rsss=() status=ok
  for ((i = 1; i <= runs; i++)); do
    local tfile=$work/time.$label.$i rc=0
    /usr/bin/time -v -o "$tfile" "$@" >"$work/out.$label.$i" 2>"$work/err.$label.$i" || rc=$?
    if [[ " $ok_codes " != *" $rc "* ]]; then
      status="failed (exit $rc): $(head -c 160 "$work/err.$label.$i" | tr '\n|' ' /')"
      break
    fi
    walls+=("$(to_seconds "$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tfile")")")
    rsss+=("$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tfile")")
  done
  STATUS[$label]=$status
  if [ "$status" = ok ]; then
    WALL[$label]=$(printf '%s\n' "${walls[@]}" | median)
    RSS[$label]=$(printf '%s\n' "${rsss[@]}" | median)
  fi
  echo "run.sh: $label: ${WALL[$label]:-–} s, ${RSS[$label]:-–} KiB ($status)" >&2
}

ratio() { # ratio NUMERATOR_LABEL DENOMINATOR_LABEL  (wall times)
  local a=${WALL[$1]:-} b=${WALL[$2]:-}
  if [ -z "$a" ] || [ -z "$b" ]; then echo "n/a"; else awk -v a="$a" -v b="$b" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; fi
}
ratio_of_diff() { # (A - B) / C
  local a=${WALL[$1]:-} b=${WALL[$2]:-} c=${WALL[$3]:-}
  if [ -z "$a" ] || [ -z "$b" ] || [ -z "$c" ]; then echo "n/a"; else awk -v a="$a" -v b="$b" -v c="$c" 'BEGIN { if (c > 0) printf "%.2f", (a - b) / c; else print "n/a" }'; fi
}
rss_ratio() {
  local a=${RSS[$1]:-} b=${RSS[$2]:-}
  if [ -z "$a" ] || [ -z "$b" ]; then echo "n/a"; else awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }'; fi
}
verdict() { # verdict RATIO LIMIT
  [ "$1" = "n/a" ] && { echo "not measured"; return; }
  awk -v r="$1" -v l="$2" 'BEGIN { print (r <= l) ? "met" : "MISSED" }'
}

report() {
  local title=$1
  {
    echo "## $title"
    echo
    echo "| measurement | what runs | median wall (s) | median peak RSS (MiB) | status |"
    echo "|---|---|---:|---:|---|"
    for label in "${labels[@]}"; do
      local mib="–"
      [ -n "${RSS[$label]:-}" ] && mib=$(awk -v k="${RSS[$label]}" 'BEGIN { printf "%.1f", k / 1024 }')
      echo "| $label | ${NOTE[$label]} | ${WALL[$label]:-–} | $mib | ${STATUS[$label]} |"
    done
    echo
    echo "| target | ratio | limit | verdict |"
    echo "|---|---:|---:|---|"
    if [ "$mode" = synthetic ]; then
      local r
      r=$(ratio introspect_dbaudit catalog_psql)
      echo "| introspection: dbaudit check --database-url on an empty project / psql bulk queries | $r | 1.5 | $(verdict "$r" 1.5) |"
      r=$(ratio check_live catalog_psql)
      echo "| (info) dbaudit check --database-url on the project / psql bulk queries | $r | – | – |"
      r=$(ratio check_live pg_dump)
      echo "| (info) dbaudit check --database-url on the project / pg_dump --schema-only | $r | – | – |"
    fi
    local r
    r=$(ratio check_offline bare_parse)
    echo "| check: dbaudit check --schema-sql on the project / bare tree-sitter parse | $r | 1.3 | $(verdict "$r" 1.3) |"
    if [ "$mode" = synthetic ]; then
      r=$(ratio_of_diff check_offline offline_empty bare_parse)
      echo "| (info) the same without reading the dump: (check --schema-sql − same on an empty project) / bare parse | $r | 1.3 | $(verdict "$r" 1.3) |"
    fi
    if [ -n "${WALL[inventory]:-}" ]; then
      r=$(ratio inventory bare_parse)
      echo "| inventory: dbaudit inventory --schema-sql (query sites + query checks) / bare tree-sitter parse | $r | 1.5 | $(verdict "$r" 1.5) |"
      if [ "$mode" = synthetic ]; then
        r=$(ratio_of_diff inventory offline_empty bare_parse)
        echo "| (info) the same without reading the dump / bare parse | $r | 1.5 | $(verdict "$r" 1.5) |"
      fi
    fi
    r=$(rss_ratio check_offline bare_parse)
    echo "| (info) memory: peak RSS of check --schema-sql / bare parse | $r | – | – |"
    if [ "$mode" = synthetic ]; then
      r=$(rss_ratio introspect_dbaudit catalog_psql)
      echo "| (info) memory: peak RSS of dbaudit introspection / psql (client side only) | $r | – | – |"
    fi
  } | tee "$work/results.md"
  [ -z "$out_file" ] || cp "$work/results.md" "$out_file"
}

# --- the stdlib corpus -----------------------------------------------------------------------
if [ "$mode" = stdlib ]; then
  if [ -z "$corpus" ]; then
    corpus=$(find /usr/lib -maxdepth 1 -type d -name 'python3.*' | sort -V | tail -n 1)
  fi
  [ -n "$corpus" ] && [ -d "$corpus" ] || { echo "run.sh: no Python stdlib corpus found (pass --stdlib DIR)" >&2; exit 2; }
  files=$(find "$corpus" -name '*.py' | wc -l)
  echo "run.sh: corpus $corpus ($files .py files), $runs runs each" >&2
  measure bare_parse "0 1" "dbaudit_bare_parse on $corpus" -- "$bare_parse" "$corpus"
  measure check_offline "0 1" "dbaudit check $corpus --schema-sql examples/flask_shop/schema.sql" -- \
    "$dbaudit" check "$corpus" --schema-sql "$repo/examples/flask_shop/schema.sql" --format json
  measure inventory "0 1" "dbaudit inventory $corpus --schema-sql examples/flask_shop/schema.sql" -- \
    "$dbaudit" inventory "$corpus" --schema-sql "$repo/examples/flask_shop/schema.sql" --format json -o -
  report "dbaudit bench: Python stdlib corpus ($corpus, $files files)"
  exit 0
fi

# --- the synthetic schema and project --------------------------------------------------------
echo "run.sh: generating $tables tables, $routes route files in $work" >&2
python3 "$bench_dir/generate_schema.py" --tables "$tables" --out "$work/schema.sql"
python3 "$bench_dir/generate_project.py" --tables "$tables" --routes "$routes" --out "$work/project"
mkdir -p "$work/empty_project/app"
echo "db = None" >"$work/empty_project/app/__init__.py"
py_files=$(find "$work/project" -name '*.py' | wc -l)

"$repo/tests/pg/cluster.sh" start "$pg_info" >&2
read -r socket_dir port <"$pg_info"
psql_cmd=("$pg_bindir/psql" -X -q -h "$socket_dir" -p "$port" -U postgres)
# pg_dump locks every table in one transaction: 64 locks per connection slot are too few.
"${psql_cmd[@]}" -d postgres -c "ALTER SYSTEM SET max_locks_per_transaction = 512" >/dev/null
as_owner=()
[ "$(id -u)" -eq 0 ] && as_owner=(runuser -u postgres --)
"${as_owner[@]}" "$pg_bindir/pg_ctl" -D "$socket_dir/data" -w -m fast restart >/dev/null
"${psql_cmd[@]}" -d postgres -c "CREATE DATABASE bench" >/dev/null
load_start=$(date +%s.%N)
"${psql_cmd[@]}" -d bench -v ON_ERROR_STOP=1 -f "$work/schema.sql" >/dev/null
"${psql_cmd[@]}" -d bench -c "VACUUM ANALYZE" >/dev/null
load_seconds=$(awk -v a="$load_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
echo "run.sh: schema loaded in ${load_seconds} s; $py_files .py files in the project" >&2

db_url="postgresql://postgres@/bench?host=$socket_dir&port=$port"
measure catalog_psql "0" "psql: 7 bulk catalog queries, one read-only transaction" -- \
  "${psql_cmd[@]}" -d bench -A -t -o /dev/null -f "$bench_dir/reference_catalog_queries.sql"
measure pg_dump "0" "pg_dump --schema-only" -- \
  "$pg_bindir/pg_dump" -h "$socket_dir" -p "$port" -U postgres --schema-only --no-owner --no-privileges \
  -f "$work/dump.sql" bench
measure introspect_dbaudit "0 1" "dbaudit check --database-url on an empty project (introspection)" -- \
  "$dbaudit" check "$work/empty_project" --database-url "$db_url" --format json
measure check_live "0 1" "dbaudit check --database-url on the project" -- \
  "$dbaudit" check "$work/project" --database-url "$db_url" --format json
measure bare_parse "0" "dbaudit_bare_parse on the project" -- "$bare_parse" "$work/project"
measure offline_empty "0 1" "dbaudit check --schema-sql (pg_dump output) on an empty project" -- \
  "$dbaudit" check "$work/empty_project" --schema-sql "$work/dump.sql" --format json
measure check_offline "0 1" "dbaudit check --schema-sql (pg_dump output) on the project" -- \
  "$dbaudit" check "$work/project" --schema-sql "$work/dump.sql" --format json
measure inventory "0 1" "dbaudit inventory --schema-sql (pg_dump output) on the project (query sites found and checked)" -- \
  "$dbaudit" inventory "$work/project" --schema-sql "$work/dump.sql" --format json -o -

report "dbaudit bench: $tables tables, $py_files Python files, $runs runs (schema load ${load_seconds} s)"
if [ "${STATUS[check_offline]}" = ok ]; then
  echo
  echo "Planted drift (drift.json) against the findings of check --schema-sql (a sanity check: the"
  echo "database side also has alembic_version, and each drift may surface under more than one rule):"
  echo
  python3 "$bench_dir/compare_drift.py" "$work/project/drift.json" "$work/out.check_offline.1"
fi | tee -a "$work/results.md"
[ -z "$out_file" ] || cp "$work/results.md" "$out_file"

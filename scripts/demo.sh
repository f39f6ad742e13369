#!/usr/bin/env bash
# One command: install the dependencies, build, and audit the bundled example application
# against its database schema (a pg_dump --schema-only file: no database server needed).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
build_dir=${DBAUDIT_BUILD_DIR:-$root/build}
example=$root/examples/flask_shop
set +e
"$build_dir/dbaudit" check "$example" --schema-sql "$example/schema.sql" --no-env \
  --comparison-report "$build_dir/example-output/model_comparison_results.md"
status=$?
"$build_dir/dbaudit" check "$example" --schema-sql "$example/schema.sql" --no-env --format sarif \
  --output "$build_dir/example-output/dbaudit.sarif" >/dev/null
set -e
echo
echo "model_comparison_results.md and dbaudit.sarif are in $build_dir/example-output/"
# Findings are expected on this deliberately drifted example: exit 1 is the demo working.
[ "$status" -le 1 ]

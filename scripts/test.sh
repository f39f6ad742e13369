#!/usr/bin/env bash
# One command: install the dependencies, build, and run the whole test suite (unit tests,
# per-rule fixture snapshots, and integration tests against a throwaway PostgreSQL that the
# suite starts itself).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
build_dir=${DBAUDIT_BUILD_DIR:-$root/build}
ctest --test-dir "$build_dir" --output-on-failure --parallel "$(nproc)" "$@"

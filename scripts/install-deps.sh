#!/usr/bin/env bash
# Installs every build, test and run-time dependency of dbaudit on Debian 12 (bookworm).
# Idempotent: packages already present are left alone. Run as root (or via sudo).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libpg-query-dev
  libpqxx-dev libpq-dev
  nlohmann-json3-dev
  libcmark-gfm-dev libcmark-gfm-extensions-dev
  libtomlplusplus-dev
  libxxhash-dev
  libcli11-dev
  libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  postgresql-15 postgresql-client-15
  # tests only: the real SQLAlchemy builds the oracle databases of tests/oracle (dbaudit never runs Python)
  python3 python3-sqlalchemy python3-sqlalchemy-utils python3-flask-sqlalchemy python3-psycopg2
  clang-format
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

# npm fetches the pinned tree-sitter grammar and the SARIF validator. A machine may already
# carry Node.js from elsewhere (whose nodejs package conflicts with Debian's npm): use it.
if ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  as_root=(sudo)
fi

# The postgresql package would otherwise create and start a cluster on port 5432; the test
# suite starts its own throwaway clusters and needs none.
if [ ! -e /etc/postgresql-common/createcluster.conf ] ||
  ! grep -q '^create_main_cluster *= *false' /etc/postgresql-common/createcluster.conf; then
  "${as_root[@]}" mkdir -p /etc/postgresql-common
  echo 'create_main_cluster = false' | "${as_root[@]}" tee -a /etc/postgresql-common/createcluster.conf >/dev/null
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}"

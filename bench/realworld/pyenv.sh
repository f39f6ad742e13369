#!/usr/bin/env bash
# Prepares the two side Python environments the real-project oracle imports models with:
#
#   $CORPUS/py-1.4   SQLAlchemy 1.4 and friends from Debian bookworm (this machine's suite)
#   $CORPUS/py-2.0   the same base, with the pure-Python packages below taken from Debian
#                    trixie instead (SQLAlchemy 2.0, Flask 3, Flask-SQLAlchemy 3.1, alembic 1.13)
#
# Nothing is installed: each package is fetched with `apt-get download` and unpacked with
# `dpkg -x`; each environment's dist-packages folder is meant to go first on PYTHONPATH of
# Debian's /usr/bin/python3 (3.11). Trixie's compiled extensions are built for Python 3.13,
# so only pure-Python packages are taken from trixie; compiled ones (psycopg2, greenlet,
# bcrypt, markupsafe, ...) always come from bookworm.
#
# Trixie is read through a private apt state under $CORPUS/apt-trixie (its own sources.list,
# lists and cache, passed with APT_CONFIG), so the system's apt state is left untouched.
#
# Idempotent: a package already downloaded is not fetched again, and an environment whose
# stamp file matches the package lists is left as it is.
#
#   pyenv.sh [CORPUS]        (default CORPUS: /work/corpus)
#   EXTRA_BOOKWORM="python3-x ..." EXTRA_TRIXIE="python3-y ..." pyenv.sh   adds packages
# Prints the two dist-packages paths on success.
set -euo pipefail

corpus=${1:-${DBAUDIT_CORPUS:-/work/corpus}}

# Packages projects commonly import, as Debian bookworm names them, completed below by their
# python3-* dependencies. Absent ones are skipped with a warning (the oracle stubs a third-party
# module the project imports but this environment lacks). Left out on purpose: packages that
# need data files outside dist-packages at import time (python3-ua-parser reads
# /usr/share/uap-core), which an unpacked side folder cannot provide.
BOOKWORM_PACKAGES=(
  python3-sqlalchemy python3-greenlet python3-typing-extensions
  python3-flask python3-werkzeug python3-jinja2 python3-markupsafe python3-itsdangerous
  python3-click python3-blinker
  python3-flask-sqlalchemy python3-flask-migrate python3-alembic python3-mako
  python3-sqlalchemy-utils python3-sqlalchemy-i18n python3-geoalchemy2 python3-shapely
  python3-psycopg2 python3-psycopg
  python3-flask-login python3-flask-mail python3-flask-babel python3-babel
  python3-flask-restful python3-aniso8601 python3-flaskext.wtf python3-wtforms
  python3-flask-cors python3-flask-caching python3-flask-bcrypt python3-flask-httpauth
  python3-flask-limiter python3-limits python3-flask-principal python3-flask-socketio
  python3-socketio python3-engineio python3-flask-compress python3-flask-talisman
  python3-flask-marshmallow python3-marshmallow python3-marshmallow-sqlalchemy
  python3-sqlmodel python3-pydantic
  python3-passlib python3-bcrypt python3-cryptography python3-cffi-backend
  python3-jwt python3-jose python3-authlib python3-oauthlib python3-requests-oauthlib
  python3-arrow python3-dateutil python3-tz python3-tzlocal python3-croniter
  python3-email-validator python3-dnspython python3-idna
  python3-requests python3-urllib3 python3-certifi python3-charset-normalizer
  python3-redis python3-rq python3-celery python3-kombu
  python3-markdown python3-bleach python3-mistune
  python3-slugify python3-text-unidecode python3-unidecode
  python3-yaml python3-simplejson python3-ujson python3-six python3-packaging
  python3-attr python3-jsonschema python3-semver python3-ldap3 python3-pyotp
  python3-psutil python3-humanize python3-funcy python3-sqlparse python3-pystache
  python3-parsedatetime python3-restrictedpython
  python3-cachetools python3-tenacity python3-dotenv python3-sentry-sdk python3-statsd
  python3-xlsxwriter python3-qrcode python3-hashids python3-shortuuid python3-phonenumbers
  python3-toml python3-tomli python3-gevent python3-zope.event python3-zope.interface
  python3-pymysql python3-sshtunnel python3-apscheduler python3-flasgger python3-pil
  python3-boto3 python3-botocore python3-jmespath python3-s3transfer
  python3-html5lib python3-webencodings python3-inflection python3-deprecated python3-wrapt
  python3-ordered-set python3-ldap python3-pyasn1 python3-pyasn1-modules python3-josepy
  python3-pem python3-acme python3-certbot python3-rfc3339 python3-configargparse
  python3-configobj python3-cachelib python3-pluggy python3-whoosh
  python3-starlette python3-fastapi python3-anyio python3-sniffio
)
# More, from the manifests' "debian_packages" (run.py passes them in these variables).
# shellcheck disable=SC2206
BOOKWORM_PACKAGES+=(${EXTRA_BOOKWORM:-})

# Pure-Python packages py-2.0 takes from trixie instead of bookworm (SQLAlchemy 2.0 and the
# packages whose bookworm versions do not work with it or with Flask 3 / Werkzeug 3).
TRIXIE_OVERLAY=(
  python3-sqlalchemy python3-typing-extensions
  python3-flask-sqlalchemy python3-alembic python3-sqlalchemy-utils python3-flask-migrate
  python3-flask python3-werkzeug python3-itsdangerous python3-click python3-blinker
  python3-flask-login python3-mako python3-flask-babel python3-flask-restful
  python3-flask-caching python3-flask-cors python3-marshmallow python3-marshmallow-sqlalchemy
  python3-flask-marshmallow python3-geoalchemy2 python3-sqlalchemy-i18n
  python3-flaskext.wtf python3-wtforms python3-mistune
)
# shellcheck disable=SC2206
TRIXIE_OVERLAY+=(${EXTRA_TRIXIE:-})

mkdir -p "$corpus/debs/bookworm" "$corpus/debs/trixie" "$corpus/unpacked/bookworm" "$corpus/unpacked/trixie"

# ---- trixie apt state (private) ---------------------------------------------------------
trixie_state="$corpus/apt-trixie"
trixie_conf="$trixie_state/apt.conf"
archive_uri=$(awk '/^URIs:/ && $2 ~ /debian\/?$/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
if [ -z "$archive_uri" ]; then
  archive_uri=$(awk '$1=="deb" && $3=="bookworm" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
fi
if [ -z "$archive_uri" ]; then
  echo "pyenv.sh: cannot find the Debian archive URI in the apt sources" >&2
  exit 1
fi
mkdir -p "$trixie_state/lists/partial" "$trixie_state/cache/archives/partial" "$trixie_state/etc"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $archive_uri trixie main" >"$trixie_state/etc/sources.list"
cat >"$trixie_conf" <<EOF
Dir::State::Lists "$trixie_state/lists";
Dir::State::status "$trixie_state/status";
Dir::Cache "$trixie_state/cache";
Dir::Etc::SourceList "$trixie_state/etc/sources.list";
Dir::Etc::SourceParts "/dev/null";
Dir::Etc::Preferences "/dev/null";
Dir::Etc::PreferencesParts "/dev/null";
APT::Architecture "amd64";
EOF
touch "$trixie_state/status"
if ! ls "$trixie_state"/lists/*trixie*Packages* >/dev/null 2>&1; then
  APT_CONFIG="$trixie_conf" apt-get -q update >"$trixie_state/update.log" 2>&1 || {
    cat "$trixie_state/update.log" >&2
    echo "pyenv.sh: apt-get update for trixie failed" >&2
    exit 1
  }
fi
if ! ls /var/lib/apt/lists/*bookworm*Packages* >/dev/null 2>&1; then
  apt-get -q update >/dev/null
fi

# download SUITE PKG: fetch one .deb into debs/SUITE unless a version of it is already there.
download() {
  local suite=$1 pkg=$2 dir="$corpus/debs/$1"
  if ls "$dir/${pkg}_"*.deb >/dev/null 2>&1; then return 0; fi
  if [ "$suite" = trixie ]; then
    (cd "$dir" && APT_CONFIG="$trixie_conf" apt-get -q download "$pkg" >/dev/null 2>&1)
  else
    (cd "$dir" && apt-get -q download "$pkg" >/dev/null 2>&1)
  fi || { echo "pyenv.sh: warning: $suite has no package $pkg (skipped)" >&2; return 0; }
}

# unpack SUITE PKG: dpkg -x each package into its own folder, once.
unpack() {
  local suite=$1 pkg=$2 deb target
  deb=$(ls "$corpus/debs/$suite/${pkg}_"*.deb 2>/dev/null | head -n1 || true)
  [ -n "$deb" ] || return 0
  target="$corpus/unpacked/$suite/$pkg"
  if [ -f "$target/.from" ] && [ "$(cat "$target/.from")" = "$(basename "$deb")" ]; then return 0; fi
  rm -rf "$target"
  mkdir -p "$target"
  dpkg -x "$deb" "$target"
  basename "$deb" >"$target/.from"
}

# Add the python3-* packages the listed ones depend on (bookworm's own dependency closure), so a
# library's hard dependency (bleach -> html5lib) is there too. Interpreter packages are left out.
mapfile -t closure < <(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
  --no-breaks --no-replaces --no-enhances "${BOOKWORM_PACKAGES[@]}" 2>/dev/null \
  | grep -E '^python3-[a-z0-9.+-]+$' \
  | grep -vxE 'python3-(minimal|distutils|lib2to3|tk|pil\.imagetk|venv|dev|all)' | sort -u)
for pkg in "${closure[@]}"; do
  printf '%s\n' "${BOOKWORM_PACKAGES[@]}" | grep -qx "$pkg" || BOOKWORM_PACKAGES+=("$pkg")
done

for pkg in "${BOOKWORM_PACKAGES[@]}"; do download bookworm "$pkg"; unpack bookworm "$pkg"; done
for pkg in "${TRIXIE_OVERLAY[@]}"; do download trixie "$pkg"; unpack trixie "$pkg"; done

# compose NAME: copy each package's dist-packages into $corpus/NAME (rebuilt when the
# package list changed). For py-2.0 an overlay package replaces the bookworm one whole.
compose() {
  local name=$1 overlay=$2 env="$corpus/$1" stamp pkg src
  stamp=$( (printf '%s\n' "${BOOKWORM_PACKAGES[@]}"; echo "--"; [ "$overlay" = yes ] && printf '%s\n' "${TRIXIE_OVERLAY[@]}"; cat "$corpus"/unpacked/*/*/.from 2>/dev/null) | sha256sum | cut -c1-16)
  if [ -f "$env/.stamp" ] && [ "$(cat "$env/.stamp")" = "$stamp" ]; then return 0; fi
  # Built beside the old one, then swapped in, so a reader never sees a half-built environment.
  local final=$env
  env="$corpus/.$name.new"
  rm -rf "$env"
  mkdir -p "$env/dist-packages"
  for pkg in "${BOOKWORM_PACKAGES[@]}"; do
    src="$corpus/unpacked/bookworm/$pkg"
    if [ "$overlay" = yes ] && printf '%s\n' "${TRIXIE_OVERLAY[@]}" | grep -qx "$pkg" \
      && [ -d "$corpus/unpacked/trixie/$pkg" ]; then
      src="$corpus/unpacked/trixie/$pkg"
    fi
    [ -d "$src/usr/lib/python3/dist-packages" ] && cp -a "$src/usr/lib/python3/dist-packages/." "$env/dist-packages/"
  done
  if [ "$overlay" = yes ]; then
    for pkg in "${TRIXIE_OVERLAY[@]}"; do
      printf '%s\n' "${BOOKWORM_PACKAGES[@]}" | grep -qx "$pkg" && continue
      src="$corpus/unpacked/trixie/$pkg"
      [ -d "$src/usr/lib/python3/dist-packages" ] && cp -a "$src/usr/lib/python3/dist-packages/." "$env/dist-packages/"
    done
  fi
  echo "$stamp" >"$env/.stamp"
  if [ -e "$final" ]; then
    mv "$final" "$corpus/.$name.old.$$"
    rm -rf "$corpus/.$name.old.$$" || true
  fi
  mv "$env" "$final"
}

compose py-1.4 no
compose py-2.0 yes

for env in py-1.4 py-2.0; do
  version=$(PYTHONPATH="$corpus/$env/dist-packages" /usr/bin/python3 -c 'import sqlalchemy; print(sqlalchemy.__version__)')
  echo "$corpus/$env/dist-packages (SQLAlchemy $version)"
done

#!/usr/bin/env bash
# `make golive`: the README's "Running in production" steps, followed to the letter
# from a fresh clone of this repository's HEAD, up to a served log-in page:
# install, configure, migrate, collectstatic, check --deploy, refuse the demo,
# setup_city, import the example organisation workbook, run the scheduled
# commands once, check_live, then gunicorn under SHEGONG_ENV=production on a
# loopback port answering /healthz and the log-in page.
#
# The database is DATABASE_URL's if set (CI: an empty PostgreSQL database), else a
# SQLite file in the work directory (then check_live may only miss DATABASE_URL).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/shegong-golive.XXXXXX)
PORT=${GOLIVE_PORT:-$((20000 + RANDOM % 20000))}
HOST=shegong.example.gov.cn
GUNICORN_PID=
cleanup() {
  if [ -n "$GUNICORN_PID" ]; then kill "$GUNICORN_PID" 2>/dev/null || true; wait "$GUNICORN_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
step() { printf '\n--- %s\n' "$*"; }

step "1. fresh clone and install"
git clone --quiet "$ROOT" "$WORK/shegong"
cd "$WORK/shegong"
python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -c constraints.txt .
# Only the example workbook needs the demo: made in a throwaway development database.
step "   the example organisation workbook (the demo city, development profile)"
DATABASE_URL="sqlite:///$WORK/demo.sqlite3" SHEGONG_HOME="$WORK/demo" .venv/bin/shegong migrate -v0
DATABASE_URL="sqlite:///$WORK/demo.sqlite3" SHEGONG_HOME="$WORK/demo" \
  .venv/bin/shegong demo_city --scale none --residents-per-station 0 --showcase-residents 0 >/dev/null
DATABASE_URL="sqlite:///$WORK/demo.sqlite3" SHEGONG_HOME="$WORK/demo" \
  .venv/bin/shegong export_org "$WORK/organisation.xlsx"

step "2. configuration (the environment file)"
cat >"$WORK/env" <<ENV
SHEGONG_ENV=production
SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(64))')
SHEGONG_FIELD_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')
ALLOWED_HOSTS=$HOST
DATABASE_URL=${DATABASE_URL:-sqlite:///$WORK/shegong.sqlite3}
SHEGONG_HOME=$WORK/shegong
SHEGONG_BACKUP_DIR=$WORK/backups
ENV
set -a; . "$WORK/env"; set +a
shegong=.venv/bin/shegong

step "3. migrate, collectstatic, check --deploy"
$shegong migrate --noinput -v0
$shegong collectstatic --noinput -v0
$shegong check --deploy --fail-level WARNING

step "   the demo refuses"
if $shegong demo_city --scale none 2>"$WORK/demo.err"; then
  echo "demo_city ran under the production profile" >&2; exit 1
fi
grep -q "SHEGONG_ENV=production" "$WORK/demo.err"

step "4. the city and its first administrator"
SHEGONG_CITY_NAME=广州市 SHEGONG_CITY_CODE=440100 SHEGONG_ADMIN_USERNAME=gz-admin \
  SHEGONG_ADMIN_NAME=陈明 SHEGONG_ADMIN_PASSWORD="$(python3 -c 'import secrets; print(secrets.token_urlsafe(16))')" \
  $shegong setup_city --noinput

step "5. the organisation"
$shegong import_org "$WORK/organisation.xlsx" --user gz-admin -v0 | tee "$WORK/import.out"
grep -q "社工站: 188 rows, 188 created" "$WORK/import.out"

step "6. the scheduled commands, once each (the timers then run them)"
for job in backup alerts inspection_alerts audit_prune purge_personal_data partitions; do $shegong scheduled "$job" >/dev/null; done

step "7. check_live"
if ! $shegong check_live --no-color | tee "$WORK/live.out"; then
  missing=$(grep '^MISSING' "$WORK/live.out" | awk '{print $2}' | tr '\n' ' ')
  if [ "$missing" != "DATABASE_URL " ] || [[ "$DATABASE_URL" != sqlite* ]]; then
    echo "check_live: missing $missing" >&2; exit 1
  fi
fi

step "8. gunicorn on 127.0.0.1:$PORT"
.venv/bin/gunicorn shegong.wsgi --workers 2 --bind "127.0.0.1:$PORT" --log-level warning &
GUNICORN_PID=$!
for _ in $(seq 1 60); do
  if curl -fsS -o /dev/null -H "Host: $HOST" "http://127.0.0.1:$PORT/healthz" 2>/dev/null; then break; fi
  sleep 1
done
health=$(curl -sS -o "$WORK/health.json" -w '%{http_code}' -H "Host: $HOST" "http://127.0.0.1:$PORT/healthz")
# The TLS proxy sets X-Forwarded-Proto; without it the app redirects to HTTPS.
login=$(curl -sS -o "$WORK/login.html" -w '%{http_code}' -H "Host: $HOST" \
  -H 'X-Forwarded-Proto: https' "http://127.0.0.1:$PORT/accounts/login/")
plain=$(curl -sS -o /dev/null -w '%{http_code}' -H "Host: $HOST" "http://127.0.0.1:$PORT/accounts/login/")
echo "/healthz $health $(cat "$WORK/health.json"); /accounts/login/ $login (plain HTTP: $plain)"
[ "$health" = 200 ] && [ "$login" = 200 ] && [ "$plain" = 301 ]
grep -q 'name="username"' "$WORK/login.html"
echo "golive: the README's production steps serve the log-in page"

#!/usr/bin/env bash
# `make bench`: the statistics benchmark at city scale on SQLite and on a throwaway
# PostgreSQL (started here on loopback, as .ci/run does), each on its own database.
# BENCH_ARGS (default "--years 10") goes to `shegong bench`; BENCH_DATABASES picks
# "sqlite", "postgres" or both (default). The databases are kept under var/ and in
# the PostgreSQL data directory (BENCH_PG_DIR, default var/bench-pg) so that a second
# run reuses the generated data.
# Then, on a database of its own (bench-growth / bench_growth, since it doubles the
# history), the growth case: the dashboard and a raw query with 10 years of history
# and with 20 (`shegong bench --only growth`), made anew each run (the city's two
# generated years take a while); BENCH_GROWTH=0 leaves it out.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
ARGS=${BENCH_ARGS:---years 10}
GROWTH=${BENCH_GROWTH:-1}
GROWTH_ARGS="--years 10 --only growth"
DATABASES=${BENCH_DATABASES:-sqlite postgres}
mkdir -p var

for db in $DATABASES; do
  case $db in
  sqlite)
    export DATABASE_URL="sqlite:///$PWD/var/bench.sqlite3"
    $BIN/shegong migrate --noinput -v0
    # shellcheck disable=SC2086
    $BIN/shegong bench $ARGS
    if [ "$GROWTH" != 0 ]; then
      rm -f var/bench-growth.sqlite3  # made anew: the case doubles its history
      export DATABASE_URL="sqlite:///$PWD/var/bench-growth.sqlite3"
      $BIN/shegong migrate --noinput -v0
      # shellcheck disable=SC2086
      $BIN/shegong bench $GROWTH_ARGS
    fi
    ;;
  postgres)
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    PG_DIR=${BENCH_PG_DIR:-$PWD/var/bench-pg}
    PG_PORT=${BENCH_PG_PORT:-54339}
    as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
    mkdir -p "$PG_DIR"
    if [ "$(id -u)" = 0 ]; then chown postgres "$PG_DIR"; fi
    if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
      as_pg "'$PG_BIN/initdb' -D '$PG_DIR/data' -U postgres -A trust -E UTF8 --locale=C.UTF-8" >/dev/null
    fi
    # A cluster left running (e.g. by a developer's own measurements) is used as is.
    if ! as_pg "'$PG_BIN/pg_ctl' -D '$PG_DIR/data' status" >/dev/null 2>&1; then
      as_pg "'$PG_BIN/pg_ctl' -D '$PG_DIR/data' -l '$PG_DIR/server.log' -w -o \"-p $PG_PORT -k '$PG_DIR' -c listen_addresses=127.0.0.1 -c shared_buffers=2GB -c work_mem=64MB -c max_wal_size=8GB\" start" >/dev/null
      trap "as_pg \"'$PG_BIN/pg_ctl' -D '$PG_DIR/data' -m fast -w stop\" >/dev/null 2>&1 || true" EXIT
    fi
    as_pg "'$PG_BIN/createdb' -h 127.0.0.1 -p $PG_PORT -U postgres bench" 2>/dev/null || true
    export DATABASE_URL="postgres://postgres@127.0.0.1:${PG_PORT}/bench"
    $BIN/shegong migrate --noinput -v0
    # shellcheck disable=SC2086
    $BIN/shegong bench $ARGS
    if [ "$GROWTH" != 0 ]; then
      # made anew: the case doubles its history
      as_pg "'$PG_BIN/dropdb' --if-exists -h 127.0.0.1 -p $PG_PORT -U postgres bench_growth"
      as_pg "'$PG_BIN/createdb' -h 127.0.0.1 -p $PG_PORT -U postgres bench_growth"
      export DATABASE_URL="postgres://postgres@127.0.0.1:${PG_PORT}/bench_growth"
      $BIN/shegong migrate --noinput -v0
      # shellcheck disable=SC2086
      $BIN/shegong bench $GROWTH_ARGS
    fi
    ;;
  *) echo "unknown database: $db" >&2; exit 2 ;;
  esac
done

#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback, as .ci/run starts one.
#   bench/pg.sh start DIR PORT [postgres -c options...]   initdb (once) + start
#   bench/pg.sh stop DIR | restart DIR PORT [options...]
# Runs the server as the postgres user when called as root (PostgreSQL refuses root).
set -euo pipefail
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$PG_BIN" ]; then
  echo "PostgreSQL is not installed: apt-get install postgresql" >&2
  exit 1
fi
run_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
cmd=$1 dir=$2
shift 2
case "$cmd" in
  start|restart)
    port=$1
    shift
    opts="-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c fsync=off $*"
    if [ ! -d "$dir/data" ]; then
      mkdir -p "$dir"
      chmod 755 "$dir"
      if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
      run_pg "'$PG_BIN/initdb' -D '$dir/data' -U postgres -A trust -E UTF8 --locale=C.UTF-8" >/dev/null
    fi
    if [ "$cmd" = restart ]; then
      run_pg "'$PG_BIN/pg_ctl' -D '$dir/data' -m fast -w stop" >/dev/null 2>&1 || true
    elif run_pg "'$PG_BIN/pg_ctl' -D '$dir/data' status" >/dev/null 2>&1; then
      exit 0  # already running
    fi
    run_pg "'$PG_BIN/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -o \"$opts\" start" >/dev/null
    ;;
  stop)
    run_pg "'$PG_BIN/pg_ctl' -D '$dir/data' -m fast -w stop" >/dev/null 2>&1 || true
    ;;
  *)
    echo "usage: $0 start|restart|stop DIR [PORT] [options]" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# Starts PostgreSQL 15 (with pgvector) and Redis 7 on loopback for integration tests, installing
# them with apt where missing. Idempotent. Usage: scripts/services.sh start|stop|status|env
#   AGENTRY_SERVICES_DIR  where data, logs and pid files live (default /tmp/agentry-services)
#   AGENTRY_PG_PORT       PostgreSQL port (default 55432)
#   AGENTRY_REDIS_PORT    Redis port (default 56379)
set -euo pipefail

PGBIN=/usr/lib/postgresql/15/bin
RUN=${AGENTRY_SERVICES_DIR:-/tmp/agentry-services}
PGPORT=${AGENTRY_PG_PORT:-55432}
REDIS_PORT=${AGENTRY_REDIS_PORT:-56379}
VECTOR_CONTROL=/usr/share/postgresql/15/extension/vector.control

log() { echo "services: $*" >&2; }

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install_missing() {
  local need=()
  [ -x $PGBIN/postgres ] || need+=(postgresql-15)
  command -v redis-server >/dev/null || need+=(redis-server)
  [ -f $VECTOR_CONTROL ] || need+=(postgresql-server-dev-15 make gcc)
  if [ ${#need[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || { log "missing ${need[*]} and not root: install them first"; exit 1; }
    log "installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
  fi
  if [ ! -f $VECTOR_CONTROL ]; then
    # pgvector is not packaged for bookworm; Debian trixie's source package builds against PG 15.
    log "building pgvector from Debian trixie's source package"
    local d; d=$(mktemp -d)
    mkdir -p "$d/lists/partial" "$d/cache"
    echo "deb-src http://deb.debian.org/debian trixie main" >"$d/src.list"
    local o=(-o "Dir::Etc::sourcelist=$d/src.list" -o Dir::Etc::sourceparts=/nonexistent -o "Dir::State::Lists=$d/lists" -o "Dir::Cache=$d/cache")
    apt-get "${o[@]}" update -q >/dev/null
    (cd "$d" && apt-get "${o[@]}" source --download-only pgvector >/dev/null && tar xzf pgvector_*.orig.tar.gz \
      && cd pgvector-*/ && make -s -j2 PG_CONFIG=$PGBIN/pg_config OPTFLAGS="" >/dev/null && make -s install PG_CONFIG=$PGBIN/pg_config >/dev/null)
    rm -rf "$d"
  fi
}

pg_running() { as_postgres $PGBIN/pg_ctl -D "$RUN/pgdata" status >/dev/null 2>&1; }
redis_running() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; }

start() {
  install_missing
  mkdir -p "$RUN"
  if [ "$(id -u)" = 0 ]; then install -d -m 0700 -o postgres -g postgres "$RUN/pgdata"; else install -d -m 0700 "$RUN/pgdata"; fi
  if [ ! -f "$RUN/pgdata/PG_VERSION" ]; then
    as_postgres $PGBIN/initdb -D "$RUN/pgdata" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  fi
  if ! pg_running; then
    as_postgres $PGBIN/pg_ctl -D "$RUN/pgdata" -l "$RUN/pgdata/server.log" -w \
      -o "-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=200" start >/dev/null
  fi
  psql -q -h 127.0.0.1 -p "$PGPORT" -U postgres -c 'create extension if not exists vector' >/dev/null
  if ! redis_running; then
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --pidfile "$RUN/redis.pid" --dir "$RUN" \
      --save '' --appendonly no --logfile "$RUN/redis.log"
    for _ in $(seq 50); do redis_running && break; sleep 0.1; done
  fi
  status
}

stop() {
  if [ -f "$RUN/pgdata/PG_VERSION" ] && pg_running; then as_postgres $PGBIN/pg_ctl -D "$RUN/pgdata" -m fast -w stop >/dev/null; fi
  if redis_running; then redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; fi
  log "stopped"
}

status() {
  local ok=0
  if [ -f "$RUN/pgdata/PG_VERSION" ] && pg_running; then log "postgres up on 127.0.0.1:$PGPORT"; else log "postgres down"; ok=1; fi
  if redis_running; then log "redis up on 127.0.0.1:$REDIS_PORT"; else log "redis down"; ok=1; fi
  return $ok
}

# Connection settings the integration tests read (also printed by `env`).
print_env() {
  echo "AGENTRY_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$PGPORT/postgres"
  echo "AGENTRY_TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) print_env ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback for the test suite's [postgresql] runs.
#
#   eval "$(.ci/postgres.sh start)"   install PostgreSQL with apt when missing, start (or reuse) the
#                                     server, print the exports the tests read
#   .ci/postgres.sh stop              stop the server, when `start` started it
#
# The cluster lives in its own folder under /tmp (not the packaged cluster), listens on 127.0.0.1
# only, on IDEAPANKKI_CI_PG_PORT (default 25432: below Linux's ephemeral range, 32768-60999, where an
# outgoing connection could hold the port for a moment and fail the start), and asks for a password
# over TCP, so the tests also check that the site and pg_dump/pg_restore pass credentials correctly.
# A server already running in the folder is reused on the port it listens on.
set -euo pipefail

PORT="${IDEAPANKKI_CI_PG_PORT:-25432}"
DATA="${IDEAPANKKI_CI_PG_DIR:-/tmp/ideapankki-ci-postgres}"
ROLE=ideapankki
PASSWORD=ideapankki-ci

log() { echo "postgres.sh: $*" >&2; }

bindir() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
        return 1
    fi
    echo "$dir"
}

install() {
    if bindir >/dev/null; then
        return
    fi
    if [ "$(id -u)" != 0 ]; then
        log "PostgreSQL server binaries are missing; install the 'postgresql' package (needs root)"
        exit 1
    fi
    log "installing PostgreSQL from Debian's packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
}

# Run a server binary as the cluster's owner: 'postgres' when we are root (initdb refuses root).
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start() {
    install
    local bin
    bin="$(bindir)"
    if [ ! -f "$DATA/PG_VERSION" ]; then
        log "creating a cluster in $DATA"
        rm -rf "$DATA"
        mkdir -p "$DATA"
        printf '%s\n' "$PASSWORD" >"$DATA.pw"
        if [ "$(id -u)" = 0 ]; then
            chown postgres: "$DATA" "$DATA.pw"
        fi
        as_owner "$bin/initdb" -D "$DATA" -U "$ROLE" --pwfile="$DATA.pw" -E UTF8 --locale=C.UTF-8 \
            --auth-local=trust --auth-host=scram-sha-256 >/dev/null
        rm -f "$DATA.pw"
    fi
    if ! as_owner "$bin/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
        log "starting PostgreSQL on 127.0.0.1:$PORT"
        if ! as_owner "$bin/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DATA -c fsync=off -c max_connections=200" start >&2; then
            tail -n 20 "$DATA/server.log" >&2 || true
            log "PostgreSQL did not start (is port $PORT taken? set IDEAPANKKI_CI_PG_PORT)"
            exit 1
        fi
        as_owner touch "$DATA/started-by-ci"
    else
        PORT="$(sed -n 4p "$DATA/postmaster.pid")"  # the running server's port (line 4 of its pid file)
    fi
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$PORT" -t 30
    echo "export IDEAPANKKI_TEST_POSTGRES_URL=postgresql://$ROLE:$PASSWORD@127.0.0.1:$PORT/postgres"
    echo "export IDEAPANKKI_REQUIRE_POSTGRES=1"
}

stop() {
    local bin
    bin="$(bindir)" || return 0
    if [ -f "$DATA/started-by-ci" ]; then
        as_owner "$bin/pg_ctl" -D "$DATA" -m fast -w stop >&2
        rm -f "$DATA/started-by-ci"
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac

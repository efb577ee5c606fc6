#!/usr/bin/env bash
# ./dev.sh replica [start|stop|status|drop]: a PostgreSQL streaming replica of
# the primary on this machine and Odoo in prefork mode reading from it.
#
#   start   (default) prepare the primary (idempotent, see below), create the
#           replica cluster with pg_basebackup if it does not exist, start it,
#           wait until it streams, then start Odoo: an HTTP server with
#           REPLICA_WORKERS prefork workers (and the gevent websocket process)
#           on HTTP_PORT / GEVENT_PORT with db_replica_host/db_replica_port,
#           and a separate cron server (--no-http, REPLICA_CRON_THREADS threads)
#   stop    stop both Odoo servers and the replica cluster
#   status  the servers' processes and pg_stat_replication (lag) on the primary
#   drop    stop, then delete the replica cluster
#
# What it changes on the primary (the Debian cluster on PGPORT, default 5432),
# each only when missing: wal_level = replica and max_wal_senders >= 4
# (ALTER SYSTEM; these need a restart of the primary, done only with
# REPLICA_RESTART_PRIMARY=1, else it stops and says so); a role
# ssc_replicator (LOGIN REPLICATION, random password kept in
# .odoo/replica/password); a pg_hba.conf line letting it replicate from
# 127.0.0.1 with scram-sha-256 (then pg_reload_conf()).
# The replica: Debian cluster "$REPLICA_CLUSTER" (default ssc_replica) of the
# same major version on 127.0.0.1:REPLICA_PORT (default 5433), hot_standby_feedback on
# (the dashboards' long reads are not cancelled by vacuum on the primary) and
# pg_stat_statements loaded (benchmarks/replica_check.py counts its
# statements). Needs root (pg_createcluster, the clusters' configuration).
#
# Settings: PGPORT (primary), REPLICA_PORT, REPLICA_CLUSTER, REPLICA_WORKERS
# (default 4), REPLICA_CRON_THREADS (default 1), REPLICA_READS=0 (serve
# without db_replica_host: the same topology reading from the primary, for
# comparisons), DB_NAME, HTTP_PORT, GEVENT_PORT (default HTTP_PORT+1).
set -euo pipefail

: "${PROJECT_DIR:?run through ./dev.sh replica}" "${CONF:?}" "${VENV:?}" "${ODOO_SRC:?}" "${STATE_DIR:?}"
PRIMARY_PORT="${PGPORT:-5432}"
REPLICA_PORT="${REPLICA_PORT:-5433}"
REPLICA_CLUSTER="${REPLICA_CLUSTER:-ssc_replica}"
REPLICA_WORKERS="${REPLICA_WORKERS:-4}"
REPLICA_CRON_THREADS="${REPLICA_CRON_THREADS:-1}"
GEVENT_PORT="${GEVENT_PORT:-$((HTTP_PORT + 1))}"
RUN_DIR="$STATE_DIR/replica"
LOG_DIR="$STATE_DIR/logs"
REPL_ROLE=ssc_replicator

say() { printf '[replica] %s\n' "$*" >&2; }
die() { printf '[replica] ERROR: %s\n' "$*" >&2; exit 2; }

need_root() {
    [ "$(id -u)" = 0 ] && return 0
    die "this needs root: it creates a PostgreSQL cluster (pg_createcluster, pg_basebackup as the postgres user) and, on the primary cluster, may set wal_level/max_wal_senders, create the replication role $REPL_ROLE and add a pg_hba.conf line. Run it as root (sudo -E ./dev.sh replica), or have an administrator do these steps (docs/deploy.md)."
}

# psql as postgres on a local cluster: $1 port, the rest psql arguments
pgsu() {
    local port="$1"
    shift
    su postgres -c "psql -X -q -v ON_ERROR_STOP=1 -p $port -tA $(printf '%q ' "$@")"
}

primary_cluster() {
    pg_lsclusters -h | awk -v p="$PRIMARY_PORT" '$3 == p && $4 == "online" {print $1, $2}' | head -1
}

replica_exists() { pg_lsclusters -h | awk -v c="$REPLICA_CLUSTER" '$2 == c {f=1} END {exit !f}'; }

setup_primary() {
    local ver="$1" name="$2" restart=0 hba pw
    mkdir -p "$RUN_DIR"
    if [ "$(pgsu "$PRIMARY_PORT" -c 'show wal_level')" = minimal ]; then
        say "primary $ver/$name: wal_level = replica (was minimal)"
        pgsu "$PRIMARY_PORT" -c "ALTER SYSTEM SET wal_level = 'replica'"
        restart=1
    fi
    if [ "$(pgsu "$PRIMARY_PORT" -c 'show max_wal_senders')" -lt 4 ]; then
        say "primary $ver/$name: max_wal_senders = 4"
        pgsu "$PRIMARY_PORT" -c "ALTER SYSTEM SET max_wal_senders = 4"
        restart=1
    fi
    if [ $restart = 1 ]; then
        [ "${REPLICA_RESTART_PRIMARY:-}" = 1 ] \
            || die "the primary needs a restart for these settings: REPLICA_RESTART_PRIMARY=1 ./dev.sh replica (or pg_ctlcluster $ver $name restart)"
        say "restarting the primary $ver/$name"
        pg_ctlcluster "$ver" "$name" restart
    fi
    [ -s "$RUN_DIR/password" ] || (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$RUN_DIR/password")
    pw=$(cat "$RUN_DIR/password")
    if [ "$(pgsu "$PRIMARY_PORT" -c "select count(*) from pg_roles where rolname = '$REPL_ROLE'")" = 0 ]; then
        say "primary: creating the role $REPL_ROLE (LOGIN REPLICATION)"
        pgsu "$PRIMARY_PORT" -c "CREATE ROLE $REPL_ROLE LOGIN REPLICATION"
    fi
    # the password of .odoo/replica/password (set each time: it may be new)
    pgsu "$PRIMARY_PORT" -c "ALTER ROLE $REPL_ROLE PASSWORD '$pw'"
    hba=$(pgsu "$PRIMARY_PORT" -c 'show hba_file')
    if ! grep -qE "^host[[:space:]]+replication[[:space:]]+$REPL_ROLE[[:space:]]+127\.0\.0\.1/32" "$hba"; then
        say "primary: $hba lets $REPL_ROLE replicate from 127.0.0.1 (scram-sha-256)"
        printf '# store_service_crm ./dev.sh replica\nhost    replication     %s  127.0.0.1/32  scram-sha-256\n' "$REPL_ROLE" >>"$hba"
        pgsu "$PRIMARY_PORT" -c 'select pg_reload_conf()' >/dev/null
    fi
}

create_replica() {
    local ver="$1" data conf pw
    pw=$(cat "$RUN_DIR/password")
    say "creating the replica cluster $ver/$REPLICA_CLUSTER on port $REPLICA_PORT (pg_basebackup of the primary; log $LOG_DIR/replica-create.log)"
    pg_createcluster "$ver" "$REPLICA_CLUSTER" --port "$REPLICA_PORT" >"$LOG_DIR/replica-create.log" 2>&1
    data=$(pg_lsclusters -h | awk -v c="$REPLICA_CLUSTER" '$2 == c {print $6}')
    conf="/etc/postgresql/$ver/$REPLICA_CLUSTER/conf.d/ssc_replica.conf"
    cat >"$conf" <<EOF
# ./dev.sh replica: a hot standby of the primary on port $PRIMARY_PORT
listen_addresses = '127.0.0.1'
hot_standby = on
hot_standby_feedback = on
max_standby_streaming_delay = 30s
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = all
EOF
    # the standby needs at least the primary's max_connections
    echo "max_connections = $(pgsu "$PRIMARY_PORT" -c 'show max_connections')" >>"$conf"
    rm -rf "${data:?}"
    su postgres -c "PGPASSWORD='$pw' pg_basebackup -h 127.0.0.1 -p $PRIMARY_PORT -U $REPL_ROLE -D '$data' -X stream -R -c fast" \
        >>"$LOG_DIR/replica-create.log" 2>&1 \
        || die "pg_basebackup failed (see $LOG_DIR/replica-create.log)"
}

# A standby made from another checkout (its own .odoo/replica/password) would be
# refused by the primary once this checkout set its password: its primary_conninfo
# (written by pg_basebackup -R) takes this checkout's password.
sync_replica_password() {
    local ver="$1" data auto pw
    pw=$(cat "$RUN_DIR/password")
    data=$(pg_lsclusters -h | awk -v c="$REPLICA_CLUSTER" '$2 == c {print $6}')
    auto="$data/postgresql.auto.conf"
    if [ -f "$auto" ] && ! grep -q "password=$pw" "$auto"; then
        say "replica: the standby's primary_conninfo takes this checkout's password"
        sed -i -E "s/password=[^ ']*/password=$pw/" "$auto"
        pg_ctlcluster "$ver" "$REPLICA_CLUSTER" stop 2>/dev/null || true
    fi
}

wait_streaming() {
    local i
    for i in $(seq 1 60); do
        if [ "$(pgsu "$PRIMARY_PORT" -c "select count(*) from pg_stat_replication where state = 'streaming'")" -ge 1 ] \
            && [ "$(pgsu "$REPLICA_PORT" -c 'select pg_is_in_recovery()' 2>/dev/null)" = t ]; then
            return 0
        fi
        sleep 1
    done
    die "the replica does not stream (see /var/log/postgresql/postgresql-*-$REPLICA_CLUSTER.log)"
}

write_odoo_conf() {
    local out="$RUN_DIR/odoo.conf" sock
    sock=$(pgsu "$REPLICA_PORT" -c 'show unix_socket_directories' | cut -d, -f1)
    # the project's configuration (addons, data_dir, the primary) without the
    # keys set here
    grep -vE '^(http_port|gevent_port|workers|max_cron_threads|db_maxconn|limit_time_cpu|limit_time_real|db_replica_host|db_replica_port) ' "$CONF" >"$out"
    cat >>"$out" <<EOF
http_port = $HTTP_PORT
gevent_port = $GEVENT_PORT
workers = $REPLICA_WORKERS
max_cron_threads = 0
db_maxconn = 16
limit_time_cpu = 600
limit_time_real = 1200
EOF
    if [ "${REPLICA_READS:-1}" != 0 ]; then
        printf 'db_replica_host = %s\ndb_replica_port = %s\n' "$sock" "$REPLICA_PORT" >>"$out"
    fi
}

start_odoo() {
    local conf="$RUN_DIR/odoo.conf"
    stop_odoo
    say "Odoo: $REPLICA_WORKERS HTTP workers on http://127.0.0.1:$HTTP_PORT (websocket :$GEVENT_PORT), reads of @api.readonly calls on $( [ "${REPLICA_READS:-1}" != 0 ] && echo "the replica :$REPLICA_PORT" || echo "the primary (REPLICA_READS=0)"); log $LOG_DIR/replica-http.log"
    setsid "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$conf" -d "$DB_NAME" --db-filter="^$DB_NAME\$" \
        --logfile "$LOG_DIR/replica-http.log" --pidfile "$RUN_DIR/http.pid" </dev/null >/dev/null 2>&1 &
    # The cron server runs prefork too (--workers with --no-http: cron worker
    # processes only): Odoo's threaded cron loop dies for good when PostgreSQL
    # restarts (its LISTEN connection raises out of the thread), a cron worker
    # process exits and the master starts a new one.
    say "cron server: --no-http, $REPLICA_CRON_THREADS cron worker process(es); log $LOG_DIR/replica-cron.log"
    setsid "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$conf" -d "$DB_NAME" --db-filter="^$DB_NAME\$" \
        --no-http --workers=1 --max-cron-threads="$REPLICA_CRON_THREADS" \
        --logfile "$LOG_DIR/replica-cron.log" --pidfile "$RUN_DIR/cron.pid" </dev/null >/dev/null 2>&1 &
    local i
    for i in $(seq 1 60); do
        curl -fs -o /dev/null "http://127.0.0.1:$HTTP_PORT/web/health" && { say "serving $DB_NAME on http://127.0.0.1:$HTTP_PORT"; return 0; }
        sleep 1
    done
    die "Odoo did not answer on :$HTTP_PORT (see $LOG_DIR/replica-http.log)"
}

stop_odoo() {
    local f pid i
    for f in "$RUN_DIR/http.pid" "$RUN_DIR/cron.pid"; do
        [ -s "$f" ] || continue
        pid=$(cat "$f")
        if kill -0 "$pid" 2>/dev/null; then
            say "stopping Odoo $(basename "$f" .pid) server ($pid)"
            kill -TERM "$pid"
            for i in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
            kill -0 "$pid" 2>/dev/null && kill -KILL -- "-$pid" 2>/dev/null
        fi
        rm -f "$f"
    done
}

cmd_start() {
    need_root
    local pc ver name
    pc=$(primary_cluster)
    [ -n "$pc" ] || die "no online Debian PostgreSQL cluster on port $PRIMARY_PORT (pg_lsclusters): the primary must be a local cluster (PGPORT)"
    read -r ver name <<<"$pc"
    setup_primary "$ver" "$name"
    replica_exists || create_replica "$ver"
    sync_replica_password "$ver"
    pg_ctlcluster "$ver" "$REPLICA_CLUSTER" start 2>/dev/null || true
    wait_streaming
    say "replica $ver/$REPLICA_CLUSTER streams from the primary $ver/$name ($PRIMARY_PORT -> $REPLICA_PORT)"
    write_odoo_conf
    start_odoo
    say "stop everything with: ./dev.sh replica stop"
}

cmd_stop() {
    stop_odoo
    if replica_exists; then
        need_root
        local ver
        ver=$(pg_lsclusters -h | awk -v c="$REPLICA_CLUSTER" '$2 == c {print $1}')
        say "stopping the replica cluster $ver/$REPLICA_CLUSTER"
        pg_ctlcluster "$ver" "$REPLICA_CLUSTER" stop 2>/dev/null || true
    fi
}

cmd_status() {
    local f
    for f in "$RUN_DIR/http.pid" "$RUN_DIR/cron.pid"; do
        if [ -s "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; then
            say "$(basename "$f" .pid) server: running ($(cat "$f"))"
        else
            say "$(basename "$f" .pid) server: not running"
        fi
    done
    pg_lsclusters | awk -v c="$REPLICA_CLUSTER" 'NR == 1 || $2 == c' >&2
    [ "$(id -u)" = 0 ] || return 0
    pgsu "$PRIMARY_PORT" -F ' ' -c "select 'streaming to', client_addr, state, 'replay lag', coalesce(replay_lag::text, '0') from pg_stat_replication" >&2 || true
}

case "${1:-start}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    drop)
        cmd_stop
        need_root
        ver=$(pg_lsclusters -h | awk -v c="$REPLICA_CLUSTER" '$2 == c {print $1}')
        [ -z "$ver" ] || { say "deleting the replica cluster $ver/$REPLICA_CLUSTER"; pg_dropcluster "$ver" "$REPLICA_CLUSTER"; }
        ;;
    *) die "usage: ./dev.sh replica [start|stop|status|drop]" ;;
esac

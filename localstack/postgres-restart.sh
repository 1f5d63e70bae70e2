#!/usr/bin/env bash
# Restarts the throwaway PostgreSQL that postgres-start.sh started in DIR (fast
# shutdown: connections are cut, as in a failover), on the same port, and
# waits until it accepts connections again. For tests of a pool that must
# ride out a database restart.
#
#   localstack/postgres-restart.sh DIR
set -euo pipefail

DIR=${1:?usage: postgres-restart.sh DIR}
[ -f "$DIR/data/postmaster.pid" ] || { echo "postgres-restart: error: no server runs in $DIR" >&2; exit 1; }
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
RUN=()
[ "$(id -u)" -ne 0 ] || RUN=(runuser -u postgres --)
"${RUN[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/postgres.log" -m fast -w -t 60 restart >/dev/null
PID=$(head -n 1 "$DIR/data/postmaster.pid")
echo "$PID postgres" >"$DIR/pids"
echo "postgres-restart: restarted (pid $PID)" >&2

#!/usr/bin/env bash
# Restarts the throwaway PostgreSQL that postgres-start.sh started in DIR (fast
# shutdown: connections are cut, as in a failover), on the same port, and
# waits until it accepts connections again. For tests of a pool that must
# ride out a database restart. With DOWN, the server stays stopped for DOWN
# seconds before it starts again (an outage longer than a recording's lease).
#
#   localstack/postgres-restart.sh DIR [DOWN]
set -euo pipefail

DIR=${1:?usage: postgres-restart.sh DIR [DOWN-SECONDS]}
DOWN=${2:-0}
case "$DOWN" in ''|*[!0-9]*) echo "postgres-restart: error: DOWN must be whole seconds, not '$DOWN'" >&2; exit 2 ;; esac
[ -f "$DIR/data/postmaster.pid" ] || { echo "postgres-restart: error: no server runs in $DIR" >&2; exit 1; }
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
RUN=()
[ "$(id -u)" -ne 0 ] || RUN=(runuser -u postgres --)
if [ "$DOWN" -eq 0 ]; then
  "${RUN[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/postgres.log" -m fast -w -t 60 restart >/dev/null
else
  # A plain start would not know the options postgres-start.sh gave (loopback, port, socket folder):
  # they are in postmaster.opts, `"BINARY" "-D" "DIR" "-c" "NAME=VALUE"…`, without spaces inside.
  OPTS=$(tr -d '"' <"$DIR/data/postmaster.opts" | cut -d' ' -f2- | sed 's|-D [^ ]* *||')
  case "$OPTS" in *listen_addresses=127.0.0.1*) ;; *) echo "postgres-restart: error: no loopback listen_addresses in $DIR/data/postmaster.opts" >&2; exit 1 ;; esac
  "${RUN[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m fast -w -t 60 stop >/dev/null
  sleep "$DOWN"
  "${RUN[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/postgres.log" -w -t 60 -o "$OPTS" start >/dev/null
fi
PID=$(head -n 1 "$DIR/data/postmaster.pid")
echo "$PID postgres" >"$DIR/pids"
echo "postgres-restart: restarted (pid $PID)" >&2

#!/usr/bin/env bash
# Starts a throwaway PostgreSQL (Debian's 15) on 127.0.0.1 for the service's
# shared store: a free port, data, socket and log in one temporary folder
# that postgres-stop.sh removes, the server's PID recorded and only it ever
# signalled. As root, the server runs as the package's `postgres` user
# (PostgreSQL refuses to run as root).
#
#   eval "$(localstack/postgres-start.sh)"   # exports RECORDER_POSTGRES, RECORDER_PG_DIR
#   ...
#   localstack/postgres-stop.sh               # uses RECORDER_PG_DIR
#
# stdout carries only `export NAME=value` lines (also saved as $DIR/env);
# progress goes to stderr. Durability is off (fsync): test data only.
set -euo pipefail

log() { echo "postgres-start: $*" >&2; }
die() { echo "postgres-start: error: $*" >&2; exit 1; }

BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$BIN" ] && [ -x "$BIN/initdb" ] || die "PostgreSQL is not installed (run localstack/install.sh postgres)"
command -v psql >/dev/null || die "psql not found (run localstack/install.sh postgres)"

DIR=$(mktemp -d "${TMPDIR:-/tmp}/recorder-pg.XXXXXX")
chmod 700 "$DIR"
STARTED=0
RUN=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' user (from the postgresql package)"
  chown postgres: "$DIR"
  RUN=(runuser -u postgres --)
fi

cleanup_on_error() {
  if [ "$STARTED" -eq 0 ]; then
    log "start failed; last log lines:"
    tail -n 20 "$DIR/postgres.log" 2>/dev/null | sed 's/^/  /' >&2 || true
    "$(dirname "$0")/postgres-stop.sh" "$DIR" >/dev/null 2>&1 || true
  fi
}
trap cleanup_on_error EXIT

# Server ports come from 10000-19999: below the kernel's ephemeral range (32768-60999 here), whose ports
# any outgoing connection may take as its source port between our check and the server's bind (an RGW
# once failed "Address already in use" that way under a benchmark's S3 traffic), and apart from Janus's
# RTP blocks (20000-29999). Free means no TCP socket at all uses it, listening, connected or in TIME_WAIT.
port_free() { ! ss -Htan 2>/dev/null | awk '{print $4}' | grep -qE ":$1\$"; }
PORT=""
for _ in $(seq 1 200); do
  p=$(( 10000 + RANDOM % 10000 ))
  if port_free "$p"; then PORT=$p; break; fi
done
[ -n "$PORT" ] || die "no free port found"
# (cut reads all its input: no SIGPIPE under pipefail)
PASSWORD=$(head -c 96 /dev/urandom | base64 -w0 | tr -dc 'A-Za-z0-9' | cut -c 1-32)

printf '%s\n' "$PASSWORD" >"$DIR/pwfile"
chmod 600 "$DIR/pwfile"
[ ${#RUN[@]} -eq 0 ] || chown postgres: "$DIR/pwfile"
"${RUN[@]}" "$BIN/initdb" -D "$DIR/data" -U recorder --pwfile="$DIR/pwfile" -A scram-sha-256 -E UTF8 --locale=C --no-sync >"$DIR/initdb.log" 2>&1 \
  || { cat "$DIR/initdb.log" >&2; die "initdb failed"; }
rm -f "$DIR/pwfile"
# Loopback only, the socket inside the folder, nothing written twice for durability.
"${RUN[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/postgres.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$DIR -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
  start >/dev/null
PID=$(head -n 1 "$DIR/data/postmaster.pid")
echo "$PID postgres" >"$DIR/pids"
log "started postgres (pid $PID) on 127.0.0.1:$PORT"

PGPASSWORD=$PASSWORD psql -X -q -h 127.0.0.1 -p "$PORT" -U recorder -d postgres -c "CREATE DATABASE recorder" >/dev/null

ENV_FILE="$DIR/env"
{
  echo "export RECORDER_PG_DIR=$DIR"
  echo "export RECORDER_POSTGRES='Host=127.0.0.1;Port=$PORT;Username=recorder;Password=$PASSWORD;Database=recorder'"
} >"$ENV_FILE"
chmod 600 "$ENV_FILE"
STARTED=1
log "ready: 127.0.0.1:$PORT database recorder (stop with: localstack/postgres-stop.sh $DIR)"
cat "$ENV_FILE"

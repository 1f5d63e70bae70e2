#!/usr/bin/env bash
# Stops a server started by postgres-start.sh and removes its folder.
#
#   localstack/postgres-stop.sh [DIR]     # DIR defaults to $RECORDER_PG_DIR
#
# Only the PID recorded in DIR/pids is signalled, and only while its command
# line still names this server's folder (a PID may have been reused).
set -uo pipefail

DIR=${1:-${RECORDER_PG_DIR:-}}
[ -n "$DIR" ] || { echo "postgres-stop: error: no folder given and RECORDER_PG_DIR is not set" >&2; exit 2; }
case "$DIR" in
  */recorder-pg.*) ;;
  *) echo "postgres-stop: error: $DIR is not a folder made by postgres-start.sh" >&2; exit 2 ;;
esac
[ -d "$DIR" ] || { echo "postgres-stop: nothing to do ($DIR is gone)" >&2; exit 0; }

ours() {
  local pid=$1
  [ -d "/proc/$pid" ] || return 1
  { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -qF "$DIR"
}

# SIGTERM is PostgreSQL's "smart" shutdown, which waits for clients; SIGINT is "fast".
stop_pid() {
  local pid=$1
  ours "$pid" || return 0
  kill -INT "$pid" 2>/dev/null
  for _ in $(seq 1 40); do ours "$pid" || return 0; sleep 0.25; done
  kill -KILL "$pid" 2>/dev/null
}

STOPPED=0
if [ -f "$DIR/pids" ]; then
  while read -r pid _; do
    if ours "$pid"; then stop_pid "$pid"; STOPPED=$((STOPPED + 1)); fi
  done <"$DIR/pids"
fi
rm -rf "$DIR"
echo "postgres-stop: stopped $STOPPED process(es), removed $DIR" >&2

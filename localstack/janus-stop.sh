#!/usr/bin/env bash
# Stops a Janus started by janus-start.sh and removes its folder.
#
#   localstack/janus-stop.sh [DIR]          # DIR defaults to $RECORDER_JANUS_DIR
#   localstack/janus-stop.sh --keep [DIR]   # stops Janus but keeps the folder,
#                                           # for janus-start.sh --restart DIR
#
# Only the PID recorded in DIR/pids is signalled, and only while its command
# line still names this instance's folder (a PID may have been reused).
# Janus takes about 2 s to stop on SIGTERM; SIGKILL follows after 10 s.
set -uo pipefail

KEEP=0
if [ "${1:-}" = "--keep" ]; then KEEP=1; shift; fi
DIR=${1:-${RECORDER_JANUS_DIR:-}}
[ -n "$DIR" ] || { echo "janus-stop: error: no folder given and RECORDER_JANUS_DIR is not set" >&2; exit 2; }
case "$DIR" in
  */recorder-janus.*) ;;
  *) echo "janus-stop: error: $DIR is not a folder made by janus-start.sh" >&2; exit 2 ;;
esac
[ -d "$DIR" ] || { echo "janus-stop: nothing to do ($DIR is gone)" >&2; exit 0; }

ours() {
  local pid=$1
  [ -d "/proc/$pid" ] || return 1
  { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -qF "$DIR/conf"
}

# shellcheck source=stop-recorded.sh
. "$(dirname "$0")/stop-recorded.sh"
stop_recorded "$DIR/pids" 40

if [ "$KEEP" -eq 1 ]; then
  rm -f "$DIR/pids"
  echo "janus-stop: stopped $STOPPED process(es), kept $DIR" >&2
else
  rm -rf "$DIR"
  echo "janus-stop: stopped $STOPPED process(es), removed $DIR" >&2
fi

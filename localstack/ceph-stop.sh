#!/usr/bin/env bash
# Stops a cluster started by ceph-start.sh and removes its folder.
#
#   localstack/ceph-stop.sh [DIR]     # DIR defaults to $RECORDER_CEPH_DIR
#
# Only PIDs recorded in DIR/pids are signalled, and only while their command
# line still names this cluster's folder (a PID may have been reused).
# radosgw ignores SIGTERM for a while, so SIGKILL follows after a grace period.
set -uo pipefail

DIR=${1:-${RECORDER_CEPH_DIR:-}}
[ -n "$DIR" ] || { echo "ceph-stop: error: no folder given and RECORDER_CEPH_DIR is not set" >&2; exit 2; }
case "$DIR" in
  */recorder-ceph.*) ;;
  *) echo "ceph-stop: error: $DIR is not a folder made by ceph-start.sh" >&2; exit 2 ;;
esac
[ -d "$DIR" ] || { echo "ceph-stop: nothing to do ($DIR is gone)" >&2; exit 0; }

# A PID is ours while it is alive and its environment or command line points at DIR.
ours() {
  local pid=$1
  [ -d "/proc/$pid" ] || return 1
  { tr '\0' '\n' <"/proc/$pid/environ"; } 2>/dev/null | grep -qx "CEPH_CONF=$DIR/ceph.conf" && return 0
  { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -qF "$DIR"
}

# shellcheck source=stop-recorded.sh
. "$(dirname "$0")/stop-recorded.sh"
stop_recorded "$DIR/pids" 20

rm -rf "$DIR"
echo "ceph-stop: stopped $STOPPED process(es), removed $DIR" >&2

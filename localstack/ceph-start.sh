#!/usr/bin/env bash
# Starts a throwaway single-node Ceph RADOS Gateway (the local S3) on 127.0.0.1:
# one monitor, one OSD on the in-memory memstore, one radosgw. Free ports are
# chosen at start; all state lives in one temporary folder that ceph-stop.sh
# removes; only the PIDs recorded here are ever signalled.
#
#   eval "$(localstack/ceph-start.sh)"     # exports AWS_ENDPOINT_URL_S3 etc.
#   ...
#   localstack/ceph-stop.sh                # uses RECORDER_CEPH_DIR
#
# stdout carries only `export NAME=value` lines (also saved as $DIR/env for
# test fixtures); progress goes to stderr. Facts: ../shared/notes/ceph-rgw.md.
# Environment: CEPH_MEMSTORE_MIB (default 3072) bounds the data it can hold.
set -euo pipefail

log() { echo "ceph-start: $*" >&2; }
die() { echo "ceph-start: error: $*" >&2; exit 1; }

for b in ceph-mon ceph-osd radosgw radosgw-admin ceph rados ceph-authtool monmaptool uuidgen curl; do
  command -v "$b" >/dev/null || die "$b not found (run localstack/install.sh ceph base)"
done

DIR=$(mktemp -d "${TMPDIR:-/tmp}/recorder-ceph.XXXXXX")
chmod 700 "$DIR"
export CEPH_CONF="$DIR/ceph.conf"
STARTED=0

# On any failure before the end: stop what was started and remove the folder.
cleanup_on_error() {
  if [ "$STARTED" -eq 0 ]; then
    log "start failed; last log lines:"
    tail -n 20 "$DIR"/log/*.log 2>/dev/null | sed 's/^/  /' >&2 || true
    "$(dirname "$0")/ceph-stop.sh" "$DIR" >/dev/null 2>&1 || true
  fi
}
trap cleanup_on_error EXIT
trap 'log "command failed at line $LINENO: $BASH_COMMAND"' ERR

# Server ports come from 10000-19999: below the kernel's ephemeral range (32768-60999 here), whose ports
# any outgoing connection may take as its source port between our check and the server's bind (an RGW
# once failed "Address already in use" that way under a benchmark's S3 traffic), and apart from Janus's
# RTP blocks (20000-29999). Free means no TCP socket at all uses it, listening, connected or in TIME_WAIT.
port_free() { ! ss -Htan 2>/dev/null | awk '{print $4}' | grep -qE ":$1\$"; }
pick_port() {
  local p
  for _ in $(seq 1 200); do
    p=$(( 10000 + RANDOM % 10000 ))
    if port_free "$p" && ! grep -qx "$p" "$DIR/ports" 2>/dev/null; then
      echo "$p" >>"$DIR/ports"; echo "$p"; return 0
    fi
  done
  die "no free port found"
}

MON_PORT=$(pick_port)
RGW_PORT=$(pick_port)
FSID=$(uuidgen)
OSD_UUID=$(uuidgen)
RGW_NAME=client.rgw.recorder
MEMSTORE_MIB=${CEPH_MEMSTORE_MIB:-3072}
# (cut reads all its input: no SIGPIPE under pipefail)
rand() { head -c 96 /dev/urandom | base64 -w0 | tr -dc "$1" | cut -c "1-$2"; }
ACCESS_KEY=RECORDER$(rand 'A-Z0-9' 12)
SECRET_KEY=$(rand 'A-Za-z0-9' 40)
# A 32-byte key for SSE-KMS with radosgw's "testing" KMS backend.
SSE_KEY=$(head -c 32 /dev/urandom | base64)
mkdir -p "$DIR"/{mon/ceph-a,osd/ceph-0,rgw,run,log,crash}

cat >"$CEPH_CONF" <<CONF
[global]
fsid = $FSID
mon host = [v2:127.0.0.1:$MON_PORT]
mon initial members = a
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind ipv6 = false
ms bind msgr1 = false
auth cluster required = none
auth service required = none
auth client required = none
# Without this radosgw cannot talk to the monitor under auth none (-13, then a 300 s hang).
ms mon client mode = crc secure
osd objectstore = memstore
memstore device bytes = $(( MEMSTORE_MIB * 1024 * 1024 ))
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon max pg per osd = 1000
mon warn on pool no redundancy = false
mon data avail warn = 1
mon data avail crit = 0
keyring = $DIR/keyring
run dir = $DIR/run
pid file = $DIR/run/\$name.pid
admin socket = $DIR/run/\$name.asok
log file = $DIR/log/\$name.log
crash dir = $DIR/crash
mon data = $DIR/mon/ceph-\$id
osd data = $DIR/osd/ceph-\$id
osd max object name len = 460
osd max object namespace len = 64

[$RGW_NAME]
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT tcp_nodelay=1
rgw data = $DIR/rgw
rgw dns name = 127.0.0.1
rgw crypt require ssl = false
rgw crypt s3 kms backend = testing
rgw crypt s3 kms encryption keys = recorder-test-key=$SSE_KEY
rgw lc debug interval = 10
rgw enable usage log = false
CONF

# Records a PID with the command that owns it, so ceph-stop.sh can check the
# PID still belongs to this cluster before signalling it.
start_daemon() {
  local name=$1; shift
  "$@" >>"$DIR/log/$name.stdout" 2>&1 &
  local pid=$!
  echo "$pid $name" >>"$DIR/pids"
  log "started $name (pid $pid)"
}

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local secs=$1 what=$2; shift 2
  local deadline=$(( SECONDS + secs ))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "timed out after ${secs}s waiting for $what"
    sleep 0.5
  done
}

log "folder $DIR, monitor port $MON_PORT, S3 port $RGW_PORT"
ceph-authtool --create-keyring "$DIR/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
ceph-authtool "$DIR/keyring" --gen-key -n client.admin \
  --cap mon 'allow *' --cap osd 'allow *' --cap mds 'allow *' --cap mgr 'allow *' >/dev/null
monmaptool --create --fsid "$FSID" --addv a "[v2:127.0.0.1:$MON_PORT]" "$DIR/monmap" >/dev/null
ceph-mon --mkfs -i a --monmap "$DIR/monmap" --keyring "$DIR/keyring" >/dev/null 2>&1 \
  || die "ceph-mon --mkfs failed"
start_daemon mon.a ceph-mon -f -i a
wait_for 30 "the monitor" timeout 5 ceph mon stat

ceph osd new "$OSD_UUID" >/dev/null
ceph-osd -i 0 --mkfs --osd-uuid "$OSD_UUID" >/dev/null 2>&1 || die "ceph-osd --mkfs failed"
start_daemon osd.0 ceph-osd -f -i 0
wait_for 60 "osd.0 up" bash -c "timeout 5 ceph osd dump | grep -q '^osd.0 up'"

start_daemon "${RGW_NAME#client.}" radosgw -f -n "$RGW_NAME"
wait_for 120 "the S3 endpoint" curl -sf -o /dev/null "http://127.0.0.1:$RGW_PORT/"

radosgw-admin user create --uid recorder --display-name "Recorder tests" \
  --access-key "$ACCESS_KEY" --secret "$SECRET_KEY" >/dev/null 2>&1 \
  || die "radosgw-admin user create failed"

# The gateway creates its bucket pools on the first bucket, object and multipart
# upload, which made the first write after a start take 3-4 s more (a benchmark's
# first "time to first frame", a test's first upload). Made here instead.
for pool in default.rgw.buckets.index default.rgw.buckets.data default.rgw.buckets.non-ec; do
  ceph osd pool create "$pool" >/dev/null 2>&1 || die "ceph osd pool create $pool failed"
  ceph osd pool application enable "$pool" rgw >/dev/null 2>&1 || die "ceph osd pool application enable $pool failed"
done
# (No manager runs here, so `ceph pg stat` would wait forever: a write to each pool says it is active.)
wait_for 60 "the bucket pools" bash -c 'for p in default.rgw.buckets.index default.rgw.buckets.data default.rgw.buckets.non-ec; do
  timeout 5 rados -p "$p" put recorder-probe /dev/null && timeout 5 rados -p "$p" rm recorder-probe || exit 1; done'

{
  echo "export RECORDER_CEPH_DIR=$DIR"
  echo "export AWS_ENDPOINT_URL_S3=http://127.0.0.1:$RGW_PORT"
  echo "export AWS_ACCESS_KEY_ID=$ACCESS_KEY"
  echo "export AWS_SECRET_ACCESS_KEY=$SECRET_KEY"
  echo "export AWS_REGION=us-east-1"
  # Ceph Pacific rejects aws-chunked bodies with trailing checksums (see the note).
  echo "export AWS_REQUEST_CHECKSUM_CALCULATION=when_required"
  echo "export AWS_RESPONSE_CHECKSUM_VALIDATION=when_required"
  # Never ask the EC2 instance metadata service (169.254.169.254) for credentials:
  # everything here talks to 127.0.0.1 only, even when a variable above is lost.
  echo "export AWS_EC2_METADATA_DISABLED=true"
} >"$DIR/env"
chmod 600 "$DIR/env"
STARTED=1
log "ready: http://127.0.0.1:$RGW_PORT (stop with: localstack/ceph-stop.sh $DIR)"
cat "$DIR/env"

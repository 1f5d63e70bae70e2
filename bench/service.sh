#!/usr/bin/env bash
# What the service adds to a recording, measured on the recorder as installed
# (README, "Install": the CLI compiled ahead of time, the service beside it):
#
#  1. time to first frame: from `recorder schedule` (POST /recordings, start
#     now) to the first frame captured (the recording's `recording` time), for
#     a synthetic meeting and a Janus room with one publisher; and the same for
#     `recorder record --events` started alone (process start to its `recording`
#     event), in the same run;
#  2. the service's RSS when idle (VmRSS and VmHWM of the service process after
#     30 s without work);
#  3. CPU per media second of the same real-time 720p30 synthetic meeting of 4,
#     run by the service (the service process's own CPU plus its reaped
#     children's — the recording process and its ffmpeg — from /proc/PID/stat)
#     and by `recorder record` alone under /usr/bin/time -v, alternating;
#     the ratio service/alone (goal ≤ 1.05).
#
#   bench/service.sh                       # BENCH_RUNS=3 BENCH_SECONDS=60 BENCH_TTFF_RUNS=10
#
# Results (raw JSON lines and summary.md) go to bench/results/service/.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
say() { echo "service.sh: $*" >&2; }

OUT="$ROOT/bench/results/service"
mkdir -p "$OUT"
"$ROOT/localstack/install.sh" base ffmpeg age ceph janus aot awscli

export DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDDISABLENODEREUSE=1 DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
WORK=$(mktemp -d "${TMPDIR:-/tmp}/recorder-bench-service.XXXXXX")
INSTALL="$WORK/install"
FLAGS=(-c Release -r linux-x64 -nodeReuse:false -p:UseSharedCompilation=false -v q -clp:ErrorsOnly)
say "installing recorder as README says into $INSTALL"
dotnet publish Recorder.Cli "${FLAGS[@]}" -p:PublishAot=true -o "$INSTALL" >&2
dotnet publish Recorder.Service "${FLAGS[@]}" -o "$INSTALL/service" >&2

CEPH_DIR=""; JANUS_DIR=""; SERVICE_PID=""; PUBLISHER=""
cleanup() {
  [ -z "$PUBLISHER" ] || kill "$PUBLISHER" 2>/dev/null || true
  if [ -n "$SERVICE_PID" ]; then kill -TERM "$SERVICE_PID" 2>/dev/null || true; wait "$SERVICE_PID" 2>/dev/null || true; fi
  [ -z "$JANUS_DIR" ] || "$ROOT/localstack/janus-stop.sh" "$JANUS_DIR" || true
  [ -z "$CEPH_DIR" ] || "$ROOT/localstack/ceph-stop.sh" "$CEPH_DIR" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

eval "$("$ROOT/localstack/ceph-start.sh")"
CEPH_DIR=$RECORDER_CEPH_DIR
eval "$("$ROOT/localstack/janus-start.sh")"
JANUS_DIR=$RECORDER_JANUS_DIR
aws --endpoint-url "$AWS_ENDPOINT_URL_S3" s3 mb s3://bench >/dev/null

# A Janus room with one remote publisher (ffmpeg replaying a VP8/Opus clip).
ROOM=4243
python3 "$ROOT/bench/janus_room.py" "$RECORDER_JANUS_URL" "$ROOM" "$WORK" >"$WORK/publisher.port"
ffmpeg -v error -nostdin -re -stream_loop -1 -i "$WORK/clip.webm" \
  -map 0:a -c copy -payload_type 111 -ssrc 1000 -f rtp "rtp://127.0.0.1:$(cat "$WORK/publisher.port")?pkt_size=1200" \
  -map 0:v -c copy -payload_type 96 -ssrc 1010 -f rtp "rtp://127.0.0.1:$(cat "$WORK/publisher.port")?pkt_size=1200" >/dev/null 2>&1 &
PUBLISHER=$!

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export RECORDER_OPERATOR_TOKEN
RECORDER_OPERATOR_TOKEN=$(head -c 32 /dev/urandom | base64 -w0 | tr -dc 'A-Za-z0-9' | cut -c 1-40)
"$INSTALL/recorder" serve --urls "http://127.0.0.1:$PORT" --bucket bench --state-dir "$WORK/state" >"$OUT/service.log" 2>&1 &
SERVICE_PID=$!   # serve replaces itself with the service: this is the service's PID

python3 "$ROOT/bench/service_driver.py" --url "http://127.0.0.1:$PORT" --pid "$SERVICE_PID" --recorder "$INSTALL/recorder" \
  --janus "janus://${RECORDER_JANUS_URL#http://}?room=$ROOM" --out "$OUT" \
  --runs "${BENCH_RUNS:-3}" --seconds "${BENCH_SECONDS:-60}" --ttff-runs "${BENCH_TTFF_RUNS:-10}" | tee "$OUT/summary.md"

#!/usr/bin/env bash
# The pool of workers (README, "A pool of workers"), measured on the recorder as
# installed (the CLI compiled ahead of time, the service beside it), with a
# throwaway PostgreSQL and Ceph RGW on 127.0.0.1:
#
#  1. failover: BENCH_KILLS (5) times, a worker recording a real-time synthetic
#     meeting (~0.17 Mbit/s of media) is SIGKILLed together with its recording
#     process (the machine died) at a random moment; the other worker takes the
#     recording over. Per kill: seconds from the kill to the new segment,
#     media seconds missing between the segments (decoded: the truncated
#     segment's prefix as `recorder decrypt` writes it, probed by ffprobe), and
#     media lost at the kill (media time at the kill minus what the prefix holds);
#  2. the same kill BENCH_KILLS_HIGH (3) times on a Janus room whose one
#     publisher sends detailed moving video (the recording's bit rate is
#     measured and reported with the figures);
#  3. the job storage's load: PostgreSQL transactions per minute (pg_stat_database)
#     with 1, 3 and BENCH_MAX_WORKERS (5) idle workers (more run out of PostgreSQL's default 100 connections: docs/benchmarks.md), and their RSS and CPU.
#
#   bench/pool.sh
#
# Results (raw JSON lines and summary.md) go to bench/results/pool/.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
say() { echo "pool.sh: $*" >&2; }

OUT="$ROOT/bench/results/pool"
mkdir -p "$OUT"
"$ROOT/localstack/install.sh" base ffmpeg age ceph janus aot awscli postgres

export DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDDISABLENODEREUSE=1 DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
WORK=$(mktemp -d "${TMPDIR:-/tmp}/recorder-bench-pool.XXXXXX")
INSTALL="$WORK/install"
FLAGS=(-c Release -r linux-x64 -nodeReuse:false -p:UseSharedCompilation=false -v q -clp:ErrorsOnly)
if [ -n "${BENCH_INSTALLED:-}" ]; then
  INSTALL=$BENCH_INSTALLED
else
  say "installing recorder as README says into $INSTALL"
  dotnet publish Recorder.Cli "${FLAGS[@]}" -p:PublishAot=true -o "$INSTALL" >&2
  dotnet publish Recorder.Service "${FLAGS[@]}" -o "$INSTALL/service" >&2
fi

CEPH_DIR=""; JANUS_DIR=""; PG_DIR=""; PUBLISHER=""
cleanup() {
  [ -z "$PUBLISHER" ] || kill "$PUBLISHER" 2>/dev/null || true
  [ ! -f "$WORK/workers.pids" ] || while read -r pid; do kill -KILL "$pid" 2>/dev/null || true; done <"$WORK/workers.pids"
  [ -z "$JANUS_DIR" ] || "$ROOT/localstack/janus-stop.sh" "$JANUS_DIR" || true
  [ -z "$PG_DIR" ] || "$ROOT/localstack/postgres-stop.sh" "$PG_DIR" || true
  [ -z "$CEPH_DIR" ] || "$ROOT/localstack/ceph-stop.sh" "$CEPH_DIR" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

eval "$("$ROOT/localstack/ceph-start.sh")"
CEPH_DIR=$RECORDER_CEPH_DIR
eval "$("$ROOT/localstack/janus-start.sh")"
JANUS_DIR=$RECORDER_JANUS_DIR
eval "$("$ROOT/localstack/postgres-start.sh")"
PG_DIR=$RECORDER_PG_DIR
aws --endpoint-url "$AWS_ENDPOINT_URL_S3" s3 mb s3://bench >/dev/null

# A Janus room with one remote publisher sending detailed moving video (testsrc2 at 1280x720, VP8 at 4 Mbit/s).
ROOM=4244
python3 "$ROOT/bench/janus_room.py" "$RECORDER_JANUS_URL" "$ROOM" "$WORK" >"$WORK/publisher.port"
ffmpeg -v error -nostdin -y -f lavfi -i "testsrc2=s=1280x720:r=30" -f lavfi -i "sine=frequency=300:sample_rate=48000" -t 20 \
  -map 1:a -c:a libopus -b:a 48k -ac 2 -map 0:v -c:v libvpx -deadline realtime -cpu-used 8 -b:v 4M -g 30 -auto-alt-ref 0 \
  -f webm "$WORK/detailed.webm"
ffmpeg -v error -nostdin -re -stream_loop -1 -i "$WORK/detailed.webm" \
  -map 0:a -c copy -payload_type 111 -ssrc 1000 -f rtp "rtp://127.0.0.1:$(cat "$WORK/publisher.port")?pkt_size=1200" \
  -map 0:v -c copy -payload_type 96 -ssrc 1010 -f rtp "rtp://127.0.0.1:$(cat "$WORK/publisher.port")?pkt_size=1200" >/dev/null 2>&1 &
PUBLISHER=$!

export RECORDER_OPERATOR_TOKEN
RECORDER_OPERATOR_TOKEN=$(head -c 32 /dev/urandom | base64 -w0 | tr -dc 'A-Za-z0-9' | cut -c 1-40)
age-keygen -o "$WORK/host.key" 2>/dev/null
python3 "$ROOT/bench/pool_driver.py" --recorder "$INSTALL/recorder" --work "$WORK" --out "$OUT" --identity "$WORK/host.key" \
  --janus "janus://${RECORDER_JANUS_URL#http://}?room=$ROOM" --postgres "$RECORDER_POSTGRES" \
  --kills "${BENCH_KILLS:-5}" --kills-high "${BENCH_KILLS_HIGH:-3}" --max-workers "${BENCH_MAX_WORKERS:-5}" | tee "$OUT/summary.md"

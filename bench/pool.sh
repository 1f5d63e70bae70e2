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
#  2. the same kill BENCH_KILLS_HIGH (3) times on a synthetic meeting with film
#     grain (`grain=4`: ~5 Mbit/s; x264 quantizes ±3 grain away, ±4 not, so
#     nothing in between comes from this source); the bit rate is measured;
#  3. the job storage's load: PostgreSQL transactions per minute (pg_stat_database)
#     with 1, 3 and BENCH_MAX_WORKERS (5) idle workers (more run out of PostgreSQL's default 100 connections: docs/benchmarks.md), and their RSS and CPU.
#
#   bench/pool.sh                 # BENCH_KILLS=5 BENCH_KILLS_HIGH=3 BENCH_MAX_WORKERS=5 BENCH_IDLE=1 (0: skip 3.)
#
# Results (raw JSON lines and summary.md) go to bench/results/pool/.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
say() { echo "pool.sh: $*" >&2; }

OUT="$ROOT/bench/results/pool"
mkdir -p "$OUT"
"$ROOT/localstack/install.sh" base ffmpeg age ceph aot awscli postgres

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

CEPH_DIR=""; PG_DIR=""
cleanup() {
  [ ! -f "$WORK/workers.pids" ] || while read -r pid; do kill -KILL "$pid" 2>/dev/null || true; done <"$WORK/workers.pids"
  [ -z "$PG_DIR" ] || "$ROOT/localstack/postgres-stop.sh" "$PG_DIR" || true
  [ -z "$CEPH_DIR" ] || "$ROOT/localstack/ceph-stop.sh" "$CEPH_DIR" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

eval "$("$ROOT/localstack/ceph-start.sh")"
CEPH_DIR=$RECORDER_CEPH_DIR
eval "$("$ROOT/localstack/postgres-start.sh")"
PG_DIR=$RECORDER_PG_DIR
aws --endpoint-url "$AWS_ENDPOINT_URL_S3" s3 mb s3://bench >/dev/null

export RECORDER_OPERATOR_TOKEN
RECORDER_OPERATOR_TOKEN=$(head -c 32 /dev/urandom | base64 -w0 | tr -dc 'A-Za-z0-9' | cut -c 1-40)
age-keygen -o "$WORK/host.key" 2>/dev/null
python3 "$ROOT/bench/pool_driver.py" --recorder "$INSTALL/recorder" --work "$WORK" --out "$OUT" --identity "$WORK/host.key" \
  --postgres "$RECORDER_POSTGRES" \
  --kills "${BENCH_KILLS:-5}" --kills-high "${BENCH_KILLS_HIGH:-3}" --max-workers "${BENCH_MAX_WORKERS:-5}" | tee "$OUT/summary.md"

#!/usr/bin/env bash
# Storage benchmark: a 1 GiB stream from memory (a tmpfs file) to the local
# Ceph RADOS Gateway through MultipartUploadSink (bench/StorageBench), against
# Debian's `aws s3 cp` (awscli 2.9) of the same bytes to the same server, in
# the same run. Prints the time ratio (awscli mean / recorder mean; > 1 means
# the sink is faster) and each tool's peak RSS next to the sink's budget.
#
#   bench/storage.sh                         # 1 GiB, 3 runs each
#   SIZE_MIB=256 RUNS=2 bench/storage.sh     # smaller, quicker
#   BUDGET_MIB=64 IN_FLIGHT=6 PART_MIB=8     # sink settings (the defaults)
#
# Results (hyperfine JSON, time -v output, summary) go to bench/results/storage/.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
say() { echo "storage.sh: $*" >&2; }

SIZE_MIB=${SIZE_MIB:-1024}
RUNS=${RUNS:-3}
BUDGET_MIB=${BUDGET_MIB:-64}
IN_FLIGHT=${IN_FLIGHT:-6}
PART_MIB=${PART_MIB:-8}
OUT="$ROOT/bench/results/storage"
mkdir -p "$OUT"

"$ROOT/localstack/install.sh" base ceph awscli hyperfine aot
AWS=/usr/bin/aws   # Debian's awscli 2.9; a different `aws` may come first on PATH
[ -x "$AWS" ] || { say "error: $AWS missing (localstack/install.sh awscli)"; exit 1; }

export DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDDISABLENODEREUSE=1 DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
# Published as the recorder is installed (README, "CLI": compiled ahead of time)
# and run with the settings the recorder's launcher gives it
# (Recorder.Cli/Launcher/recorder: a 1 MiB young-generation budget, 2 malloc arenas).
DRIVER_DIR=$(mktemp -d)
say "publishing bench/StorageBench (Release, native ahead-of-time) to $DRIVER_DIR"
dotnet publish bench/StorageBench -c Release -r linux-x64 -p:PublishAot=true \
  -o "$DRIVER_DIR" -nodeReuse:false -p:UseSharedCompilation=false -v q -clp:ErrorsOnly
DRIVER="$DRIVER_DIR/StorageBench"
export DOTNET_GCgen0size=100000 MALLOC_ARENA_MAX=2   # as the launcher sets them (Recorder.Cli/Launcher/recorder)

INPUT=$(mktemp /dev/shm/recorder-bench.XXXXXX)
CEPH_DIR=""
cleanup() {
  rm -rf "$INPUT" "$DRIVER_DIR"
  if [ -n "$CEPH_DIR" ]; then "$ROOT/localstack/ceph-stop.sh" "$CEPH_DIR" || true; fi
}
trap cleanup EXIT

say "starting Ceph with a 6 GiB in-memory store"
eval "$(CEPH_MEMSTORE_MIB=6144 "$ROOT/localstack/ceph-start.sh")"
CEPH_DIR=$RECORDER_CEPH_DIR
export CEPH_CONF="$CEPH_DIR/ceph.conf"
EP=$AWS_ENDPOINT_URL_S3   # awscli 2.9 ignores AWS_ENDPOINT_URL_S3: always pass --endpoint-url

say "writing $SIZE_MIB MiB of random bytes to $INPUT (tmpfs)"
head -c "${SIZE_MIB}M" /dev/urandom >"$INPUT"
SHA=$(sha256sum "$INPUT" | cut -d' ' -f1)
"$AWS" --endpoint-url "$EP" s3 mb s3://bench >/dev/null

# Between runs: delete both objects and let radosgw free their space now (not in 2 h).
PREPARE="$AWS --endpoint-url $EP s3 rm --only-show-errors s3://bench --recursive; radosgw-admin gc process --include-all >/dev/null 2>&1 || true"
RECORDER_CMD="$DRIVER --bucket bench --key recorder.bin --input $INPUT --budget-mib $BUDGET_MIB --in-flight $IN_FLIGHT --part-mib $PART_MIB"
AWSCLI_CMD="$AWS --endpoint-url $EP s3 cp --only-show-errors $INPUT s3://bench/awscli.bin"

say "hyperfine: $RUNS runs each"
hyperfine --warmup 1 --runs "$RUNS" --prepare "$PREPARE" --export-json "$OUT/hyperfine.json" \
  -n recorder-sink "$RECORDER_CMD" -n awscli "$AWSCLI_CMD" >&2

say "peak RSS with /usr/bin/time -v"
bash -c "$PREPARE"
/usr/bin/time -v $RECORDER_CMD >"$OUT/recorder.out" 2>"$OUT/recorder.time"
/usr/bin/time -v $AWSCLI_CMD >/dev/null 2>"$OUT/awscli.time"
: >"$OUT/empty.bin"
/usr/bin/time -v $DRIVER --bucket bench --key empty.bin --input "$OUT/empty.bin" >/dev/null 2>"$OUT/baseline.time"
rm -f "$OUT/empty.bin"

say "checking both objects byte for byte (SHA-256)"
for key in recorder.bin awscli.bin; do
  got=$("$AWS" --endpoint-url "$EP" s3 cp --only-show-errors "s3://bench/$key" - | sha256sum | cut -d' ' -f1)
  [ "$got" = "$SHA" ] || { say "error: s3://bench/$key differs from the input ($got != $SHA)"; exit 1; }
done

rss() { grep 'Maximum resident' "$1" | grep -o '[0-9]*$'; }
python3 - "$OUT/hyperfine.json" "$(rss "$OUT/recorder.time")" "$(rss "$OUT/awscli.time")" "$(rss "$OUT/baseline.time")" \
  "$BUDGET_MIB" "$SIZE_MIB" "$(cat "$OUT/recorder.out")" <<'PY' | tee "$OUT/summary.txt"
import json, sys
runs = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
rec, cli = runs["recorder-sink"], runs["awscli"]
rss_rec, rss_cli, rss_base = (int(x) / 1024 for x in sys.argv[2:5])
budget, size = int(sys.argv[5]), int(sys.argv[6])
print(f"size: {size} MiB, sink budget: {budget} MiB")
for name, r in (("recorder-sink", rec), ("awscli", cli)):
    print(f"{name:14} mean {r['mean']:.2f} s ± {r['stddev'] or 0:.2f} (min {r['min']:.2f}, max {r['max']:.2f}) = {size / r['mean']:.0f} MiB/s")
print(f"ratio (awscli mean / recorder mean): {cli['mean'] / rec['mean']:.2f}  (goal >= 1.0)")
print(f"peak RSS recorder-sink: {rss_rec:.0f} MiB; idle baseline of the same driver (0 bytes): {rss_base:.0f} MiB; "
      f"above baseline: {rss_rec - rss_base:.0f} MiB vs budget {budget} MiB")
print(f"peak RSS awscli: {rss_cli:.0f} MiB")
print(f"sink counters (time -v run): {sys.argv[7]}")
PY

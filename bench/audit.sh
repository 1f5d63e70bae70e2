#!/usr/bin/env bash
# Bucket audit benchmark: `recorder audit` over a bucket of 10,000 objects on the
# local Ceph RADOS Gateway, against Debian's aws CLI listing the same bucket
# (`aws s3api list-objects-v2`, all pages) and HEADing every key (`aws s3api
# head-object`, from xargs), in the same run. Objects per second, bytes read per
# second, peak RSS, requests and CPU of each; the ratio recorder/peer.
#
#   bench/audit.sh                          # 10,000 objects, 3 rounds
#   OBJECTS=1000 RUNS=1 bench/audit.sh      # a quick look
#   REAL=4 PLAIN=100 SAMPLE_EVERY=100 PARALLEL=8 BENCH_REUSE_INSTALL=1
#   BENCH_RECORDER_B=/path/recorder BENCH_PEERS=0 bench/audit.sh   # A/B of two builds, without the aws rows
#
# The bucket (seeding is not timed): REAL recordings made by `recorder record`
# (320x180, 2 participants, 4 s, signed), one recording made through the service
# by `recorder demo` (which also writes the audit log under audit/), copies of
# the REAL recordings into new folders with their manifest rewritten for the new
# folder and re-signed with the same key (bench/audit_seed.py, `ssh-keygen -Y
# sign`), and PLAIN small objects that are not recordings (CSV exports and two
# unencrypted MP4 files), up to exactly OBJECTS objects.
#
# The peer, one aws process per key (as `xargs aws s3api head-object` is run),
# costs ~1 s of CPU per key in Python start-up alone: 10,000 keys would take
# hours. It is timed on every SAMPLE_EVERY-th key (after listing them all) and
# extrapolated per key (aws-head-each-P1, -P$PARALLEL). The same HEADs of every
# key are also timed through the aws CLI's own S3 client, botocore from Debian's
# awscli, one process per xargs batch (bench/aws_head.py): sequentially
# (botocore-head-P1) and in PARALLEL processes (botocore-head-P$PARALLEL).
#
# hyperfine runs RUNS rounds of one run of each command, alternating, every run
# under /usr/bin/time -v (peak RSS, CPU). Before them, one counted run of each
# (the warm-up): requests and bytes served by the gateway (its perf counters),
# the gateway's and OSD's CPU, and the peak RSS summed over all the tool's
# processes. recorder-report is the same audit with --report FILE.html (and its
# JSON to a file). Every run's exit status is checked: 3 for the recorder (the
# plain objects are violations, and they must be the only findings), 0 for the
# others. Results and summary.md go to bench/results/audit/ (not committed:
# bench/.gitignore).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
say() { echo "audit.sh: $(date -u +%H:%M:%S) $*" >&2; }

OBJECTS=${OBJECTS:-10000}
RUNS=${RUNS:-3}
REAL=${REAL:-4}
PLAIN=${PLAIN:-100}
SAMPLE_EVERY=${SAMPLE_EVERY:-100}
PARALLEL=${PARALLEL:-8}
BUCKET=audit-bench
OUT="$ROOT/bench/results/audit"
rm -rf "$OUT"
mkdir -p "$OUT/cmd"
echo "start $(uptime)" >"$OUT/uptime.txt"

"$ROOT/localstack/install.sh" base ffmpeg ceph awscli hyperfine aot
AWS=/usr/bin/aws   # Debian's awscli 2.9; a different `aws` may come first on PATH
[ -x "$AWS" ] || { say "error: $AWS missing (localstack/install.sh awscli)"; exit 1; }

# Installed as README "Install" says (scripts/demo.sh): the CLI compiled ahead of
# time, the service beside it (`recorder demo` runs it).
INSTALL="$ROOT/artifacts/bench-recorder"
REC="$INSTALL/recorder"
if [ -n "${BENCH_REUSE_INSTALL:-}" ] && [ -x "$REC" ] && [ -x "$INSTALL/service/recorder-service" ]; then
  say "reusing the recorder installed in $INSTALL"
else
  export DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDDISABLENODEREUSE=1 DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
  FLAGS=(-c Release -r linux-x64 -nodeReuse:false -p:UseSharedCompilation=false -v q -clp:ErrorsOnly)
  say "installing recorder into $INSTALL (README, \"Install\")"
  rm -rf "$INSTALL"
  dotnet publish "$ROOT/Recorder.Cli" "${FLAGS[@]}" -p:PublishAot=true -o "$INSTALL" >&2
  dotnet publish "$ROOT/Recorder.Service" "${FLAGS[@]}" -o "$INSTALL/service" >&2
fi
git -C "$ROOT" rev-parse --short HEAD >"$OUT/commit"

WORK=$(mktemp -d)
CEPH_DIR=""
cleanup() {
  [ -z "$CEPH_DIR" ] || "$ROOT/localstack/ceph-stop.sh" "$CEPH_DIR" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

say "starting the local S3 (Ceph, in-memory store)"
eval "$(CEPH_MEMSTORE_MIB=${CEPH_MEMSTORE_MIB:-3072} "$ROOT/localstack/ceph-start.sh" 2>"$OUT/ceph-start.log")"
CEPH_DIR=$RECORDER_CEPH_DIR
export CEPH_CONF="$CEPH_DIR/ceph.conf"
EP=$AWS_ENDPOINT_URL_S3   # awscli 2.9 ignores AWS_ENDPOINT_URL_S3: always pass --endpoint-url
RGW_ASOK="$CEPH_DIR/run/client.rgw.recorder.asok"
"$AWS" --endpoint-url "$EP" s3 mb "s3://$BUCKET" >/dev/null

# ---------------------------------------------------------------- seeding (not timed)
KEY="$WORK/demo/signing-key"          # `recorder demo` signs with the signing-key it finds in its folder
mkdir -p "$WORK/demo" "$WORK/sources"
ssh-keygen -q -t ed25519 -N '' -C recorder-bench -f "$KEY"
"$REC" keygen -o "$WORK/host.key" 2>"$WORK/host.pub"
RECIPIENT=$(grep -o 'age1[0-9a-z]*' "$WORK/host.pub")

say "seeding: one recording through the service (recorder demo: writes the audit log)"
"$REC" demo --output "$WORK/demo" --bucket "$BUCKET" --meeting "synthetic://?participants=2&seconds=4" >"$WORK/demo.out" 2>"$WORK/demo.log" \
  || { tail -n 20 "$WORK/demo.log" >&2; exit 1; }

say "seeding: $REAL recordings with recorder record"
for i in $(seq 1 "$REAL"); do
  host="host-$(printf 'bench-real-%d' "$i" | sha256sum | cut -c1-12)"
  "$REC" record --meeting "synthetic://?participants=2&seconds=4" --size 320x180 --signing-key "$KEY" -r "$RECIPIENT" \
    --host "$host" --bucket "$BUCKET" --json >"$WORK/record-$i.json" 2>"$WORK/record-$i.log" || { tail -n 20 "$WORK/record-$i.log" >&2; exit 1; }
  manifest=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["manifest"])' "$WORK/record-$i.json")
  segment=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["segments"][0])' "$WORK/record-$i.json")
  mkdir -p "$WORK/sources/$i"
  "$AWS" --endpoint-url "$EP" s3 cp --only-show-errors "$manifest" "$WORK/sources/$i/manifest.json"
  "$AWS" --endpoint-url "$EP" s3 cp --only-show-errors "$segment" "$WORK/sources/$i/segment-0001.mp4.age"
done

count_objects() { "$AWS" --endpoint-url "$EP" s3api list-objects-v2 --bucket "$BUCKET" --query 'length(Contents)' --output text; }
EXISTING=$(count_objects)
COPIES=$(( (OBJECTS - EXISTING - PLAIN) / 3 ))
PLAIN=$(( OBJECTS - EXISTING - 3 * COPIES ))
say "seeding: $EXISTING objects so far; $COPIES copied recordings (manifest rewritten and re-signed) and $PLAIN plain objects"
python3 "$ROOT/bench/audit_seed.py" "$WORK/sources" "$WORK/tree" "$BUCKET" "$COPIES" "$PLAIN" "$WORK/demo/recording-0001.mp4" >"$OUT/seed.json"
find "$WORK/tree" -name manifest.json -print0 \
  | xargs -0 -P 2 -n 200 sh -c 'for f; do ssh-keygen -q -Y sign -f "$0" -n recorder-manifest "$f" || exit 255; done' "$KEY"
printf '[default]\ns3 =\n  max_concurrent_requests = 16\n' >"$WORK/aws-config"
AWS_CONFIG_FILE="$WORK/aws-config" "$AWS" --endpoint-url "$EP" s3 cp --recursive --only-show-errors "$WORK/tree" "s3://$BUCKET/"
rm -rf "$WORK/tree"
"$AWS" --endpoint-url "$EP" s3api list-objects-v2 --bucket "$BUCKET" --query 'Contents[].[Key,Size]' --output text >"$OUT/listing.tsv"
N=$(wc -l <"$OUT/listing.tsv")
[ "$N" -eq "$OBJECTS" ] || { say "error: the bucket holds $N objects, not $OBJECTS"; exit 1; }
cp "$KEY.pub" "$OUT/signing-key.pub"
say "seeded: $N objects, $(awk '{s += $2} END {printf "%.1f", s / 1048576}' "$OUT/listing.tsv") MiB"

# ---------------------------------------------------------------- the commands
SAMPLE=$(awk -v k="$SAMPLE_EVERY" '(NR - 1) % k == 0' "$OUT/listing.tsv" | wc -l)
PER_BATCH=$(( (N + PARALLEL - 1) / PARALLEL ))
KEYS="$AWS --endpoint-url $EP s3api list-objects-v2 --bucket $BUCKET --query 'Contents[].[Key]' --output text"
HEAD_ARGS="--endpoint-url $EP s3api head-object --bucket $BUCKET --key"
cat >"$OUT/cmd/recorder-audit.sh" <<EOF
exec $REC audit --bucket $BUCKET --trust $KEY.pub --json >/dev/null
EOF
cat >"$OUT/cmd/aws-list.sh" <<EOF
exec $AWS --endpoint-url $EP s3api list-objects-v2 --bucket $BUCKET >/dev/null
EOF
cat >"$OUT/cmd/botocore-head-P1.sh" <<EOF
$KEYS | xargs -d '\n' -P 1 -n $N -s 2000000 /usr/bin/python3 $ROOT/bench/aws_head.py $EP $BUCKET >/dev/null
EOF
cat >"$OUT/cmd/botocore-head-P$PARALLEL.sh" <<EOF
$KEYS | xargs -d '\n' -P $PARALLEL -n $PER_BATCH -s 2000000 /usr/bin/python3 $ROOT/bench/aws_head.py $EP $BUCKET >/dev/null
EOF
cat >"$OUT/cmd/aws-head-each-P1.sh" <<EOF
$KEYS | awk '(NR - 1) % $SAMPLE_EVERY == 0' | xargs -d '\n' -P 1 -n 1 $AWS $HEAD_ARGS >/dev/null
EOF
cat >"$OUT/cmd/aws-head-each-P$PARALLEL.sh" <<EOF
$KEYS | awk '(NR - 1) % $SAMPLE_EVERY == 0' | xargs -d '\n' -P $PARALLEL -n 1 $AWS $HEAD_ARGS >/dev/null
EOF
cat >"$OUT/cmd/recorder-report.sh" <<EOF
exec $REC audit --bucket $BUCKET --trust $KEY.pub --json --report $OUT/report.html >$OUT/audit.json
EOF
NAMES=(recorder-audit recorder-report)
if [ -n "${BENCH_RECORDER_B:-}" ]; then   # another build of the recorder, on the same bucket, alternating
  echo "exec $BENCH_RECORDER_B audit --bucket $BUCKET --trust $KEY.pub --json >/dev/null" >"$OUT/cmd/recorder-b-audit.sh"
  NAMES+=(recorder-b-audit)
fi
NAMES+=(aws-list)
[ "${BENCH_PEERS:-1}" = 0 ] || NAMES+=(botocore-head-P1 "botocore-head-P$PARALLEL" aws-head-each-P1 "aws-head-each-P$PARALLEL")
printf '%s\n' "$N" "$SAMPLE" "$SAMPLE_EVERY" "$PARALLEL" >"$OUT/params"

# ---------------------------------------------------------------- counted runs (also the warm-up)
rgw_counters() { ceph --admin-daemon "$RGW_ASOK" perf dump 2>/dev/null | python3 -c \
  'import json,sys; r=json.load(sys.stdin)["rgw"]; print(r["req"], r["get"], r["get_b"], r["put"], r["get_initial_lat"]["sum"])'; }
server_cpu() {   # CPU seconds of this cluster's daemons (only the PIDs ceph-start.sh recorded)
  local t=0 pid
  while read -r pid _; do
    [ -r "/proc/$pid/stat" ] && t=$(( t + $(awk '{print $14 + $15}' "/proc/$pid/stat") ))
  done <"$CEPH_DIR/pids"
  awk -v t="$t" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", t / hz}'
}
tree_rss_kib() {  # the RSS of a process and all its descendants, summed
  ps -e -o pid=,ppid=,rss= | awk -v root="$1" '{p[$1] = $2; r[$1] = $3}
    END {for (q in p) {x = q; while (x != "" && x != root && x in p && x != 1) x = p[x]; if (x == root) s += r[q]}; print s + 0}'
}
expected_status() { case $1 in recorder-*) echo 3 ;; *) echo 0 ;; esac; }
check_status() {  # check_status NAME FILE: every run in FILE (time -v blocks) exited as expected
  local want got
  want=$(expected_status "$1")
  got=$(awk -F': ' '/Exit status/ {print $2}' "$2" | sort -u | tr '\n' ' ')
  [ "$got" = "$want " ] || { say "error: $1 exited with status $got(expected $want); see $OUT/$1.counted.err"; exit 1; }
}
counted() {  # counted NAME: one run under time -v, with the gateway's counters and the tree's peak RSS
  local name=$1 before after cpu0 cpu1 pid peak=0 v
  before=$(rgw_counters); cpu0=$(server_cpu)
  /usr/bin/time -v -o "$OUT/$name.counted.time" sh "$OUT/cmd/$name.sh" 2>"$OUT/$name.counted.err" &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    v=$(tree_rss_kib "$pid"); [ "$v" -le "$peak" ] || peak=$v
    sleep 0.2
  done
  wait "$pid" || true
  after=$(rgw_counters); cpu1=$(server_cpu)
  echo "$name $before $after $cpu0 $cpu1 $peak" >>"$OUT/counted.txt"
  check_status "$name" "$OUT/$name.counted.time"
}
for name in "${NAMES[@]}"; do
  say "counted run: $name"
  counted "$name"
done
# The bucket is what it is meant to be: the plain objects are the audit's only findings.
python3 - "$OUT/audit.json" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["plain"])' "$OUT/seed.json")" <<'PY'
import json, sys
findings = json.load(open(sys.argv[1]))["findings"]
codes = sorted({f["code"] for f in findings})
if codes != ["object-not-encrypted"] or len(findings) != int(sys.argv[2]):
    sys.exit(f"audit.sh: error: expected {sys.argv[2]} object-not-encrypted findings, got {len(findings)}: {codes}")
PY

# ---------------------------------------------------------------- hyperfine: RUNS rounds, alternating
for round in $(seq 1 "$RUNS"); do
  say "hyperfine round $round/$RUNS (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  args=()
  for name in "${NAMES[@]}"; do args+=(-n "$name" "/usr/bin/time -v -a -o $OUT/$name.time sh $OUT/cmd/$name.sh"); done
  echo "$round start $(cat /proc/loadavg)" >>"$OUT/load.txt"
  hyperfine --style basic -i --runs 1 --export-json "$OUT/round-$round.json" "${args[@]}" >&2
  echo "$round end $(cat /proc/loadavg)" >>"$OUT/load.txt"
done

for name in "${NAMES[@]}"; do check_status "$name" "$OUT/$name.time"; done
stat -c %s "$OUT/report.html" >"$OUT/report.bytes"
echo "end $(uptime)" >>"$OUT/uptime.txt"

nproc >"$OUT/cores"
python3 "$ROOT/bench/audit_summary.py" "$OUT" | tee "$OUT/summary.md"

#!/usr/bin/env bash
# Time-range decrypt: a 2-minute stretch (00:10:00–00:12:00) out of a 60-minute
# recording in the local Ceph, against downloading and decrypting the whole
# segment (the recorder's own parallel decrypt, and the stock tools'
# aws s3 cp | age -d), and against the peer way (aws s3 cp | age -d | ffmpeg
# -ss -to), in the same hyperfine run. Prints bytes fetched (the recorder's own summary line)
# against the range's share of the segment, times and their ratios, CPU and
# peak RSS (/usr/bin/time -v). Not a timed test.
#
#   bench/range.sh                                  # records the 60-minute meeting first (~7 min here)
#   RUNS=10 bench/range.sh
#   RECORDER=Recorder.Cli/bin/Release/net10.0/recorder bench/range.sh   # skip the ahead-of-time publish
#   KEY=host.key MANIFEST=s3://b/…/manifest.json bench/range.sh          # reuse a recording (Ceph env exported)
#
# The recording: `recorder record --meeting 'synthetic://?participants=2&seconds=3600&pace=fast'
# --size 640x360` (the real pipeline, in virtual time: a synthetic meeting computed on demand,
# 2-s fragments, one segment of 60 minutes). Results go to bench/results/range/.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
say() { echo "range.sh: $*" >&2; }
RUNS=${RUNS:-5}
FROM=${FROM:-00:10:00}
TO=${TO:-00:12:00}
FROM_S=${FROM_S:-600}
TO_S=${TO_S:-720}
OUT="$ROOT/bench/results/range"
mkdir -p "$OUT"

"$ROOT/localstack/install.sh" base ceph awscli hyperfine age ffmpeg >&2
AWS=/usr/bin/aws   # Debian's awscli 2.9
export DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDDISABLENODEREUSE=1 DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
WORK=$(mktemp -d /dev/shm/recorder-range.XXXXXX)   # RAM: outputs are not disk writes
CEPH_DIR=""
cleanup() {
  rm -rf "$WORK"
  if [ -n "$CEPH_DIR" ]; then "$ROOT/localstack/ceph-stop.sh" "$CEPH_DIR" >&2 || true; fi
}
trap cleanup EXIT

if [ -z "${RECORDER:-}" ]; then
  "$ROOT/localstack/install.sh" aot >&2
  say "publishing recorder (Release, native ahead-of-time) to $WORK/recorder"
  dotnet publish "$ROOT/Recorder.Cli/Recorder.Cli.csproj" -c Release -r linux-x64 -p:PublishAot=true \
    -o "$WORK/recorder" -nodeReuse:false -p:UseSharedCompilation=false -v q -clp:ErrorsOnly >&2
  RECORDER="$WORK/recorder/recorder"
fi

if [ -z "${MANIFEST:-}" ]; then
  say "starting Ceph"
  eval "$("$ROOT/localstack/ceph-start.sh")"
  CEPH_DIR=$RECORDER_CEPH_DIR
  KEY="$WORK/host.key"
  "$RECORDER" keygen -o "$KEY" 2>"$WORK/public.txt"
  PK=$(sed 's/^Public key: //' "$WORK/public.txt")
  "$AWS" --endpoint-url "$AWS_ENDPOINT_URL_S3" s3 mb s3://rangebench >/dev/null
  say "recording a 60-minute synthetic meeting (virtual time, 640x360)"
  /usr/bin/time -v "$RECORDER" record --meeting 'synthetic://?participants=2&seconds=3600&pace=fast' -r "$PK" \
    --bucket rangebench --size 640x360 --json >"$WORK/record.json" 2>"$OUT/record.time"
  MANIFEST=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['manifest'])" "$WORK/record.json")
fi
EP=$AWS_ENDPOINT_URL_S3   # awscli 2.9 ignores AWS_ENDPOINT_URL_S3: always pass --endpoint-url
"$AWS" --endpoint-url "$EP" s3 cp --only-show-errors "$MANIFEST" "$WORK/manifest.json"
read -r SEGMENT SEG_BYTES SEG_SECONDS < <(python3 - "$WORK/manifest.json" "$MANIFEST" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1])); s = m["segments"][0]
folder = sys.argv[2].rsplit("/", 1)[0]
print(folder + "/" + s["location"].rsplit("/", 1)[1], s["bytes"], s["durationSeconds"])
EOF
)
say "segment $SEGMENT: $SEG_BYTES bytes, $SEG_SECONDS s"

RANGE_CMD="$RECORDER decrypt -i $KEY --from $FROM --to $TO -o $WORK/part.mp4 $MANIFEST"
WHOLE_CMD="$RECORDER decrypt -i $KEY -o $WORK/whole.mp4 $SEGMENT"
DOWNLOAD_CMD="$AWS --endpoint-url $EP s3 cp --only-show-errors $SEGMENT - | age -d -i $KEY -o $WORK/downloaded.mp4"
PEER_CMD="$AWS --endpoint-url $EP s3 cp --only-show-errors $SEGMENT - | age -d -i $KEY | ffmpeg -v error -y -ss $FROM_S -to $TO_S -i pipe:0 -c copy -f mp4 $WORK/peer.mp4"

say "hyperfine: $RUNS runs each"
hyperfine --style basic --warmup 1 --runs "$RUNS" --export-json "$OUT/hyperfine.json" \
  -n "recorder range" "$RANGE_CMD" -n "recorder whole" "$WHOLE_CMD" -n "aws+age whole" "$DOWNLOAD_CMD" -n "aws+age+ffmpeg" "$PEER_CMD" >&2

cpu() { /usr/bin/time -v bash -c "$1" 2>&1 >/dev/null | awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} /Percent of CPU/ {c=$2} /Maximum resident/ {m=$2} END {printf "%s %.2f %d\n", c, u+s, m/1024}'; }
read -r RANGE_CPU RANGE_CPUS RANGE_RSS < <(cpu "$RANGE_CMD")
read -r WHOLE_CPU WHOLE_CPUS WHOLE_RSS < <(cpu "$WHOLE_CMD")
read -r DOWN_CPU DOWN_CPUS DOWN_RSS < <(cpu "$DOWNLOAD_CMD")
read -r PEER_CPU PEER_CPUS PEER_RSS < <(cpu "$PEER_CMD")
SUMMARY=$($RANGE_CMD 2>&1 >/dev/null | grep '^recorder: fetched')
say "$SUMMARY"

say "checking the outputs: ffprobe duration, a full decode without errors"
for f in part peer; do
  ffmpeg -v error -i "$WORK/$f.mp4" -f null - 2>"$WORK/$f.decode"
  [ ! -s "$WORK/$f.decode" ] || { say "error: $f.mp4 does not decode cleanly: $(head -3 "$WORK/$f.decode")"; exit 1; }
done
PART_S=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$WORK/part.mp4")
PEER_S=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$WORK/peer.mp4")
[ "$(sha256sum <"$WORK/whole.mp4")" = "$("$AWS" --endpoint-url "$EP" s3 cp --only-show-errors "$SEGMENT" - | age -d -i "$KEY" | sha256sum)" ] \
  || { say "error: recorder's whole decrypt differs from age's"; exit 1; }

python3 - "$OUT/hyperfine.json" "$SUMMARY" "$SEG_BYTES" "$SEG_SECONDS" "$FROM_S" "$TO_S" "$PART_S" "$PEER_S" \
  "$RANGE_CPU $RANGE_CPUS $RANGE_RSS" "$WHOLE_CPU $WHOLE_CPUS $WHOLE_RSS" "$PEER_CPU $PEER_CPUS $PEER_RSS" "$DOWN_CPU $DOWN_CPUS $DOWN_RSS" <<'EOF' | tee "$OUT/summary.md"
import json, re, sys, os
h = json.load(open(sys.argv[1]))["results"]
summary, seg_bytes, seg_s, f, t, part_s, peer_s = sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6]), float(sys.argv[7]), float(sys.argv[8])
usage = [a.split() for a in sys.argv[9:13]]
m = re.search(r"fetched ([\d.]+) MiB", summary); fetched = float(m.group(1)) * 1048576
share = seg_bytes * (t - f) / seg_s
mean = {r["command"]: r for r in h}
rng, whole, peer, down = mean["recorder range"], mean["recorder whole"], mean["aws+age+ffmpeg"], mean["aws+age whole"]
print(f"{(t - f) / 60:g} minutes out of a {seg_s / 60:.0f}-minute segment of {seg_bytes / 1048576:.1f} MiB, {len(rng['times'])} runs each, "
      f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the end")
print()
print("| command | mean s | ± s | min s | CPU | CPU s | peak RSS MiB | output s (ffprobe) | bytes fetched |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
rows = [("recorder decrypt --from --to", rng, usage[0], f"{part_s:.1f}", f"{fetched / 1048576:.2f} MiB"),
        ("recorder decrypt (whole segment)", whole, usage[1], f"{seg_s:.0f}", f"{seg_bytes / 1048576:.2f} MiB"),
        ("aws s3 cp \\| age -d (whole segment)", down, usage[3], f"{seg_s:.0f}", f"{seg_bytes / 1048576:.2f} MiB"),
        ("aws s3 cp \\| age -d \\| ffmpeg -ss -to", peer, usage[2], f"{peer_s:.1f}", f"{seg_bytes / 1048576:.2f} MiB")]
for name, r, u, out, b in rows:
    print(f"| {name} | {r['mean']:.3f} | {r['stddev'] or 0:.3f} | {r['min']:.3f} | {u[0]} | {u[1]} | {u[2]} | {out} | {b} |")
print()
print(f"- bytes fetched / the range's share of the segment ({share / 1048576:.2f} MiB): **{fetched / share:.2f}×** (goal ≤ 1.1×)")
print(f"- time, range / whole decrypt: **{rng['mean'] / whole['mean']:.3f}** with the recorder's (goal ≤ 0.1), **{rng['mean'] / down['mean']:.3f}** "
      f"with the stock tools' download and decrypt (aws s3 cp | age -d); range / aws+age+ffmpeg: **{rng['mean'] / peer['mean']:.3f}**")
print(f"- recorder's line: `{summary}`")
EOF

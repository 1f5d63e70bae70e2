#!/usr/bin/env bash
# Playback in the browser (docs/playback.md), in Debian's headless Chromium against the service and the local Ceph:
#
#  1. time to first frame: from the click on Play to the first decoded frame presented (requestVideoFrameCallback),
#     for a 60-minute recording, the page already signed in with its identity loaded (goal ≤ 1 s);
#  2. decrypt throughput of the page's Web Worker (age-encryption for the header, @noble/ciphers ChaCha20-Poly1305
#     for the payload) over that recording's whole segment, against the stock `age -d` on the same segment in the
#     same run (hyperfine; /usr/bin/time -v for its peak RSS), as a ratio; and the worker's cipher alone in Node
#     (bench/browser_cipher.mjs, /usr/bin/time -v for its CPU time), to tell the cipher from the worker's overhead;
#  3. where the time to first frame goes (the page's requests by Resource Timing, loadedmetadata, loadeddata), and
#     a seek to the middle of the recording while playing (currentTime set to 'seeked').
#
# The load average at the start and the end is printed with the results: the machine may be shared.
#
# The 60-minute recording is made by the service itself from a synthetic meeting of 4 at 320x180 with pace=fast
# (computed on demand, not on the wall clock; the same pipeline, encoder and encryption as a live one).
#
#   bench/browser.sh                   # BENCH_RUNS=5 BENCH_MINUTES=60 BENCH_SIZE=320x180
#
# Uses the Release build (dotnet build Recorder.sln -c Release); results go to bench/results/browser/.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
say() { echo "browser.sh: $*" >&2; }
RUNS=${BENCH_RUNS:-5}
MINUTES=${BENCH_MINUTES:-60}
SIZE=${BENCH_SIZE:-320x180}
OUT="$ROOT/bench/results/browser"
mkdir -p "$OUT"

"$ROOT/localstack/install.sh" base ffmpeg age ceph chromium hyperfine
(cd "$ROOT/localstack/browser" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefer-offline --no-audit --no-fund --loglevel=error >/dev/null)
[ -d "$ROOT/web/node_modules/@noble/ciphers" ] || (cd "$ROOT/web" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error >/dev/null)
RECORDER="$ROOT/Recorder.Cli/bin/Release/net10.0/recorder"
SERVICE="$ROOT/Recorder.Service/bin/Release/net10.0/recorder-service"
if [ ! -x "$RECORDER" ] || [ ! -x "$SERVICE" ]; then
  say "error: build first: dotnet build Recorder.sln -c Release"
  exit 1
fi

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)   # the machine may be shared: reported with the results
WORK=$(mktemp -d /dev/shm/recorder-bench-browser.XXXXXX)   # in RAM: the segment and the key
CEPH_DIR=""; SERVICE_PID=""
cleanup() {
  if [ -n "$SERVICE_PID" ]; then kill -TERM "$SERVICE_PID" 2>/dev/null || true; wait "$SERVICE_PID" 2>/dev/null || true; fi
  [ -z "$CEPH_DIR" ] || "$ROOT/localstack/ceph-stop.sh" "$CEPH_DIR" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

eval "$("$ROOT/localstack/ceph-start.sh")"
CEPH_DIR=$RECORDER_CEPH_DIR
aws --endpoint-url "$AWS_ENDPOINT_URL_S3" s3 mb s3://bench >/dev/null

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
export RECORDER_OPERATOR_TOKEN RECORDER_SERVICE_PROGRAM="$SERVICE" RECORDER_PROGRAM="$RECORDER"
RECORDER_OPERATOR_TOKEN=$(head -c 32 /dev/urandom | base64 -w0 | tr -dc 'A-Za-z0-9' | cut -c 1-40)
"$RECORDER" serve --urls "$URL" --bucket bench --state-dir "$WORK/state" >"$OUT/service.log" 2>&1 &
SERVICE_PID=$!
for _ in $(seq 100); do curl -fsS "$URL/healthz" >/dev/null 2>&1 && break; sleep 0.2; done

"$RECORDER" keygen -o "$WORK/host.key" 2>"$WORK/keygen.txt"
RECIPIENT=$(sed -n 's/^Public key: //p' "$WORK/keygen.txt")
TOKEN=$(RECORDER_URL=$URL RECORDER_TOKEN=$RECORDER_OPERATOR_TOKEN "$RECORDER" hosts add --name bench -r "$RECIPIENT" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
MEETING="synthetic://?participants=4&seconds=$((MINUTES * 60))&marker=0&pace=fast&size=$SIZE"   # size: each camera
say "recording $MINUTES minutes of $MEETING through the service"
started=$(date +%s)
# POST /recordings (recorder schedule has no --size): the output frame at $SIZE too.
ID=$(curl -fsS -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d "{\"meeting\": \"$MEETING\", \"maxDuration\": \"$((MINUTES * 60 + 60))s\", \"size\": \"$SIZE\"}" "$URL/recordings" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["recordingId"])')
while :; do
  STATE=$(RECORDER_URL=$URL RECORDER_TOKEN=$TOKEN "$RECORDER" status "$ID" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')
  case "$STATE" in completed) break ;; failed) say "error: the recording failed"; exit 1 ;; esac
  sleep 5
done
RECORDED_S=$(( $(date +%s) - started ))
RECORDING_JSON=$(curl -fsS -H "Authorization: Bearer $TOKEN" "$URL/recordings/$ID")
SEGMENT=$(echo "$RECORDING_JSON" | python3 -c 'import json,sys; print(json.load(sys.stdin)["segments"][0]["uri"])')
aws --endpoint-url "$AWS_ENDPOINT_URL_S3" s3 cp "$SEGMENT" "$WORK/segment.age" >/dev/null

say "page: time to first frame and worker decryption, $RUNS runs each"
BENCH_TOKEN=$TOKEN node "$ROOT/bench/browser_driver.mjs" "$URL" "$WORK/host.key" "$ID" "$RUNS" >"$OUT/page.json"
say "peer: age -d on the same segment"
hyperfine --style basic --warmup 1 --runs "$RUNS" --export-json "$OUT/age.json" \
  "age -d -i $WORK/host.key -o /dev/null $WORK/segment.age" >&2
/usr/bin/time -v age -d -i "$WORK/host.key" -o /dev/null "$WORK/segment.age" 2>"$OUT/age-time.txt"
say "the page's cipher alone: @noble/ciphers ChaCha20-Poly1305 in Node (bench/browser_cipher.mjs)"
/usr/bin/time -v node "$ROOT/bench/browser_cipher.mjs" 512 "$RUNS" >"$OUT/cipher.txt" 2>"$OUT/cipher-time.txt"

python3 - "$OUT" "$RECORDING_JSON" "$RECORDED_S" "$MEETING" "$LOAD_START" <<'PY' | tee "$OUT/summary.md"
import json, os, statistics, sys
out, recording, recorded_s, meeting, load_start = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
page = json.load(open(f"{out}/page.json"))
age = json.load(open(f"{out}/age.json"))["results"][0]
rss = next(l for l in open(f"{out}/age-time.txt") if "Maximum resident" in l).split()[-1]
seg = recording["segments"][0]
mib = seg["bytes"] / 2**20
ff = page["firstFrameMs"]
wall = [d["wallMs"] for d in page["decrypt"]]
work = [d["workerMs"] for d in page["decrypt"]]
page_rate = mib / (statistics.median(wall) / 1000)
age_rate = mib / age["median"]
load_end = " ".join(open('/proc/loadavg').read().split()[:3])
print(f"Chromium {page['browser']}, {os.cpu_count()} cores, load average (1/5/15 min) {load_start} at the start, {load_end} at the end")
print(f"recording: {meeting}: {len(recording['segments'])} segment(s), {sum(s['durationSeconds'] for s in recording['segments']):.0f} s, "
      f"segment 1 {seg['bytes']:,} bytes ({mib:.1f} MiB), made in {recorded_s} s\n")
print("| measure | runs | median | min | max |")
print("|---|---|---|---|---|")
print(f"| time to first frame (click on Play to first frame presented) | {len(ff)} | {statistics.median(ff):.0f} ms | {min(ff):.0f} ms | {max(ff):.0f} ms |")
print(f"| page worker: decrypt the whole segment (wall) | {len(wall)} | {statistics.median(wall):.0f} ms | {min(wall):.0f} ms | {max(wall):.0f} ms |")
print(f"| page worker: time inside decrypt calls | {len(work)} | {statistics.median(work):.0f} ms | {min(work):.0f} ms | {max(work):.0f} ms |")
print(f"| age -d (hyperfine) | {len(age['times'])} | {age['median']*1000:.0f} ms | {age['min']*1000:.0f} ms | {age['max']*1000:.0f} ms |")
seek = page.get("seekMs", [])
if seek:
    print(f"| seek to the middle while playing (currentTime set to 'seeked') | {len(seek)} | {statistics.median(seek):.0f} ms | {min(seek):.0f} ms | {max(seek):.0f} ms |")
steps = page.get("steps", [])
if steps:
    # Where the time to first frame goes: the page's requests in order (manifest, the header's range, the first
    # chunks' range, ...) and the video's events, each in ms after the click; medians over the runs.
    rows = []
    n = min(len(s["requests"]) for s in steps)
    for i in range(min(n, 4)):
        path = steps[0]["requests"][i]["path"].rsplit("/", 2)
        name = "manifest" if path[-1] == "manifest" else f"range request {i} of segment {path[-1]}"
        rows.append((f"{name}: response complete", [s["requests"][i]["end"] for s in steps],
                     statistics.median(s["requests"][i]["bytes"] for s in steps)))
    rows.append(("loadedmetadata (init segment appended)", [s["loadedmetadata"] for s in steps], None))
    rows.append(("loadeddata (first media appended)", [s["loadeddata"] for s in steps], None))
    rows.append(("first frame presented", ff, None))
    print()
    print("| step of time to first frame (ms after the click) | median | max | bytes |")
    print("|---|---|---|---|")
    for name, values, size in rows:
        print(f"| {name} | {statistics.median(values):.0f} | {max(values):.0f} | {'' if size is None else f'{size:,.0f}'} |")
print()
print(f"page worker {page_rate:.0f} MiB/s, age -d {age_rate:.0f} MiB/s (peak RSS {int(rss)/1024:.0f} MiB): page/age = {page_rate/age_rate:.2f}")
cipher = [float(l.split()[2]) for l in open(f"{out}/cipher.txt") if l.startswith("run ")]
cpu = sum(float(l.split()[-1]) for l in open(f"{out}/cipher-time.txt") if l.strip().startswith(("User time", "System time")))
cipher_mib = len(cipher) * 512 * 64 / 1024
print(f"the page's cipher alone in Node: {statistics.median(cipher):.0f} MiB/s (median of {len(cipher)}; min {min(cipher):.0f}, max {max(cipher):.0f}), "
      f"{cipher_mib / cpu:.0f} MiB per CPU-second; age -d {mib / (age['user'] + age['system']):.0f} MiB per CPU-second")
PY

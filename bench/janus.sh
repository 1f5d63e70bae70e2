#!/usr/bin/env bash
# CPU cost of recording a Janus VideoRoom with 4 publishers, against a
# 4-participant synthetic meeting, in the same run and with the same encoder
# settings (the defaults: 1280x720 at 30 fps, x264 veryfast + zerolatency,
# AAC). Each recording runs in real time in its own process
# (bench/RecordingBench, output discarded after counting); /usr/bin/time -v
# gives its CPU time including its ffmpeg children (the encoder, and for Janus
# one VP8 decoder per publisher). Janus and the publishers (ffmpeg replaying
# pre-encoded 320x240 VP8 + Opus clips with -c copy) are measured separately.
#
#   bench/janus.sh                 # 45 s per recording
#   SECONDS_PER_RUN=20 bench/janus.sh
#
# Results (time -v output, driver output, summary) go to bench/results/janus/.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
say() { echo "janus.sh: $*" >&2; }

RUN_SECONDS=${SECONDS_PER_RUN:-45}
OUT="$ROOT/bench/results/janus"
mkdir -p "$OUT"
"$ROOT/localstack/install.sh" base ffmpeg janus

export DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDDISABLENODEREUSE=1 DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
say "building bench/RecordingBench (Release)"
dotnet build bench/RecordingBench -c Release -nodeReuse:false -p:UseSharedCompilation=false -v q -clp:ErrorsOnly >&2
DRIVER="dotnet $ROOT/bench/RecordingBench/bin/Release/net10.0/RecordingBench.dll"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/recorder-bench-janus.XXXXXX")
JANUS_DIR=""
PUBLISHERS=()
cleanup() {
  for pid in "${PUBLISHERS[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ -n "$JANUS_DIR" ]; then "$ROOT/localstack/janus-stop.sh" "$JANUS_DIR" || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

eval "$("$ROOT/localstack/janus-start.sh")"
JANUS_DIR=$RECORDER_JANUS_DIR
JANUS_PID=$(cut -d' ' -f1 "$JANUS_DIR/pids")

# One Janus API message on a fresh session; prints plugindata.data as JSON.
janus_message() {
  python3 - "$RECORDER_JANUS_URL" "$1" <<'PY'
import json, sys, urllib.request, uuid
url, body = sys.argv[1], json.loads(sys.argv[2])
def post(path, payload):
    payload["transaction"] = uuid.uuid4().hex
    req = urllib.request.Request(url + path, json.dumps(payload).encode(), {"Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(req, timeout=10).read())
session = post("", {"janus": "create"})["data"]["id"]
handle = post(f"/{session}", {"janus": "attach", "plugin": "janus.plugin.videoroom"})["data"]["id"]
answer = post(f"/{session}/{handle}", {"janus": "message", "body": body})
post(f"/{session}", {"janus": "destroy"})
data = answer["plugindata"]["data"]
if "error_code" in data: sys.exit(f"Janus refused: {data['error']}")
print(json.dumps(data))
PY
}

ROOM=4242
janus_message "{\"request\":\"create\",\"room\":$ROOM,\"publishers\":16}" >/dev/null
COLORS=(DC2828 28AA3C 325ADC E6C828)
NAMES=(Alice Bob Carol Dave)
for i in 0 1 2 3; do
  hz=$((300 + 150 * i))
  clip="$WORK/clip-$i.webm"
  ffmpeg -v error -y -f lavfi -i "sine=frequency=$hz:sample_rate=48000" \
    -f lavfi -i "color=c=0x${COLORS[$i]}:s=320x240:r=15,drawbox=x='mod(t*$((80 + 20 * i)),280)':y=$((40 + 40 * i)):w=40:h=40:color=white:t=fill" \
    -t 4 -map 0:a -c:a libopus -b:a 48k -ac 2 -ar 48000 \
    -map 1:v -c:v libvpx -deadline realtime -cpu-used 8 -b:v 250k -g 15 -auto-alt-ref 0 -f webm "$clip"
  port=$(janus_message "{\"request\":\"add_remote_publisher\",\"room\":$ROOM,\"display\":\"${NAMES[$i]}\",\"iface\":\"127.0.0.1\",\"streams\":[{\"type\":\"audio\",\"mid\":\"0\",\"mindex\":0,\"codec\":\"opus\"},{\"type\":\"video\",\"mid\":\"1\",\"mindex\":1,\"codec\":\"vp8\"}]}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["port"])')
  ffmpeg -v error -nostdin -re -stream_loop -1 -i "$clip" \
    -map 0:a -c copy -payload_type 111 -ssrc 1000 -f rtp "rtp://127.0.0.1:$port?pkt_size=1200" \
    -map 0:v -c copy -payload_type 96 -ssrc 1010 -f rtp "rtp://127.0.0.1:$port?pkt_size=1200" >/dev/null 2>&1 &
  PUBLISHERS+=($!)
done
sleep 1

ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
HZ=$(getconf CLK_TCK)

# Runs the driver under /usr/bin/time -v (NAME.time, NAME.out) and, in the
# middle half of the run, splits its CPU between the .NET process, the x264
# encoder and the VP8 decoders (NAME.split: CPU seconds per second each).
record() {
  local name=$1 meeting=$2
  /usr/bin/time -v $DRIVER --meeting "$meeting" --seconds "$RUN_SECONDS" >"$OUT/$name.out" 2>"$OUT/$name.time" &
  local timer=$! dotnet="" encoder=0 decoders=0 t0 t1 enc0 enc1 dec0 dec1
  sleep $((RUN_SECONDS / 4))
  dotnet=$(pgrep -P "$timer" | head -n 1)
  sample() {  # prints: dotnet-ticks encoder-ticks decoder-ticks
    local d e=0 v=0 c
    d=$(ticks "$dotnet")
    for c in $(pgrep -P "$dotnet"); do
      if grep -q libx264 "/proc/$c/cmdline" 2>/dev/null; then e=$((e + $(ticks "$c"))); else v=$((v + $(ticks "$c"))); fi
    done
    echo "$d $e $v"
  }
  read -r t0 enc0 dec0 < <(sample)
  sleep $((RUN_SECONDS / 2))
  read -r t1 enc1 dec1 < <(sample)
  wait "$timer"
  echo "$(( t1 - t0 )) $(( enc1 - enc0 )) $(( dec1 - dec0 )) $((RUN_SECONDS / 2))" >"$OUT/$name.split"
}

say "recording the Janus room for $RUN_SECONDS s"
janus_before=$(ticks "$JANUS_PID")
pub_before=0; for p in "${PUBLISHERS[@]}"; do pub_before=$((pub_before + $(ticks "$p"))); done
record janus "janus://${RECORDER_JANUS_URL#http://}?room=$ROOM"
janus_after=$(ticks "$JANUS_PID")
pub_after=0; for p in "${PUBLISHERS[@]}"; do pub_after=$((pub_after + $(ticks "$p"))); done

say "recording a synthetic meeting of 4 for $RUN_SECONDS s"
record synthetic "synthetic://?participants=4&seconds=$((RUN_SECONDS + 5))"

python3 - "$OUT" "$RUN_SECONDS" "$HZ" "$janus_before" "$janus_after" "$pub_before" "$pub_after" <<'PY' | tee "$OUT/summary.txt"
import json, re, sys
out, seconds, hz = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
janus_cpu = (int(sys.argv[5]) - int(sys.argv[4])) / hz
pub_cpu = (int(sys.argv[7]) - int(sys.argv[6])) / hz
def measure(name):
    text = open(f"{out}/{name}.time").read()
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", text).group(1))
    system = float(re.search(r"System time \(seconds\): ([\d.]+)", text).group(1))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    result = json.loads(open(f"{out}/{name}.out").read().strip().splitlines()[-1])
    return user + system, rss, result
rows = []
for name in ("janus", "synthetic"):
    cpu, rss, r = measure(name)
    media = r["mediaSeconds"]
    rows.append((name, cpu, media, cpu / media, rss, r["stats"]))
print(f"{'recording':<10} {'CPU s':>7} {'media s':>8} {'CPU s/media s':>14} {'max RSS MiB':>12}  live edge")
for name, cpu, media, ratio, rss, stats in rows:
    print(f"{name:<10} {cpu:7.1f} {media:8.1f} {ratio:14.3f} {rss / 1024:12.0f}  {stats['VideoFrames']} frames, {stats['VideoFramesDropped']} dropped")
for name, *_ in rows:
    d, e, v, span = (int(x) for x in open(f"{out}/{name}.split").read().split())
    print(f"{name:<10} mid-run split, CPU s/s: .NET process {d / hz / span:.3f}, x264 encoder {e / hz / span:.3f}, VP8 decoders {v / hz / span:.3f}")
print(f"janus / synthetic: {rows[0][3] / rows[1][3]:.2f}")
print(f"outside the recorder during the Janus run: Janus {janus_cpu / seconds:.3f} CPU s/s, the 4 publishers (ffmpeg -c copy) {pub_cpu / seconds:.3f} CPU s/s")
PY

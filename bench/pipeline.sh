#!/usr/bin/env bash
# Recording pipeline benchmarks (not timed tests). Prints Markdown for
# docs/benchmarks.md. Everything runs in real time against the local Ceph S3.
#
#  1. CPU seconds per media second of a 720p30, 4-participant recording
#     (the recorder process and its ffmpeg together), against a bare ffmpeg
#     that composites equivalent synthetic inputs (4 coloured 640x360 cameras
#     with a moving square, scaled into the same gallery tiles, 4 tones mixed)
#     and encodes them with the same encoder settings to /dev/null, in the
#     same run, alternating, BENCH_RUNS times each.
#  2. How many such recordings run concurrently in real time on this machine
#     without dropped frames (1..BENCH_MAX_CONCURRENT at once).
#  3. Peak RSS of the recorder process (not ffmpeg) for a BENCH_SECONDS and a
#     BENCH_LONG_SECONDS recording.
#
#   bench/pipeline.sh                                   # 60 s runs, 3 each, up to 4 at once, 10 min long run
#   BENCH_SECONDS=20 BENCH_RUNS=1 BENCH_LONG_SECONDS=0 bench/pipeline.sh   # a quick look
#
# Measured with /usr/bin/time (CPU of a process and the children it waited
# for) and /proc/PID/status VmHWM (peak RSS of one process).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECONDS_PER_RUN=${BENCH_SECONDS:-60}
RUNS=${BENCH_RUNS:-3}
MAX_CONCURRENT=${BENCH_MAX_CONCURRENT:-4}
LONG_SECONDS=${BENCH_LONG_SECONDS:-600}
say() { echo "pipeline.sh: $*" >&2; }

"$ROOT/localstack/install.sh" base ffmpeg age ceph awscli aot
export DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDDISABLENODEREUSE=1 DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
WORK=$(mktemp -d)
# As the recorder is installed (README, "CLI"): compiled ahead of time, started through its launcher.
say "publishing recorder (Release, native ahead-of-time) to $WORK/recorder"
dotnet publish "$ROOT/Recorder.Cli/Recorder.Cli.csproj" -c Release -r linux-x64 -p:PublishAot=true \
  -o "$WORK/recorder" -nodeReuse:false -p:UseSharedCompilation=false -v q -clp:ErrorsOnly >&2
REC="$WORK/recorder/recorder"

CEPH_DIR=""
cleanup() {
  [ -z "$CEPH_DIR" ] || "$ROOT/localstack/ceph-stop.sh" "$CEPH_DIR" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
say "starting the local S3"
eval "$(CEPH_MEMSTORE_MIB=4096 "$ROOT/localstack/ceph-start.sh" 2>/dev/null)"
CEPH_DIR=$RECORDER_CEPH_DIR
aws --endpoint-url "$AWS_ENDPOINT_URL_S3" s3 mb s3://bench >/dev/null
age-keygen -o "$WORK/host.key" 2> "$WORK/public.txt"
HOST=$(sed 's/^Public key: //' "$WORK/public.txt")
MEETING="synthetic://?participants=4&marker=0"

# Runs one recording of $1 seconds; writes "wall user sys recorder_peak_rss_kib dropped" to $2.
record() {
  local seconds=$1 out=$2
  /usr/bin/time -f "%e %U %S" -o "$out.time" \
    "$REC" record --meeting "$MEETING&seconds=$seconds" -r "$HOST" --bucket bench --json >"$out.json" 2>"$out.log" &
  local time_pid=$!
  # The launcher execs the program in place: the child of `time` is the recorder.
  local pid=""
  for _ in $(seq 1 50); do pid=$(pgrep -P "$time_pid" | head -n1 || true); [ -n "$pid" ] && break; sleep 0.1; done
  local hwm=0 v
  while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; do
    # A process that is exiting has no VmHWM line any more: keep the last value read.
    v=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    [ -z "$v" ] || hwm=$v
    sleep 1
  done
  wait "$time_pid"
  local dropped
  dropped=$(grep -o '"videoFramesDropped": *[0-9]*' "$out.json" | grep -o '[0-9]*$')
  echo "$(cat "$out.time") $hwm $dropped" > "$out"
}

# The bare ffmpeg peer: the same picture and sound, composited by ffmpeg's own
# filters, paced to real time, encoded with the recorder's settings
# (FfmpegEncoderOptions; a unit test keeps these lines equal to them).
bare_ffmpeg() {
  local seconds=$1 out=$2
  local colours=(0xDC2828 0x28AA3C 0x325ADC 0xE6C828) squares=(0xEE9494 0x94D59E 0x98ADEE 0xF3E394)
  local xs=(12 648 12 648) ys=(8 8 364 364) tones=(300 450 600 750)
  local graph="color=c=0x18181C:s=1280x720:r=30[bg0];"
  for i in 0 1 2 3; do
    graph+="color=c=${colours[$i]}:s=640x360:r=30[c$i];color=c=${squares[$i]}:s=90x90:r=30[s$i];"
    graph+="[c$i][s$i]overlay=x='mod(t*$((120 + 40 * i)),550)':y=$((67 * (i % 3 + 1))):shortest=1,scale=618:348:flags=neighbor,"
    graph+="drawbox=x=4:y=310:w=80:h=34:color=black:t=fill[t$i];"
    graph+="[bg$i][t$i]overlay=${xs[$i]}:${ys[$i]}:shortest=1[bg$((i + 1))];"
    graph+="sine=frequency=${tones[$i]}:sample_rate=48000,volume=0.1[a$i];"
  done
  graph+="[bg4]realtime[v];[a0][a1][a2][a3]amix=inputs=4:normalize=0,alimiter=limit=0.89,arealtime[a]"
  /usr/bin/time -f "%e %U %S %M" -o "$out" \
    ffmpeg -hide_banner -nostdin -nostats -loglevel error -filter_complex "$graph" -map "[v]" -map "[a]" -t "$seconds" -r 30 \
      -c:v libx264 -preset veryfast -tune zerolatency -crf 23 -pix_fmt yuv420p -g 60 -keyint_min 60 -sc_threshold 0 -c:a aac -b:a 96k -ac 1 -ar 48000 -movflags +frag_keyframe+empty_moov+default_base_moof -f mp4 pipe:1 \
      > /dev/null
}

cpu() { awk '{printf "%.2f", ($2 + $3)}' "$1"; }
per_media_second() { awk -v s="$SECONDS_PER_RUN" '{printf "%.3f", ($2 + $3) / s}' "$1"; }

echo "### CPU per media second (720p30, 4 participants, ${SECONDS_PER_RUN} s runs, real time)"
echo
echo "| run | recorder + ffmpeg CPU-s/media-s | bare ffmpeg CPU-s/media-s | ratio | recorder peak RSS | dropped frames |"
echo "|---|---|---|---|---|---|"
ratios=()
for run in $(seq 1 "$RUNS"); do
  say "run $run/$RUNS: recorder"
  record "$SECONDS_PER_RUN" "$WORK/rec-$run"
  say "run $run/$RUNS: bare ffmpeg"
  bare_ffmpeg "$SECONDS_PER_RUN" "$WORK/bare-$run"
  r=$(per_media_second "$WORK/rec-$run"); b=$(per_media_second "$WORK/bare-$run")
  ratio=$(awk -v r="$r" -v b="$b" 'BEGIN {printf "%.2f", r / b}')
  ratios+=("$ratio")
  read -r _ _ _ hwm dropped < "$WORK/rec-$run"
  echo "| $run | $r | $b | $ratio | $((hwm / 1024)) MiB | $dropped |"
done
echo
echo "Median ratio: $(printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}') (goal ≤ 1.15)"
echo

echo "### Concurrent real-time recordings (${SECONDS_PER_RUN} s each)"
echo
echo "| at once | dropped frames per recording | slowest wall time | CPU-s per media-s (all) |"
echo "|---|---|---|---|"
for n in $(seq 1 "$MAX_CONCURRENT"); do
  say "$n recording(s) at once"
  for i in $(seq 1 "$n"); do record "$SECONDS_PER_RUN" "$WORK/conc-$n-$i" & done
  wait
  drops=$(for i in $(seq 1 "$n"); do awk '{print $5}' "$WORK/conc-$n-$i"; done | paste -sd/)
  slowest=$(for i in $(seq 1 "$n"); do awk '{print $1}' "$WORK/conc-$n-$i"; done | sort -n | tail -n1)
  total=$(for i in $(seq 1 "$n"); do cpu "$WORK/conc-$n-$i"; echo; done | awk -v s="$SECONDS_PER_RUN" -v n="$n" '{t += $1} END {printf "%.3f", t / (s * n)}')
  echo "| $n | $drops | ${slowest} s | $total |"
done
echo

if [ "$LONG_SECONDS" -gt 0 ]; then
  say "a ${LONG_SECONDS} s recording for its peak RSS"
  record "$LONG_SECONDS" "$WORK/long"
  read -r _ _ _ short_hwm _ < "$WORK/rec-1"
  read -r _ _ _ long_hwm long_dropped < "$WORK/long"
  echo "### Recorder peak RSS by recording length"
  echo
  echo "| recording | recorder peak RSS | dropped frames |"
  echo "|---|---|---|"
  echo "| ${SECONDS_PER_RUN} s | $((short_hwm / 1024)) MiB | $(awk '{print $5}' "$WORK/rec-1") |"
  echo "| ${LONG_SECONDS} s | $((long_hwm / 1024)) MiB | $long_dropped |"
  echo
  echo "Long/short: $(awk -v a="$long_hwm" -v b="$short_hwm" 'BEGIN {printf "%.2f", a / b}') (goal: within 10%, both under 200 MiB)"
fi

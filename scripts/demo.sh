#!/usr/bin/env bash
# The quick-start demo, from a fresh Debian 12 machine (as root): installs what
# is missing, installs the recorder as README's "Install" does (the CLI compiled
# ahead of time, the service beside it) into artifacts/recorder, starts a
# throwaway local S3 (Ceph RGW on 127.0.0.1), runs `recorder demo` — the
# service started, a host registered, a 20-second synthetic meeting recorded
# through the API in real time, encrypted for the host's new key, uploaded,
# audited without the key and decrypted with it — then checks the result with
# the stock tools (aws, age, ffprobe) and stops everything it started.
#
# Leaves demo-output/host.key (the host's identity) and
# demo-output/recording-0001.mp4 (the decrypted recording).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
say() { echo "demo: $*" >&2; }

if ! command -v dotnet >/dev/null; then
  say "error: the .NET SDK (dotnet 10) is not on PATH"
  exit 1
fi
"$ROOT/localstack/install.sh" base ffmpeg age ceph awscli aot

export DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDDISABLENODEREUSE=1 DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
INSTALL="$ROOT/artifacts/recorder"
FLAGS=(-c Release -r linux-x64 -nodeReuse:false -p:UseSharedCompilation=false -v q -clp:ErrorsOnly)
say "installing recorder into $INSTALL (README, \"Install\"): the CLI compiled ahead of time, then the service"
dotnet publish "$ROOT/Recorder.Cli" "${FLAGS[@]}" -p:PublishAot=true -o "$INSTALL"
dotnet publish "$ROOT/Recorder.Service" "${FLAGS[@]}" -o "$INSTALL/service"
RECORDER="$INSTALL/recorder"

OUT="$ROOT/demo-output"
WORK=$(mktemp -d)
CEPH_DIR=""
cleanup() {
  [ -z "$CEPH_DIR" ] || "$ROOT/localstack/ceph-stop.sh" "$CEPH_DIR" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

say "starting the local S3"
eval "$("$ROOT/localstack/ceph-start.sh")"
CEPH_DIR=$RECORDER_CEPH_DIR

"$RECORDER" demo --output "$OUT" | tee "$WORK/summary"

say "checking with the stock tools: aws downloads, age decrypts with the host key, ffprobe reads"
# Debian's awscli 2.9 does not read AWS_ENDPOINT_URL_S3: always name the endpoint.
for uri in $(awk '$1 == "segment" {print $2}' "$WORK/summary"); do
  n=$(echo "$uri" | grep -o 'segment-[0-9]*' | grep -o '[0-9]*$')
  aws --endpoint-url "$AWS_ENDPOINT_URL_S3" s3 cp --only-show-errors "$uri" "$WORK/segment.age"
  age -d -i "$OUT/host.key" -o "$WORK/segment.mp4" "$WORK/segment.age"
  mine=$(sha256sum "$OUT/recording-$n.mp4" | cut -d' ' -f1)
  theirs=$(sha256sum "$WORK/segment.mp4" | cut -d' ' -f1)
  [ "$mine" = "$theirs" ] || { say "error: age's plaintext differs from recorder's ($theirs vs $mine)"; exit 1; }
  info=$(ffprobe -v error -show_entries format=duration:stream=codec_name,width,height -of compact=p=0:nk=1 "$WORK/segment.mp4" | paste -sd' ')
  say "ok: segment $n decrypts identically with age (sha256 $mine); ffprobe: $info"
done
say "done: $OUT/recording-0001.mp4 (host key: $OUT/host.key)"

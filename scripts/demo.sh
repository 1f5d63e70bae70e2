#!/usr/bin/env bash
# The quick-start demo, from a fresh Debian 12 machine: installs what is
# missing, builds, starts the local S3 (Ceph RGW on 127.0.0.1), runs a
# recording end to end, decrypts it with the stock age CLI and checks it, then
# stops the S3. What it leaves you: demo-output/host.key (the host's identity)
# and demo-output/recording.mp4 (the decrypted recording).
#
# Today's path (grows into `recorder demo` as the pipeline lands): a synthetic
# meeting encoded by ffmpeg to fragmented MP4 on a pipe, encrypted as a stream
# for the host's key only, multipart-uploaded from the pipe, downloaded,
# decrypted, compared by SHA-256 and probed. Plaintext never touches the disk
# on the way up.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
say() { echo "demo: $*" >&2; }

"$ROOT/localstack/install.sh" base ffmpeg age ceph awscli

OUT="$ROOT/demo-output"
mkdir -p "$OUT"
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
# Debian's awscli 2.9 does not read AWS_ENDPOINT_URL_S3: always name the endpoint.
aws_s3() { aws --endpoint-url "$AWS_ENDPOINT_URL_S3" "$@"; }

say "the host creates its key (only the host holds it)"
rm -f "$OUT/host.key"
age-keygen -o "$OUT/host.key" 2>"$WORK/keygen.txt"
RECIPIENT=$(grep -o 'age1[0-9a-z]*' "$WORK/keygen.txt")
say "host recipient: $RECIPIENT"

BUCKET=recordings
KEY="host-demo/meeting-demo/$(date -u +%Y%m%dT%H%M%SZ)/segment-0001.mp4.age"
aws_s3 s3 mb "s3://$BUCKET" >/dev/null 2>&1 || true

say "recording a 10 s synthetic meeting (4 tiles, 4 tones) -> encrypt -> multipart upload"
ffmpeg -hide_banner -loglevel error \
  -f lavfi -i "testsrc2=size=640x360:rate=30" -f lavfi -i "smptebars=size=640x360:rate=30" \
  -f lavfi -i "testsrc=size=640x360:rate=30" -f lavfi -i "rgbtestsrc=size=640x360:rate=30" \
  -f lavfi -i "sine=frequency=300:sample_rate=48000" -f lavfi -i "sine=frequency=450:sample_rate=48000" \
  -f lavfi -i "sine=frequency=600:sample_rate=48000" -f lavfi -i "sine=frequency=750:sample_rate=48000" \
  -filter_complex "[0:v][1:v][2:v][3:v]xstack=inputs=4:layout=0_0|w0_0|0_h0|w0_h0[v];[4:a][5:a][6:a][7:a]amix=inputs=4:normalize=0,volume=0.2[a]" \
  -map "[v]" -map "[a]" -t 10 -c:v libx264 -preset veryfast -pix_fmt yuv420p -g 60 -c:a aac -b:a 96k \
  -movflags +frag_keyframe+empty_moov+default_base_moof -f mp4 pipe:1 \
  | tee >(sha256sum | cut -d' ' -f1 >"$WORK/plain.sha256") \
  | age -r "$RECIPIENT" \
  | aws_s3 s3 cp --only-show-errors - "s3://$BUCKET/$KEY"

SIZE=$(aws_s3 s3api head-object --bucket "$BUCKET" --key "$KEY" --query ContentLength --output text)
say "uploaded s3://$BUCKET/$KEY ($SIZE bytes of ciphertext)"

say "an auditor's check without any key: the object is an age file"
HEADER=$(aws_s3 s3api get-object --bucket "$BUCKET" --key "$KEY" --range bytes=0-200 "$WORK/head" >/dev/null && head -c 21 "$WORK/head")
[ "$HEADER" = "age-encryption.org/v1" ] || { say "error: object does not start with the age v1 header"; exit 1; }

say "the archivist downloads and decrypts with the host's key (stock age CLI)"
aws_s3 s3 cp --only-show-errors "s3://$BUCKET/$KEY" - | age -d -i "$OUT/host.key" >"$OUT/recording.mp4"

PLAIN=$(cat "$WORK/plain.sha256")
BACK=$(sha256sum "$OUT/recording.mp4" | cut -d' ' -f1)
[ "$PLAIN" = "$BACK" ] || { say "error: SHA-256 differs: recorded $PLAIN, decrypted $BACK"; exit 1; }
DURATION=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$OUT/recording.mp4")
STREAMS=$(ffprobe -v error -show_entries stream=codec_name -of csv=p=0 "$OUT/recording.mp4" | paste -sd+)

say "ok: SHA-256 $BACK matches; ${DURATION}s, streams $STREAMS"
say "decrypted recording: $OUT/recording.mp4 (host key: $OUT/host.key)"

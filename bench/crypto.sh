#!/usr/bin/env bash
# Throughput of `recorder encrypt`/`recorder decrypt` against `age` 1.1.1 on the
# same file, in the same run, on the same machine (not a timed test). Prints a
# Markdown table with MiB/s and the ratio recorder/age for each direction.
#
#   bench/crypto.sh                        # 1 GiB, 5 runs each
#   BENCH_SIZE_MIB=256 BENCH_RUNS=3 bench/crypto.sh
#
# Both tools read the plaintext (or ciphertext) from a file already in the page
# cache and write to /dev/null, so the figures are crypto + read, not disk. The
# recorder reads and seals a regular file on every core (AgeEncryptor.EncryptFileAsync).
# Decryption uses one file written by age for both tools.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIZE_MIB=${BENCH_SIZE_MIB:-1024}
RUNS=${BENCH_RUNS:-5}
say() { echo "crypto.sh: $*" >&2; }

"$ROOT/localstack/install.sh" base age hyperfine aot
export DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDDISABLENODEREUSE=1 DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# As the CLI is installed (README, "CLI"): compiled ahead of time for linux-x64,
# started through its launcher.
say "publishing recorder (Release, native ahead-of-time) to $WORK/recorder"
dotnet publish "$ROOT/Recorder.Cli/Recorder.Cli.csproj" -c Release -r linux-x64 -p:PublishAot=true \
  -o "$WORK/recorder" -nodeReuse:false -p:UseSharedCompilation=false -v q -clp:ErrorsOnly >&2
REC="$WORK/recorder/recorder"
say "preparing ${SIZE_MIB} MiB of random plaintext in $WORK"
head -c $((SIZE_MIB * 1024 * 1024)) /dev/urandom > "$WORK/plain.bin"
age-keygen -o "$WORK/key.txt" 2> "$WORK/public.txt"
PK=$(sed 's/^Public key: //' "$WORK/public.txt")
age -r "$PK" -o "$WORK/by-age.age" "$WORK/plain.bin"

hyperfine --style basic --warmup 1 --runs "$RUNS" --export-json "$WORK/encrypt.json" \
  -n "age encrypt" "age -r $PK $WORK/plain.bin > /dev/null" \
  -n "recorder encrypt" "$REC encrypt -r $PK $WORK/plain.bin > /dev/null" >&2
hyperfine --style basic --warmup 1 --runs "$RUNS" --export-json "$WORK/decrypt.json" \
  -n "age decrypt" "age -d -i $WORK/key.txt $WORK/by-age.age > /dev/null" \
  -n "recorder decrypt" "$REC decrypt -i $WORK/key.txt $WORK/by-age.age > /dev/null" >&2

# One more run of each under /usr/bin/time -v: CPU use (how many cores) and peak memory.
cpu() { /usr/bin/time -v sh -c "$1" 2>&1 >/dev/null | awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} /Percent of CPU/ {c=$2} /Maximum resident/ {m=$2} END {printf "%s %.2f %d", c, u+s, m/1024}'; }
{
  echo "age_encrypt $(cpu "age -r $PK $WORK/plain.bin")"
  echo "recorder_encrypt $(cpu "$REC encrypt -r $PK $WORK/plain.bin")"
  echo "age_decrypt $(cpu "age -d -i $WORK/key.txt $WORK/by-age.age")"
  echo "recorder_decrypt $(cpu "$REC decrypt -i $WORK/key.txt $WORK/by-age.age")"
} > "$WORK/time.txt"

python3 - "$WORK" "$SIZE_MIB" "$RUNS" <<'PY'
import json, sys, os
work, size, runs = sys.argv[1], int(sys.argv[2]), sys.argv[3]
usage = {l.split()[0]: l.split()[1:] for l in open(os.path.join(work, "time.txt"))}
print(f"{size} MiB, {runs} runs each (hyperfine mean ± stddev), {os.cpu_count()} cores, load average {open('/proc/loadavg').read().split()[0]} at the end\n")
print("| operation | tool | mean s | ± s | min s | MiB/s (mean) | CPU | CPU s (user+sys) | peak RSS MiB | recorder/age (mean) | recorder/age (min) |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for op in ("encrypt", "decrypt"):
    results = {r["command"].split()[0]: r for r in json.load(open(os.path.join(work, f"{op}.json")))["results"]}
    ratio = results["age"]["mean"] / results["recorder"]["mean"]
    ratio_min = results["age"]["min"] / results["recorder"]["min"]
    for tool in ("age", "recorder"):
        r = results[tool]
        cpu, cpu_seconds, rss = usage[f"{tool}_{op}"]
        mine = tool == "recorder"
        print(f"| {op} | {tool} | {r['mean']:.3f} | {r['stddev']:.3f} | {r['min']:.3f} | {size / r['mean']:.0f} | {cpu} | {cpu_seconds} | {rss} "
              f"| {f'{ratio:.2f}x' if mine else ''} | {f'{ratio_min:.2f}x' if mine else ''} |")
PY

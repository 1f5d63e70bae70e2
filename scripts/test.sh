#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine: installs what is
# missing, builds in Release, starts the local stack on 127.0.0.1, runs
# `dotnet test`, stops the stack (also on failure or Ctrl-C), and prints alone
# on its last line `N passed, N failed[, N skipped]` computed from the TRX
# results. Exits non-zero when anything failed or when no test ran.
#
#   scripts/test.sh                                   # everything
#   scripts/test.sh --filter "Category!=Integration"  # extra arguments go to dotnet test
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
say() { echo "test.sh: $*" >&2; }

if ! command -v dotnet >/dev/null; then
  say "error: the .NET SDK (dotnet 10) is not on PATH"
  say "hint: install it from https://dot.net (this machine kind ships it preinstalled)"
  exit 1
fi

"$ROOT/localstack/install.sh" base ffmpeg age ceph janus aot postgres chromium

# The browser tests' driver (localstack/browser/driver.mjs): npm playwright-core as its package-lock.json pins it,
# from the npm cache when it is there; it downloads no browser (the tests drive Debian's /usr/bin/chromium).
if ! command -v npm >/dev/null; then
  say "error: npm (Node.js 20 or newer) is not on PATH: the browser tests need it"
  say "hint: install Node.js 20 with npm (this machine kind ships it preinstalled)"
  exit 1
fi
say "installing the browser driver (npm ci in localstack/browser)"
(cd "$ROOT/localstack/browser" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefer-offline --no-audit --no-fund --loglevel=error >/dev/null)
# The playback page's pinned toolchain (web/package-lock.json): PlaybackPageBuildTests rebuilds web/dist with it.
say "installing the playback page's toolchain (npm ci in web)"
(cd "$ROOT/web" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error >/dev/null)

# No build servers or node reuse: nothing may keep running after the suite.
export DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDDISABLENODEREUSE=1 DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
BUILD_FLAGS=(-c Release -nodeReuse:false -p:UseSharedCompilation=false)

say "restoring and building (Release)"
dotnet build Recorder.sln "${BUILD_FLAGS[@]}" -v q -clp:ErrorsOnly

# The CLI as README's "CLI" installs it (compiled ahead of time), for the tests
# that run the installed form (NativeCliTests, NativeServiceCliTests, NoDiskTests, JanusNoDiskTests).
NATIVE_DIR="$ROOT/Recorder.Cli/bin/Release/native"
say "publishing the CLI ahead of time (as installed) to $NATIVE_DIR"
dotnet publish Recorder.Cli/Recorder.Cli.csproj "${BUILD_FLAGS[@]}" -r linux-x64 -p:PublishAot=true -o "$NATIVE_DIR" -v q -clp:ErrorsOnly
# And the service beside it, where `recorder serve` looks for it (NativeServiceCliTests).
say "publishing the service (ReadyToRun) to $NATIVE_DIR/service"
dotnet publish Recorder.Service/Recorder.Service.csproj "${BUILD_FLAGS[@]}" -r linux-x64 -o "$NATIVE_DIR/service" -v q -clp:ErrorsOnly
export RECORDER_NATIVE_CLI="$NATIVE_DIR/recorder"

RESULTS="$ROOT/TestResults"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

CEPH_DIR=""
JANUS_DIR=""
PG_DIR=""
stop_stack() {
  if [ -n "$CEPH_DIR" ]; then
    "$ROOT/localstack/ceph-stop.sh" "$CEPH_DIR" || true
    CEPH_DIR=""
  fi
  if [ -n "$JANUS_DIR" ]; then
    "$ROOT/localstack/janus-stop.sh" "$JANUS_DIR" || true
    JANUS_DIR=""
  fi
  if [ -n "$PG_DIR" ]; then
    "$ROOT/localstack/postgres-stop.sh" "$PG_DIR" || true
    PG_DIR=""
  fi
}
trap stop_stack EXIT
trap 'stop_stack; exit 130' INT TERM

say "starting the local S3 (Ceph RADOS Gateway)"
CEPH_ENV=$("$ROOT/localstack/ceph-start.sh")
eval "$CEPH_ENV"
CEPH_DIR=$RECORDER_CEPH_DIR

say "starting Janus (VideoRoom, HTTP API on 127.0.0.1)"
JANUS_ENV=$("$ROOT/localstack/janus-start.sh")
eval "$JANUS_ENV"
JANUS_DIR=$RECORDER_JANUS_DIR

say "starting PostgreSQL (127.0.0.1)"
# Only its folder is exported (the fixtures read the connection string there): RECORDER_POSTGRES
# in the environment would turn every service a test starts into one on this shared database.
PG_DIR=$("$ROOT/localstack/postgres-start.sh" | sed -n 's/^export RECORDER_PG_DIR=//p')
export RECORDER_PG_DIR=$PG_DIR

say "running tests"
set +e
dotnet test Recorder.sln --no-build -c Release \
  --logger "trx;LogFilePrefix=results" --logger "console;verbosity=normal" \
  --results-directory "$RESULTS" "$@"
TEST_EXIT=$?
set -e

stop_stack

# Sum the counters of every TRX file written by this run.
passed=0; failed=0; skipped=0; files=0
for trx in "$RESULTS"/*.trx; do
  [ -f "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  # vstest leaves notExecuted at 0 for skipped tests; they are the ones counted but not executed.
  skipped=$((skipped + $(get total) - $(get executed)))
done

# The failed tests, by name with the start of their message, just above the summary: CI keeps only the
# end of the output, and this is where someone reading it looks first.
if [ "$failed" -gt 0 ] && [ "$files" -gt 0 ]; then
  python3 - "$RESULTS"/*.trx <<'PY' >&2 || true
import sys, xml.etree.ElementTree as ET
ns = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
for path in sys.argv[1:]:
    for result in ET.parse(path).getroot().iter(ns + "UnitTestResult"):
        if result.get("outcome") not in ("Failed", "Error", "Timeout", "Aborted"):
            continue
        message = result.find(f".//{ns}Message")
        text = " | ".join(l.strip() for l in (message.text or "").splitlines() if l.strip()) if message is not None else ""
        print(f"test.sh: FAILED {result.get('testName')} [{result.get('duration')}]: {text[:1500]}")
PY
fi

status=0
if [ "$files" -eq 0 ]; then
  say "error: no test results were written (did the build or the test host fail?)"
  status=1
fi
if [ "$TEST_EXIT" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # dotnet test failed without a failed test in the results: a crashed test host.
  say "error: dotnet test exited with $TEST_EXIT without a failed test in its results (test host crash?)"
  failed=1
fi
[ "$failed" -eq 0 ] || status=1
if [ $((passed + failed)) -eq 0 ]; then
  say "error: no test ran"
  status=1
fi

line="$passed passed, $failed failed"
[ "$skipped" -eq 0 ] || line="$line, $skipped skipped"
echo "$line"
exit $status

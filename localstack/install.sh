#!/usr/bin/env bash
# Installs what Recorder's tests and demo need on a fresh Debian 12 machine,
# each package only when it is missing. Idempotent; run as root.
#
#   localstack/install.sh            # everything the tests and the demo use
#   localstack/install.sh ceph age   # only some components
#
# Components: base (curl, time, strace, ssh-keygen, python3, zsh for the completion test), ffmpeg, age, ceph (single-node RADOS
# Gateway: the local S3), janus (Janus WebRTC Gateway 1.1.2: a real meeting
# server; the package's own service is not started here, janus-start.sh runs
# private instances), aot (clang and zlib, which .NET's ahead-of-time compiler
# links the CLI with), postgres (PostgreSQL 15 for the service's shared store;
# the package's own cluster is not started here, postgres-start.sh runs
# private servers), chromium (Debian's headless browser, driven by the tests that open
# the service's web pages and reports; no browser is downloaded), awscli (benchmarks' peer
# tool), hyperfine (benchmarks).
set -euo pipefail

declare -A PACKAGES=(
  [base]="ca-certificates curl time strace uuid-runtime procps iproute2 openssh-client python3 zsh"
  [ffmpeg]="ffmpeg"
  [age]="age"
  [ceph]="ceph-mon ceph-osd radosgw ceph-common"
  [janus]="janus"
  [aot]="clang zlib1g-dev"
  [postgres]="postgresql-15 postgresql-client-15"
  [chromium]="chromium"
  [awscli]="awscli"
  [hyperfine]="hyperfine"
)
DEFAULT_COMPONENTS=(base ffmpeg age ceph janus)

components=("$@")
[ ${#components[@]} -gt 0 ] || components=("${DEFAULT_COMPONENTS[@]}")

missing=()
for c in "${components[@]}"; do
  [ -n "${PACKAGES[$c]+x}" ] || { echo "install.sh: error: unknown component '$c' (known: ${!PACKAGES[*]})" >&2; exit 2; }
  for p in ${PACKAGES[$c]}; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$p")
    fi
  done
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install.sh: all present (${components[*]})" >&2
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: error: missing packages (${missing[*]}) and not root" >&2
  echo "install.sh: hint: run as root, or: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

echo "install.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# --no-install-recommends keeps Ceph to the daemons S3 needs (no manager, no dashboard).
# The janus package starts a default instance on all interfaces (8088/8188),
# and postgresql-15 one on port 5432,
# where invoke-rc.d may start services: forbid that while installing, and
# keep the unit disabled; janus-start.sh runs private instances on 127.0.0.1.
POLICY=/usr/sbin/policy-rc.d
OWN_POLICY=0
if [[ " ${missing[*]} " == *" janus "* || " ${missing[*]} " == *" postgresql-15 "* ]] && [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$POLICY"
  chmod 755 "$POLICY"
  OWN_POLICY=1
fi
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || { [ "$OWN_POLICY" -eq 0 ] || rm -f "$POLICY"; exit 1; }
[ "$OWN_POLICY" -eq 0 ] || rm -f "$POLICY"
if [[ " ${missing[*]} " == *" janus "* ]] && command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
  systemctl disable --now janus.service >/dev/null 2>&1 || true
fi
echo "install.sh: done" >&2

#!/usr/bin/env bash
# Starts a throwaway Janus WebRTC Gateway (Debian package `janus`, 1.1.2) on
# 127.0.0.1 with a configuration generated from /etc/janus/*.jcfg: only the
# VideoRoom plugin and the plain HTTP transport, every address 127.0.0.1 (so
# Janus advertises nothing else), a free HTTP port and a free RTP port range.
# All state lives in one temporary folder that janus-stop.sh removes; only the
# PID recorded here is ever signalled. Facts: ../shared/notes/janus.md.
#
#   eval "$(localstack/janus-start.sh)"     # exports RECORDER_JANUS_URL, RECORDER_JANUS_DIR
#   ...
#   localstack/janus-stop.sh                # uses RECORDER_JANUS_DIR
#
#   localstack/janus-start.sh --restart DIR # starts Janus again in DIR, same ports
#                                           # (after janus-stop.sh --keep DIR; tests of a Janus restart)
#
# stdout carries only `export NAME=value` lines (also saved as $DIR/env for
# test fixtures); progress goes to stderr.
set -euo pipefail

log() { echo "janus-start: $*" >&2; }
die() { echo "janus-start: error: $*" >&2; exit 1; }

for b in janus curl; do
  command -v "$b" >/dev/null || die "$b not found (run localstack/install.sh janus base)"
done
[ -f /etc/janus/janus.jcfg ] || die "/etc/janus/janus.jcfg not found (run localstack/install.sh janus)"

RESTART=0
if [ "${1:-}" = "--restart" ]; then
  RESTART=1
  DIR=${2:?"--restart needs the folder of a stopped instance"}
  case "$DIR" in */recorder-janus.*) ;; *) die "$DIR is not a folder made by janus-start.sh" ;; esac
  [ -f "$DIR/env" ] || die "$DIR/env not found"
else
  DIR=$(mktemp -d "${TMPDIR:-/tmp}/recorder-janus.XXXXXX")
  chmod 700 "$DIR"
fi
CONF=$DIR/conf
STARTED=0

cleanup_on_error() {
  if [ "$STARTED" -eq 0 ]; then
    log "start failed; last log lines:"
    tail -n 20 "$DIR/janus.log" 2>/dev/null | sed 's/^/  /' >&2 || true
    if [ "$RESTART" -eq 1 ]; then
      "$(dirname "$0")/janus-stop.sh" --keep "$DIR" >/dev/null 2>&1 || true
    else
      "$(dirname "$0")/janus-stop.sh" "$DIR" >/dev/null 2>&1 || true
    fi
  fi
}
trap cleanup_on_error EXIT

# Server ports come from 10000-19999: below the kernel's ephemeral range (32768-60999 here), whose ports
# any outgoing connection may take as its source port between our check and the server's bind (an RGW
# once failed "Address already in use" that way under a benchmark's S3 traffic), and apart from Janus's
# RTP blocks (20000-29999). Free means no TCP socket at all uses it, listening, connected or in TIME_WAIT.
port_free() { ! ss -Htan 2>/dev/null | awk '{print $4}' | grep -qE ":$1\$"; }
udp_in_use() { ss -Hnau 2>/dev/null | awk '{print $4}' | grep -q ":$1\$"; }

if [ "$RESTART" -eq 0 ]; then
  HTTP_PORT=""
  for _ in $(seq 1 200); do
    p=$(( 10000 + RANDOM % 10000 ))
    if port_free "$p"; then HTTP_PORT=$p; break; fi
  done
  [ -n "$HTTP_PORT" ] || die "no free TCP port found"
  # A block of 1000 UDP ports for RTP (remote publishers, forwarders' RTCP)
  # that nothing uses now: other instances pick other blocks.
  RTP_MIN=""
  for _ in $(seq 1 50); do
    b=$(( 20000 + 1000 * (RANDOM % 10) ))
    if ! ss -Hnau 2>/dev/null | awk '{print $4}' | grep -qE ":$(( b / 1000 ))[0-9]{3}\$"; then RTP_MIN=$b; break; fi
  done
  [ -n "$RTP_MIN" ] || die "no free UDP port range found"
  RTP_MAX=$(( RTP_MIN + 999 ))

  mkdir -p "$CONF"
  cp /etc/janus/*.jcfg "$CONF/"
  # janus.jcfg: our folder, loopback only, our ports; no admin secret from the
  # package's sample; only VideoRoom and HTTP are loaded; no event handlers.
  sed -i \
    -e "s|^\(\s*\)configs_folder = .*|\1configs_folder = \"$CONF\"|" \
    -e "s|^\(\s*\)#\?interface = \"1.2.3.4\".*|\1interface = \"127.0.0.1\"|" \
    -e "s|^\(\s*\)#\?rtp_port_range = .*|\1rtp_port_range = \"$RTP_MIN-$RTP_MAX\"|" \
    -e "s|^\(\s*\)admin_secret = .*|\1admin_secret = \"$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')\"|" \
    -e "s|^\(\s*\)#\?ipv6 = true|\1ipv6 = false|" \
    -e "s|^\(\s*\)#\?ice_enforce_list = \"eth0\"$|\1ice_enforce_list = \"lo\"|" \
    "$CONF/janus.jcfg"
  plugins=$(cd /usr/lib/x86_64-linux-gnu/janus/plugins 2>/dev/null && ls libjanus_*.so | grep -v '^libjanus_videoroom.so$' | paste -sd, -)
  transports=$(cd /usr/lib/x86_64-linux-gnu/janus/transports 2>/dev/null && ls libjanus_*.so | grep -v '^libjanus_http.so$' | paste -sd, -)
  sed -i \
    -e "/^plugins: {/,/^}/ s|^\(\s*\)#disable = .*|\1disable = \"$plugins\"|" \
    -e "/^transports: {/,/^}/ s|^\(\s*\)#disable = .*|\1disable = \"$transports\"|" \
    -e "/^events: {/,/^}/ s|^\(\s*\)#broadcast = .*|\1broadcast = false|" \
    "$CONF/janus.jcfg"
  # HTTP transport on 127.0.0.1 only, no admin API.
  sed -i \
    -e "s|^\(\s*\)port = 8088\b.*|\1port = $HTTP_PORT|" \
    -e "s|^\(\s*\)#ip = \"192.168.0.1\".*|\1ip = \"127.0.0.1\"|" \
    -e "s|^\(\s*\)#admin_ip = .*|\1admin_ip = \"127.0.0.1\"|" \
    -e "s|^\(\s*\)admin_http = .*|\1admin_http = false|" \
    "$CONF/janus.transport.http.jcfg"
  # Not loaded, but never pointing elsewhere should someone enable them.
  sed -i -e "s|^\(\s*\)#ws_ip = .*|\1ws_ip = \"127.0.0.1\"|" "$CONF/janus.transport.websockets.jcfg"
  sed -i -e "s|^\(\s*\)#\?local_ip = .*|\1local_ip = \"127.0.0.1\"|" "$CONF/janus.plugin.audiobridge.jcfg"
  # The VideoRoom's sample rooms (with the package's sample secrets) are dropped: tests create their own.
  sed -i -e '/^room-/,/^}/d' "$CONF/janus.plugin.videoroom.jcfg"

  for check in "interface = \"127.0.0.1\"" "rtp_port_range = \"$RTP_MIN-$RTP_MAX\"" "configs_folder = \"$CONF\""; do
    grep -qF "$check" "$CONF/janus.jcfg" || die "could not set '$check' in janus.jcfg (has /etc/janus/janus.jcfg changed?)"
  done
  grep -qF "ip = \"127.0.0.1\"" "$CONF/janus.transport.http.jcfg" || die "could not bind the HTTP transport to 127.0.0.1"
  grep -qF "port = $HTTP_PORT" "$CONF/janus.transport.http.jcfg" || die "could not set the HTTP port"

  {
    echo "export RECORDER_JANUS_DIR=$DIR"
    echo "export RECORDER_JANUS_URL=http://127.0.0.1:$HTTP_PORT/janus"
    echo "export RECORDER_JANUS_RTP_RANGE=$RTP_MIN-$RTP_MAX"
  } >"$DIR/env"
else
  HTTP_PORT=$(sed -n 's|.*RECORDER_JANUS_URL=http://127.0.0.1:\([0-9]*\)/janus|\1|p' "$DIR/env")
  # Only a listener counts here: the stopped Janus's own connections linger in TIME-WAIT on its port, which its
  # restart may reuse (SO_REUSEADDR).
  ! ss -Htln 2>/dev/null | awk '{print $4}' | grep -qE ":$HTTP_PORT\$" || die "port $HTTP_PORT is taken: is this Janus still running?"
fi

# -N/--log-file: the log stays in the folder; -o: no colour codes in it.
janus -F "$CONF" -C "$CONF/janus.jcfg" -N -L "$DIR/janus.log" -o -i 127.0.0.1 >>"$DIR/janus.stdout" 2>&1 &
PID=$!
echo "$PID janus" >"$DIR/pids"
log "started janus (pid $PID), folder $DIR, HTTP port $HTTP_PORT"

deadline=$(( SECONDS + 20 ))
until curl -sf -o /dev/null "http://127.0.0.1:$HTTP_PORT/janus/info"; do
  kill -0 "$PID" 2>/dev/null || die "janus exited during start"
  [ $SECONDS -lt $deadline ] || die "timed out after 20s waiting for http://127.0.0.1:$HTTP_PORT/janus/info"
  sleep 0.2
done
curl -sf "http://127.0.0.1:$HTTP_PORT/janus/info" | grep -q '"janus.plugin.videoroom"' || die "the VideoRoom plugin is not loaded"

STARTED=1
log "ready: http://127.0.0.1:$HTTP_PORT/janus (stop with: localstack/janus-stop.sh $DIR)"
cat "$DIR/env"

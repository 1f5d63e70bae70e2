# Sourced by the *-stop.sh scripts: stops the processes a start script
# recorded, and no others. The caller defines `ours PID`, which says whether
# a PID still belongs to its instance (a PID may have been reused).
#
#   stop_recorded PIDFILE GRACE   # SIGTERM, SIGKILL after GRACE quarter-seconds;
#                                 # sets STOPPED to the number of processes signalled

# wait_gone QUARTER_SECONDS PID...: true once none of the PIDs is ours any more.
wait_gone() {
  local ticks=$1 pid alive
  shift
  for _ in $(seq 1 "$ticks"); do
    alive=0
    for pid in "$@"; do ours "$pid" && alive=1; done
    [ $alive -eq 0 ] && return 0
    sleep 0.25
  done
  return 1
}

stop_recorded() {
  local file=$1 grace=$2 pid
  local pids=()
  if [ -f "$file" ]; then
    while read -r pid _; do
      if ours "$pid"; then pids+=("$pid"); fi
    done <"$file"
  fi
  STOPPED=${#pids[@]}
  [ "$STOPPED" -gt 0 ] || return 0
  kill -TERM "${pids[@]}" 2>/dev/null
  wait_gone "$grace" "${pids[@]}" && return 0
  for pid in "${pids[@]}"; do ours "$pid" && kill -KILL "$pid" 2>/dev/null; done
  wait_gone 20 "${pids[@]}" || true
}

#!/usr/bin/env bash
# The echo server benchmark: one load client (BUILD_DIR/bench/echo_load) against
# a line echo server in Weft (bench/io/echo_server.weft), Erlang/OTP
# (echo_server.erl: gen_tcp, {active, once}) and CPython's asyncio
# (echo_server.py), one after the other in one run, and one table.
#
# Usage: bench/io_echo.sh BUILD_DIR
#
# The load: ECHO_IDLE idle connections held open (default 10000), then
# ECHO_CLIENTS clients (default 1000) each sending a 32-byte line and waiting
# for it, for ECHO_SECONDS (default 5). Figures: requests/s, the 99th
# percentile round trip, and the server's resident memory midway (with the
# idle and the busy connections open). Targets (the I/O issue's): Weft's
# requests/s >= Erlang's and >= 3x asyncio's; 10,000 idle connections in
# under 200 MB. A peer that is not installed shows as n/a (Erlang comes with
# scripts/install-deps.sh --bench).
# Exit status: 2 on bad usage; 1 if Weft's run failed; 0 otherwise.
set -uo pipefail

[[ $# -eq 1 && -d $1 ]] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/io
load=$build/bench/echo_load
[[ -x $load ]] || { echo "io_echo.sh: $load is missing: build first" >&2; exit 2; }
idle=${ECHO_IDLE:-10000}
clients=${ECHO_CLIENTS:-1000}
seconds=${ECHO_SECONDS:-5}
work=$build/bench/io
mkdir -p "$work"
failed=0

# run_server NAME PORT COMMAND...: starts the server, waits for its port,
# runs the load, samples the server's memory midway; sets rps, p99, rss_mb.
run_server() {
  local name=$1 port=$2; shift 2
  rps=; p99=; rss_mb=
  "$@" >"$work/$name.log" 2>&1 &
  local server=$!
  for _ in $(seq 100); do
    (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break
    sleep 0.1
  done
  "$load" "$port" "$clients" "$seconds" "$idle" >"$work/$name.load" 2>&1 &
  local client=$!
  sleep "$(awk -v s="$seconds" 'BEGIN { print s / 2 + 1 }')"
  rss_mb=$(awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$server/status" 2>/dev/null)
  if ! wait "$client"; then
    echo "io_echo.sh: the load against $name failed:" >&2
    cat "$work/$name.load" "$work/$name.log" >&2
    [[ $name == weft ]] && failed=1
  fi
  kill "$server" 2>/dev/null; wait "$server" 2>/dev/null
  rps=$(awk '$2 == "echo_rps" { print $3 }' "$work/$name.load")
  p99=$(awk '$2 == "echo_p99_us" { print $3 }' "$work/$name.load")
}

run_server weft 17101 "$build/tools/weft" run "$here/echo_server.weft" 17101
w_rps=$rps w_p99=$p99 w_rss=$rss_mb
e_rps= e_p99= e_rss=
if command -v erlc >/dev/null && erlc -o "$work" "$here/echo_server.erl"; then
  run_server erlang 17102 erl +K true -noshell -pa "$work" -s echo_server main 17102
  e_rps=$rps e_p99=$p99 e_rss=$rss_mb
fi
run_server asyncio 17103 python3 "$here/echo_server.py" 17103
p_rps=$rps p_p99=$p99 p_rss=$rss_mb

ratio() { [[ -n $1 && -n $2 && $2 != 0 ]] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }' || echo n/a; }
echo
echo "echo server: $clients clients, $idle idle connections, ${seconds}s"
printf "%-26s %12s %12s %12s %10s %10s\n" "figure" "Weft" "Erlang" "asyncio" "W/Erl" "W/asyncio"
printf "%-26s %12s %12s %12s %10s %10s\n" "requests/s" "${w_rps:-n/a}" "${e_rps:-n/a}" "${p_rps:-n/a}" \
  "$(ratio "$w_rps" "$e_rps")" "$(ratio "$w_rps" "$p_rps")"
printf "%-26s %12s %12s %12s\n" "p99 round trip (us)" "${w_p99:-n/a}" "${e_p99:-n/a}" "${p_p99:-n/a}"
printf "%-26s %12s %12s %12s\n" "server memory (MB)" "${w_rss:-n/a}" "${e_rss:-n/a}" "${p_rss:-n/a}"
echo "targets: requests/s >= Erlang's and >= 3x asyncio's; memory with 10,000 idle connections < 200 MB"
exit $failed

#!/usr/bin/env bash
# Runs the distribution benchmarks (bench/cluster/): two Weft nodes on
# loopback, then two Erlang/OTP nodes doing the same work, and prints one table:
# workload, Weft, Erlang, Weft/Erlang, target, met / NOT met.
#
# Usage: bench/cluster.sh BUILD_DIR
#
# Weft: `BUILD_DIR/tools/weft node` serves bench/cluster/dist.weft as node b;
# each workload is a `weft run --name a@127.0.0.1:0 ... dist.weft WORKLOAD B N`.
# Erlang: bench/cluster/dist_peer.erl, compiled into BUILD_DIR/bench/cluster,
# node b started with `erl -name b@127.0.0.1`, each workload a fresh node a.
# Every program prints `RESULT <key> <value> <unit>`; this run's lines go to
# BUILD_DIR/bench/cluster/results.txt (weft.* and erlang.* keys).
#
# Then the same workloads over TLS 1.3 (certificates by
# examples/cluster/make-certs.sh): Weft's --tls-* against Erlang's inet_tls
# distribution (needs erlang-ssl), keys weft_tls.* and erlang_tls.*.
#
# Workloads and targets (the cluster issue's):
#   ping-pong, one pair            rt/s >= 2x Erlang's
#   one-way stream of small msgs   msg/s >= 2x Erlang's
#   1 MiB messages one way         MB/s (informative)
#   first connect and reply        ms <= Erlang's
#   small-message latency while a  worst round trip <= 10 ms (the 100 MB message
#   100 MB message is in flight    goes from an actor of its own, as the pings go on)
#
# Environment: CLUSTER_PINGPONG_N (100000), CLUSTER_STREAM_N (1000000),
# CLUSTER_MIB_N (500), CLUSTER_TIMEOUT seconds per program (120).
# Exit status: 2 on bad usage; 1 if a program that exists failed; 0 otherwise.
set -uo pipefail

[[ $# -eq 1 && -d $1 ]] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
weft=$build/tools/weft
work=$build/bench/cluster
mkdir -p "$work" || exit 2
results=$work/results.txt
: >"$results"
PP_N=${CLUSTER_PINGPONG_N:-100000}
STREAM_N=${CLUSTER_STREAM_N:-1000000}
MIB_N=${CLUSTER_MIB_N:-500}
TIMEOUT=${CLUSTER_TIMEOUT:-120}
failed=0

cookie=$work/cookie
( umask 077; head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$cookie" )

workloads=("connect:" "pingpong:$PP_N" "stream:$STREAM_N" "mib:$MIB_N" "large_latency:")

# Runs one workload; keeps its RESULT lines under a prefix.
keep() { awk -v p="$1" -v out="$results" '{ print "   " $0 } $1 == "RESULT" { print p "." $2, $3, $4 >> out }'; }

# Waits until FILE has a line matching PATTERN (a node's name, or erl's
# "ready"); prints it. Fails when PID has ended or after 10 s.
wait_line() {  # FILE PATTERN PID
  for _ in $(seq 1 200); do
    grep -m1 -E "$2" "$1" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}

# Node b of either kind is stopped however this script ends.
b_pid=""
trap '[[ -n $b_pid ]] && kill "$b_pid" 2>/dev/null' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- the runs ----
# run_weft PREFIX B_OPTIONS A_OPTIONS: node b, then a node a per workload
# (options word-split: they hold no spaces).
run_weft() {
  local prefix=$1 b_options=$2 a_options=$3
  if [[ ! -x $weft ]]; then echo "== $weft not found: $prefix figures show n/a"; return; fi
  # shellcheck disable=SC2086
  "$weft" node --name b@127.0.0.1:0 --cookie-file "$cookie" $b_options "$here/cluster/dist.weft" \
      >"$work/weft_b.out" 2>"$work/weft_b.err" &
  b_pid=$!
  if b=$(wait_line "$work/weft_b.out" '^b@' "$b_pid"); then
    for w in "${workloads[@]}"; do
      echo "== $prefix: ${w%%:*} ${w#*:}"
      # shellcheck disable=SC2086
      timeout "$TIMEOUT" "$weft" run --name a@127.0.0.1:0 --cookie-file "$cookie" $a_options \
          "$here/cluster/dist.weft" "${w%%:*}" "$b" ${w#*:} | keep "$prefix"
      [[ ${PIPESTATUS[0]} -eq 0 ]] || { echo "FAIL $prefix ${w%%:*}"; failed=1; }
    done
  else
    echo "FAIL: weft node did not start:"; cat "$work/weft_b.err"; failed=1
  fi
  kill "$b_pid" 2>/dev/null; wait "$b_pid" 2>/dev/null; b_pid=""
}

# run_erlang PREFIX B_OPTIONS A_OPTIONS: the same with erl nodes.
have_erlang=false
command -v erl >/dev/null && command -v erlc >/dev/null && erlc -o "$work" "$here/cluster/dist_peer.erl" && have_erlang=true
run_erlang() {
  local prefix=$1 b_options=$2 a_options=$3 c i=0
  if ! $have_erlang; then echo "== erl/erlc not found (scripts/install-deps.sh --bench): $prefix figures show n/a"; return; fi
  c=$(cat "$cookie")
  # shellcheck disable=SC2086
  erl -name b@127.0.0.1 -setcookie "$c" $b_options -noshell -pa "$work" -eval 'io:format("ready~n")' \
      >"$work/erl_b.out" 2>&1 &
  b_pid=$!
  if wait_line "$work/erl_b.out" '^ready' "$b_pid" >/dev/null; then
    for w in "${workloads[@]}"; do
      i=$((i + 1))
      echo "== $prefix: ${w%%:*} ${w#*:}"
      # shellcheck disable=SC2086
      timeout "$TIMEOUT" erl -name "a$i@127.0.0.1" -setcookie "$c" $a_options -noshell -pa "$work" \
          -run dist_peer main "${w%%:*}" b@127.0.0.1 ${w#*:} </dev/null | keep "$prefix"
      [[ ${PIPESTATUS[0]} -eq 0 ]] || { echo "FAIL $prefix ${w%%:*}"; failed=1; }
    done
  else
    echo "FAIL: erlang node b did not start:"; cat "$work/erl_b.out"; failed=1
  fi
  kill "$b_pid" 2>/dev/null; wait "$b_pid" 2>/dev/null; b_pid=""
}

run_weft weft "" ""
run_erlang erlang "" ""

# TLS: certificates from the guide's script, then both runtimes' TLS
# distribution (Weft's --tls-*; Erlang's inet_tls, TLS 1.3, verify_peer both ways).
pki=$work/pki
certs=$here/../examples/cluster/make-certs.sh
rm -rf "$pki"
# (DNS:127.0.0.1 too: Erlang's inet_tls checks the host of a node name as a DNS name.)
if "$certs" "$pki" ca && "$certs" "$pki" node a 127.0.0.1 DNS:127.0.0.1 && "$certs" "$pki" node b 127.0.0.1 DNS:127.0.0.1; then
  tls() { echo "--tls-cert $pki/$1.pem --tls-key $pki/$1.key --tls-ca $pki/ca.pem"; }
  run_weft weft_tls "$(tls b)" "$(tls a)"
  for n in a b; do
    printf '%s\n' "[{server, [{certfile, \"$pki/$n.pem\"}, {keyfile, \"$pki/$n.key\"}, {cacertfile, \"$pki/ca.pem\"}," \
      "           {verify, verify_peer}, {fail_if_no_peer_cert, true}, {versions, ['tlsv1.3']}]}," \
      " {client, [{certfile, \"$pki/$n.pem\"}, {keyfile, \"$pki/$n.key\"}, {cacertfile, \"$pki/ca.pem\"}," \
      "           {verify, verify_peer}, {versions, ['tlsv1.3']}]}]." >"$pki/$n.conf"
  done
  if $have_erlang && erl -noshell -eval 'halt(case application:ensure_all_started(ssl) of {ok, _} -> 0; _ -> 1 end).'; then
    run_erlang erlang_tls "-proto_dist inet_tls -ssl_dist_optfile $pki/b.conf" \
        "-proto_dist inet_tls -ssl_dist_optfile $pki/a.conf"
  else
    echo "== Erlang's ssl application is missing (erlang-ssl: scripts/install-deps.sh --bench): its TLS figures show n/a"
  fi
else
  echo "FAIL: cannot make the TLS certificates (openssl)"; failed=1
fi

# ---- table ----
value() { awk -v k="$1" '$1 == k { print $2 }' "$results" | tail -1; }
row() {  # label key unit target-kind target
  local w e ratio verdict=""
  w=$(value "weft.$2"); e=$(value "erlang.$2")
  if [[ -n $w && -n $e && $e != 0 ]]; then ratio=$(awk -v a="$w" -v b="$e" 'BEGIN { printf "%.2f", a / b }'); else ratio=n/a; fi
  case $4 in
    ratio) [[ $ratio != n/a ]] && verdict=$(awk -v r="$ratio" -v t="$5" 'BEGIN { print (r >= t ? "met" : "NOT met") }') ;;
    at_most_erlang) [[ -n $w && -n $e ]] && verdict=$(awk -v a="$w" -v b="$e" 'BEGIN { print (a <= b ? "met" : "NOT met") }') ;;
    at_most) [[ -n $w ]] && verdict=$(awk -v a="$w" -v t="$5" 'BEGIN { print (a <= t ? "met" : "NOT met") }') ;;
  esac
  printf "%-34s %12s %12s %8s  %-16s %s\n" "$1" "${w:-n/a} " "${e:-n/a} " "$ratio" "$6" "$verdict"
}
echo
printf "%-34s %12s %12s %8s  %-16s %s\n" "workload (loopback, two nodes)" "Weft" "Erlang/OTP" "W/E" "target" ""
row "ping-pong, rt/s"                 cluster_pingpong      rt/s  ratio 2 ">= 2x Erlang"
row "one-way small messages, msg/s"   cluster_stream        msg/s ratio 2 ">= 2x Erlang"
row "1 MiB messages, MB/s"            cluster_mib_stream    MB/s  none  0 "(informative)"
row "first connect + reply, ms"       cluster_first_reply   ms    at_most_erlang 0 "<= Erlang"
row "rt beside 100 MB in flight, max ms"    cluster_large_latency_max    ms at_most 10 "<= 10 ms"
row "rt beside 100 MB in flight, median ms" cluster_large_latency_median ms none 0 "(informative)"
row "  round trips during that transfer" cluster_large_latency_samples "" none 0 "(informative)"
echo
printf "%-34s %12s %12s %8s\n" "the same over TLS 1.3" "Weft" "Erlang/OTP" "W/E"
for k in "ping-pong, rt/s:cluster_pingpong" "one-way small messages, msg/s:cluster_stream" \
         "1 MiB messages, MB/s:cluster_mib_stream" "first connect + reply, ms:cluster_first_reply" \
         "rt beside 100 MB in flight, max ms:cluster_large_latency_max"; do
  w=$(value "weft_tls.${k#*:}"); e=$(value "erlang_tls.${k#*:}")
  if [[ -n $w && -n $e && $e != 0 ]]; then ratio=$(awk -v a="$w" -v b="$e" 'BEGIN { printf "%.2f", a / b }'); else ratio=n/a; fi
  printf "%-34s %12s %12s %8s\n" "${k%%:*}" "${w:-n/a} " "${e:-n/a} " "$ratio"
done
exit $failed

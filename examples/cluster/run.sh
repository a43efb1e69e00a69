#!/bin/sh
# run.sh BUILD_DIR [pingpong|wordcount|failover|all]: runs the cluster demos
# of this folder, each with the nodes it needs, as processes on this machine
# (loopback, free ports, a cookie file made for the run). Each demo's nodes
# are stopped when it ends, and all of them however this script ends.
set -eu
if [ $# -lt 1 ]; then
    echo "usage: $0 BUILD_DIR [pingpong|wordcount|failover|all]" >&2
    exit 2
fi
build=$1
which=${2:-all}
here=$(cd "$(dirname "$0")" && pwd)
weft="$build/tools/weft"
[ -x "$weft" ] || { echo "run.sh: $weft is missing: build first" >&2; exit 2; }

work=$(mktemp -d)
pids=""  # every process started, to stop
stop_all() {
    for p in $pids; do kill "$p" 2>/dev/null || true; done
    pids=""
}
trap 'stop_all; rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
(umask 077; head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$work/cookie")

# start_node NAME PROGRAM: starts `weft node`; sets $node_name to its full
# name and $node_pid to its process.
start_node() {
    "$weft" node --name "$1@127.0.0.1:0" --cookie-file "$work/cookie" "$2" >"$work/$1.out" 2>"$work/$1.err" &
    node_pid=$!
    pids="$pids $node_pid"
    i=0
    until node_name=$(grep -m1 "^$1@" "$work/$1.out"); do
        i=$((i + 1))
        if [ $i -gt 200 ] || ! kill -0 "$node_pid" 2>/dev/null; then
            echo "run.sh: node $1 did not start:" >&2
            cat "$work/$1.err" >&2
            exit 1
        fi
        sleep 0.05
    done
}

# main_node PROGRAM ARGS...: runs main on node a.
main_node() {
    echo "\$ weft run --name a@127.0.0.1:0 $(basename "$1")" | tr -d '\n'
    shift_program=$1
    shift
    echo " $*"
    "$weft" run --name a@127.0.0.1:0 --cookie-file "$work/cookie" "$shift_program" "$@"
}

if [ "$which" = pingpong ] || [ "$which" = all ]; then
    echo "== pingpong.weft: round trips between actors on two nodes"
    start_node b "$here/pingpong.weft"
    main_node "$here/pingpong.weft" "$node_name" 20000
    stop_all
fi

if [ "$which" = wordcount ] || [ "$which" = all ]; then
    echo "== wordcount.weft: map on two worker nodes, reduce on a third"
    start_node wb "$here/wordcount.weft"; b=$node_name
    start_node wc "$here/wordcount.weft"; c=$node_name
    main_node "$here/wordcount.weft" "$b" "$c" 20000
    stop_all
fi

if [ "$which" = failover ] || [ "$which" = all ]; then
    echo "== failover.weft: a supervisor restarts its worker on another node when the worker's node is killed"
    start_node fb "$here/failover.weft"; b=$node_name; b_pid=$node_pid
    start_node fc "$here/failover.weft"; c=$node_name
    : >"$work/failover.out"  # appended to by the demo and by this script
    main_node "$here/failover.weft" "$b" "$c" >>"$work/failover.out" 2>&1 &
    a=$!
    pids="$pids $a"
    i=0
    until grep -q '^kill' "$work/failover.out"; do
        i=$((i + 1))
        if [ $i -gt 600 ] || ! kill -0 $a 2>/dev/null; then cat "$work/failover.out"; exit 1; fi
        sleep 0.05
    done
    echo "(killing node $b with SIGKILL)" >>"$work/failover.out"
    kill -9 "$b_pid"
    status=0
    wait $a || status=$?
    cat "$work/failover.out"
    stop_all
    [ $status -eq 0 ] || exit $status
fi

#!/bin/sh
# run.sh BUILD_DIR [pingpong|wordcount|failover|all]: runs the cluster demos
# of this folder, each with the nodes it needs, as processes on this machine
# (loopback, free ports, a cookie file made for the run), and stops them after.
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
nodes=""
cleanup() {
    for p in $nodes; do kill "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT INT TERM
(umask 077; head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$work/cookie")

# Starts `weft node` NAME serving PROGRAM; sets $node_name to its full name.
start_node() {
    "$weft" node --name "$1@127.0.0.1:0" --cookie-file "$work/cookie" "$2" >"$work/$1.out" 2>&1 &
    nodes="$nodes $!"
    eval "pid_$1=$!"
    i=0
    while [ ! -s "$work/$1.out" ]; do
        i=$((i + 1))
        [ $i -lt 200 ] || { echo "run.sh: node $1 did not start" >&2; exit 1; }
        sleep 0.05
    done
    node_name=$(head -1 "$work/$1.out")
}

main_node() {  # PROGRAM ARGS...: runs main on node a
    echo "\$ weft run --name a@127.0.0.1:0 $(basename "$1") ${2:-} ${3:-} ${4:-}"
    "$weft" run --name a@127.0.0.1:0 --cookie-file "$work/cookie" "$@"
}

if [ "$which" = pingpong ] || [ "$which" = all ]; then
    echo "== pingpong.weft: round trips between actors on two nodes"
    start_node b "$here/pingpong.weft"
    main_node "$here/pingpong.weft" "$node_name" 20000
fi

if [ "$which" = wordcount ] || [ "$which" = all ]; then
    echo "== wordcount.weft: map on two worker nodes, reduce on a third"
    start_node wb "$here/wordcount.weft"; b=$node_name
    start_node wc "$here/wordcount.weft"; c=$node_name
    main_node "$here/wordcount.weft" "$b" "$c" 20000
fi

if [ "$which" = failover ] || [ "$which" = all ]; then
    echo "== failover.weft: a supervisor restarts its worker on another node when the worker's node is killed"
    start_node fb "$here/failover.weft"; b=$node_name
    start_node fc "$here/failover.weft"; c=$node_name
    : >"$work/failover.out"  # appended to by the demo and by this script
    main_node "$here/failover.weft" "$b" "$c" >>"$work/failover.out" 2>&1 &
    a=$!
    i=0
    until grep -q '^kill' "$work/failover.out"; do
        i=$((i + 1))
        if [ $i -gt 600 ] || ! kill -0 $a 2>/dev/null; then cat "$work/failover.out"; exit 1; fi
        sleep 0.05
    done
    echo "(killing node $b with SIGKILL)" >>"$work/failover.out"
    kill -9 "$pid_fb"
    status=0
    wait $a || status=$?
    cat "$work/failover.out"
    [ $status -eq 0 ] || exit $status
fi

#!/bin/sh
# tour.sh BUILD_DIR: the tour `make run` shows, in a few seconds.
#
# First the native C++ tour (BUILD_DIR/examples/tour, examples/tour.cpp): the runtime
# itself, actors written in C++. Then the ten Weft script demos in this folder, each
# run with BUILD_DIR/tools/weft at a small size (run one alone, without arguments, for
# its full size), then the cluster demos of cluster/ (cluster/run.sh starts their
# nodes). Each demo checks its own result and fails (exit status 1, with a
# traceback) when it is wrong; the tour stops at the first failure.
set -eu
if [ $# -ne 1 ]; then
    echo "usage: $0 BUILD_DIR" >&2
    exit 2
fi
build=$1
here=$(dirname "$0")
weft="$build/tools/weft"
for program in "$build/examples/tour" "$weft"; do
    if [ ! -x "$program" ]; then
        echo "tour: $program is missing: build first (make build BUILD=$build)" >&2
        exit 2
    fi
done

start=$(date +%s%N)

header() {
    printf '\n== %s\n' "$1"
}

# Shows the command line, then runs it.
demo() {
    echo "\$ $weft run $*"
    "$weft" run "$@"
}

header "native C++ actors (examples/tour.cpp): ping-pong, a ring, supervision, a 1 MiB binary"
"$build/examples/tour"

header "pingpong.weft: round trips between two script actors, then between 2 pairs at once"
demo "$here/pingpong.weft" 200000 2

header "ring.weft: a token passed round a ring of 10,000 actors"
demo "$here/ring.weft" 10000 100

header "parallel_map.weft: fib(n) over 16 items, in one actor, then over 4 worker actors"
demo "$here/parallel_map.weft" 16 30 4
echo "# the same with one worker thread: the actors take turns on one core"
demo --threads 1 "$here/parallel_map.weft" 16 30 4

header "bigmsg.weft: a 1 MiB bytes value is shared, a 10,000-int list is copied"
demo "$here/bigmsg.weft" 100000 300 100000

header "bank.weft: an account server, 100 clients, one of which crashes"
demo "$here/bank.weft" 100 100

header "du.weft: disk usage of /usr/include, a worker actor per folder, with os.walk and os.stat"
demo "$here/du.weft" /usr/include 3

header "depscan.weft: a build tool's dependency scan, every file read and searched on all cores"
demo "$here/depscan.weft" --files 1000

header "chat.weft: a TCP chat server, an actor per connection, 20 bot clients"
demo "$here/chat.weft" 20 5

header "pmap.weft: the library's task.map, in one actor and then on every core"
demo "$here/pmap.weft" 16 24

header "supervised.weft: a supervisor restarts a crashing gen_server; calls go on through the crashes"
demo "$here/supervised.weft" 3

header "cluster/: nodes as processes on this machine: ping-pong, a word count on three nodes, failover"
"$here/cluster/run.sh" "$build" all

end=$(date +%s%N)
ms=$(( (end - start) / 1000000 ))
printf '\ntour done in %d.%d s\n' $((ms / 1000)) $((ms % 1000 / 100))

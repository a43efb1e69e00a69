#!/usr/bin/env bash
# Runs the I/O benchmarks (bench/io/): Weft against CPython 3.11 doing the
# same work in the same run, and prints one table.
#
# Usage: bench/io.sh BUILD_DIR
#
#   stat of every file under a folder (IO_TREE, default /usr/include),
#     from 1 actor and from 4 (Weft: the file pool's round trip per call)
#     against CPython in one thread and in a pool of 4 threads
#   read every file under the folder and count its #include lines (a build
#     tool's dependency scan), from 1 actor and from 4, against CPython in
#     one thread and in a pool of 4 threads
#   short child processes (`true`, IO_SPAWN_N, default 400) from 4 actors
#     against CPython's subprocess.run from 4 threads
#   the dependency scan of a generated tree (IO_SCAN_FILES C files, default
#     10000, made once in BUILD_DIR/bench/io/tree by make_tree.py): 2 actors
#     on 1 and on 2 worker threads (the speed-up), against CPython's
#     threading (the GIL's case) and multiprocessing.Pool, 2 workers each.
#     Targets: Weft's 2-thread speed-up >= 1.8x; Weft >= 3x CPython's
#     threads, and faster than its processes.
#   whole-file reads of 1,000 files of 100 KB (made once in
#     BUILD_DIR/bench/io/blobs), 2 actors on 1 and 2 threads, against
#     `cat` of the same files to /dev/null (warm page cache for both).
# Every program prints `RESULT <key> <value> <unit>`.
# Exit status: 2 on bad usage; 1 if a program failed; 0 otherwise.
set -uo pipefail

[[ $# -eq 1 && -d $1 ]] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
weft=$(cd "$1" && pwd)/tools/weft
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/io
tree=${IO_TREE:-/usr/include}
spawn_n=${IO_SPAWN_N:-400}
scan_files=${IO_SCAN_FILES:-10000}
failed=0
gen_tree=$(cd "$1" && pwd)/bench/io/tree
if [[ ! -d $gen_tree/mod0 ]]; then
  mkdir -p "$gen_tree" && python3 "$here/make_tree.py" "$gen_tree" "$scan_files" || failed=1
fi
blobs=$(cd "$1" && pwd)/bench/io/blobs
if [[ ! -f $blobs/999 ]]; then
  mkdir -p "$blobs" && for k in $(seq 0 999); do head -c 102400 /dev/urandom >"$blobs/$k"; done || failed=1
fi
# Every program reads warm files: the first to run must not pay for the disk.
find "$tree" "$gen_tree" -type f -exec cat {} + >/dev/null 2>&1

# result KEY COMMAND...: the value of KEY's RESULT line, or empty.
result() {
  local key=$1; shift
  local out
  out=$("$@" 2>&1) || { echo "FAIL: $*" >&2; failed=1; }
  awk -v k="$key" '$1 == "RESULT" && $2 == k { print $3 }' <<<"$out" | tail -1
}
row() {  # label unit weft python
  local ratio=n/a
  [[ -n $3 && -n $4 && $4 != 0 ]] && ratio=$(awk -v a="$3" -v b="$4" 'BEGIN { printf "%.2f", a / b }')
  printf "%-40s %12s %12s %8s\n" "$1 ($2)" "${3:-n/a}" "${4:-n/a}" "$ratio"
}

w1=$(result io_stat_w1 "$weft" run --threads 2 "$here/stat_tree.weft" "$tree" 1)
w4=$(result io_stat_w4 "$weft" run --threads 2 "$here/stat_tree.weft" "$tree" 4)
p1=$(result io_stat_w1 python3 "$here/stat_tree.py" "$tree" 1)
p4=$(result io_stat_w4 python3 "$here/stat_tree.py" "$tree" 4)
r1=$(result io_scan_w1 "$weft" run --threads 2 "$here/scan_tree.weft" "$tree" 1)
r4=$(result io_scan_w4 "$weft" run --threads 2 "$here/scan_tree.weft" "$tree" 4)
q1=$(result io_scan_w1 python3 "$here/scan_tree.py" "$tree" 1)
q4=$(result io_scan_w4 python3 "$here/scan_tree.py" "$tree" 4)
ws=$(result io_spawn_w4 "$weft" run --threads 2 "$here/spawn.weft" "$spawn_n" 4)
g1=$(result io_scan_w2 "$weft" run --threads 1 "$here/scan_tree.weft" "$gen_tree" 2)
g2=$(result io_scan_w2 "$weft" run --threads 2 "$here/scan_tree.weft" "$gen_tree" 2)
gt=$(result io_scan_w2 python3 "$here/scan_tree.py" "$gen_tree" 2)
gp=$(result io_scan_p2 python3 "$here/scan_tree.py" "$gen_tree" 2 processes)
cat "$blobs"/* >/dev/null  # the page cache, for everyone
b1=$(result io_read_w2 "$weft" run --threads 1 "$here/read_files.weft" "$blobs" 2)
b2=$(result io_read_w2 "$weft" run --threads 2 "$here/read_files.weft" "$blobs" 2)
cat_start=$(date +%s%N); cat "$blobs"/* >/dev/null; cat_end=$(date +%s%N)
bc=$(awk -v ns=$((cat_end - cat_start)) 'BEGIN { printf "%d", 1000 * 102400 / (ns / 1e9) / 1e6 }')
ps=$(result io_spawn_w4 python3 "$here/spawn.py" "$spawn_n" 4)

echo
printf "%-40s %12s %12s %8s\n" "workload ($tree)" "Weft" "CPython" "W/Py"
row "os.stat per file, 1 actor / thread" "files/s" "$w1" "$p1"
row "os.stat per file, 4 actors / threads" "files/s" "$w4" "$p4"
row "read and scan per file, 1 actor / thread" "files/s" "$r1" "$q1"
row "read and scan per file, 4 actors / threads" "files/s" "$r4" "$q4"
row "subprocess.run(['true']), 4 at once" "runs/s" "$ws" "$ps"
echo
printf "%-40s %12s %12s %8s\n" "scan of $scan_files generated files" "Weft" "CPython" "W/Py"
row "2 actors on 1 thread / 2 threads" "files/s" "$g1" "$gt"
row "2 actors on 2 threads / 2 threads" "files/s" "$g2" "$gt"
row "2 actors on 2 threads / 2 processes" "files/s" "$g2" "$gp"
speedup=n/a
[[ -n $g1 && -n $g2 ]] && speedup=$(awk -v a="$g2" -v b="$g1" 'BEGIN { printf "%.2f", a / b }')
echo
printf "%-40s %12s %12s %8s\n" "read 1,000 files of 100 KB" "Weft" "cat" "W/cat"
row "2 actors on 1 thread" "MB/s" "$b1" "$bc"
row "2 actors on 2 threads" "MB/s" "$b2" "$bc"
echo "Weft's scan speed-up from 1 to 2 threads: $speedup (target >= 1.8); targets: >= 3x CPython's threads, > its processes"
exit $failed

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
# Every program prints `RESULT <key> <value> <unit>`.
# Exit status: 2 on bad usage; 1 if a program failed; 0 otherwise.
set -uo pipefail

[[ $# -eq 1 && -d $1 ]] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
weft=$(cd "$1" && pwd)/tools/weft
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/io
tree=${IO_TREE:-/usr/include}
spawn_n=${IO_SPAWN_N:-400}
failed=0

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
ps=$(result io_spawn_w4 python3 "$here/spawn.py" "$spawn_n" 4)

echo
printf "%-40s %12s %12s %8s\n" "workload ($tree)" "Weft" "CPython" "W/Py"
row "os.stat per file, 1 actor / thread" "files/s" "$w1" "$p1"
row "os.stat per file, 4 actors / threads" "files/s" "$w4" "$p4"
row "read and scan per file, 1 actor / thread" "files/s" "$r1" "$q1"
row "read and scan per file, 4 actors / threads" "files/s" "$r4" "$q4"
row "subprocess.run(['true']), 4 at once" "runs/s" "$ws" "$ps"
exit $failed

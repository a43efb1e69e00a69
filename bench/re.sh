#!/usr/bin/env bash
# Runs the re benchmark (bench/re/): Weft's re module against CPython 3.11's
# re and against grep -E / sed -E on the same log, in the same run, and
# prints one table.
#
# Usage: bench/re.sh BUILD_DIR
#
#   a web server's log of RE_LOG_MB megabytes (default 100), made once in
#   BUILD_DIR/bench/re/log.txt by make_log.py (never committed);
#   findall of every IPv4 address, findall of (status, user) on the ERROR
#   lines, and sub of every address, each timed alone in MB/s of log.
#   Peers: CPython's re (re_log.py, the same program); `grep -oE` counting
#   the addresses and the ERROR lines, and `sed -E` replacing the addresses
#   (whole process time, reading the file included).
#   Target: Weft >= 3x CPython on each.
# Every Weft and CPython program prints `RESULT <key> <value> <unit>`.
# Exit status: 2 on bad usage; 1 if a program failed; 0 otherwise.
set -uo pipefail

[[ $# -eq 1 && -d $1 ]] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
weft=$(cd "$1" && pwd)/tools/weft
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/re
mb=${RE_LOG_MB:-100}
log=$(cd "$1" && pwd)/bench/re/log.txt
failed=0
if [[ ! -f $log || $(stat -c %s "$log") -lt $((mb * 1000000)) ]]; then
  mkdir -p "$(dirname "$log")" && python3 "$here/make_log.py" "$log" "$mb" || failed=1
fi
cat "$log" >/dev/null  # the page cache, for everyone
bytes=$(stat -c %s "$log")

result() {  # KEY COMMAND...: the value of KEY's RESULT line, or empty
  local key=$1; shift
  local out
  out=$("$@" 2>&1) || { echo "FAIL: $*" >&2; failed=1; }
  awk -v k="$key" '$1 == "RESULT" && $2 == k { print $3 }' <<<"$out" | tail -1
}
# tool MB/s of a shell pipeline over the log (its output discarded).
tool_rate() {
  local start end
  start=$(date +%s%N)
  bash -c "$1" >/dev/null 2>&1 || { echo "FAIL: $1" >&2; failed=1; }
  end=$(date +%s%N)
  awk -v b="$bytes" -v ns=$((end - start)) 'BEGIN { printf "%.1f", b / 1e6 / (ns / 1e9) }'
}
row() {  # label weft python tool
  local r1=n/a r2=n/a
  [[ -n $2 && -n $3 ]] && r1=$(awk -v a="$2" -v b="$3" 'BEGIN { printf "%.2f", a / b }')
  [[ -n $2 && -n $4 ]] && r2=$(awk -v a="$2" -v b="$4" 'BEGIN { printf "%.2f", a / b }')
  printf "%-34s %9s %9s %9s %8s %8s\n" "$1" "${2:-n/a}" "${3:-n/a}" "${4:-n/a}" "$r1" "$r2"
}

wout=$("$weft" run --threads 2 "$here/re_log.weft" "$log" 2>&1) || { echo "FAIL: weft re_log.weft" >&2; failed=1; }
pout=$(python3 "$here/re_log.py" "$log" 2>&1) || { echo "FAIL: python3 re_log.py" >&2; failed=1; }
pick() { awk -v k="$2" '$1 == "RESULT" && $2 == k { print $3 }' <<<"$1" | tail -1; }
# Both must have found the same: the first line counts what each found.
[[ $(head -1 <<<"$wout") == $(head -1 <<<"$pout") ]] || { echo "FAIL: Weft and CPython disagree: $(head -1 <<<"$wout") / $(head -1 <<<"$pout")" >&2; failed=1; }
g1=$(tool_rate "grep -oE '[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+' '$log' | wc -l")
g2=$(tool_rate "grep -oE 'ERROR \[worker-[0-9]+\] GET [^ ]+ [0-9]+ [0-9]+ms user=[a-z]+@' '$log' | wc -l")
g3=$(tool_rate "sed -E 's/[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+/IP/g' '$log' | wc -c")

echo
echo "$(head -1 <<<"$wout")"
printf "%-34s %9s %9s %9s %8s %8s\n" "re on a $mb MB log (MB/s)" "Weft" "CPython" "grep/sed" "W/Py" "W/tool"
row "findall IPv4 (grep -oE)" "$(pick "$wout" re_findall_ip)" "$(pick "$pout" re_findall_ip)" "$g1"
row "findall ERROR lines (grep -oE)" "$(pick "$wout" re_findall_error)" "$(pick "$pout" re_findall_error)" "$g2"
row "sub IPv4 (sed -E)" "$(pick "$wout" re_sub_ip)" "$(pick "$pout" re_sub_ip)" "$g3"
echo "target: Weft >= 3x CPython on each"
exit $failed

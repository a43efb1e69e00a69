#!/usr/bin/env bash
# Runs the json benchmark (bench/json/): json.loads and json.dumps of a
# document of JSON_MB megabytes (default 50, made once in BUILD_DIR/bench/json
# by make_doc.py, never committed), Weft against CPython 3.11's json in the
# same run, and prints one table. Target: Weft's loads >= 2x CPython's.
#
# Usage: bench/json.sh BUILD_DIR     (a Release build: make bench uses build-release)
# Every program prints `RESULT <key> <value> <unit>`.
# Exit status: 2 on bad usage; 1 if a program failed; 0 otherwise.
set -uo pipefail

[[ $# -eq 1 && -d $1 ]] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
weft=$(cd "$1" && pwd)/tools/weft
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/json
megabytes=${JSON_MB:-50}
doc=$(cd "$1" && pwd)/bench/json/doc-$megabytes.json
failed=0
if [[ ! -f $doc ]]; then
  mkdir -p "$(dirname "$doc")" && python3 "$here/make_doc.py" "$doc" "$megabytes" || failed=1
fi

result() {  # KEY OUTPUT: the value of KEY's RESULT line, or empty
  awk -v k="$1" '$1 == "RESULT" && $2 == k { print $3 }' <<<"$2" | tail -1
}
row() {  # label unit weft python
  local ratio=n/a
  [[ -n $3 && -n $4 && $4 != 0 ]] && ratio=$(awk -v a="$3" -v b="$4" 'BEGIN { printf "%.2f", a / b }')
  printf "%-40s %12s %12s %8s\n" "$1 ($2)" "${3:-n/a}" "${4:-n/a}" "$ratio"
}

w=$("$weft" run "$here/loads_dumps.weft" "$doc" 2>&1) || { echo "FAIL: weft: $w" >&2; failed=1; }
p=$(python3 "$here/loads_dumps.py" "$doc" 2>&1) || { echo "FAIL: python3: $p" >&2; failed=1; }
wl=$(result json_loads "$w"); wd=$(result json_dumps "$w")
pl=$(result json_loads "$p"); pd=$(result json_dumps "$p")

echo
printf "%-40s %12s %12s %8s\n" "json, a $megabytes MB document" "Weft" "CPython" "W/Py"
row "json.loads" "MB/s" "$wl" "$pl"
row "json.dumps" "MB/s" "$wd" "$pd"
met="NOT met"
[[ -n $wl && -n $pl ]] && awk -v a="$wl" -v b="$pl" 'BEGIN { exit !(a >= 2 * b) }' && met=met
echo "target: Weft's json.loads >= 2x CPython's: $met"
exit $failed

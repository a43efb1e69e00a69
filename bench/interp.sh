#!/usr/bin/env bash
# Runs the Weft script interpreter benchmarks (bench/interp/NAME.{weft,py,lua})
# against CPython 3.11 (/usr/bin/python3) and Lua 5.4 (lua5.4), checks that the
# three versions of each program print the same line, and prints one table:
# benchmark, best wall time of each language, weft/python and weft/lua, with
# the targets (every weft/python <= 1.0; geometric mean of weft/lua <= 1.3),
# and python/lua for reference.
# Then runs BUILD_DIR/bench/heap_bench for a fresh script heap's size and the
# pause of collecting a ~100 MB heap.
#
# Usage: bench/interp.sh BUILD_DIR [NAME...]
#   (bench/run.sh calls it after the runtime table, so `make bench` runs it
#   with build-release.)  NAMEs pick benchmarks; default: all of them.
#
# Weft runs as `BUILD_DIR/tools/weft run FILE`. If that binary is missing or
# cannot run a one-line program yet (no interpreter), its error is shown, the
# Weft columns show n/a and the peers are still timed.
#
# Environment: INTERP_RUNS (default 3) runs per program, the best wall time
# (date +%s.%N around the process) counts; INTERP_TIMEOUT (seconds, default
# 300) bounds each run.
#
# Writes RESULT lines (interp.NAME.LANG_s, and heap_bench's) to
# BUILD_DIR/bench/interp_results.txt.
#
# Exit status: 2 on bad usage or a missing python3/lua5.4; 1 if a program failed
# or the outputs disagree (FAIL lines say which; the table is still printed);
# 0 otherwise, also when `weft run` is not available yet. Unmet targets do not fail.
set -euo pipefail

usage() { echo "usage: $0 BUILD_DIR [NAME...]" >&2; exit 2; }
[[ $# -ge 1 ]] || usage
build=$1
shift
[[ -d $build ]] || { echo "bench/interp.sh: build dir '$build' does not exist" >&2; exit 2; }
build=$(cd "$build" && pwd)

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
srcdir=$here/interp
all_benches=(fib loop dict strings sort nbody)
if [[ $# -gt 0 ]]; then benches=("$@"); else benches=("${all_benches[@]}"); fi
for b in "${benches[@]}"; do
  for ext in weft py lua; do
    [[ -f $srcdir/$b.$ext ]] || { echo "bench/interp.sh: no benchmark '$b' ($srcdir/$b.$ext missing)" >&2; exit 2; }
  done
done

RUNS=${INTERP_RUNS:-3}
TIMEOUT=${INTERP_TIMEOUT:-300}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "bench/interp.sh: INTERP_RUNS must be a positive integer" >&2; exit 2; }

python=/usr/bin/python3
lua=lua5.4
weft=$build/tools/weft
[[ -x $python ]] || { echo "bench/interp.sh: $python not found; run scripts/install-deps.sh --bench" >&2; exit 2; }
command -v "$lua" >/dev/null 2>&1 || { echo "bench/interp.sh: $lua not found; run scripts/install-deps.sh --bench" >&2; exit 2; }

mkdir -p "$build/bench"
results=$build/bench/interp_results.txt
: >"$results"
work=$(mktemp -d "${TMPDIR:-/tmp}/weft-interp-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
failed=0
note() { echo "== $*"; }

# The command line that runs benchmark file $2 in language $1.
cmd_for() {
  case $1 in
    weft)   printf '%s\0%s\0%s\0' "$weft" run "$2" ;;
    python) printf '%s\0%s\0' "$python" "$2" ;;
    lua)    printf '%s\0%s\0' "$lua" "$2" ;;
  esac
}
ext_for() { case $1 in weft) echo weft ;; python) echo py ;; lua) echo lua ;; esac; }

# Show the end of a failed run's stderr, indented.
show_err() { sed -e 's/^/    | /' "$1" | tail -n 25; }

# --- is `weft run` there? -------------------------------------------------------
weft_ok=1
if [[ ! -x $weft ]]; then
  note "weft: $weft not found (build $build first): Weft columns show n/a"
  weft_ok=0
else
  printf 'print("ok", 1 + 1)\n' >"$work/probe.weft"
  if timeout 60 "$weft" run "$work/probe.weft" >"$work/probe.out" 2>"$work/probe.err" \
      && [[ $(cat "$work/probe.out") == "ok 2" ]]; then
    :
  else
    note "weft: '$weft run' cannot run a one-line program yet: Weft columns show n/a"
    cat "$work/probe.out" "$work/probe.err" | sed -e 's/^/    | /' | tail -n 10
    weft_ok=0
  fi
fi
langs=(python lua)
[[ $weft_ok -eq 1 ]] && langs=(weft python lua)

# --- run and time ------------------------------------------------------------------
declare -A best out status
for b in "${benches[@]}"; do
  for lang in "${langs[@]}"; do
    file=$srcdir/$b.$(ext_for "$lang")
    mapfile -d '' -t cmd < <(cmd_for "$lang" "$file")
    note "$b: $lang x $RUNS"
    best[$lang.$b]=""
    status[$lang.$b]=ok
    for ((r = 1; r <= RUNS; r++)); do
      t0=$(date +%s.%N)
      rc=0
      timeout "$TIMEOUT" "${cmd[@]}" >"$work/run.out" 2>"$work/run.err" </dev/null || rc=$?
      t1=$(date +%s.%N)
      if [[ $rc -ne 0 ]]; then
        what="exit $rc"; [[ $rc -eq 124 ]] && what="timed out after ${TIMEOUT}s"
        echo "FAIL $b: $lang failed ($what): ${cmd[*]}"
        show_err "$work/run.err"
        status[$lang.$b]=failed
        failed=1
        break
      fi
      if [[ $r -eq 1 ]]; then
        out[$lang.$b]=$(cat "$work/run.out")
      elif [[ $(cat "$work/run.out") != "${out[$lang.$b]}" ]]; then
        echo "FAIL $b: $lang printed something else on run $r: $(head -c 300 "$work/run.out")"
        status[$lang.$b]=unsteady
        failed=1
      fi
      best[$lang.$b]=$(awk -v a="$t0" -v b="$t1" -v best="${best[$lang.$b]}" \
        'BEGIN { t = b - a; if (best != "" && best + 0 < t) t = best; printf "%.3f", t }')
    done
    if [[ ${status[$lang.$b]} != failed ]]; then
      echo "   ${out[$lang.$b]}   (best ${best[$lang.$b]} s)"
    fi
  done

  # The three must print the same line; CPython is the reference.
  ref=""
  [[ ${status[python.$b]} == ok ]] && ref=${out[python.$b]}
  for lang in "${langs[@]}"; do
    [[ $lang == python || ${status[$lang.$b]} != ok || -z $ref ]] && continue
    if [[ ${out[$lang.$b]} != "$ref" ]]; then
      echo "FAIL $b: $lang's output differs from python's"
      echo "    python: $ref"
      echo "    $lang: ${out[$lang.$b]:0:600}"
      status[$lang.$b]=differs
      failed=1
    fi
  done
  for lang in "${langs[@]}"; do
    if [[ ${status[$lang.$b]} == ok ]]; then
      echo "RESULT interp.$b.${lang}_s ${best[$lang.$b]} s" >>"$results"
    fi
  done
done

# --- the table -------------------------------------------------------------------
# One row per benchmark: name, then state and seconds for weft, python, lua.
rows=$work/rows
: >"$rows"
for b in "${benches[@]}"; do
  line=$b
  for lang in weft python lua; do
    line+=" ${status[$lang.$b]:-n/a} ${best[$lang.$b]:-n/a}"
  done
  echo "$line" >>"$rows"
done

echo
echo "Weft script vs CPython $("$python" -c 'import platform; print(platform.python_version())') and $("$lua" -v 2>&1 | awk '{ print $1, $2 }')" \
     "  ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -m); best of $RUNS, wall seconds)"
echo "targets: every weft/python <= 1.0; geometric mean of weft/lua <= 1.3"
echo
awk '
  function cell(st, t) { return st == "ok" ? t : (st == "n/a" ? "n/a" : st) }
  function ok(st)      { return st == "ok" }
  BEGIN {
    dashes = "----------------------------------------------------------------------------------------------------"
    fmt = "%-10s %9s %9s %9s %12s %10s %11s  %s\n"
    printf fmt, "benchmark", "weft s", "python s", "lua s", "weft/python", "weft/lua", "python/lua", "target weft/python <= 1.0"
    print dashes
  }
  {
    b = $1; ws = $2; wt = $3; ps = $4; pt = $5; ls = $6; lt = $7
    rp = rl = rr = "n/a"; tgt = "n/a"
    if (ok(ws) && ok(ps) && pt > 0) {
      r = wt / pt; rp = sprintf("%.2f", r); tgt = (r <= 1.0 ? "met" : "NOT met")
      np++; sp += log(r)
    }
    if (ok(ws) && ok(ls) && lt > 0) { r = wt / lt; rl = sprintf("%.2f", r); nl++; sl += log(r) }
    if (ok(ps) && ok(ls) && lt > 0) { r = pt / lt; rr = sprintf("%.2f", r); nr++; sr += log(r) }
    printf fmt, b, cell(ws, wt), cell(ps, pt), cell(ls, lt), rp, rl, rr, tgt
    n++
  }
  END {
    print dashes
    gp = np ? sprintf("%.2f", exp(sp / np)) : "n/a"
    gl = nl ? sprintf("%.2f", exp(sl / nl)) : "n/a"
    gr = nr ? sprintf("%.2f", exp(sr / nr)) : "n/a"
    tl = nl ? (exp(sl / nl) <= 1.3 ? "met" : "NOT met") : "n/a"
    printf fmt, "geo. mean", "", "", "", gp, gl, gr, "target geo. mean weft/lua <= 1.3: " tl
    if (np == 0 && nl == 0)
      print "(no Weft figures: weft run is not available or failed everywhere)"
    else if (np < n || nl < n)
      printf "(means over the benchmarks with a good Weft run: %d of %d vs python, %d of %d vs lua)\n", np, n, nl, n
  }
' "$rows"

# --- the script heap ------------------------------------------------------------------
echo
if [[ -x $build/bench/heap_bench ]]; then
  note "running $build/bench/heap_bench"
  rc=0
  (cd "$build/bench" && timeout "$TIMEOUT" ./heap_bench) >"$work/heap.out" 2>"$work/heap.err" || rc=$?
  if [[ $rc -ne 0 ]]; then
    echo "FAIL heap_bench (exit $rc)"
    cat "$work/heap.out"
    show_err "$work/heap.err"
    failed=1
  fi
  grep '^RESULT ' "$work/heap.out" >>"$results" || true
  awk '
    $1 == "RESULT" && $2 == "interp.fresh_heap_bytes"  { fresh = $3 }
    $1 == "RESULT" && $2 == "interp.gc_pause_100mb_ms" { median = $3 }
    $1 == "#" && $2 == "built"      { sub(/^# /, ""); built = $0 }
    $1 == "#" && $2 == "collection" { p = $4 + 0; pauses = pauses sprintf(" %.2f", p); if (p > peak) peak = p; have = 1 }
    END {
      print "script heap (heap_bench):"
      printf "  fresh heap                          %s bytes\n", fresh == "" ? "n/a" : fresh
      if (built != "") printf "  100 MB heap                         %s\n", built
      if (have) {
        printf "  full collection of it, peak pause   %.2f ms (median %s ms; runs:%s ms)\n", peak, median, pauses
      } else
        print "  full collection of it, peak pause   n/a"
    }
  ' "$work/heap.out"
else
  note "$build/bench/heap_bench not found: heap figures skipped"
fi

echo
echo "RESULT lines: $results"
if [[ $failed -ne 0 ]]; then
  echo "bench/interp.sh: some programs failed or disagree; see the FAIL lines above" >&2
  exit 1
fi
exit 0

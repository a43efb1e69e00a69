#!/usr/bin/env bash
# Runs the script-level actor benchmarks (bench/actors/) and their peers, then
# prints one table: workload, the Weft script figure, the Erlang/OTP figure, the
# CPython figure, Weft/Erlang, the target and met / NOT met.
#
# Usage: bench/actors.sh BUILD_DIR
#
# Weft programs run as `BUILD_DIR/tools/weft run [--threads T] bench/actors/X.weft`;
# the Erlang peers (bench/erlang/weft_peer.erl and bench/actors/parallel_map.erl)
# are compiled with erlc into BUILD_DIR/bench/actors and run with erl from PATH;
# the CPython peers with ACTORS_PYTHON (default /usr/bin/python3, else python3
# from PATH).
#
# Every program prints `RESULT <key> <value> <unit>` lines. This run's lines
# (plus the parallel-map speed-ups computed here) go to
# BUILD_DIR/bench/actors/results.txt, and are appended to
# BUILD_DIR/bench/results.txt with the prefix `actors.` (lines with that prefix
# from an earlier run are replaced), so they never mix with bench/run.sh's keys.
#
# Workloads and targets:
#   ping-pong, one pair [1]      script rt/s >= 1.5x Erlang's (weft --threads 1, erl +S 1)
#   ring 10,000 actors [1]       script hops/s >= 1.5x Erlang's (same)
#   spawn 1,000,000 idle actors  in under 1 s: >= 1,000,000 spawns/s
#   parallel map                 speed-up from --threads 1 to --threads 2 >= 1.9x
#   call with 1M queued [1]      a call's round trip (make_ref, send, receive by ref)
#                                with 1,000,000 unmatched messages queued: <= 10 us
#   starving ticker (2 threads)  a 100 ms ticker's worst lateness beside an actor busy in
#                                long builtin calls: <= 10 ms
#   CPython (informative)        ping-pong over queue.Queue; parallel-map speed-ups
#                                with threads and with processes
#
# A program that is missing (no weft binary, no erl, no python) or fails shows as
# n/a.
#
# Exit status: 2 on bad usage; 1 if a program that exists failed (FAIL lines say
# which; the table is still printed); 0 otherwise. Unmet targets do not fail.
#
# Environment (sizes; defaults keep each program to a few seconds on a 2-core VM):
#   ACTORS_TIMEOUT        seconds per program (60)
#   ACTORS_PINGPONG_N     round trips, Weft and Erlang (1000000)
#   ACTORS_PY_PINGPONG_N  round trips, CPython threads (50000)
#   ACTORS_RING_LAPS      laps of the 10,000-actor ring, Weft and Erlang (500)
#   ACTORS_SPAWN_N        idle Weft actors (1000000)
#   ACTORS_SPAWN_THREADS  weft --threads for spawn (nproc)
#   ACTORS_ERL_SPAWN_N    idle Erlang processes (300000: 1,000,000 take ~19 s here,
#                         bound by page faults; the rate is what is compared)
#   ACTORS_PMAP_ITEMS     list length of the parallel map (32)
#   ACTORS_PMAP_RUNS      runs per parallel-map program, the best counts (3)
#   ACTORS_SEL_QUEUED     unmatched messages queued before the calls (1000000)
#   ACTORS_SEL_CALLS      calls timed (100000)
#   ACTORS_PMAP_FIB_WEFT / _ERL / _PY   fib(N) per item (27 / 31 / 26): Erlang's fib
#                         is several times faster, so each language gets an N that
#                         takes about 0.4-0.5 s a run on one core; only the
#                         speed-ups are compared.
set -uo pipefail

usage() { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
[[ $# -eq 1 ]] || usage
[[ -d $1 ]] || { echo "bench/actors.sh: build dir '$1' does not exist" >&2; exit 2; }
build=$(cd "$1" && pwd)

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$here/actors
outdir=$build/bench/actors
all_results=$build/bench/results.txt
results=$outdir/results.txt
weft=$build/tools/weft

TIMEOUT=${ACTORS_TIMEOUT:-60}
PINGPONG_N=${ACTORS_PINGPONG_N:-1000000}
PY_PINGPONG_N=${ACTORS_PY_PINGPONG_N:-50000}
RING_SIZE=10000            # fixed in weft_peer.erl (RING_SIZE)
RING_LAPS=${ACTORS_RING_LAPS:-500}
SPAWN_N=${ACTORS_SPAWN_N:-1000000}
SPAWN_THREADS=${ACTORS_SPAWN_THREADS:-$(nproc)}
ERL_SPAWN_N=${ACTORS_ERL_SPAWN_N:-300000}
PMAP_ITEMS=${ACTORS_PMAP_ITEMS:-32}
PMAP_RUNS=${ACTORS_PMAP_RUNS:-3}
PMAP_FIB_WEFT=${ACTORS_PMAP_FIB_WEFT:-27}
PMAP_FIB_ERL=${ACTORS_PMAP_FIB_ERL:-31}
PMAP_FIB_PY=${ACTORS_PMAP_FIB_PY:-26}
SEL_QUEUED=${ACTORS_SEL_QUEUED:-1000000}
SEL_CALLS=${ACTORS_SEL_CALLS:-100000}
for v in TIMEOUT PINGPONG_N PY_PINGPONG_N RING_LAPS SPAWN_N SPAWN_THREADS ERL_SPAWN_N \
         PMAP_ITEMS PMAP_RUNS PMAP_FIB_WEFT PMAP_FIB_ERL PMAP_FIB_PY SEL_QUEUED SEL_CALLS; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "bench/actors.sh: $v must be a positive integer (got '${!v}')" >&2; exit 2; }
done
# erl's process limit must exceed the idle processes (weft_peer checks N + 1000).
ERL_PROCS=$(( ERL_SPAWN_N < 1000000 ? 2000000 : 2 * ERL_SPAWN_N ))

mkdir -p "$outdir" || exit 2
: >"$results" || exit 2
work=$(mktemp -d "${TMPDIR:-/tmp}/weft-actors-bench.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
# A crashing Erlang peer writes its dump here, not into the current directory.
export ERL_CRASH_DUMP="$outdir/erl_crash.dump"
failed=0
note() { echo "== $*"; }

# --- which languages can run --------------------------------------------------------
python=${ACTORS_PYTHON:-/usr/bin/python3}
if [[ ! -x $python ]]; then python=$(command -v python3 || true); fi
have_python=1
if [[ -z $python ]]; then
  note "python3 not found: the CPython column shows n/a"
  have_python=0
fi

have_erl=1
for tool in erl erlc; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    note "$tool not found (scripts/install-deps.sh --bench installs Erlang/OTP): the Erlang column shows n/a"
    have_erl=0
  fi
done
if [[ $have_erl -eq 1 ]]; then
  note "compiling the Erlang peers into $outdir"
  if ! erlc -o "$outdir" "$here/erlang/weft_peer.erl" "$src/parallel_map.erl" "$src/selective_receive.erl"; then
    echo "FAIL erlc: the Erlang peers did not compile"
    failed=1
    have_erl=0
  fi
fi

have_weft=1
if [[ ! -x $weft ]]; then
  note "weft: $weft not found (build $build first): the Weft column shows n/a"
  have_weft=0
fi

# --- running one program ----------------------------------------------------------
# run_prog LABEL SUFFIX CMD...: runs CMD under timeout, shows its output, and
# keeps its RESULT lines in $results with SUFFIX appended to each key.
# A failure, or a run without any RESULT line, is a FAIL line and sets failed=1.
run_prog() {
  local label=$1 suffix=$2 rc=0 what
  shift 2
  note "$label: $*"
  timeout "$TIMEOUT" "$@" </dev/null >"$work/out" 2>"$work/err" || rc=$?
  sed -e 's/^/   /' "$work/out"
  sed -e 's/^/   | /' "$work/err" | tail -n 25
  if [[ $rc -ne 0 ]]; then
    what="exit $rc"; [[ $rc -eq 124 ]] && what="timed out after ${TIMEOUT}s"
    echo "FAIL $label ($what)"
    failed=1
    return 1
  fi
  if ! awk -v sfx="$suffix" '$1 == "RESULT" && NF >= 4 { $2 = $2 sfx; print; n++ } END { exit n == 0 }' \
      "$work/out" >>"$results"; then
    echo "FAIL $label: printed no RESULT line"
    failed=1
    return 1
  fi
}

erl_run() {   # erl_run LABEL SUFFIX ERL_FLAGS... -- MODULE FUNCTION ARGS...
  local label=$1 suffix=$2 flags=()
  shift 2
  while [[ $1 != -- ]]; do flags+=("$1"); shift; done
  shift
  run_prog "$label" "$suffix" erl -noshell "${flags[@]}" -pa "$outdir" -s "$@" -s init stop
}

# --- ping-pong ------------------------------------------------------------------------
if [[ $have_weft -eq 1 ]]; then
  run_prog "pingpong: weft --threads 1" "" "$weft" run --threads 1 "$src/pingpong.weft" "$PINGPONG_N"
fi
if [[ $have_erl -eq 1 ]]; then
  erl_run "pingpong: erlang +S 1" "" +S 1 -- weft_peer pingpong "$PINGPONG_N"
fi
if [[ $have_python -eq 1 ]]; then
  run_prog "pingpong: python threads" "" "$python" "$src/pingpong_threads.py" "$PY_PINGPONG_N"
fi

# --- ring -------------------------------------------------------------------------------
if [[ $have_weft -eq 1 ]]; then
  run_prog "ring: weft --threads 1" "" "$weft" run --threads 1 "$src/ring.weft" "$RING_SIZE" "$RING_LAPS"
fi
if [[ $have_erl -eq 1 ]]; then
  erl_run "ring: erlang +S 1" "" +S 1 -- weft_peer ring "$RING_LAPS"
fi

# --- spawn ------------------------------------------------------------------------------
if [[ $have_weft -eq 1 ]]; then
  run_prog "spawn: weft --threads $SPAWN_THREADS" "" \
    "$weft" run --threads "$SPAWN_THREADS" "$src/spawn.weft" "$SPAWN_N"
fi
if [[ $have_erl -eq 1 ]]; then
  erl_run "spawn: erlang, all schedulers" "" +P "$ERL_PROCS" -- weft_peer spawn_idle "$ERL_SPAWN_N"
fi

# --- parallel map -----------------------------------------------------------------------
for t in 1 2; do
  if [[ $have_weft -eq 1 ]]; then
    run_prog "parallel_map: weft --threads $t" ".t$t" \
      "$weft" run --threads "$t" "$src/parallel_map.weft" "$PMAP_FIB_WEFT" "$PMAP_ITEMS" "$PMAP_RUNS"
    run_prog "task.map: weft --threads $t" ".t$t" \
      "$weft" run --threads "$t" "$src/task_map.weft" "$PMAP_FIB_WEFT" "$PMAP_ITEMS" "$PMAP_RUNS"
  fi
  if [[ $have_erl -eq 1 ]]; then
    erl_run "parallel_map: erlang +S $t" ".t$t" +S "$t" -- \
      parallel_map run "$PMAP_FIB_ERL" "$PMAP_ITEMS" "$PMAP_RUNS"
  fi
  if [[ $have_python -eq 1 ]]; then
    run_prog "parallel_map: python $t thread(s)" ".t$t" \
      "$python" "$src/parallel_map_threads.py" "$t" "$PMAP_FIB_PY" "$PMAP_ITEMS" "$PMAP_RUNS"
    run_prog "parallel_map: python $t process(es)" ".t$t" \
      "$python" "$src/parallel_map_processes.py" "$t" "$PMAP_FIB_PY" "$PMAP_ITEMS" "$PMAP_RUNS"
  fi
done

# --- a call with a long mailbox --------------------------------------------------------
if [[ $have_weft -eq 1 ]]; then
  run_prog "selective receive: weft --threads 1" "" \
    "$weft" run --threads 1 "$src/selective_receive.weft" "$SEL_QUEUED" "$SEL_CALLS"
fi
if [[ $have_erl -eq 1 ]]; then
  erl_run "selective receive: erlang +S 1" "" +S 1 -- selective_receive run "$SEL_QUEUED" "$SEL_CALLS"
fi

# --- a ticker beside a runaway ----------------------------------------------------------
if [[ $have_weft -eq 1 ]]; then
  run_prog "starving ticker: weft --threads 2" "" "$weft" run --threads 2 "$src/starving_ticker.weft" 3
fi

# Speed-ups: the one-thread time over the two-thread time.
awk '
  $1 == "RESULT" { val[$2] = $3 + 0; have[$2] = 1 }
  END {
    split("script.parallel_map erlang.parallel_map python.parallel_map_threads python.parallel_map_processes script.task_map", ks, " ")
    for (i = 1; i <= 5; i++) {
      a = ks[i] "_s.t1"; b = ks[i] "_s.t2"
      if ((a in have) && (b in have) && val[b] > 0)
        printf "RESULT %s_speedup %.3f x\n", ks[i], val[a] / val[b]
    }
  }
' "$results" >"$work/speedups"
cat "$work/speedups" >>"$results"

# --- into BUILD_DIR/bench/results.txt, prefixed ----------------------------------------
if [[ -f $all_results ]]; then
  grep -v '^RESULT actors\.' "$all_results" >"$work/all" || true
else
  : >"$work/all"
fi
sed -e 's/^RESULT /RESULT actors./' "$results" >>"$work/all"
cp "$work/all" "$all_results"

# --- the table --------------------------------------------------------------------------
otp=""
[[ $have_erl -eq 1 ]] && otp=$(erl -noshell -eval 'io:format("~s", [erlang:system_info(otp_release)]), halt().' 2>/dev/null)
pyver=""
[[ $have_python -eq 1 ]] && pyver=$("$python" -c 'import platform; print(platform.python_version())' 2>/dev/null)
echo
echo "Weft script actors vs Erlang/OTP ${otp:-n/a} and CPython ${pyver:-n/a}" \
     "  ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -m))"
echo "[1] = weft --threads 1 / erl +S 1 (CPython: two threads). Speed-up = time with 1 thread / time with 2"
echo "(weft --threads, erl +S, Python threads or processes). Higher is better, but for the ticker's ms and the call's us."
echo
awk -v ring="ring ${RING_SIZE} x ${RING_LAPS} laps [1]" -v spawn_n="$SPAWN_N" '
  $1 == "RESULT" { val[$2] = $3 + 0; have[$2] = 1; unit[$2] = $4 }

  function num(k)  { if (k == "-") return "-"; return (k in have) ? (val[k] >= 100 ? sprintf("%.0f", val[k]) : sprintf("%.2f", val[k])) : "n/a" }
  function ratio(a, b) {
    if (a == "-" || b == "-") return "-"
    if (!(a in have) || !(b in have) || val[b] == 0) return "n/a"
    return sprintf("%.2fx", val[a] / val[b])
  }
  function st(ok, detail) { return (ok ? "met" : "NOT met") " (" detail ")" }
  function t_times(w, e, n) {            # Weft >= n x Erlang
    if (!(w in have) || !(e in have) || val[e] == 0) return "n/a"
    return st(val[w] >= n * val[e], sprintf("%.2fx", val[w] / val[e]))
  }
  function t_atleast(w, lim, fmt) {
    if (!(w in have)) return "n/a"
    return st(val[w] >= lim, sprintf(fmt, val[w]))
  }

  function row(label, u, w, e, p, target, status) {
    used[w] = used[e] = used[p] = 1
    printf fmt, label, u, num(w), num(e), num(p), ratio(w, e), target, status
  }

  END {
    fmt = "%-34s %-9s %10s %10s %10s %11s  %-24s %s\n"
    printf fmt, "workload", "unit", "weft", "erlang", "python", "weft/erlang", "target", "status"
    print dashes(130)
    row("ping-pong, 1 pair [1]", "rt/s", "script.pingpong_rt_per_s", "erlang.pingpong_rt_per_s",
        "python.pingpong_threads_rt_per_s", ">= 1.5x Erlang",
        t_times("script.pingpong_rt_per_s", "erlang.pingpong_rt_per_s", 1.5))
    row(ring, "hops/s", "script.ring_hops_per_s", "erlang.ring_hops_per_s", "-", ">= 1.5x Erlang",
        t_times("script.ring_hops_per_s", "erlang.ring_hops_per_s", 1.5))
    spawn_status = t_atleast("script.spawn_per_s", 1000000, "%.0f/s")
    if (("script.spawn_s" in have) && spawn_status != "n/a")
      sub(/\)$/, sprintf(", %d in %.3f s)", spawn_n, val["script.spawn_s"]), spawn_status)
    row("spawn idle actors", "spawns/s", "script.spawn_per_s", "erlang.spawn_per_s", "-",
        "1M in < 1 s (>= 1M/s)", spawn_status)
    row("parallel map, speed-up 1 -> 2", "x", "script.parallel_map_speedup", "erlang.parallel_map_speedup",
        "python.parallel_map_threads_speedup", ">= 1.9x",
        t_atleast("script.parallel_map_speedup", 1.9, "%.2fx"))
    row("parallel map, CPython processes", "x", "-", "-", "python.parallel_map_processes_speedup", "-", "-")
    row("task.map, speed-up 1 -> 2", "x", "script.task_map_speedup", "-", "python.parallel_map_threads_speedup",
        ">= 1.9x", t_atleast("script.task_map_speedup", 1.9, "%.2fx"))
    row("starving ticker gap, 2 threads", "ms", "script.ticker_worst_gap_ms", "-", "-", "<= 10 ms",
        ("script.ticker_worst_gap_ms" in have) ? st(val["script.ticker_worst_gap_ms"] <= 10, sprintf("%.0f ms", val["script.ticker_worst_gap_ms"])) : "n/a")
    row("call with 1M queued [1]", "us", "script.call_queued_us", "erlang.call_queued_us", "-", "<= 10 us",
        ("script.call_queued_us" in have) ? st(val["script.call_queued_us"] <= 10, sprintf("%.2f us", val["script.call_queued_us"])) : "n/a")
    print dashes(130)
    print "python column: ping-pong = two threads over two queue.Queue objects; parallel map = threads"
    print "(ThreadPoolExecutor), last row = processes (multiprocessing.Pool)."

    n = 0
    for (k in have) if (!(k in used)) extra[++n] = k
    if (n > 0) {
      print ""
      print "other figures:"
      for (i = 2; i <= n; i++) { x = extra[i]; for (j = i - 1; j >= 1 && extra[j] > x; j--) extra[j + 1] = extra[j]; extra[j + 1] = x }
      for (i = 1; i <= n; i++) printf "  %-44s %14s %s\n", extra[i], num(extra[i]), unit[extra[i]]
    }
  }
  function dashes(n,   s) { s = ""; while (n-- > 0) s = s "-"; return s }
' "$results"

echo
echo "RESULT lines: $results (also in $all_results as actors.*)"
if [[ $failed -ne 0 ]]; then
  echo "bench/actors.sh: some programs failed; see the FAIL lines above" >&2
  exit 1
fi
exit 0

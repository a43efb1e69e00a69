#!/usr/bin/env bash
# Runs the Weft benchmarks and their Erlang/OTP peers, then prints one table:
# workload, Weft figures (stackless, blocking), Erlang figure, Weft/Erlang
# ratios and the design targets with met / not met.
#
# Usage: bench/run.sh BUILD_DIR        (`make bench` calls it with build-release)
#
# Reads  BUILD_DIR/bench/runtime_bench  (RESULT <key> <value> <unit> lines)
#        BUILD_DIR/bench/sched_bench    (the same; scheduler fairness and wake-ups)
#        BUILD_DIR/bench/codec_bench    (Google Benchmark, output shown as is)
# Builds bench/erlang/*.erl into BUILD_DIR/bench/erlang and runs each peer
# workload in its own `erl`.  All RESULT lines end up in
# BUILD_DIR/bench/results.txt.  Missing programs or keys show as n/a.
#
# Then runs bench/interp.sh BUILD_DIR: the script interpreter against CPython
# and Lua (bench/interp/), with its own table, and heap_bench's figures; and
# bench/actors.sh BUILD_DIR: script actors against Erlang/OTP and CPython
# (bench/actors/), with its own table; and bench/cluster.sh BUILD_DIR: two
# nodes over loopback against two Erlang/OTP nodes (bench/cluster/); and
# bench/io.sh BUILD_DIR: file system calls and child processes against CPython;
# and bench/io_echo.sh BUILD_DIR: a TCP echo server against Erlang/OTP and asyncio;
# and bench/json.sh BUILD_DIR: json.loads/dumps of a 50 MB document against CPython;
# and bench/re.sh BUILD_DIR: the re module against CPython's re and grep/sed.
#
# Exit status: 2 on bad usage or missing erl/erlc; 1 if a program that exists
# failed or interp.sh or actors.sh failed (the tables are still printed); 0 otherwise.
# Unmet targets do not fail.
#
# Environment: BIN_RATIO_MIN (default 0.5) is the least ratio of 1 MiB binary
# sends/s to the same back-and-forth with a small tuple that counts as "as cheap
# as a small message"; RUNTIME_BENCH_TIMEOUT
# and ERL_TIMEOUT (seconds, default 900 and 300) bound each program;
# ERL_PEERS="ring small" runs only those Erlang workloads; INTERP_RUNS and
# INTERP_TIMEOUT go to bench/interp.sh.
set -uo pipefail

usage() { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
[[ $# -eq 1 ]] || usage
build=$1
[[ -d $build ]] || { echo "bench/run.sh: build dir '$build' does not exist (run make bench)" >&2; exit 2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bindir=$build/bench
erldir=$bindir/erlang
results=$bindir/results.txt
BIN_RATIO_MIN=${BIN_RATIO_MIN:-0.5}
RUNTIME_BENCH_TIMEOUT=${RUNTIME_BENCH_TIMEOUT:-900}
ERL_TIMEOUT=${ERL_TIMEOUT:-300}

for tool in erl erlc; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "bench/run.sh: '$tool' not found: Erlang/OTP is needed for the peer benchmarks;" \
         "run scripts/install-deps.sh --bench" >&2
    exit 2
  fi
done

mkdir -p "$erldir" || exit 2
# A crashing peer writes its dump here, not into the current directory.
export ERL_CRASH_DUMP="$erldir/erl_crash.dump"
: >"$results" || exit 2
failed=0
note() { echo "== $*"; }

# Show a program's output as it comes; keep its well-formed RESULT lines.
collect() { awk -v out="$results" '{ print; fflush() } $1 == "RESULT" && NF >= 4 { print >> out }'; }

# Runs BUILD_DIR/bench/PROGRAM, keeping its RESULT lines; says MISSING when it
# was not built. A failure is noted and the other benchmarks still run.
run_program() {
  local program=$1 missing=$2
  if [[ ! -x $bindir/$program ]]; then
    note "$bindir/$program not found: $missing"
    return
  fi
  note "running $bindir/$program"
  timeout "$RUNTIME_BENCH_TIMEOUT" "$bindir/$program" | collect
  local rc=${PIPESTATUS[0]}
  if [[ $rc -ne 0 ]]; then
    echo "bench/run.sh: $program failed (exit $rc)" >&2
    failed=1
  fi
}

# --- Weft runtime benchmark -------------------------------------------------
run_program runtime_bench "Weft figures will show n/a"

# --- scheduler benchmark: fairness, wake-ups, one-way stream -------------------------
run_program sched_bench "scheduler figures will show n/a"

# --- Erlang peers -------------------------------------------------------------
note "compiling bench/erlang into $erldir"
if ! erlc -o "$erldir" "$here"/erlang/*.erl; then
  echo "bench/run.sh: erlc failed" >&2
  exit 1
fi
otp=$(erl -noshell -eval 'io:format("~s ~s", [erlang:system_info(otp_release), erlang:system_info(emu_flavor)]), halt().' 2>/dev/null)

# workload : extra erl flags.  +S 1 for the one-pair workloads: the native
# one-pair figures are on one thread, and a lone pair of Erlang processes is
# fastest (and steadiest) on one scheduler; the _pairs and _all rows and spawn
# use every scheduler.
peers=(
  "pingpong:+S 1"
  "pingpong_pairs:"
  "ring:+S 1"
  "ring_all:"
  "spawn_idle:+P 2000000"
  "binary:+S 1"
  "list:+S 1"
  "small:+S 1"
  "small_all:+S 2"
)
for p in "${peers[@]}"; do
  w=${p%%:*}
  if [[ -n ${ERL_PEERS:-} && " $ERL_PEERS " != *" $w "* ]]; then continue; fi
  read -r -a flags <<<"${p#*:}"
  note "running Erlang peer: $w (erl ${flags[*]:-with all schedulers})"
  timeout "$ERL_TIMEOUT" erl -noshell "${flags[@]}" -pa "$erldir" \
      -s weft_peer "$w" -s init stop </dev/null | collect
  rc=${PIPESTATUS[0]}
  if [[ $rc -ne 0 ]]; then
    echo "bench/run.sh: Erlang peer '$w' failed (exit $rc)" >&2
    failed=1
  fi
done

# --- codec benchmark ------------------------------------------------------------
if [[ -x $bindir/codec_bench ]]; then
  note "running $bindir/codec_bench"
  echo
  echo "codec_bench (Google Benchmark)"
  echo "------------------------------"
  if ! timeout "$RUNTIME_BENCH_TIMEOUT" "$bindir/codec_bench" --benchmark_min_time=0.2; then
    echo "bench/run.sh: codec_bench failed" >&2
    failed=1
  fi
else
  note "$bindir/codec_bench not found: skipped"
fi

# --- the table --------------------------------------------------------------------
echo
echo "Weft vs Erlang/OTP ${otp:-?}   ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -m))"
echo "[1] = one thread / erl +S 1; other rows use all cores / schedulers. Higher is better except bytes."
echo
awk -v binmin="$BIN_RATIO_MIN" '
  $1 == "RESULT" { val[$2] = $3 + 0; have[$2] = 1; unit[$2] = $4 }

  function num(k)     { return (k in have) ? sprintf("%.0f", val[k]) : "n/a" }
  function ratio(a, b) {
    if (!(a in have) || !(b in have) || val[b] == 0) return "n/a"
    return sprintf("%.2fx", val[a] / val[b])
  }
  # status strings: met / NOT met / n/a, with the measured quantity
  function st(ok, detail) { return (ok ? "met" : "NOT met") " (" detail ")" }
  function t_times(w, e, n) {            # Weft >= n x Erlang
    if (!(w in have) || !(e in have) || val[e] == 0) return "n/a"
    return st(val[w] >= n * val[e], sprintf("%.2fx", val[w] / val[e]))
  }
  function t_atleast(w, lim) {
    if (!(w in have)) return "n/a"
    return st(val[w] >= lim, sprintf("%.0f", val[w]))
  }
  function t_atmost(w, lim) {
    if (!(w in have)) return "n/a"
    return st(val[w] <= lim, sprintf("%.0f B", val[w]))
  }
  function t_ratio(a, b, lim) {          # a / b >= lim, both Weft
    if (!(a in have) || !(b in have) || val[b] == 0) return "n/a"
    return st(val[a] >= lim * val[b], sprintf("%.2fx", val[a] / val[b]))
  }

  function row(label, suffix, u, target, s_status, b_status,    s, b, e) {
    s = "stackless." suffix; b = "blocking." suffix; e = "erlang." suffix
    used[s] = used[b] = used[e] = 1
    printf "%-30s %-9s %12s %12s %12s %9s %9s  %-26s %-22s %s\n", label, u, \
      num(s), num(b), num(e), ratio(s, e), ratio(b, e), target, s_status, b_status
  }

  END {
    printf "%-30s %-9s %12s %12s %12s %9s %9s  %-26s %-22s %s\n", "workload", "unit", \
      "stackless", "blocking", "erlang", "S/erlang", "B/erlang", "target", "stackless", "blocking"
    print dashes(172)
    row("ping-pong, 1 pair [1]", "pingpong_rt_per_s", "rt/s", ">= 4x Erlang",
        t_times("stackless.pingpong_rt_per_s", "erlang.pingpong_rt_per_s", 4),
        t_times("blocking.pingpong_rt_per_s", "erlang.pingpong_rt_per_s", 4))
    row("ping-pong, pairs, all cores", "pingpong_pairs_rt_per_s", "rt/s", "-", "-", "-")
    row("ring 10k x 1000 laps [1]", "ring_hops_per_s", "hops/s", ">= 4x Erlang",
        t_times("stackless.ring_hops_per_s", "erlang.ring_hops_per_s", 4),
        t_times("blocking.ring_hops_per_s", "erlang.ring_hops_per_s", 4))
    row("ring 10k x 1000, all cores", "ring_hops_per_s_all", "hops/s", "-", "-", "-")
    row("spawn 1M idle", "spawn_per_s", "spawns/s", ">= 1000000/s (1M < 1 s)",
        t_atleast("stackless.spawn_per_s", 1000000),
        t_atleast("blocking.spawn_per_s", 1000000))
    row("idle actor memory", "idle_bytes", "bytes", "S <= 512 B, B <= 8192 B",
        t_atmost("stackless.idle_bytes", 512),
        t_atmost("blocking.idle_bytes", 8192))
    row("idle memory, process heaps", "idle_bytes_proc", "bytes", "-", "-", "-")
    row("1 MiB binary back+forth [1]", "binary_1mib_sends_per_s", "msgs/s",
        sprintf(">= %gx same with small", binmin),
        t_ratio("stackless.binary_1mib_sends_per_s", "stackless.small_back_and_forth_sends_per_s", binmin),
        t_ratio("blocking.binary_1mib_sends_per_s", "blocking.small_back_and_forth_sends_per_s", binmin))
    row("small tuple back+forth [1]", "small_back_and_forth_sends_per_s", "msgs/s", "-", "-", "-")
    row("10k-int list back+forth [1]", "list_10k_sends_per_s", "msgs/s", "-", "-", "-")
    row("small tuple one way [1]", "small_sends_per_s", "msgs/s", "-", "-", "-")

    n = 0
    # sched.* and the +S 2 stream have their own table below.
    for (k in have) if (!(k in used) && k !~ /^sched\./ && k != "erlang.small_sends_per_s_all") extra[++n] = k
    if (n > 0) {
      print ""
      print "other figures:"
      # simple insertion sort, portable awk
      for (i = 2; i <= n; i++) { x = extra[i]; for (j = i - 1; j >= 1 && extra[j] > x; j--) extra[j + 1] = extra[j]; extra[j + 1] = x }
      for (i = 1; i <= n; i++) printf "  %-44s %14s %s\n", extra[i], num(extra[i]), unit[extra[i]]
    }
    if (("erlang.binary_1mib_sends_per_s" in have) && ("erlang.small_sends_per_s" in have))
      printf "\nfor reference, Erlang binary/small sends/s = %s (refc binaries, sent by reference)\n", \
        ratio("erlang.binary_1mib_sends_per_s", "erlang.small_sends_per_s")
  }
  function dashes(n,   s) { s = ""; while (n-- > 0) s = s "-"; return s }
' "$results"

echo
echo "Scheduler: fairness, wake-ups, one-way stream (sched_bench; Erlang: weft_peer small, +S 1 and +S 2)"
echo
awk '
  $1 == "RESULT" { val[$2] = $3 + 0; have[$2] = 1 }
  function num(k, f) { return (k in have) ? sprintf(f, val[k]) : "n/a" }
  function st(ok, detail) { return (ok ? "met" : "NOT met") " (" detail ")" }
  function at_most(k, lim, f) { if (!(k in have)) return "n/a"; return st(val[k] <= lim, sprintf(f, val[k])) }
  function ratio(a, b) { if (!(a in have) || !(b in have) || val[b] == 0) return "n/a"; return sprintf("%.2fx", val[a] / val[b]) }
  function at_least_peer(a, b) {
    if (!(a in have) || !(b in have) || val[b] == 0) return "n/a"
    return st(val[a] >= val[b], sprintf("%.2fx", val[a] / val[b]))
  }
  function row(label, unit, w, e, target, status) {
    printf "%-44s %-8s %12s %12s %8s  %-22s %s\n", label, unit, num(w, "%.1f"), (e == "-" ? "-" : num(e, "%.0f")), \
      (e == "-" ? "-" : ratio(w, e)), target, status
  }
  END {
    printf "%-44s %-8s %12s %12s %8s  %-22s %s\n", "workload", "unit", "weft", "erlang", "ratio", "target", "status"
    row("runaway 3 s + ticker 100 ms, blocking [2]", "ms", "sched.ticker_blocking_worst_excess_ms", "-",
        "<= 10 ms past 100 ms", at_most("sched.ticker_blocking_worst_excess_ms", 10, "%.1f ms"))
    row("runaway 3 s + ticker 100 ms, stackless [2]", "ms", "sched.ticker_stackless_worst_excess_ms", "-",
        "<= 10 ms past 100 ms", at_most("sched.ticker_stackless_worst_excess_ms", 10, "%.1f ms"))
    row("wake from outside, blocking, median [2]", "us", "sched.wake_blocking_median_us", "-",
        "<= 20 us", at_most("sched.wake_blocking_median_us", 20, "%.1f us"))
    row("wake from outside, blocking, p99 [2]", "us", "sched.wake_blocking_p99_us", "-", "-", "-")
    row("wake from outside, stackless, median [2]", "us", "sched.wake_stackless_median_us", "-",
        "<= 20 us", at_most("sched.wake_stackless_median_us", 20, "%.1f us"))
    row("wake from outside, stackless, p99 [2]", "us", "sched.wake_stackless_p99_us", "-", "-", "-")
    row("stream 1M, stackless counter, 1 thread", "msgs/s", "sched.stream_stackless_t1_msgs_per_s",
        "erlang.small_sends_per_s", "-", "-")
    row("stream 1M, stackless counter, 2 threads", "msgs/s", "sched.stream_stackless_t2_msgs_per_s",
        "erlang.small_sends_per_s_all", ">= Erlang +S 2",
        at_least_peer("sched.stream_stackless_t2_msgs_per_s", "erlang.small_sends_per_s_all"))
    row("stream 1M, blocking counter, 1 thread", "msgs/s", "sched.stream_blocking_t1_msgs_per_s",
        "erlang.small_sends_per_s", "-", "-")
    row("stream 1M, blocking counter, 2 threads", "msgs/s", "sched.stream_blocking_t2_msgs_per_s",
        "erlang.small_sends_per_s_all", ">= Erlang +S 2",
        at_least_peer("sched.stream_blocking_t2_msgs_per_s", "erlang.small_sends_per_s_all"))
    printf "\nstream, 2 threads / 1 thread: stackless %s, blocking %s, Erlang +S 2 / +S 1 %s\n", \
      ratio("sched.stream_stackless_t2_msgs_per_s", "sched.stream_stackless_t1_msgs_per_s"), \
      ratio("sched.stream_blocking_t2_msgs_per_s", "sched.stream_blocking_t1_msgs_per_s"), \
      ratio("erlang.small_sends_per_s_all", "erlang.small_sends_per_s")
    print "[2] = 2 worker threads. Ratios are Weft / Erlang from this run."
  }
' "$results"
echo
echo "all RESULT lines: $results"

# --- tools without a peer: what tracing and the observer cost ------------------------
#   trace_bench    the message tracer, off and on (ping-pong, a 10M-message stream)
#   observe_bench  a snapshot of 10,000 and 100,000 actors for weft top and the observer
for tool in trace_bench observe_bench; do
  echo
  run_program "$tool" "no figures for it"
done

# --- the suites with tables of their own -------------------------------------------
#   interp.sh   the script interpreter vs CPython and Lua
#   actors.sh   script actors vs Erlang/OTP and CPython
#   cluster.sh  two nodes over loopback vs Erlang/OTP's distribution
#   io.sh       files, the dependency scan and child processes vs CPython and cat
#   io_echo.sh  a TCP echo server vs Erlang/OTP's gen_tcp and CPython's asyncio
#   json.sh     json.loads and json.dumps of a 50 MB document vs CPython
#   re.sh       the re module on a 100 MB log vs CPython's re, grep -E and sed -E
for suite in interp actors cluster io io_echo json re; do
  echo
  note "running bench/$suite.sh $build"
  "$here/$suite.sh" "$build"
  rc=$?
  if [[ $rc -ne 0 ]]; then
    echo "bench/run.sh: bench/$suite.sh failed (exit $rc)" >&2
    failed=1
  fi
done

if [[ $failed -ne 0 ]]; then
  echo "bench/run.sh: some benchmark programs failed; see the messages above" >&2
  exit 1
fi
exit 0

"""CPython peer of bench/actors/parallel_map.weft: the same CPU-bound map (a
list of ITEMS copies of N, each mapped to a naive recursive fib(N)) over
WORKERS threads of a concurrent.futures.ThreadPoolExecutor.

Usage: /usr/bin/python3 parallel_map_threads.py WORKERS [N [ITEMS [RUNS]]]
       (defaults: 2 workers, N = 26, ITEMS = 32, RUNS = 3)
Prints  RESULT python.parallel_map_threads_s <seconds> s  (the best wall time
of RUNS runs) and a human line. bench/actors.sh runs it with 1 and 2 workers
and divides the two times: the GIL lets one thread run Python code at a time,
so expect no speed-up. Each timed run includes creating and shutting down the
pool.
"""
import sys
import time
from concurrent.futures import ThreadPoolExecutor


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def map_once(workers, data):
    t0 = time.monotonic()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(fib, data))
    return time.monotonic() - t0, sum(results)


def main(argv):
    workers = int(argv[0]) if len(argv) > 0 else 2
    n = int(argv[1]) if len(argv) > 1 else 26
    items = int(argv[2]) if len(argv) > 2 else 32
    runs = int(argv[3]) if len(argv) > 3 else 3
    timed = [map_once(workers, [n] * items) for _ in range(runs)]
    best = min(t for t, _ in timed)
    sums = sorted({s for _, s in timed})
    print(f"RESULT python.parallel_map_threads_s {best:.4f} s")
    print(f"python threads parallel_map: {items} x fib({n}) on {workers} threads:"
          f" best {best:.3f} s of {[round(t, 3) for t, _ in timed]} (checksum {sums})",
          flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])

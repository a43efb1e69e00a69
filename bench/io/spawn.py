# The same work as spawn.weft in CPython: N runs of `true`, from W threads.
# Usage: python3 spawn.py N WORKERS
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

def runs(n):
    for _ in range(n):
        subprocess.run(["true"])

def main():
    n, workers = int(sys.argv[1]), int(sys.argv[2])
    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(runs, [n // workers] * workers))
    seconds = time.perf_counter() - start
    print("RESULT io_spawn_w%d %d runs/s" % (workers, int(n / seconds)))

main()

# The same work as scan_tree.weft in CPython: read every file under a folder
# and count its #include lines, in one thread or in a thread pool of W (the
# GIL is released while reading, held while searching), or with
# `processes` in a multiprocessing.Pool of W (no shared lock, but every
# result crosses a pipe).
# Usage: python3 scan_tree.py ROOT WORKERS [processes]
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from multiprocessing import Pool

def includes_in(path):
    count = 0
    with open(path, errors="replace") as f:
        for line in f.read().split("\n"):
            if line.startswith("#include"):
                count += 1
    return count

def total_of(paths):
    return sum(includes_in(p) for p in paths)

def main():
    root, workers = sys.argv[1], int(sys.argv[2])
    processes = sys.argv[3:] == ["processes"]
    files = [os.path.join(d, n) for d, _, names in os.walk(root) for n in names]
    start = time.perf_counter()
    if processes:
        with Pool(workers) as pool:
            total = sum(pool.map(total_of, [files[k::workers] for k in range(workers)]))
    elif workers == 1:
        total = total_of(files)
    else:
        with ThreadPoolExecutor(workers) as pool:
            total = sum(pool.map(total_of, [files[k::workers] for k in range(workers)]))
    seconds = time.perf_counter() - start
    print("files", len(files), "includes", total)
    key = "io_scan_p%d" if processes else "io_scan_w%d"
    print("RESULT", key % workers, int(len(files) / seconds), "files/s")

main()

# The same work as stat_tree.weft in CPython: os.stat of every file under a
# folder, in one thread or in a thread pool of W (the GIL is released in stat).
# Usage: python3 stat_tree.py ROOT WORKERS
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

def total_of(paths):
    return sum(os.stat(p).st_size for p in paths)

def main():
    root, workers = sys.argv[1], int(sys.argv[2])
    files = [os.path.join(d, n) for d, _, names in os.walk(root) for n in names]
    start = time.perf_counter()
    if workers == 1:
        total = total_of(files)
    else:
        with ThreadPoolExecutor(workers) as pool:
            total = sum(pool.map(total_of, [files[k::workers] for k in range(workers)]))
    seconds = time.perf_counter() - start
    print("files", len(files), "bytes", total)
    print("RESULT io_stat_w%d %d files/s" % (workers, int(len(files) / seconds)))

main()

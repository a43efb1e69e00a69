# json.loads and json.dumps of one document (bench/json.sh), the best of
# three runs of each, against the Weft program loads_dumps.weft.
# Usage: python3 loads_dumps.py PATH
import json
import sys
import time


def best(f, runs=3):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        text = f.read()
    megabytes = len(text.encode()) / 1e6
    value = json.loads(text)
    t_loads = best(lambda: json.loads(text))
    t_dumps = best(lambda: json.dumps(value))
    print("records", value["count"], "MB", round(megabytes, 1), "same", json.dumps(value) == text)
    print("RESULT json_loads", round(megabytes / t_loads), "MB/s")
    print("RESULT json_dumps", round(megabytes / t_dumps), "MB/s")


main()

#!/usr/bin/python3
"""Writes the json benchmark's document (bench/json.sh): about MB megabytes of
records like an API's answer (ints, floats, strings with some non-ASCII,
booleans, nulls, nested lists and dicts), the same bytes every run.

    make_doc.py PATH [MB]        (default 50)
"""
import json
import random
import sys


def record(rng, k):
    return {
        "id": k,
        "uuid": "%032x" % rng.getrandbits(128),
        "name": "user %d" % k,
        "city": rng.choice(["Paris", "Zürich", "東京", "New York", "São Paulo"]),
        "score": rng.random() * 1000,
        "balance": round(rng.uniform(-1e6, 1e6), 2),
        "active": rng.random() < 0.5,
        "manager": None if k % 3 else k // 3,
        "tags": [rng.choice(["a", "b", "c", "d"]) * rng.randint(1, 8) for _ in range(rng.randint(0, 5))],
        "history": [{"t": 1700000000 + j * 60, "v": rng.randint(0, 10 ** 6)} for j in range(rng.randint(1, 4))],
        "note": "line one\nline \"two\"\tand a tab",
    }


def main():
    path = sys.argv[1]
    megabytes = float(sys.argv[2]) if len(sys.argv) > 2 else 50
    rng = random.Random(2026)
    records, size, k = [], 0, 0
    while size < megabytes * 1e6:
        r = record(rng, k)
        size += len(json.dumps(r)) + 2
        records.append(r)
        k += 1
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"count": len(records), "records": records}, f)


main()

#!/usr/bin/python3
# make_log.py PATH MB: writes a web server's log of about MB megabytes
# (ASCII, one request a line) for bench/re.sh. Deterministic: the same
# bytes every run, so Weft, CPython and grep read the very same file.
import random
import sys

path, mb = sys.argv[1], int(sys.argv[2])
rng = random.Random(20261203)
levels = ["INFO"] * 17 + ["WARN"] * 2 + ["ERROR"]
paths = ["/api/v1/items/", "/api/v1/users/", "/static/img/", "/login", "/search?q="]
users = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"]
target = mb * 1000 * 1000
written = 0
with open(path, "w") as out:
    chunk = []
    while written < target:
        line = "2026-12-%02dT%02d:%02d:%02d.%03d %s [worker-%d] GET %s%d %d %dms user=%s@example.com ip=10.%d.%d.%d\n" % (
            rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59), rng.randint(0, 999),
            rng.choice(levels), rng.randint(1, 64), rng.choice(paths), rng.randint(1, 99999),
            rng.choice([200, 200, 200, 304, 404, 500]), rng.randint(1, 5000), rng.choice(users),
            rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255))
        chunk.append(line)
        written += len(line)
        if len(chunk) == 10000:
            out.write("".join(chunk))
            chunk = []
    out.write("".join(chunk))

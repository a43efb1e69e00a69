# re_log.py LOG: CPython's re on a large log, the peer of re_log.weft (the
# same patterns, the same work): findall of every IPv4 address, findall of
# every (user, status) of the ERROR lines, and sub of every address. Prints
# `RESULT <key> <value> <unit>` lines.
import re
import sys
import time

IP = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+")
ERROR = re.compile(r"ERROR \[worker-[0-9]+\] GET \S+ ([0-9]+) [0-9]+ms user=([a-z]+)@")


def timed(f):
    start = time.perf_counter()
    result = f()
    return result, time.perf_counter() - start


def main(args):
    with open(args[0]) as f:
        text = f.read()
    mb = len(text) / 1e6
    ips, t1 = timed(lambda: IP.findall(text))
    errors, t2 = timed(lambda: ERROR.findall(text))
    masked, t3 = timed(lambda: IP.subn("IP", text))
    print("addresses", len(ips), "errors", len(errors), "replaced", masked[1], "length", len(masked[0]))
    print("RESULT re_findall_ip", round(mb / t1, 1), "MB/s")
    print("RESULT re_findall_error", round(mb / t2, 1), "MB/s")
    print("RESULT re_sub_ip", round(mb / t3, 1), "MB/s")


main(sys.argv[1:])

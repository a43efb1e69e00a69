"""CPython peer of bench/actors/pingpong.weft: one pair of threads playing
ping-pong over two queue.Queue objects. The pinger puts ("ping", i) on one
queue and waits on the other for ("pong", i); N round trips after a warm-up
of N/20.

Usage: /usr/bin/python3 pingpong_threads.py [N]     (default N = 50,000)
Prints  RESULT python.pingpong_threads_rt_per_s <round trips per s> rt/s
and a human line. Every hand-over is a lock/condition wake-up of the other
thread plus a GIL hand-over, so this is an OS-thread context-switch benchmark.
"""
import queue
import sys
import threading
import time


def pong(inbox, outbox):
    while True:
        msg = inbox.get()
        if msg == "stop":
            return
        _, i = msg
        outbox.put(("pong", i))


def pingpong(n):
    to_pong = queue.Queue()
    to_ping = queue.Queue()
    t = threading.Thread(target=pong, args=(to_pong, to_ping))
    t.start()
    t0 = time.monotonic()
    for i in range(1, n + 1):
        to_pong.put(("ping", i))
        reply = to_ping.get()
        if reply != ("pong", i):
            raise RuntimeError(f"unexpected reply {reply!r}")
    secs = time.monotonic() - t0
    to_pong.put("stop")
    t.join()
    return max(secs, 1e-9)


def main(argv):
    n = int(argv[0]) if argv else 50_000
    pingpong(max(n // 20, 1))  # warm-up
    secs = pingpong(n)
    rate = n / secs
    print(f"RESULT python.pingpong_threads_rt_per_s {rate:.0f} rt/s")
    print(f"python threads ping-pong: {n} round trips in {secs:.3f} s = {rate:.0f} rt/s",
          flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])

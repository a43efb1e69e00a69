# loop: 10^8 integer additions in a for-range loop (100 rounds of 10^6, so the
# total, 49,999,950,000,000, stays an unboxed small int in Weft; a single
# 10^8 loop would pass 2^47 and measure bignum additions instead).
# loop.weft and loop.py are the same program (the .py adds main([])); loop.lua the same algorithm.

def run(rounds, n):
    total = 0
    for r in range(rounds):
        for i in range(n):
            total += i
    return total


def main(args):
    print("loop", run(100, 1000000))


import sys; main(sys.argv[1:])

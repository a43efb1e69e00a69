# dict: build a dict of 10^6 int -> int entries (d[i] = i * 2), then sum the
# values by iterating over the keys and looking each one up.
# Measures dict insertion (with growth), key iteration and lookup.
# dict.weft and dict.py are the same program (the .py adds main([])); dict.lua the same algorithm.

def run(n):
    d = {}
    for i in range(n):
        d[i] = i * 2
    count = 0
    total = 0
    for k in d:
        total += d[k]
        count += 1
    return count, total


def main(args):
    count, total = run(1000000)
    print("dict", count, total)


import sys; main(sys.argv[1:])

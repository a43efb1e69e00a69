# sort: 10^6 pseudo-random ints from the MINSTD Lehmer generator
# (x = x * 48271 % 2147483647, seed 42; products stay below 2^47), sorted in
# place with the language's own sort; prints first, middle and last.
# Measures the built-in sort on ints plus a tight generator loop.
# sort.weft and sort.py are the same program (the .py adds main([])); sort.lua the same algorithm.

def run(n):
    x = 42
    a = []
    for i in range(n):
        x = x * 48271 % 2147483647
        a.append(x)
    a.sort()
    return a[0], a[n // 2], a[n - 1]


def main(args):
    first, middle, last = run(1000000)
    print("sort", first, middle, last)


import sys; main(sys.argv[1:])

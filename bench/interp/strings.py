# strings: build a list of 10^6 short strings (str(i)), join them with ","
# into one string, split it back and sum the parts' lengths and int values.
# Measures int <-> str conversion, list append, join, split, small-str allocation.
# strings.weft and strings.py are the same program (the .py adds main([])); strings.lua the same algorithm.

def run(n):
    parts = []
    for i in range(n):
        parts.append(str(i))
    s = ",".join(parts)
    pieces = s.split(",")
    total_len = 0
    total = 0
    for p in pieces:
        total_len += len(p)
        total += int(p)
    return len(s), len(pieces), total_len, total


def main(args):
    size, count, total_len, total = run(1000000)
    print("strings", size, count, total_len, total)


import sys; main(sys.argv[1:])

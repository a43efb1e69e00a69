# Makes the source tree that bench/io.sh scans: N C files (default 10000) in
# 100 folders, each with a few #include lines among 40 lines, as
# examples/depscan.weft makes its own. Usage: python3 make_tree.py DIR [N]
import os
import sys

root, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10000
for k in range(n):
    folder = os.path.join(root, "mod%d" % (k % 100))
    os.makedirs(folder, exist_ok=True)
    lines = ["// generated file %d" % k]
    lines += ["#include <lib/h%d.h>" % ((k * j + j) % 200) for j in range(1, 2 + k % 6)]
    lines.append("int f%d(int x) { return x * %d; }" % (k, k))
    with open(os.path.join(folder, "file%d.c" % k), "w") as out:
        out.write("\n".join(lines) + "\n" + "// filler\n" * 40)

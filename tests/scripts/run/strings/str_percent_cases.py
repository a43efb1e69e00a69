#!/usr/bin/python3
# str_percent_cases.py: writes str_percent_table.weft here, a table of
# `format % args` cases (str and bytes formats) (every conversion with flags, widths and
# precisions, `*`, `%(key)s`, and the errors) with the output CPython 3.11
# gives as its expectations: the program is valid Python too, runs here
# under /usr/bin/python3, and what it prints becomes its `# expect:` lines.
#
#     /usr/bin/python3 tests/scripts/run/strings/str_percent_cases.py
#
# Run it again after changing the cases below; never edit the .weft file by
# hand.
import contextlib
import io
import itertools
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def literal(v):
    """v as source text that Weft and Python read alike."""
    if isinstance(v, float):
        if math.isnan(v):
            return 'float("nan")'
        if math.isinf(v):
            return 'float("inf")' if v > 0 else 'float("-inf")'
        return repr(v)
    if isinstance(v, tuple):
        return "(" + "".join(literal(x) + ", " for x in v) + ")"
    if isinstance(v, list):
        return "[" + ", ".join(literal(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(literal(k) + ": " + literal(x) for k, x in v.items()) + "}"
    return repr(v)


ints = [0, 7, -7, 255, -255, 2 ** 64 + 1, -(2 ** 70), True]
floats = [0.0, -0.0, 1.5, -2.25, 3.14159, 1e10, 1.5e-7, 1e300, 123456.789, float("inf"), float("-inf"), float("nan")]
cases = []
for conv in "dioxXu":
    for flags, shape in itertools.product(["", "+", "#", "0", "-", " ", "#0", "-#"], ["", "6", ".3", "8.4"]):
        for v in ([-255, 7] if flags or shape else ints + [3.99, -3.99]):
            cases.append(("%" + flags + shape + conv, v))
for conv in "eEfFgG":
    for flags, shape in itertools.product(["", "+", "#", "0", "-", " ", "#0"], ["", "10", ".0", "12.3", ".12"]):
        for v in ([-2.25, 1e10, float("inf")] if flags or shape else floats + [3, -(2 ** 60)]):
            cases.append(("%" + flags + shape + conv, v))
for v in ["abc", "héllo", 42, 1.5, None, [1, "x"], (1,), {"k": 2}, b"by", True, "it's"]:
    for spec in ["%s", "%r", "%a", "%10s", "%-10s|", "%.2s", "%8.3r", "%05s", "%+s", "%.0s"]:
        cases.append((spec, (v,)))
for v in [65, 0x263A, "x", "é", 0, True]:
    for spec in ["%c", "%3c", "%-3c|", "%.0c", "%03c"]:
        cases.append((spec, v))
cases += [
    ("%s and %r", ("a", "b")), ("%d%%", 50), ("100%%", ()), ("%%", ()), ("a%%b%%c", ()),
    ("%(name)s is %(age)d", {"name": "Ann", "age": 30}), ("%(a)s %(a)r", {"a": "x"}),
    ("%(x)05.1f|%(y)-4d|", {"x": 3.14159, "y": 7}), ("%((a))s", {"(a)": 1}), ("%(a)s", {"a": 1, "b": 2}),
    ("%s", {"a": 1}), ("%s %(a)s", {"a": 1}), ("%*d|", (6, 42)), ("%-*d|", (6, 42)), ("%*d|", (-6, 42)),
    ("%.*f", (2, 3.14159)), ("%*.*f|", (10, 3, 2.5)), ("%.*s", (-1, "abc")), ("%.*s", (2, "abc")),
    ("%ld %hi %Lf", (1, 2, 3.5)), ("%5%", ()), ("plain", ()), ("plain", {}), ("plain", []),
    ("%s", ()), ("%s %s", (1,)), ("%s", (1, 2)), ("plain", 5), ("plain", "x"), ("%s", [1, 2]),
    ("%s", "str"), ("%s", ((1, 2),)), ("%d %s", (1, "a")), ("%y", 1), ("%z", 1), ("%é", 1), ("%\x01", 1),
    ("%", "a"), ("abc%", 1), ("%(a", {"a": 1}), ("%(a)s", 1), ("%(a)s", {}), ("%(a)s", [1]),
    ("%d", "a"), ("%x", 3.0), ("%x", "a"), ("%o", 1.5), ("%d", None), ("%d", [1]), ("%i", 1.5e300),
    ("%d", float("inf")), ("%d", float("nan")), ("%f", "a"), ("%e", None), ("%g", [1]), ("%f", 10 ** 400),
    ("%c", "ab"), ("%c", ""), ("%c", 0x110000), ("%c", -1), ("%c", 2 ** 70), ("%c", 1.5), ("%c", None),
    ("%*d", ("a", 3)), ("%.*d", (1.5, 3)), ("%*d", (5,)), ("%d %d", [1, 2]), ("%s %s", "ab"),
    ("%.100f", 1.0), ("%.50e", 1 / 3), ("%#.0f", 3.0), ("%#.0e", 3.0), ("%#g", 0.0), ("%.0g", 0.5),
    ("%#x", 0), ("%#o", 0), ("%.0d", 0), ("%.0x", 0), ("%#.3o", 8), ("%-08.3x|", 255), ("%+.3d", 5),
    ("% 05d", 42), ("%+05d", -42), ("%0-5d|", 3), ("%#010X", 0xBEEF), ("%-#10o|", 8), ("%020.10e", 1.5),
    ("%s é %s", ("ü", "✓")), ("%-6s|", "✓✓"), ("%6.1s|", "✓✓"), ("%r", "é\n"), ("%a", "é\n✓"),
    ("%s", 10 ** 30), ("%x", 2 ** 100), ("%o", -(2 ** 65)), ("%X", -(2 ** 65)), ("%d", -(10 ** 25)),
    ("%.30d", 12345), ("%40.30d|", -12345), ("%u", -3.5), ("%i", True), ("%x", False), ("%e", True),
    ("%s", -0.0), ("%r", 1e22), ("%s", 1e16), ("%g", 1e16), ("%g", 123456789), ("%G", 1.5e-10), ("%.3G", 2 ** 80),
]

# bytes % args: the same machinery, with bytes' own rules.
for v in [b"ab", b"\xff\x00", "str", 5, 2.5, None, [1], (b"t",)]:
    for spec in [b"%s", b"%b", b"%r", b"%a", b"%5s|", b"%-5b|", b"%.1s", b"%d", b"%05.1f", b"%x", b"%c", b"%3c"]:
        cases.append((spec, v if isinstance(v, tuple) else (v,)))
cases += [
    (b"%c", 65), (b"%c", 256), (b"%c", -1), (b"%c", b"xy"), (b"%c", "a"), (b"%(k)s", {b"k": b"v"}),
    (b"%(k)s", {"k": b"v"}), (b"%(k)d|%(j)x", {b"k": 3, b"j": 255}), (b"%y", 1), (b"\xff%\xfe", 1),
    (b"%d %x %o %X", (1, 255, 8, 255)), (b"%#x %+d % d", (255, 3, 3)), (b"%s", [1]), (b"abc", []),
    (b"abc", "s"), (b"abc", b"x"), (b"abc", ()), (b"%", 1), (b"%s %s", (b"a",)), (b"%s", (b"a", b"b")),
    (b"%%", ()), (b"%5.2f%%", 99.5), (b"%*d|", (5, 1)), (b"%(a", {b"a": 1}), (b"%(a)s", 1), (b"%e", 1e100),
    (b"%i", "x"), (b"%s \xe9", b"\xe9"), (b"%r", "\xe9\u263a"),
]


PROGRAM = '''
def show(fmt, args):
    try:
        print(repr(fmt), repr(fmt % args))
    except Exception as e:
        print(repr(fmt), type(e), e)

def main(args):
    for fmt, a in CASES:
        show(fmt, a)
    x = "%s-%s"
    x %= ("a", "b")
    print(x)
    n = 5
    print("%d items" % n, "%5.1f%%" % 99.5)
'''


def main():
    source = "CASES = [\n" + "".join("    (" + literal(f) + ", " + literal(a) + "),\n" for f, a in cases) + "]\n"
    program = source + PROGRAM
    out = io.StringIO()
    scope = {"__name__": "case"}
    with contextlib.redirect_stdout(out):
        exec(compile(program, "<case>", "exec"), scope)
        scope["main"]([])
    lines = out.getvalue().splitlines()
    header = ("# str % args and bytes % args: printf-style formatting, every conversion with flags, widths,\n"
              "# precisions, `*` and %(key)s, and its errors, against CPython 3.11 (made by\n"
              "# str_percent_cases.py with /usr/bin/python3; do not edit by hand).\n")
    text = header + program + "\n" + "".join("# expect: " + line + "\n" for line in lines)
    with open(os.path.join(HERE, "str_percent_table.weft"), "w", encoding="utf-8") as f:
        f.write(text)
    print(len(cases), "cases,", len(lines), "lines", file=sys.stderr)


main()

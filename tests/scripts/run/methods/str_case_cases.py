#!/usr/bin/python3
# str_case_cases.py: writes str_case_every_code_point.weft and
# str_title_swapcase.weft here, with the output CPython 3.11 gives as their
# expectations. Each program is valid Python too: it runs here under
# /usr/bin/python3 (main([]) called as `weft run` calls it) and what it
# prints becomes its `# expect:` lines.
#
#     /usr/bin/python3 tests/scripts/run/methods/str_case_cases.py
#
# Run it again after changing a program below; never edit the .weft files
# by hand.
import contextlib
import io
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# Every code point but the surrogates (a Weft str is valid UTF-8), in
# blocks of 0x8000: one hash per block and method, so a difference shows
# where it lies. The mappings run on the block's characters joined by
# spaces (a space is not cased, so title() starts a word at each one);
# the tests run on each character alone.
EVERY = '''
M = 2 ** 61 - 1

def mix(h, text):
    for c in text:
        h = (h * 1000003 + ord(c)) % M
    return h

def block(lo, hi):
    return [chr(c) for c in range(lo, hi) if c < 0xD800 or c > 0xDFFF]

def main(args):
    tests = [("isalnum", lambda c: c.isalnum()), ("isalpha", lambda c: c.isalpha()),
             ("isdecimal", lambda c: c.isdecimal()), ("isdigit", lambda c: c.isdigit()),
             ("isnumeric", lambda c: c.isnumeric()), ("islower", lambda c: c.islower()),
             ("isupper", lambda c: c.isupper()), ("istitle", lambda c: c.istitle()),
             ("isspace", lambda c: c.isspace()), ("isidentifier", lambda c: c.isidentifier()),
             ("isprintable", lambda c: c.isprintable())]
    maps = [("title", lambda s: s.title()), ("capitalize", lambda s: s.capitalize()),
            ("swapcase", lambda s: s.swapcase()), ("casefold", lambda s: s.casefold()),
            ("upper", lambda s: s.upper()), ("lower", lambda s: s.lower())]
    for lo in range(0, 0x110000, 0x8000):
        chars = block(lo, lo + 0x8000)
        line = []
        for name, test in tests:
            h = 0
            n = 0
            for c in chars:
                if test(c):
                    h = mix(h, c)
                    n += 1
            line.append(name + "=" + str(n) + ":" + str(h))
        text = " ".join(chars)
        for name, f in maps:
            line.append(name + "=" + str(mix(0, f(text))))
        print(hex(lo), " ".join(line))
'''

EXAMPLES = '''
def show(label, thunk):
    try:
        print(label, repr(thunk()))
    except Exception as e:
        print(label, type(e), e)

def main(args):
    words = ["hello world", "HELLO wORLD", "they're bill's friends", "ǆemal ǅemal Ǆemal", "ßtraße",
             "ﬁre ﬂy", "ΣΑΣ ΑΣ Σ", "όσος ΌΣΟΣ", "ǰ", "ŉ", "ᾳ ᾼ", "123abc a1b2", "", " ", "a",
             "İstanbul", "ﬀ", "x_y-z.w", "don't stop", "ΑΣ.", "ǈ", "Ǉ", "ǉ", "Ⅻ ⅻ", "ⓐⓑ Ⓐ", "ß",
             "µ", "ÿ", "ſ", "ﬅ", "K Å", "\\u0345", "a\\u0345b", "Σ\\u0345"]
    for w in words:
        print(repr(w), repr(w.title()), repr(w.capitalize()), repr(w.swapcase()), repr(w.casefold()))
        print(" ", w.islower(), w.isupper(), w.istitle(), w.isalnum(), w.isdecimal(), w.isnumeric(),
              w.isalpha(), w.isdigit(), w.isidentifier(), w.isprintable(), w.isascii())
    for s in ["123", "½", "²", "٣", "①", "一", "Ⅷ", "1.5", "-1", "𝟘", "x1", "_", "1x", "a b", "é",
              "℘", "℮", "·", "a·", "\\t", "\\x7f", "\\xa0", "\\u2028"]:
        print(repr(s), s.isdecimal(), s.isdigit(), s.isnumeric(), s.isalnum(), s.isidentifier(),
              s.isprintable(), s.isascii(), s.isspace())
    print("Hello World".istitle(), "Hello world".istitle(), "HELLO".istitle(), "Hello  World!".istitle(),
          "ǅemal".istitle(), "1A".istitle(), "A1a".istitle(), "aA".istitle())
    show("title arg", lambda: "a".title(1))
    show("capitalize arg", lambda: "a".capitalize(1))
    show("swapcase kw", lambda: "a".swapcase(x=1))
    show("casefold arg", lambda: "a".casefold(1))
    show("islower arg", lambda: "a".islower(1))
    show("isupper arg", lambda: "a".isupper(1))
    show("istitle arg", lambda: "a".istitle(1))
    show("isalnum arg", lambda: "a".isalnum(1))
    show("isdecimal arg", lambda: "a".isdecimal(1))
    show("isnumeric arg", lambda: "a".isnumeric(1))
    show("isidentifier arg", lambda: "a".isidentifier(1))
'''


def python_output(source):
    out = io.StringIO()
    scope = {"__name__": "case"}
    with contextlib.redirect_stdout(out):
        exec(compile(source, "<case>", "exec"), scope)
        scope["main"]([])
    return out.getvalue().splitlines()


def write(name, header, program):
    lines = python_output(program)
    text = header.strip("\n") + "\n" + program.strip("\n") + "\n\n"
    text += "".join("# expect: " + line + "\n" if line else "# expect:\n" for line in lines)
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        f.write(text)
    print(name, len(lines), "lines", file=sys.stderr)


write("str_case_every_code_point.weft", """
# The case methods and character tests of str on every code point (but the
# surrogates), against CPython 3.11 (Unicode 14): hashes per block of
# 0x8000 made by str_case_cases.py with /usr/bin/python3; do not edit.
""", EVERY)
write("str_title_swapcase.weft", """
# title capitalize swapcase casefold and the is...() tests on chosen text
# (titlecase digraphs, final sigma, expanding mappings), against CPython
# 3.11: made by str_case_cases.py with /usr/bin/python3; do not edit.
""", EXAMPLES)

#!/usr/bin/python3
# gen_re_cases.py: writes re_cases.weft, a table of pattern / subject /
# operation cases for the re module whose `# expect:` lines are what CPython
# 3.11 prints for the very same program. Run it again after changing the
# table:  /usr/bin/python3 tests/scripts/lib/gen_re_cases.py
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "re_cases.weft")

# (pattern, flags, subjects): each subject is tried with search, match and
# fullmatch, and findall.
MATCHING = [
    (r"a+", 0, ["caaab", "b", "aaa"]),
    (r"(a)(b)?", 0, ["ac", "ab", "xab"]),
    (r"(?P<first>\w+) (?P<last>\w+)", 0, ["Jane Doe", "x", "Ada  Lovelace"]),
    (r"\d+", 0, ["abc123def45", "", "٣٤٥ and 6"]),
    (r"\w+", 0, ["héllo wörld", "ñ_1 2", "日本語 text"]),
    (r"\w+", "A", ["héllo wörld", "abc_1 é"]),
    (r"\s+", 0, ["a \t\nb", "a\u00a0b", "nospace"]),
    (r"\bcat\b", 0, ["cat concat cat.", "bobcat", "the cat"]),
    (r"^ab", "M", ["ab\nab\ncd", "xab\nab"]),
    (r"ab$", 0, ["ab\n", "ab\nab", "abab"]),
    (r"ab\Z", 0, ["ab\n", "ab", "xab"]),
    (r"\Aab", 0, ["ab", "xab"]),
    (r"a.c", 0, ["a\nc", "abc"]),
    (r"a.c", "S", ["a\nc", "abc"]),
    (r"straße", "I", ["STRASSE", "Straße", "STRAßE"]),
    (r"σ+", "I", ["ΣΣσ", "ς", "abc"]),
    (r"[a-z]+", "I", ["ABCdef", "123"]),
    (r"é", "I", ["É", "e"]),
    (r"k", "I", ["K", "\u212a"]),
    (r"(\w)\1", 0, ["hello", "abc", "aabb"]),
    (r"(?P<q>['\"]).*?(?P=q)", 0, ["say 'hi' and \"bye\"", "no quotes"]),
    (r"x*", 0, ["", "xxaxx", "a"]),
    (r"a|ab", 0, ["ab", "b"]),
    (r"(a|b)*c", 0, ["ababc", "abab"]),
    (r"a{2,3}", 0, ["aaaa", "a", "aaaaaaa"]),
    (r"a{,2}b", 0, ["aaab", "b"]),
    (r"a{2}", 0, ["aaaa"]),
    (r"[^abc]+", 0, ["abcxyzabc", "abc"]),
    (r"[]a]+", 0, ["]a]b", "b"]),
    (r"\u00e9+", 0, ["ééé", "e"]),
    (r"\x41\x42", 0, ["xABy", "ab"]),
    (r"(?i)hello", 0, ["HeLLo", "help"]),
    (r"(?x) a b  c  # comment", 0, ["abc", "a b c"]),
    (r"""
        (\d{3})   # area
        [-.]?
        (\d{4})   # number
     """, "X", ["555-1234", "5551234", "55-1234"]),
    (r"(?<=\$)\d+", 0, ["cost: $42", "42"]),
    (r"(?<!\$)\b\d+", 0, ["$42 and 17", "x"]),
    (r"\d+(?=%)", 0, ["50% of 20", "50"]),
    (r"foo(?!bar)", 0, ["foobar foobaz", "foobar"]),
    (r"(?:ab)+", 0, ["ababab", "aba"]),
    (r"(a)|(b)", 0, ["b", "a", "c"]),
    (r"((a)b)", 0, ["ab"]),
    (r"(?P<x>a)(?P<y>b)?(?P<z>c)", 0, ["ac", "abc"]),
    (r"[\d\s]+", 0, ["12 34x", "x"]),
    (r"\W+", 0, ["hello, world!", "abc"]),
    (r"\D+", 0, ["abc123", "123"]),
    (r"\S+", 0, [" a b ", ""]),
    (r"a*?b", 0, ["aaab", "b"]),
    (r"a++b", 0, ["aaab", "aaa"]),
    (r"(?>a+)b", 0, ["aab", "ac"]),
    (r"😀+", 0, ["x😀😀y", "none"]),
    (r".", 0, ["😀", "é"]),
    (r"[α-ω]+", 0, ["abc αβγ def", "ABC"]),
    (r"\.", 0, ["a.b", "ab"]),
    (r"(?s:a.)b", 0, ["a\nb"]),
    (r"(?i:a)b", 0, ["Ab", "AB"]),
]

# (pattern, flags, subjects) for findall and finditer: group rules.
FINDALL = [
    (r"\w+", 0, ["one two  three", ""]),
    (r"(\w)(\d)?", 0, ["a1b2c", "x"]),
    (r"(\w+)=(\w*)", 0, ["a=1 b= c=3", "none"]),
    (r"(a)|b", 0, ["ab ba"]),
    (r"", 0, ["abc", ""]),
    (r"|a", 0, ["a", "bab"]),
    (r"a*", 0, ["baaac", "aa"]),
    (r"\b", 0, ["a b"]),
    (r"(?P<k>\w)-", 0, ["a-b-c"]),
    (r"\d", 0, ["٣x٤"]),
    (r"[éè]", "I", ["ÉtÈé"]),
]

# (pattern, repl, subject, count) for sub and subn; repl "FN:..." is a function.
SUB = [
    (r"a", "b", "banana", 0),
    (r"a", "b", "banana", 2),
    (r"(\w+) (\w+)", r"\2 \1", "hello world, good day", 0),
    (r"(?P<w>\w+)", r"<\g<w>>", "a bc", 0),
    (r"(\w)", r"\g<1>\g<0>", "ab", 0),
    (r"(a)(b)?", r"[\2]", "a ab", 0),
    (r"x*", "-", "abxd", 0),
    (r"", "-", "abc", 0),
    (r"\s+", " ", "a  b\t\nc", 0),
    (r"(\d+)", r"\1\1", "a1b22", 0),
    (r"a", r"\n\t\\", "xay", 0),
    (r"a", r"\0", "xay", 0),
    (r"a", r"\101", "xay", 0),
    (r"a", r"\.", "xay", 0),
    (r"é", "e", "café éclair", 0),
    (r"a", "b", "aaa", -1),
    (r"(\w+)", "FN:upper", "hello big world", 0),
    (r"\d+", "FN:double", "1 22 333", 0),
    (r"\d+", "FN:double", "1 22 333", 1),
    (r"(?P<n>\d)", "FN:group", "a1b2", 0),
    (r"$", "!", "line\n", 0),
    (r"^", ">", "a\nb", 0),
    (r"(?m)^", ">", "a\nb\n", 0),
    (r"\b", "|", "ab cd", 0),
    (r"(a)|(b)", r"[\1\2]", "abc", 0),
]

# (pattern, subject, maxsplit) for split.
SPLIT = [
    (r",", "a,b,,c", 0),
    (r",", "a,b,,c", 2),
    (r"(,)", "a,b,c", 0),
    (r"(,)|(;)", "a,b;c", 0),
    (r"\s*", "a b  c", 0),
    (r"x*", "axbc", 0),
    (r"\b", "a b", 0),
    (r"", "abc", 0),
    (r"\W+", "Words, words, words.", 1),
    (r"(\W+)", "Words, words, words.", 0),
    (r"[aeiou]", "héllo wörld", 0),
    (r",", "abc", 0),
    (r",", "", 0),
    (r",", "a,b", -1),
    (r"(?:a)(b)?", "xaybz", 0),
]

FLAG = {0: "0", "A": "re.A", "I": "re.I", "M": "re.M", "S": "re.S", "X": "re.X"}

HEAD = '''# re: a table of pattern / subject / operation cases, each printed with
# CPython 3.11's output as its expectation. Generated by gen_re_cases.py
# (next to this file): edit the table there and run it again.
import re

def show_match(m):
    if m is None:
        return None
    return (m.span(), m.group(0), m.groups(), m.groupdict(), m.lastindex)

def fn_upper(m):
    return m.group(1).upper()

def fn_double(m):
    return str(int(m.group(0)) * 2)

def fn_group(m):
    return "<" + m.group("n") + ":" + str(m.start()) + ">"

FUNCTIONS = {"upper": fn_upper, "double": fn_double, "group": fn_group}

def attempt(label, thunk):
    try:
        print(label, repr(thunk()))
    except Exception as e:
        print(label, type(e), e)

def run_matching(i, pattern, flags, subject):
    p = re.compile(pattern, flags)
    attempt(str(i) + " search", lambda: show_match(p.search(subject)))
    attempt(str(i) + " match", lambda: show_match(re.match(pattern, subject, flags)))
    attempt(str(i) + " fullmatch", lambda: show_match(p.fullmatch(subject)))
    attempt(str(i) + " findall", lambda: p.findall(subject))

def run_findall(i, pattern, flags, subject):
    attempt(str(i) + " findall", lambda: re.findall(pattern, subject, flags))
    attempt(str(i) + " finditer", lambda: [m.span() for m in re.finditer(pattern, subject, flags)])

def run_sub(i, pattern, repl, subject, count):
    if repl.startswith("FN:"):
        repl = FUNCTIONS[repl[3:]]
    attempt(str(i) + " sub", lambda: re.sub(pattern, repl, subject, count))
    attempt(str(i) + " subn", lambda: re.compile(pattern).subn(repl, subject, count=count))

def run_split(i, pattern, subject, maxsplit):
    attempt(str(i) + " split", lambda: re.split(pattern, subject, maxsplit))
    attempt(str(i) + " psplit", lambda: re.compile(pattern).split(subject, maxsplit=maxsplit))

def main(args):
'''


def lit(s):
    return repr(s)


def generate():
    lines = [HEAD]
    i = 0
    for pattern, flags, subjects in MATCHING:
        for s in subjects:
            i += 1
            lines.append("    run_matching(%d, %s, %s, %s)\n" % (i, lit(pattern), FLAG[flags], lit(s)))
    for pattern, flags, subjects in FINDALL:
        for s in subjects:
            i += 1
            lines.append("    run_findall(%d, %s, %s, %s)\n" % (i, lit(pattern), FLAG[flags], lit(s)))
    for pattern, repl, subject, count in SUB:
        i += 1
        lines.append("    run_sub(%d, %s, %s, %s, %d)\n" % (i, lit(pattern), lit(repl), lit(subject), count))
    for pattern, subject, maxsplit in SPLIT:
        i += 1
        lines.append("    run_split(%d, %s, %s, %d)\n" % (i, lit(pattern), lit(subject), maxsplit))
    program = "".join(lines)
    with open(OUT, "w") as f:
        f.write(program)
    # Weft calls main(args) itself; CPython is told to.
    runner = "import runpy; runpy.run_path(%r)['main']([])" % OUT
    out = subprocess.run([sys.executable, "-c", runner], capture_output=True, text=True, check=True).stdout
    expect = "".join("# expect: " + line + "\n" if line else "# expect:\n" for line in out.split("\n")[:-1])
    with open(OUT, "w") as f:
        f.write(program + "\n" + expect)
    print("%s: %d cases, %d lines" % (OUT, i, out.count("\n")))


if __name__ == "__main__":
    generate()

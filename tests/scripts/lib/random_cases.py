#!/usr/bin/python3
# random_cases.py: writes the random_*.weft tests of this folder, with the
# output CPython 3.11 gives as their expectations. Each test's program is
# valid Python too: it runs here under /usr/bin/python3 (main([]) called as
# `weft run` calls it) and what it prints becomes its `# expect:` lines.
# The actor tests cannot run under Python; their expectations come from a
# Python program that draws what each actor must draw.
#
#     /usr/bin/python3 tests/scripts/lib/random_cases.py
#
# Run it again after changing a program below; never edit the .weft files
# by hand.
import contextlib
import io
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

SHOW = '''
def show(label, thunk):
    try:
        print(label, repr(thunk()))
    except Exception as e:
        print(label, type(e), e)
'''

SEQUENCES = SHOW + '''
def draws(label, seed):
    random.seed(seed)
    print(label, "random", [random.random() for i in range(4)])
    print(label, "randint", [random.randint(-5, 1000) for i in range(8)])
    print(label, "randrange", random.randrange(10), random.randrange(3, 90, 7), random.randrange(100, -7, -9))
    print(label, "bits", [random.getrandbits(k) for k in [1, 7, 31, 32, 33, 63, 64, 65, 100, 200]])

def main(args):
    for seed in [0, 1, 42, -7, 2 ** 32, 2 ** 32 - 1, 2 ** 64 + 5, 10 ** 50, -(10 ** 30), True, False]:
        draws(repr(seed), seed)
    for seed in ["hello", "", "héllo ✓", b"bytes", b"", "0"]:
        draws(repr(seed), seed)
    for seed in [3.5, -2.5, 1e300, 0.1, 7.0]:
        draws(repr(seed), seed)
    for seed in ["abc", b"abc", "", "né"]:
        random.seed(seed, version=1)
        print("v1", repr(seed), random.random(), random.randrange(1000))
    for version in [True, 1.0, 2.0, 2]:
        random.seed("abc", version=version)
        print("version", version, random.random())
    random.seed(a=12, version=1)
    print("keywords", random.random())
    random.seed(0)
    values = [random.random() for i in range(120)]
    for i in range(0, 120, 6):
        print("seed 0 random", i, values[i:i + 6])
    random.seed(2024)
    print("randint 2024", [random.randint(1, 6) for i in range(60)])
    print("randrange big", random.randrange(10 ** 30), random.randrange(-10 ** 20, 10 ** 20, 3))
    print("randint big", random.randint(2 ** 64, 2 ** 65), random.randint(-2 ** 70, -2 ** 69))
    print("randrange float args", random.randrange(10.0), random.randrange(2, 20.0, 3.0))
    print("bits", random.getrandbits(0), random.getrandbits(1000))
    random.seed()
    x = random.random()
    print("seed() works", 0.0 <= x < 1.0)
    random.seed(None)
    print("seed(None) works", 0 <= random.randrange(5) < 5)
    show("seed returns", lambda: random.seed(5))
'''

PICKS = SHOW + '''
def main(args):
    random.seed(7)
    print("choice list", [random.choice([10, 20, 30, 40, 50]) for i in range(15)])
    print("choice str", "".join([random.choice("héllo wörld") for i in range(15)]))
    print("choice tuple", [random.choice((None, True, 1.5)) for i in range(6)])
    print("choice range", [random.choice(range(100, 1000, 7)) for i in range(8)])
    print("choice dict", random.choice({0: "a", 1: "b"}))
    for n in [0, 1, 2, 3, 5, 10, 50]:
        xs = list(range(n))
        print("shuffle", n, random.shuffle(xs), xs)
    words = ["a", "b", "c", "d", "e", "f"]
    random.shuffle(words)
    print("shuffle words", words)
    for n, k in [(10, 3), (10, 10), (10, 0), (21, 5), (22, 5), (100, 3), (100, 6), (100, 50), (300, 60), (5, 5)]:
        print("sample", n, k, random.sample(range(n), k))
    print("sample list", random.sample([1, 2, 3, 4, 5, 6, 7, 8, 9], 4))
    print("sample tuple", random.sample(("x", "y", "z"), 2))
    print("sample str", random.sample("abcdefgh", 5))
    print("sample bytes", random.sample(b"abcdefgh", 3))
    print("sample big range", random.sample(range(10 ** 6), 10))
    print("sample repeats", random.sample([1, 1, 1, 2], 3))
    print("sample k keyword", random.sample(population=[1, 2, 3], k=2))
    print("sample counts", random.sample(["red", "blue"], counts=[4, 2], k=5))
    print("sample counts 2", random.sample("abc", 6, counts=[1, 2, 3]))
    print("choices", random.choices([1, 2, 3, 4]), random.choices("abc", k=10))
    print("choices k 0", random.choices([1, 2], k=0), random.choices([1, 2], k=-3))
    print("choices weights", random.choices(["a", "b", "c"], [10, 1, 1], k=12))
    print("choices float weights", random.choices(["a", "b", "c"], weights=[0.5, 0.25, 0.25], k=12))
    print("choices cum", random.choices(["a", "b", "c"], cum_weights=[1, 2, 30], k=12))
    print("choices cum tuple", random.choices(range(3), cum_weights=(1.5, 2, 3), k=6))
    print("choices zero weight", random.choices("xyz", [0, 1, 0], k=5))
    print("choices tuple pop", random.choices(("p", "q"), [1, 3], k=8))
    print("choices big weights", random.choices("ab", [10 ** 30, 1], k=4))
    xs = [1, 2, 3]
    random.sample(xs, 3)
    print("population kept", xs)
'''

NUMBERS = SHOW + '''
def main(args):
    random.seed(99)
    print("uniform", [random.uniform(1, 10) for i in range(5)])
    print("uniform float", random.uniform(-1.5, 2.5), random.uniform(5, 5), random.uniform(10, 1))
    print("uniform big", random.uniform(0, 10 ** 20))
    print("gauss", [random.gauss() for i in range(7)])
    print("gauss mu sigma", [random.gauss(100, 15) for i in range(5)])
    print("gauss keywords", random.gauss(mu=1, sigma=0.5), random.gauss(sigma=2))
    print("gauss int sigma", random.gauss(0, 0))
    random.seed(99)
    print("gauss after seed", random.gauss())
    random.gauss()
    random.seed(99)
    print("gauss pair reset by seed", random.gauss())
    random.seed(1)
    a = random.gauss()
    b = random.random()
    c = random.gauss()
    print("gauss keeps its second value", a, b, c)
    random.seed(5)
    print("mixed", random.random(), random.randint(1, 100), random.gauss(), random.choice("xyz"),
          random.uniform(0, 1), random.gauss(), random.randrange(0, 100, 5), random.sample(range(50), 4))
'''

ERRORS = SHOW + '''
def main(args):
    random.seed(3)
    show("random args", lambda: random.random(1))
    show("random kw", lambda: random.random(x=1))
    show("randint one", lambda: random.randint(1))
    show("randint none", lambda: random.randint())
    show("randint three", lambda: random.randint(1, 2, 3))
    show("randint kw", lambda: random.randint(1, b=2, c=3))
    show("randint twice", lambda: random.randint(1, a=2))
    show("randint keywords", lambda: random.randint(b=3, a=3))
    show("randint empty", lambda: random.randint(5, 2))
    show("randint str", lambda: random.randint(1, "b"))
    show("randint str a", lambda: random.randint("a", 2))
    show("randint float", lambda: random.randint(1.5, 3))
    show("choices args", lambda: random.choices([1], [1], [1]))
    show("sample one", lambda: random.sample([1]))
    show("seed args", lambda: random.seed(1, 2, 3))
    show("seed list", lambda: random.seed([1]))
    show("seed dict", lambda: random.seed({}))
    show("seed tuple", lambda: random.seed((1, 2)))
    show("gauss args", lambda: random.gauss(1, 2, 3))
    show("gauss str", lambda: random.gauss("a"))
    show("getrandbits none", lambda: random.getrandbits())
    show("getrandbits float", lambda: random.getrandbits(1.5))
    show("getrandbits str", lambda: random.getrandbits("a"))
    show("getrandbits negative", lambda: random.getrandbits(-1))
    show("getrandbits two", lambda: random.getrandbits(1, 2))
    show("getrandbits kw", lambda: random.getrandbits(k=3))
    show("getrandbits huge", lambda: random.getrandbits(2 ** 40))
    show("shuffle none", lambda: random.shuffle())
    show("shuffle tuple", lambda: random.shuffle((1, 2)))
    show("shuffle str", lambda: random.shuffle("ab"))
    show("shuffle int", lambda: random.shuffle(5))
    show("shuffle empty tuple", lambda: random.shuffle(()))
    show("uniform one", lambda: random.uniform(1))
    show("uniform str", lambda: random.uniform("a", 1))
    show("sample kw", lambda: random.sample([1], k=1, counts=[1], x=2))
    show("choice int", lambda: random.choice(5))
    show("choice empty", lambda: random.choice([]))
    show("choice empty str", lambda: random.choice(""))
    show("randrange float", lambda: random.randrange(1.5))
    show("randrange str", lambda: random.randrange("5"))
    show("randrange bad str", lambda: random.randrange("x"))
    show("randrange bytes", lambda: random.randrange(b"x"))
    show("randrange none", lambda: random.randrange(None))
    show("randrange list", lambda: random.randrange([]))
    show("randrange zero", lambda: random.randrange(0))
    show("randrange negative", lambda: random.randrange(-3))
    show("randrange none stop step", lambda: random.randrange(5, None, 2))
    show("randrange none stop step 1", lambda: random.randrange(5, None, 1))
    show("randrange empty", lambda: random.randrange(5, 2))
    show("randrange empty big", lambda: random.randrange(10 ** 20, 5))
    show("randrange zero step", lambda: random.randrange(1, 5, 0))
    show("randrange wrong step", lambda: random.randrange(1, 5, -1))
    show("randrange inf", lambda: random.randrange(float("inf")))
    show("randrange nan", lambda: random.randrange(float("nan")))
    show("randrange float step", lambda: random.randrange(1, 2, 1.5))
    show("randrange float stop", lambda: random.randrange(1, 2.5))
    show("randrange kw", lambda: random.randrange(start=1, stop=9, step=4))
    show("randrange bad kw", lambda: random.randrange(1, stopp=9))
    show("sample dict", lambda: random.sample({1: 2}, 1))
    show("sample int", lambda: random.sample(5, 1))
    show("sample too many", lambda: random.sample([1], 2))
    show("sample negative", lambda: random.sample([1], -1))
    show("sample float k", lambda: random.sample([1], 1.0))
    show("sample float k big", lambda: random.sample([1], 2.0))
    show("sample str k", lambda: random.sample([1], "a"))
    show("sample counts short", lambda: random.sample([1, 2], 2, counts=[1]))
    show("sample counts zero", lambda: random.sample([1, 2], 2, counts=[0, 0]))
    show("sample counts float", lambda: random.sample([1, 2], 2, counts=[1.0, 1]))
    show("sample counts empty", lambda: random.sample([], 0, counts=[]))
    show("sample counts k", lambda: random.sample([1, 2], 4, counts=[1, 2]))
    show("choices float k", lambda: random.choices([1], k=1.0))
    show("choices short weights", lambda: random.choices([1, 2], [1]))
    show("choices int weights", lambda: random.choices([1, 2], 3))
    show("choices zero weights", lambda: random.choices([1, 2], [0, 0]))
    show("choices negative weights", lambda: random.choices([1, 2], [1, -5]))
    show("choices inf weights", lambda: random.choices([1, 2], [1, float("inf")]))
    show("choices nan weights", lambda: random.choices([1, 2], [1, float("nan")]))
    show("choices both", lambda: random.choices([1, 2], [1, 2], cum_weights=[1, 2]))
    show("choices empty weights", lambda: random.choices([], []))
    show("choices empty", lambda: random.choices([]))
    show("choices int", lambda: random.choices(5))
    show("choices str weights", lambda: random.choices("ab", ["a", "b"]))
    show("choices float weights arg", lambda: random.choices("ab", 2.5))
    show("choices cum int", lambda: random.choices("ab", cum_weights=5))
    show("choices cum empty", lambda: random.choices("", cum_weights=()))
    show("choices bad kw", lambda: random.choices("ab", kk=2))
    print("after errors", random.random())
'''

ACTORS = '''
# Each actor has its own generator: two actors seeded alike draw alike,
# seeding one leaves another's sequence alone, and a spawned actor never
# starts from its parent's state. The numbers are CPython's.
import random

def drawer(parent, seed):
    random.seed(seed)
    send(parent, ("drew", self(), [random.random(), random.randint(1, 1000), random.choice("abcdef")]))

def reseeder(parent):
    random.seed(99)
    random.random()
    send(parent, "reseeded")

def unseeded(parent):
    send(parent, ("first", random.random()))

def collect(p):
    receive:
        case ("drew", q, values) if q == p:
            return values
    after 5000:
        return "timeout"

def main(args):
    a = spawn(drawer, self(), 5)
    b = spawn(drawer, self(), 5)
    va = collect(a)
    vb = collect(b)
    print("a", va)
    print("same as b", va == vb)
    random.seed(7)
    first = random.random()
    spawn(reseeder, self())
    receive:
        case "reseeded":
            pass
    after 5000:
        print("timeout")
    print("main goes on", first, random.random())
    random.seed(3)
    spawn(unseeded, self())
    mine = random.random()
    receive:
        case ("first", theirs):
            print("child copied the parent's generator", theirs == mine)
    after 5000:
        print("timeout")
'''

ACTORS_EXPECT = '''
import random
random.seed(5)
print("a", [random.random(), random.randint(1, 1000), random.choice("abcdef")])
print("same as b", True)
random.seed(7)
print("main goes on", random.random(), random.random())
print("child copied the parent's generator", False)
'''

SEED_FLAG = '''
# weft run --seed N: the main actor draws as after random.seed(N), the
# actor spawned k-th after it as after random.seed("N/k") (CPython's numbers).
# command: run --seed 12345
import random

def child(parent):
    send(parent, ("child", [random.random(), random.randint(1, 100)]))

def main(args):
    print("main", [random.random(), random.randint(1, 100)])
    for i in range(2):
        spawn(child, self())
        receive:
            case ("child", values):
                print("child", values)
        after 5000:
            print("timeout")
'''

SEED_FLAG_EXPECT = '''
import random
random.seed(12345)
print("main", [random.random(), random.randint(1, 100)])
for k in [1, 2]:
    random.seed("12345/" + str(k))
    print("child", [random.random(), random.randint(1, 100)])
'''

SEED_FLAG_NEGATIVE = '''
# weft run --seed -N: the sign is dropped, as CPython's random.seed drops it.
# command: run --seed -987654321987654321987654321
import random

def main(args):
    print([random.random() for i in range(3)], random.getrandbits(70))
'''

SEED_FLAG_NEGATIVE_EXPECT = '''
import random
random.seed(-987654321987654321987654321)
print([random.random() for i in range(3)], random.getrandbits(70))
'''

SEED_FLAG_ZEROS = '''
# weft run --seed +0042: N is the int 42, for the main actor and in the
# "N/k" of the others.
# command: run --seed +0042
import random

def child(parent):
    send(parent, random.random())

def main(args):
    print("main", random.random())
    spawn(child, self())
    receive:
        case x:
            print("child", x)
    after 5000:
        print("timeout")
'''

SEED_FLAG_ZEROS_EXPECT = '''
import random
random.seed(42)
print("main", random.random())
random.seed("42/1")
print("child", random.random())
'''


def python_output(source, call_main):
    out = io.StringIO()
    scope = {"__name__": "random_case"}
    with contextlib.redirect_stdout(out):
        exec(compile("import random\n" + source, "<case>", "exec"), scope)
        if call_main:
            scope["main"]([])
    return out.getvalue().splitlines()


def write(name, header, program, expect_source=None):
    lines = python_output(program, True) if expect_source is None else python_output(expect_source, False)
    text = header.strip("\n") + "\n" + program.strip("\n") + "\n\n"
    text += "".join("# expect: " + line + "\n" if line else "# expect:\n" for line in lines)
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        f.write(text)
    print(name, len(lines), "lines", file=sys.stderr)


HEAD = '''# {what}: CPython 3.11's results after the same seeds (expectations made by
# random_cases.py with /usr/bin/python3; do not edit by hand).
import random
'''

write("random_sequences.weft", HEAD.format(what="random.seed, random, randint, randrange, getrandbits"), SEQUENCES)
write("random_picks.weft", HEAD.format(what="random.choice, shuffle, sample (both ways), choices"), PICKS)
write("random_numbers.weft", HEAD.format(what="random.uniform and gauss (its kept second value)"), NUMBERS)
write("random_errors.weft", HEAD.format(what="random's argument errors"), ERRORS)
write("random_actors.weft", "# random_cases.py made this file; do not edit by hand.", ACTORS, ACTORS_EXPECT)
write("random_seed_flag.weft", "# random_cases.py made this file; do not edit by hand.", SEED_FLAG, SEED_FLAG_EXPECT)
write("random_seed_flag_zeros.weft", "# random_cases.py made this file; do not edit by hand.", SEED_FLAG_ZEROS,
      SEED_FLAG_ZEROS_EXPECT)
write("random_seed_flag_negative.weft", "# random_cases.py made this file; do not edit by hand.",
      SEED_FLAG_NEGATIVE, SEED_FLAG_NEGATIVE_EXPECT)

// repl_help.cpp: the texts help() shows (see repl_help.hpp). Signatures
// follow LANGUAGE.md's names and defaults.
#include "tools/repl_help.hpp"

#include <array>

namespace weft::tools {

namespace {

constexpr std::array entries = {
    // -- builtins ------------------------------------------------------------------
    help_entry{"abs", "abs(x)", "The absolute value of a number."},
    help_entry{"all", "all(iterable) -> bool", "True when every item is true (or there are none)."},
    help_entry{"any", "any(iterable) -> bool", "True when at least one item is true."},
    help_entry{"bin", "bin(n) -> str", "The binary text of an int, as '0b101'."},
    help_entry{"bool", "bool(x=False) -> bool", "The truth of a value, as Python's."},
    help_entry{"bytes", "bytes(x=b'') -> bytes", "An immutable byte string, from an int size, a list of ints or bytes."},
    help_entry{"callable", "callable(x) -> bool", "True for functions, builtins and types."},
    help_entry{"chr", "chr(i) -> str", "The one-character string of a code point."},
    help_entry{"dict", "dict(pairs=(), **kw) -> dict", "A new mutable, insertion-ordered dict."},
    help_entry{"divmod", "divmod(a, b) -> (q, r)", "Floor quotient and remainder together."},
    help_entry{"enumerate", "enumerate(iterable, start=0)", "Pairs (index, item) for each item."},
    help_entry{"filter", "filter(f, iterable) -> list", "The items for which f(item) is true, as a list."},
    help_entry{"float", "float(x=0.0) -> float", "An IEEE double from a number or its text."},
    help_entry{"frozenset", "frozenset(iterable=()) -> frozenset", "An immutable, hashable set."},
    help_entry{"hash", "hash(x) -> int", "The hash of an immutable value."},
    help_entry{"hex", "hex(n) -> str", "The hexadecimal text of an int, as '0x2a'."},
    help_entry{"input", "input(prompt='') -> str", "Reads a line of standard input, parking only the caller."},
    help_entry{"int", "int(x=0, base=10) -> int", "An arbitrary-precision integer from a number or its text."},
    help_entry{"isinstance", "isinstance(x, type_or_tuple) -> bool", "True when x is of the type (or one of them)."},
    help_entry{"iter", "iter(iterable)", "An iterator over the items, for next()."},
    help_entry{"len", "len(x) -> int", "The number of items of a container, or code points of a str."},
    help_entry{"list", "list(iterable=()) -> list", "A new mutable list of the items."},
    help_entry{"map", "map(f, iterable, ...) -> list", "f applied to each item (or to items taken together), as a list."},
    help_entry{"max", "max(iterable, key=None) / max(a, b, ...)", "The largest item."},
    help_entry{"min", "min(iterable, key=None) / min(a, b, ...)", "The smallest item."},
    help_entry{"next", "next(iterator, default)", "The iterator's next item, or default (StopIteration without one)."},
    help_entry{"oct", "oct(n) -> str", "The octal text of an int, as '0o52'."},
    help_entry{"open", "open(path, mode='r', encoding='utf-8')", "Opens a file of the caller's, closed when the actor ends."},
    help_entry{"ord", "ord(c) -> int", "The code point of a one-character string."},
    help_entry{"pow", "pow(base, exp, mod=None)", "base ** exp, modulo mod when given."},
    help_entry{"print", "print(*values, sep=' ', end='\\n', flush=False)",
               "Writes the values' str as one whole line that never mixes with other actors' lines."},
    help_entry{"range", "range(stop) / range(start, stop, step=1)", "An immutable sequence of ints."},
    help_entry{"repr", "repr(x) -> str", "The text of a value as Python shows it."},
    help_entry{"reversed", "reversed(seq)", "The items of a sequence, last first."},
    help_entry{"round", "round(x, ndigits=None)", "A number rounded half to even, as Python's."},
    help_entry{"set", "set(iterable=()) -> set", "A new mutable set of the items."},
    help_entry{"sorted", "sorted(iterable, key=None, reverse=False) -> list", "A new sorted list of the items."},
    help_entry{"str", "str(x='') -> str", "The text of a value; immutable Unicode."},
    help_entry{"sum", "sum(iterable, start=0)", "The sum of the items."},
    help_entry{"tuple", "tuple(iterable=()) -> tuple", "An immutable sequence of the items."},
    help_entry{"type", "type(x)", "The type of a value."},
    help_entry{"zip", "zip(*iterables) -> list", "Tuples of the items at the same place, as a list."},
    // -- actors ------------------------------------------------------------------------
    help_entry{"cancel_timer", "cancel_timer(ref)", "Cancels a send_after timer that has not fired yet."},
    help_entry{"demonitor", "demonitor(ref)", "Stops a monitor; its DOWN will not come."},
    help_entry{"exit", "exit(reason) / exit(pid, reason)",
               "Ends the caller with reason, or sends an exit signal to pid (\"kill\" cannot be trapped)."},
    help_entry{"hibernate", "hibernate()", "Drops the actor's stack and shrinks its heap until the next message."},
    help_entry{"link", "link(pid)", "Links the caller and pid: a non-normal end of one kills the other."},
    help_entry{"make_ref", "make_ref() -> ref", "A unique reference."},
    help_entry{"monitor", "monitor(pid) -> ref", "Delivers (\"DOWN\", ref, pid, reason) when pid ends."},
    help_entry{"monotonic_ms", "monotonic_ms() -> int", "A monotonic clock in milliseconds."},
    help_entry{"register", "register(name, pid)", "Names an actor, so that send(name, msg) reaches it."},
    help_entry{"self", "self() -> pid", "The calling actor's pid."},
    help_entry{"send", "send(dest, msg) -> msg", "Copies msg to the mailbox of a pid, a registered name or (name, node)."},
    help_entry{"send_after", "send_after(ms, dest, msg) -> ref", "Sends msg to dest after ms milliseconds."},
    help_entry{"sleep", "sleep(ms)", "Parks the caller for ms milliseconds."},
    help_entry{"spawn", "spawn(f, *args) -> pid", "Starts a new actor running f(*args) with its own heap."},
    help_entry{"spawn_link", "spawn_link(f, *args) -> pid", "spawn, linked to the caller."},
    help_entry{"spawn_monitor", "spawn_monitor(f, *args) -> (pid, ref)", "spawn, monitored by the caller."},
    help_entry{"trap_exits", "trap_exits(flag)", "With True, exit signals arrive as (\"EXIT\", pid, reason) messages."},
    help_entry{"unlink", "unlink(pid)", "Removes a link."},
    help_entry{"unregister", "unregister(name)", "Removes a registered name."},
    help_entry{"whereis", "whereis(name) -> pid | None", "The pid registered under name."},
    // -- nodes ---------------------------------------------------------------------------
    help_entry{"connect", "connect(node) -> bool", "Connects this node to another, \"name@host:port\"."},
    help_entry{"disconnect", "disconnect(node)", "Closes the connection to a node."},
    help_entry{"monitor_node", "monitor_node(node)", "Delivers (\"nodedown\", node) when the connection is lost."},
    help_entry{"node", "node() -> str", "This node's name, \"name@host:port\"."},
    help_entry{"nodes", "nodes() -> list", "The nodes this one is connected to."},
    help_entry{"spawn_link_on", "spawn_link_on(node, f, *args) -> pid", "spawn_on, linked to the caller."},
    help_entry{"spawn_monitor_on", "spawn_monitor_on(node, f, *args) -> (pid, ref)", "spawn_on, monitored."},
    help_entry{"spawn_on", "spawn_on(node, f, *args) -> pid",
               "Starts f(*args) on another node that has loaded the same program."},
    // -- introspection ---------------------------------------------------------------
    help_entry{"is_alive", "is_alive(pid) -> bool", "True while the actor runs."},
    help_entry{"process_info", "process_info(pid) -> dict | None",
               "An actor's status, queue_len, heap_bytes, reductions, links, monitors and more."},
    help_entry{"processes", "processes() -> list", "The pids of this node's actors."},
    help_entry{"queue_len", "queue_len() -> int", "The number of messages in the caller's mailbox."},
    help_entry{"registered", "registered() -> list", "The registered names."},
    // -- the shell ---------------------------------------------------------------------
    help_entry{"flush", "flush()", "Prints and removes every message in the shell's mailbox (\"Shell got MSG\")."},
    help_entry{"help", "help(name=None)", "Shows what a builtin or module does; help() lists them all."},
    help_entry{"load", "load(path) -> list", "Loads a program's top-level functions and constants at the prompt."},
    // -- modules ---------------------------------------------------------------------------
    help_entry{"gen_server", "import gen_server",
               "OTP's generic server: start, call, cast, reply, stop over init/handle_call/handle_cast/handle_info."},
    help_entry{"json", "import json", "loads and dumps with Python's mapping of types; JSONDecodeError."},
    help_entry{"logger", "import logger", "debug, info, warning, error through one logger actor per node."},
    help_entry{"math", "import math", "Python's math: pi, e, sqrt, exp, log, sin, floor, gcd, comb and more."},
    help_entry{"os", "import os", "Files and folders (listdir, stat, walk, remove ...), os.environ and os.path."},
    help_entry{"random", "import random", "One generator per actor: random, randint, choice, shuffle, sample, gauss ..."},
    help_entry{"re", "import re", "Python's regular expressions: compile, search, match, findall, sub, split ..."},
    help_entry{"subprocess", "import subprocess", "run(args, capture_output=False, ...) a child process, parking the caller."},
    help_entry{"supervisor", "import supervisor",
               "OTP's supervisor: start children and restart them one_for_one, one_for_all or rest_for_one."},
    help_entry{"sys", "import sys", "argv, exit(code), stdin, stdout and stderr."},
    help_entry{"task", "import task", "task.run and task.await, and task.map over worker actors."},
    help_entry{"tcp", "import tcp", "Erlang's gen_tcp with Python's names: listen, accept, connect, active mode."},
    help_entry{"time", "import time", "time, monotonic, perf_counter, sleep and strftime."},
};

}  // namespace

std::span<const help_entry> help_entries() noexcept { return entries; }

const help_entry* find_help(std::string_view name) noexcept {
    for (const help_entry& e : entries)
        if (name == e.name) return &e;
    auto dot = name.find('.');  // "math.sqrt": what the module says
    return dot == std::string_view::npos ? nullptr : find_help(name.substr(0, dot));
}

std::string help_index() {
    std::string out = "Builtins and modules (help(name) for one of them):\n";
    for (const help_entry& e : entries) {
        out += "  ";
        out += e.signature;
        out += "\n";
    }
    return out;
}

}  // namespace weft::tools

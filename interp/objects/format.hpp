// format.hpp: Weft values as text, exactly as CPython 3.11 writes them:
// repr(), str(), and the format-spec mini-language of f-strings,
// str.format() and format().
//
// repr/str never allocate on a Weft heap and never recurse on the C++ stack:
// containers are walked with an explicit stack, so a list nested 100,000 deep
// formats. A container that contains itself prints as Python prints it:
// "[[...]]", "{'k': {...}}", "([(...)],)".
//
// Text is UTF-8 (str values are valid UTF-8 by contract). repr of a str picks
// Python's quotes (single, or double when the text has ' and no ") and
// escapes \\ \n \r \t, the quote, other control characters and the
// non-printable code points (\xNN, \uNNNN, \UNNNNNNNN); printable non-ASCII
// stays as it is. "Printable" is CPython 3.11's str.isprintable() for one code
// point, from a table generated with CPython 3.11 (Unicode 14.0):
// unicode_format.cpp. Bytes that are not valid UTF-8 (never in a str) are
// shown as \xNN.
//
// Functions: the VM's objects (obj_kind::native) are printed by the caller's
// `native_repr` callback when given (the VM knows their names: it should
// append "<function NAME>"), else as "<function>". So are pids and refs,
// which print `<N.S.C>` and `#Ref<N.S.C>` with numbers only the runtime
// knows (serialize/node_numbers.hpp); without a callback they print with
// their node's raw id and creation.
#pragma once
#include <functional>
#include <string>
#include <string_view>

#include "interp/heap/heap.hpp"
#include "interp/heap/value.hpp"

namespace weft::interp {

// Appends the text of a VM object (obj_kind::native), a pid or a ref to `out`.
using native_repr = std::function<void(std::string& out, value v)>;

std::string repr(value v, const native_repr& natives = {});
// str(v): a str's own text; everything else as repr (as Python: str(1.5) ==
// repr(1.5), str(['a']) == "['a']").
std::string str(value v, const native_repr& natives = {});
void append_repr(std::string& out, value v, const native_repr& natives = {});

// The pieces, for the VM's own use.
std::string repr_str(std::string_view utf8);     // 'it\'s' -> "it's"
std::string repr_bytes(std::string_view bytes);  // b'\x00a'
std::string repr_float(double d);                // 1.0 1e+16 1e-05 inf nan -0.0
// The digits of an integer value (small int, bool as 0/1, bignum) in base
// 2..36, lowercase, '-' when negative, no prefix.
std::string int_to_string(value v, int base = 10);

// CPython's PyOS_double_to_string: code 'e' 'E' 'f' 'F' 'g' 'G' or 'r'
// (repr: shortest round-trip digits; precision must be 0), precision as
// printf's. Infinities and NaN as inf/nan (INF/NAN for upper-case codes).
struct float_format_flags {
    bool sign = false;       // '+' on non-negative numbers
    bool add_dot_0 = false;  // "1.0" rather than "1" (repr, format without a type)
    bool alt = false;        // '#': keep the point and trailing zeros
    bool no_neg_0 = false;   // 'z': a negative zero (after rounding) loses its sign
};
std::string double_to_string(double d, char code, int precision, float_format_flags flags = {});

// format(v, spec), f"{v:spec}", "{:spec}".format(v): Python's mini-language
//   [[fill]align][sign]["z"]["#"]["0"][width][grouping]["." precision][type]
// for ints (b c d o x X n, and e E f F g G % through float), bools (as ints,
// but str() when spec is empty), floats (e E f F g G n % and none), strs (s
// and none). Other values: str(v) for an empty spec, else TypeError
// "unsupported format string passed to list.__format__". Bad specs raise
// script_error with CPython's ValueError messages ("Invalid format specifier
// 'abc' for object of type 'int'", "Unknown format code 'd' for object of
// type 'float'", "Cannot specify ',' with 's'.", ...). 'n' formats as in the
// C locale (as CPython does unless the program calls setlocale). `h` is
// unused today (nothing is allocated); the VM may pass its heap.
std::string format_value(heap& h, value v, std::string_view spec, const native_repr& natives = {});

}  // namespace weft::interp

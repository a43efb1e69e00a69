// value_support.hpp: helpers shared by the tests of interp's values: build a
// value from the Python literal that the CPython-generated tables use, and
// render an operation's outcome the way those tables do.
#pragma once
#include <string>
#include <string_view>

#include "interp/heap/heap.hpp"
#include "interp/objects/format.hpp"
#include "interp/objects/numeric.hpp"
#include "interp/objects/script_error.hpp"

namespace weft::interp::test {

// A value from a Python literal of the tables: None True False, ints,
// floats (inf nan too), 'str' (no escapes), b'bytes', [1], (1,), {}.
inline value from_literal(heap& h, std::string_view src) {
    if (src == "None") return value::none();
    if (src == "True") return value::true_value();
    if (src == "False") return value::false_value();
    if (src.size() >= 2 && src.front() == '\'') return h.alloc_str(src.substr(1, src.size() - 2));
    if (src.size() >= 3 && src.substr(0, 2) == "b'") return h.alloc_bytes(src.substr(2, src.size() - 3));
    if (src == "[1]") {
        rooted l(h, h.alloc_list());
        h.list_append(l, value::from_int(1));
        return l;
    }
    if (src == "(1,)") {
        value t = h.alloc_tuple(1);
        as_tuple(t)->items()[0] = value::from_int(1);
        return t;
    }
    if (src == "{}") return h.alloc_dict();
    if (src.find_first_of(".en") != std::string_view::npos) return value::from_float(num::parse_float(src));
    return num::parse_int(h, src, 10);
}

}  // namespace weft::interp::test

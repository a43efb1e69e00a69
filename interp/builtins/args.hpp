// args.hpp: what every native function needs, in the builtins and in the
// native modules of lib/ alike: CPython's wordings for argument errors
// (each family of CPython functions has its own: METH_O, METH_NOARGS,
// Argument Clinic ...), argument conversions, and a few value helpers.
//
// Every helper here keeps to the heap rules of heap.hpp: those that allocate
// say so; none of them keeps an obj* or a string_view into the heap across
// an allocation.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "interp/heap/heap.hpp"
#include "interp/heap/value.hpp"
#include "interp/objects/script_error.hpp"
#include "interp/objects/type_of.hpp"

namespace weft::interp {
class vm;
}

namespace weft::interp::bi {

// -- Errors ------------------------------------------------------------------------

[[noreturn]] void type_error(std::string message);
[[noreturn]] void value_error(std::string message);

// Raises KeyError(key) with the key itself as its argument (str(e) is the
// key's repr, as CPython's): a script_error could carry text only.
[[noreturn]] void key_error(vm& m, value key);

// -- Argument counts and keywords, worded as CPython 3.11 words them ----------------
// `fname` is what the message shows: "len", "list.append", "pop" ...

// "F() takes no keyword arguments" unless kwargs is None or empty.
void no_kwargs(value kwargs, std::string_view fname);
// "F() takes exactly one argument (N given)" (METH_O functions).
void exactly_one(std::string_view fname, std::uint32_t n);
// "F() takes no arguments (N given)" (METH_NOARGS functions).
void no_args(std::string_view fname, std::uint32_t n);
// "F expected N arguments, got M", "F expected at least N arguments, got M",
// "F expected at most N arguments, got M" (positional-only clinic functions).
void expected_args(std::string_view fname, std::uint32_t n, std::uint32_t min, std::uint32_t max);
// "F() takes at most N arguments (M given)", "F() takes at least N argument (M given)".
void takes_args(std::string_view fname, std::uint32_t n, std::uint32_t min, std::uint32_t max);
// Reads the keyword arguments named in `names` into out[i] (value::empty()
// when absent); any other keyword raises TypeError "'x' is an invalid
// keyword argument for F()". Never allocates.
void parse_kwargs(value kwargs, std::string_view fname, std::initializer_list<std::string_view> names, value* out);
// A parameter that may come by position (argv[pos], when pos < argc) or by
// keyword (kw, empty() when absent): TypeError "argument for F() given by
// name ('x') and position (N)" when both. empty() when neither.
value merge_arg(std::string_view fname, const value* argv, std::uint32_t argc, std::uint32_t pos, value kw,
                std::string_view kwname);

// -- Conversions ------------------------------------------------------------------

// operator.index(v) as an int64: TypeError "'float' object cannot be
// interpreted as an integer"; OverflowError "Python int too large to convert
// to C ssize_t" when it does not fit.
std::int64_t index_arg(value v);
// A slice bound (list.index, str.find ...): None gives false; ints clamp to
// int64 as CPython's _PyEval_SliceIndex does. TypeError with `message` for
// anything else.
bool slice_bound(value v, std::int64_t& out, const char* message);
inline constexpr const char* slice_msg_none =
    "slice indices must be integers or None or have an __index__ method";
inline constexpr const char* slice_msg = "slice indices must be integers or have an __index__ method";
// Python's [start:end] clamping of a sequence of length n.
void clamp_slice(std::int64_t& start, std::int64_t& end, std::int64_t n) noexcept;

// A new str (allocates).
value new_str(vm& m, std::string_view utf8);

// -- Iteration helpers ---------------------------------------------------------------

// A growable array of values registered as a root: the collector updates
// them wherever the vector's storage is (re-registered after each growth;
// growing allocates on the C++ heap only, never on the Weft heap, so no
// collection can see the stale range).
class rooted_values {
public:
    explicit rooted_values(heap& h) : scope_(h, nullptr, 0) {}
    rooted_values(const rooted_values&) = delete;
    rooted_values& operator=(const rooted_values&) = delete;
    void push_back(value v) {
        items_.push_back(v);
        scope_.reset(items_.data(), items_.size());
    }
    void reserve(std::size_t n) {
        items_.reserve(n);
        scope_.reset(items_.data(), items_.size());
    }
    void resize(std::size_t n) {
        items_.resize(n);
        scope_.reset(items_.data(), items_.size());
    }
    std::size_t size() const noexcept { return items_.size(); }
    value& operator[](std::size_t i) noexcept { return items_[i]; }
    value* data() noexcept { return items_.data(); }
    // For sort_values, which reorders in place: never resize through this.
    std::vector<value>& vec() noexcept { return items_; }

private:
    std::vector<value> items_;
    root_scope scope_;
};
// Appends every item of `iterable` to out (allocates).
void collect_items(vm& m, value iterable, rooted_values& out);
// A new list of these values (allocates; `items` must be rooted).
value make_list(heap& h, const value* items, std::size_t n);

}  // namespace weft::interp::bi

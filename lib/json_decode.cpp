// json_decode.cpp: json.loads's fast path: simdjson validates and parses the
// document into its tape, then one walk over the tape builds the values
// straight into the actor's heap.
//
// simdjson is stricter than Python (no NaN, no ints beyond 64 bits, no
// 1e400, no lone surrogates) and says nothing of line and column: whatever
// it rejects goes to json_scan.cpp, which parses as Python does or finds
// Python's error. This file must never recurse over the document's depth
// (the walk keeps an explicit stack) nor report an error itself.
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "interp/builtins/args.hpp"
#include "interp/heap/heap.hpp"
#include "interp/vm/vm.hpp"
#include "lib/json_internal.hpp"

namespace weft::lib::json {
namespace {

using interp::value;
namespace dom = simdjson::dom;

// One open container of the walk: where its tape iterator stands.
struct frame {
    bool object;
    dom::array::iterator item, items_end;
    dom::object::iterator member, members_end;
};

class builder {
public:
    explicit builder(interp::vm& m) : m_(m), h_(m.heap()), slots_(m.heap()) {}

    value build(dom::element root) {
        dom::element e = root;
        for (;;) {
            value v = start(e);
            // v is whole: hand it to its container, and every container it
            // completes to theirs, until one has another element to read.
            for (;;) {
                if (frames_.empty()) return v;
                if (!v.is_empty()) put(v);
                if (next(e)) break;
                v = close();
            }
        }
    }

private:
    // The value of a scalar or an empty container; empty() when a container
    // was opened (next() then reads its first element).
    value start(dom::element e) {
        m_.charge(1);
        switch (e.type()) {
        case dom::element_type::ARRAY: {
            dom::array a = e.get_array().value_unsafe();
            value list = h_.alloc_list(std::min<std::size_t>(a.size(), 1u << 16));
            if (a.begin() == a.end()) return list;
            open(list, frame{false, a.begin(), a.end(), {}, {}});
            return value::empty();
        }
        case dom::element_type::OBJECT: {
            dom::object o = e.get_object().value_unsafe();
            value dict = h_.alloc_dict(std::min<std::size_t>(o.size(), 1u << 16));
            if (o.begin() == o.end()) return dict;
            open(dict, frame{true, {}, {}, o.begin(), o.end()});
            return value::empty();
        }
        case dom::element_type::INT64:
            return h_.make_int(e.get_int64().value_unsafe());
        case dom::element_type::UINT64: {  // above int64's range: a two-limb-free bignum
            std::array<interp::limb, 1> magnitude = {e.get_uint64().value_unsafe()};
            return h_.alloc_bignum(false, magnitude);
        }
        case dom::element_type::DOUBLE:
            return value::from_float(e.get_double().value_unsafe());
        case dom::element_type::STRING:
            return h_.alloc_str(e.get_string().value_unsafe());
        case dom::element_type::BOOL:
            return value::boolean(e.get_bool().value_unsafe());
        case dom::element_type::NULL_VALUE:
            break;
        }
        return value::none();
    }

    void open(value container, frame f) {
        slots_.push_back(container);
        slots_.push_back(value::none());
        frames_.push_back(f);
    }

    void put(value v) {
        std::size_t top = slots_.size() - 2;
        if (frames_.back().object)
            h_.dict_set(slots_[top], slots_[top + 1], v);
        else
            h_.list_append(slots_[top], v);
    }

    // The top container's next element into e (its key into the key slot);
    // false when it has no more.
    bool next(dom::element& e) {
        frame& f = frames_.back();
        if (!f.object) {
            if (f.item == f.items_end) return false;
            e = *f.item;
            ++f.item;
            return true;
        }
        if (f.member == f.members_end) return false;
        value key = h_.alloc_str(f.member.key());
        slots_[slots_.size() - 1] = key;
        e = f.member.value();
        ++f.member;
        return true;
    }

    value close() {
        std::size_t top = slots_.size() - 2;
        value done = slots_[top];
        slots_.resize(top);
        frames_.pop_back();
        return done;
    }

    interp::vm& m_;
    interp::heap& h_;
    interp::bi::rooted_values slots_;  // per open container: it, and its pending key
    std::vector<frame> frames_;
};

}  // namespace

std::optional<value> parse_fast(interp::vm& m, std::string_view doc) {
    // A parser per call: modules keep no state. Its depth can never exceed
    // the document's length, so small documents get small stacks.
    dom::parser parser;
    std::size_t depth = std::min(doc.size(), max_depth);
    if (parser.allocate(std::max<std::size_t>(doc.size(), 64), std::max<std::size_t>(depth, 1)) != simdjson::SUCCESS)
        return std::nullopt;
    dom::element root;
    if (parser.parse(doc.data(), doc.size()).get(root) != simdjson::SUCCESS) return std::nullopt;
    return builder(m).build(root);
}

}  // namespace weft::lib::json

// re_values.cpp: the values of the `re` module: pattern values (made here;
// their type and methods are re_module.cpp's) and match values, with the
// match's methods and attributes as Python's re.Match.
//
// Both are resource values (natives.hpp) that name no entry of any VM's
// table (stamp 0): a pattern's raw part points to its compiled entry, owned
// by the program's cache; a match's raw part holds its groups' positions.
// Nothing here may keep a pointer into a heap in a raw part, or read a
// heap string's bytes across an allocation.
#include <array>
#include <cstring>

#include "interp/builtins/args.hpp"
#include "interp/heap/object.hpp"
#include "interp/objects/format.hpp"
#include "interp/objects/script_error.hpp"
#include "interp/vm/vm.hpp"
#include "lib/re_internal.hpp"

namespace weft::lib::re {

using interp::builtin_def;
using interp::resource_ref;
using interp::rooted;
namespace bi = interp::bi;

// -- Patterns ------------------------------------------------------------------------

bool is_pattern(value v) noexcept {
    return interp::is_native(v, interp::native_kind::resource) && interp::resource_ref_of(v).type == &pattern_type;
}

const compiled& compiled_of(value pattern) noexcept {
    return *reinterpret_cast<const compiled*>(std::uintptr_t(interp::resource_ref_of(pattern).key));
}

value make_pattern(interp::heap& h, const compiled& c) {
    // Traced: the source and the flags, what the pattern travels as.
    rooted source(h, c.is_bytes ? h.alloc_bytes(c.source) : h.alloc_str(c.source));
    value p = interp::alloc_resource(h, resource_ref{&pattern_type, 0, std::uint64_t(std::uintptr_t(&c))}, 2);
    interp::resource_slots(p)[0] = source;
    interp::resource_slots(p)[1] = value::from_int(std::int64_t(c.asked));
    return p;
}

// -- Matches -------------------------------------------------------------------------

namespace {

// The raw part after the resource_ref: pos, endpos, lastindex, then per
// group (0 first) its start and end as Python's indexes and as bytes (-1:
// the group took no part).
struct match_head {
    std::int64_t pos, endpos, lastindex, groups;
};
struct group_span {
    std::int64_t start, end, start_byte, end_byte;
};
constexpr std::size_t head_at = sizeof(resource_ref);
constexpr std::size_t spans_at = head_at + sizeof(match_head);

match_head head_of(value mt) noexcept {
    match_head h;
    std::memcpy(&h, interp::as_native(mt)->raw() + head_at, sizeof h);
    return h;
}
group_span span_of(value mt, std::int64_t g) noexcept {
    group_span s;
    std::memcpy(&s, interp::as_native(mt)->raw() + spans_at + std::size_t(g) * sizeof s, sizeof s);
    return s;
}
value subject_of(value mt) noexcept { return interp::resource_slots(mt)[0]; }
value pattern_of(value mt) noexcept { return interp::resource_slots(mt)[1]; }

// The group an argument names (an int, or a group's name): IndexError
// "no such group" otherwise, as Python's.
std::int64_t group_index(value mt, value g) {
    match_head h = head_of(mt);
    if (g.is_int() || g.is_bool()) {
        std::int64_t i = g.is_bool() ? std::int64_t(g.as_bool()) : g.as_int();
        if (i >= 0 && i <= h.groups - 1) return i;
    } else if (interp::is_str(g) || interp::is_bytes(g)) {
        if (interp::is_str(g)) {
            std::string_view name = interp::str_view(g);
            for (const auto& [n, i] : compiled_of(pattern_of(mt)).names)
                if (n == name) return i;
        }
    }
    interp::throw_script_error("IndexError", "no such group");
}

// The text of group g, or `missing` when it took no part (allocates).
value group_value(vm& m, value mt, std::int64_t g, value missing) {
    group_span s = span_of(mt, g);
    if (s.start < 0) return missing;
    value subject = subject_of(mt);
    if (interp::is_str(subject)) {
        std::string_view all = interp::str_view(subject);
        return m.heap().alloc_str(std::string(all.substr(std::size_t(s.start_byte), std::size_t(s.end_byte - s.start_byte))));
    }
    std::string_view all = interp::bytes_view(subject);
    return m.heap().alloc_bytes(std::string(all.substr(std::size_t(s.start_byte), std::size_t(s.end_byte - s.start_byte))));
}

value self_match(value* argv, const char* name) {
    if (!interp::is_native(argv[0], interp::native_kind::resource) || interp::resource_ref_of(argv[0]).type != &match_type)
        bi::type_error(std::string("descriptor '") + name + "' for 're.Match' objects doesn't apply to a '" +
                       interp::type_name_of(argv[0]) + "' object");
    return argv[0];
}

value match_group(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "group");
    rooted mt(m.heap(), self_match(argv, "group"));
    if (argc <= 2) return group_value(m, mt, argc == 2 ? group_index(mt, argv[1]) : 0, value::none());
    bi::rooted_values items(m.heap());
    for (std::uint32_t k = 1; k < argc; ++k) items.push_back(argv[k]);
    for (std::uint32_t k = 0; k + 1 < argc; ++k) items[k] = group_value(m, mt, group_index(mt, items[k]), value::none());
    return m.heap().alloc_tuple(std::span<const value>(items.data(), items.size()));
}

value match_groups(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    value def[1];
    bi::parse_kwargs(kwargs, "groups", {"default"}, def);
    if (argc > 2) bi::type_error("groups() takes at most 1 argument (" + std::to_string(argc - 1) + " given)");
    rooted mt(m.heap(), self_match(argv, "groups"));
    rooted missing(m.heap(), argc == 2 ? argv[1] : def[0].is_empty() ? value::none() : def[0]);
    std::int64_t n = head_of(mt).groups - 1;
    bi::rooted_values items(m.heap());
    for (std::int64_t g = 1; g <= n; ++g) {
        value v = group_value(m, mt, g, missing);
        items.push_back(v);
    }
    return m.heap().alloc_tuple(std::span<const value>(items.data(), items.size()));
}

value match_groupdict(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    value def[1];
    bi::parse_kwargs(kwargs, "groupdict", {"default"}, def);
    if (argc > 2) bi::type_error("groupdict() takes at most 1 argument (" + std::to_string(argc - 1) + " given)");
    rooted mt(m.heap(), self_match(argv, "groupdict"));
    rooted missing(m.heap(), argc == 2 ? argv[1] : def[0].is_empty() ? value::none() : def[0]);
    rooted d(m.heap(), m.heap().alloc_dict());
    const compiled& c = compiled_of(pattern_of(mt));
    for (const auto& [name, g] : c.names) {
        rooted key(m.heap(), m.heap().alloc_str(name));
        value v = group_value(m, mt, g, missing);
        m.heap().dict_set(d, key, v);
    }
    return d;
}

enum class which { start, end, span };
value match_position(vm& m, value* argv, std::uint32_t argc, value kwargs, const char* name, which w) {
    bi::no_kwargs(kwargs, name);
    if (argc > 2) bi::type_error(std::string(name) + " expected at most 1 argument, got " + std::to_string(argc - 1));
    value mt = self_match(argv, name);
    group_span s = span_of(mt, argc == 2 ? group_index(mt, argv[1]) : 0);
    if (w == which::start) return value::from_int(s.start);
    if (w == which::end) return value::from_int(s.end);
    value pair[2] = {value::from_int(s.start), value::from_int(s.end)};
    return m.heap().alloc_tuple(std::span<const value>(pair, 2));
}
value match_start(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return match_position(m, argv, argc, kwargs, "start", which::start);
}
value match_end(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return match_position(m, argv, argc, kwargs, "end", which::end);
}
value match_span(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return match_position(m, argv, argc, kwargs, "span", which::span);
}

// m.expand(template): the template with the match's groups, as sub() does.
value match_expand(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "expand");
    bi::exactly_one("expand", argc - 1);
    rooted mt(m.heap(), self_match(argv, "expand"));
    const compiled& c = compiled_of(pattern_of(mt));
    value t = argv[1];
    if (c.is_bytes ? !interp::is_bytes(t) : !interp::is_str(t))
        bi::type_error(std::string("expected ") + (c.is_bytes ? "a bytes-like object" : "str") + ", got '" +
                       interp::type_name_of(t) + "'");
    std::vector<template_piece> pieces;
    try {
        pieces = parse_template(c, c.is_bytes ? interp::bytes_view(t) : interp::str_view(t));
    } catch (const compile_failure& f) {
        raise_error(m, f, t);
    }
    value subject = subject_of(mt);
    std::string_view all = interp::is_str(subject) ? interp::str_view(subject) : interp::bytes_view(subject);
    std::string out;
    for (const template_piece& p : pieces) {
        if (p.group < 0) {
            out += p.literal;
            continue;
        }
        group_span s = span_of(mt, p.group);
        if (s.start >= 0) out += all.substr(std::size_t(s.start_byte), std::size_t(s.end_byte - s.start_byte));
    }
    return c.is_bytes ? m.heap().alloc_bytes(out) : m.heap().alloc_str(out);
}

value match_attr(vm& m, value self, std::string_view name) {
    match_head h = head_of(self);
    if (name == "string") return subject_of(self);
    if (name == "re") return pattern_of(self);
    if (name == "pos") return value::from_int(h.pos);
    if (name == "endpos") return value::from_int(h.endpos);
    if (name == "lastindex") return h.lastindex > 0 ? value::from_int(h.lastindex) : value::none();
    if (name == "lastgroup") {
        if (h.lastindex <= 0) return value::none();
        std::string_view n = compiled_of(pattern_of(self)).name_of(std::uint32_t(h.lastindex));
        return n.empty() ? value::none() : m.heap().alloc_str(n);
    }
    if (name == "regs") {
        rooted self_kept(m.heap(), self);
        bi::rooted_values items(m.heap());
        for (std::int64_t g = 0; g < h.groups; ++g) {
            group_span s = span_of(self_kept, g);
            value pair[2] = {value::from_int(s.start), value::from_int(s.end)};
            value t = m.heap().alloc_tuple(std::span<const value>(pair, 2));
            items.push_back(t);
        }
        return m.heap().alloc_tuple(std::span<const value>(items.data(), items.size()));
    }
    return value::empty();
}

std::string match_repr(value self, const interp::value_repr&) {
    group_span s = span_of(self, 0);
    value subject = subject_of(self);
    std::string_view all = interp::is_str(subject) ? interp::str_view(subject) : interp::bytes_view(subject);
    std::string_view text = all.substr(std::size_t(s.start_byte), std::size_t(s.end_byte - s.start_byte));
    return "<re.Match object; span=(" + std::to_string(s.start) + ", " + std::to_string(s.end) +
           "), match=" + (interp::is_str(subject) ? interp::repr_str(text) : interp::repr_bytes(text)) + ">";
}

constexpr builtin_def def_group{"group", match_group};
constexpr builtin_def def_groups{"groups", match_groups};
constexpr builtin_def def_groupdict{"groupdict", match_groupdict};
constexpr builtin_def def_start{"start", match_start};
constexpr builtin_def def_end{"end", match_end};
constexpr builtin_def def_span{"span", match_span};
constexpr builtin_def def_expand{"expand", match_expand};
constexpr std::array<const builtin_def*, 7> match_methods = {&def_group, &def_groups, &def_groupdict, &def_start,
                                                             &def_end,   &def_span,   &def_expand};

}  // namespace

const builtin_def def_Match{"re.Match", nullptr, interp::type_tag::resource};
const interp::resource_type match_type{&def_Match, match_methods, match_attr, match_repr, nullptr, 0};

value make_match(vm& m, value subject, value pattern, std::int64_t pos, std::int64_t endpos,
                 const std::vector<PCRE2_SIZE>& ov, positions& at) {
    std::size_t pairs = ov.size() / 2;
    match_head head{pos, endpos, 0, std::int64_t(pairs)};
    std::vector<group_span> spans(pairs);
    for (std::size_t g = 0; g < pairs; ++g) {
        if (ov[2 * g] == PCRE2_UNSET) {
            spans[g] = {-1, -1, -1, -1};
            continue;
        }
        std::int64_t s = at.to_index(ov[2 * g]);
        std::int64_t e = at.to_index(ov[2 * g + 1]);
        spans[g] = {s, e, std::int64_t(ov[2 * g]), std::int64_t(ov[2 * g + 1])};
        // lastindex: the group that closed last, as Python's (the latest end;
        // of groups ending together, the outermost).
        if (g > 0) {
            std::int64_t best = head.lastindex;
            if (best == 0 || e > spans[std::size_t(best)].end ||
                (e == spans[std::size_t(best)].end && s < spans[std::size_t(best)].start))
                head.lastindex = std::int64_t(g);
        }
    }
    value kept[2] = {subject, pattern};
    interp::root_scope keep(m.heap(), kept, 2);
    value mt = interp::alloc_native(m.heap(), interp::native_kind::resource, 2,
                                    std::uint32_t(spans_at + pairs * sizeof(group_span)));
    interp::set_native_raw(mt, resource_ref{&match_type, 0, 0});
    std::memcpy(interp::as_native(mt)->raw() + head_at, &head, sizeof head);
    std::memcpy(interp::as_native(mt)->raw() + spans_at, spans.data(), pairs * sizeof(group_span));
    interp::resource_slots(mt)[0] = kept[0];
    interp::resource_slots(mt)[1] = kept[1];
    return mt;
}

}  // namespace weft::lib::re

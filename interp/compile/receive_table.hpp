// receive_table.hpp: a `receive` statement's cases as data that the VM
// matches against queued messages where they lie (term_view, in the
// envelope; message/receive_match.hpp), so a message that matches no case
// is never rebuilt in the actor's heap; only the parts a matching case
// captures are.
//
// The compiler (compiler_receive.cpp) turns each case's pattern into a flat
// pre-order list of nodes; the values a pattern compares with (literals,
// dotted names, mapping keys) are evaluated into registers before the
// receive starts, so matching needs no code of its own and never allocates.
// Guards are ordinary bytecode that runs after a case matched: if a guard
// fails, the scan goes on with the next case for the same message.
//
// Plain data, built once by the compiler and then only read.
#pragma once
#include <cstdint>
#include <vector>

namespace weft::interp {

inline constexpr std::uint8_t no_register = 0xff;

struct recv_node {
    enum class kind : std::uint8_t {
        any,       // `_`
        capture,   // a name: the value goes to R[reg]
        equal,     // == R[reg] (a literal or dotted name)
        none,      // `None`, `True`, `False`: by identity
        true_,
        false_,
        sequence,  // `(a, b)`, `[a, *rest]`: `count` fixed elements follow
        mapping,   // `{k: p, **rest}`: `count` value patterns follow, keys in R[key_base ..]
        type,      // `int(p)`: a type_tag in `tag`; one sub-pattern follows when count is 1
        alt,       // `p | q`: `count` alternatives follow
        as,        // `p as name`: one sub-pattern follows; the value goes to R[reg]
    };
    kind k = kind::any;
    std::uint8_t reg = no_register;
    std::uint8_t tag = 0;
    std::uint8_t rest_reg = no_register;  // sequence: *rest's list; mapping: **rest's dict
    std::uint8_t key_base = 0;
    std::int16_t star = -1;               // sequence: fixed elements before *rest (-1: no star)
    std::uint16_t count = 0;
    std::uint32_t size = 1;               // nodes in this subtree, itself included
};

struct recv_case {
    std::vector<recv_node> pattern;  // pre-order
    std::uint32_t target = 0;        // pc of the case's code (binding, guard, body)
    // A register holding, when the receive begins, a value every message this
    // case takes must contain: the guard says `captured == name` of a local
    // that no case of the receive captures. When it holds a ref made after
    // the mailbox's mark, the scan may start at the mark (OTP's receive
    // marker: a call's reply is found without looking at older messages).
    std::uint8_t needs_reg = no_register;
};

struct recv_table {
    std::vector<recv_case> cases;
    // Every case has a needs_reg: the scan may start at the mailbox's mark.
    bool all_need_values = false;
    std::uint32_t after = 0;  // pc of the `after` block (has_after only)
    bool has_after = false;
};

}  // namespace weft::interp

// ast.hpp: the syntax tree of a Weft module, as the parser builds it and the
// compiler walks it.
//
// Plain data: every node is a struct with public fields, a `kind` to switch
// on, and its source position. Three families: expressions (expr), statements
// (stmt) and match/receive patterns (pattern). Children are owned through
// std::unique_ptr and std::vector; an absent optional child is a null pointer
// or an empty block. Walk it with a switch:
//
//     switch (e.kind) {
//         case ast::expr_kind::binary: { const auto& b = e.as<ast::binary>(); ... }
//
// What the tree guarantees (the parser checks it, so the compiler need not):
//   - Expression nesting is at most parser max_nesting (200) deep, and blocks
//     at most max_indent_levels (100), so recursive walks are safe.
//   - Assignment, augmented-assignment and for targets are names, subscripts,
//     or tuples/lists of targets with at most one starred element per level.
//     Never attributes, calls or literals.
//   - A `slice` only appears as the direct index of a `subscript`.
//   - A `starred` only appears as a call argument, a tuple/list display element
//     or an assignment/for target.
// What it leaves to the compiler (semantics, not syntax): `return`, `break` and
// `continue` outside a function or loop; or-pattern alternatives binding
// different names; duplicate names in one pattern or duplicate mapping keys;
// an irrefutable case before others.
//
// It must never hold a pointer back into the source text or the tokens.
#pragma once
#include <cassert>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "interp/syntax/source_pos.hpp"

namespace weft::interp::ast {

struct expr;
struct stmt;
struct pattern;
using expr_ptr = std::unique_ptr<expr>;
using stmt_ptr = std::unique_ptr<stmt>;
using pattern_ptr = std::unique_ptr<pattern>;
using block = std::vector<stmt_ptr>;

// The base of every node family: the kind to switch on, the position, and a
// checked downcast.
template <class Kind>
struct node {
    const Kind kind;
    source_pos pos;

    virtual ~node() = default;
    node(const node&) = delete;
    node& operator=(const node&) = delete;

    template <class T>
    T& as() {
        assert(kind == T::static_kind);
        return static_cast<T&>(*this);
    }
    template <class T>
    const T& as() const {
        assert(kind == T::static_kind);
        return static_cast<const T&>(*this);
    }
    template <class T>
    bool is() const {
        return kind == T::static_kind;
    }

protected:
    node(Kind k, source_pos p) : kind(k), pos(p) {}
};

// ---------------------------------------------------------------- operators

enum class unary_op : std::uint8_t { neg, pos, invert, not_ };
enum class binary_op : std::uint8_t {
    add, sub, mul, div, floor_div, mod, pow, lshift, rshift, bit_or, bit_xor, bit_and,
};
enum class logic_op : std::uint8_t { and_, or_ };
enum class compare_op : std::uint8_t { eq, ne, lt, le, gt, ge, in, not_in, is, is_not };

// ---------------------------------------------------------------- expressions

enum class expr_kind : std::uint8_t {
    name, none, boolean, integer, floating, string, bytes, fstring,
    tuple, list, dict, set, list_comp, dict_comp, set_comp, gen_exp, starred,
    unary, binary, logic, compare, if_exp, lambda, call, attribute, subscript, slice,
};

struct expr : node<expr_kind> {
    using node::node;
};

template <expr_kind K>
struct expr_node : expr {
    static constexpr expr_kind static_kind = K;
    explicit expr_node(source_pos p) : expr(K, p) {}
};

struct name : expr_node<expr_kind::name> {
    using expr_node::expr_node;
    std::string id;
};

struct none_lit : expr_node<expr_kind::none> {
    using expr_node::expr_node;
};

struct bool_lit : expr_node<expr_kind::boolean> {
    using expr_node::expr_node;
    bool value = false;
};

// An int literal. `value` holds it when it fits in 64 bits (big == false).
// `digits` and `base` always hold the literal's digits (no prefix, no '_'),
// so a bignum library can read big ones directly (mpz_set_str(digits, base)).
struct int_lit : expr_node<expr_kind::integer> {
    using expr_node::expr_node;
    bool big = false;
    std::int64_t value = 0;
    std::string digits;
    int base = 10;
};

struct float_lit : expr_node<expr_kind::floating> {
    using expr_node::expr_node;
    double value = 0;  // may be inf for 1e999, as in Python
};

// Adjacent literals are already joined: "a" 'b' is one str_lit "ab".
struct str_lit : expr_node<expr_kind::string> {
    using expr_node::expr_node;
    std::string value;  // UTF-8
};

struct bytes_lit : expr_node<expr_kind::bytes> {
    using expr_node::expr_node;
    std::string value;  // raw bytes
};

// One part of an f-string: literal text (value == nullptr) or a field.
struct fstring_part {
    source_pos pos;
    std::string literal;   // literal parts only
    expr_ptr value;        // fields only
    char conversion = 0;   // 0, 'r', 's' or 'a'
    expr_ptr spec;         // the format spec, an fstring node, or null
};

// f"..." (with adjacent plain strings folded in). A `{x=}` field arrives as
// the literal "x=" followed by the field with conversion 'r', as in Python.
struct fstring : expr_node<expr_kind::fstring> {
    using expr_node::expr_node;
    std::vector<fstring_part> parts;
};

struct tuple_expr : expr_node<expr_kind::tuple> {
    using expr_node::expr_node;
    std::vector<expr_ptr> elts;
};

struct list_expr : expr_node<expr_kind::list> {
    using expr_node::expr_node;
    std::vector<expr_ptr> elts;
};

// {1, 2, *xs}; `{}` is an empty dict, as in Python.
struct set_expr : expr_node<expr_kind::set> {
    using expr_node::expr_node;
    std::vector<expr_ptr> elts;
};

// {} is an empty dict; `{**d, k: v}` has a null key for each `**d`.
struct dict_expr : expr_node<expr_kind::dict> {
    using expr_node::expr_node;
    std::vector<expr_ptr> keys, values;  // same length
};

// One `for target in iter if cond...` clause of a comprehension.
struct comp_for {
    source_pos pos;
    expr_ptr target;
    expr_ptr iter;
    std::vector<expr_ptr> ifs;
};

struct list_comp : expr_node<expr_kind::list_comp> {
    using expr_node::expr_node;
    expr_ptr elt;
    std::vector<comp_for> generators;  // at least one
};

struct set_comp : expr_node<expr_kind::set_comp> {
    using expr_node::expr_node;
    expr_ptr elt;
    std::vector<comp_for> generators;
};

struct dict_comp : expr_node<expr_kind::dict_comp> {
    using expr_node::expr_node;
    expr_ptr key, value;
    std::vector<comp_for> generators;
};

// `(x for x in xs)`, also `sum(x for x in xs)`. Not in LANGUAGE.md, but
// Python programmers write it with any/all/sum/join; the compiler may build it
// eagerly as a list comprehension.
struct gen_exp : expr_node<expr_kind::gen_exp> {
    using expr_node::expr_node;
    expr_ptr elt;
    std::vector<comp_for> generators;
};

struct starred : expr_node<expr_kind::starred> {
    using expr_node::expr_node;
    expr_ptr value;
};

struct unary : expr_node<expr_kind::unary> {
    using expr_node::expr_node;
    unary_op op = unary_op::neg;
    expr_ptr operand;
};

struct binary : expr_node<expr_kind::binary> {
    using expr_node::expr_node;
    binary_op op = binary_op::add;
    expr_ptr left, right;
};

// `a and b and c`: one node, all operands (short-circuit in order).
struct logic : expr_node<expr_kind::logic> {
    using expr_node::expr_node;
    logic_op op = logic_op::and_;
    std::vector<expr_ptr> values;  // at least two
};

// `a < b <= c`: left, then ops[i] against comparators[i] (same length).
struct compare : expr_node<expr_kind::compare> {
    using expr_node::expr_node;
    expr_ptr left;
    std::vector<compare_op> ops;
    std::vector<expr_ptr> comparators;
};

// `body if test else orelse`
struct if_exp : expr_node<expr_kind::if_exp> {
    using expr_node::expr_node;
    expr_ptr test, body, orelse;
};

struct param {
    source_pos pos;
    std::string name;
    expr_ptr default_value;  // null when none
    expr_ptr annotation;     // def only; parsed, never required: the compiler may ignore it
};

// `a, b=1, *rest, k=2`: positional params (defaults only on a suffix), then an
// optional `*rest` (or a bare `*`), then keyword-only params.
struct parameters {
    std::vector<param> positional;
    bool has_star = false;     // `*` or `*name` present
    std::string vararg;        // the name after '*', empty for a bare '*'
    source_pos vararg_pos;
    std::vector<param> kwonly;  // after the '*'; a bare '*' always has some
    std::string varkw;          // the name after '**', empty when there is none
};

struct lambda : expr_node<expr_kind::lambda> {
    using expr_node::expr_node;
    parameters params;
    expr_ptr body;
};

struct keyword {
    source_pos pos;
    std::string name;
    expr_ptr value;
};

// `func(args..., name=value...)`; args may include starred (`*xs`) elements.
// Keywords always follow the positional arguments and are never repeated.
struct call : expr_node<expr_kind::call> {
    using expr_node::expr_node;
    expr_ptr func;
    std::vector<expr_ptr> args;
    std::vector<keyword> keywords;
};

// `value.attr`: in Weft only method calls and module members use it.
struct attribute : expr_node<expr_kind::attribute> {
    using expr_node::expr_node;
    expr_ptr value;
    std::string attr;
};

// `value[index]`; index is a slice node for `x[a:b:c]`, a tuple for `d[1, 2]`.
struct subscript : expr_node<expr_kind::subscript> {
    using expr_node::expr_node;
    expr_ptr value;
    expr_ptr index;
};

struct slice : expr_node<expr_kind::slice> {
    using expr_node::expr_node;
    expr_ptr lower, upper, step;  // each may be null (omitted)
};

// ---------------------------------------------------------------- patterns

enum class pattern_kind : std::uint8_t {
    value, singleton, capture, wildcard, sequence, star, mapping, type, or_, as,
};

struct pattern : node<pattern_kind> {
    using node::node;
};

template <pattern_kind K>
struct pattern_node : pattern {
    static constexpr pattern_kind static_kind = K;
    explicit pattern_node(source_pos p) : pattern(K, p) {}
};

// Matches by ==. value is an int/float/str/bytes literal, a unary minus on a
// number literal (`-1`), or a dotted name (`config.PING`, an attribute chain).
struct value_pattern : pattern_node<pattern_kind::value> {
    using pattern_node::pattern_node;
    expr_ptr value;
};

// None, True, False: matched by identity, as in Python (so 1 is not True).
enum class singleton : std::uint8_t { none, true_, false_ };
struct singleton_pattern : pattern_node<pattern_kind::singleton> {
    using pattern_node::pattern_node;
    singleton value = singleton::none;
};

struct capture_pattern : pattern_node<pattern_kind::capture> {
    using pattern_node::pattern_node;
    std::string name;  // never "_"
};

struct wildcard_pattern : pattern_node<pattern_kind::wildcard> {
    using pattern_node::pattern_node;
};

// `(a, b)` or `[a, *rest]`: both match a tuple or a list of that length.
// At most one element is a star_pattern.
struct sequence_pattern : pattern_node<pattern_kind::sequence> {
    using pattern_node::pattern_node;
    std::vector<pattern_ptr> elts;
    bool brackets = false;  // written with [] (it matches the same either way)
};

// `*rest` inside a sequence pattern; name empty for `*_`.
struct star_pattern : pattern_node<pattern_kind::star> {
    using pattern_node::pattern_node;
    std::string name;
};

// `{"k": v, 1: w, **rest}`: keys are literals or dotted names as in value_pattern.
struct mapping_pattern : pattern_node<pattern_kind::mapping> {
    using pattern_node::pattern_node;
    std::vector<expr_ptr> keys;
    std::vector<pattern_ptr> values;  // same length as keys
    std::string rest;                 // `**rest`, empty when absent
};

// `int(n)`, `str()`: the subject's type is type_name (one of int float str
// bytes bool tuple list dict pid ref) and, if arg, the subject matches arg.
struct type_pattern : pattern_node<pattern_kind::type> {
    using pattern_node::pattern_node;
    std::string type_name;
    pattern_ptr arg;  // null for `int()`
};

struct or_pattern : pattern_node<pattern_kind::or_> {
    using pattern_node::pattern_node;
    std::vector<pattern_ptr> alts;  // at least two
};

// `p as name`
struct as_pattern : pattern_node<pattern_kind::as> {
    using pattern_node::pattern_node;
    pattern_ptr pattern;
    std::string name;
};

// ---------------------------------------------------------------- statements

enum class stmt_kind : std::uint8_t {
    expr, assign, aug_assign, if_, while_, for_, break_, continue_, pass, return_, def,
    try_, raise, assert_, match, receive, import, with, del,
};

struct stmt : node<stmt_kind> {
    using node::node;
};

template <stmt_kind K>
struct stmt_node : stmt {
    static constexpr stmt_kind static_kind = K;
    explicit stmt_node(source_pos p) : stmt(K, p) {}
};

struct expr_stmt : stmt_node<stmt_kind::expr> {
    using stmt_node::stmt_node;
    expr_ptr value;
};

// `a = b = value`: targets in source order, each a valid target (see top).
struct assign : stmt_node<stmt_kind::assign> {
    using stmt_node::stmt_node;
    std::vector<expr_ptr> targets;
    expr_ptr value;
};

// `del a, d[k], xs[1:3]`: names, subscripts, and tuples or lists of them.
struct del_stmt : stmt_node<stmt_kind::del> {
    using stmt_node::stmt_node;
    std::vector<expr_ptr> targets;
};

// `target op= value`: target is a name or a subscript.
struct aug_assign : stmt_node<stmt_kind::aug_assign> {
    using stmt_node::stmt_node;
    expr_ptr target;
    binary_op op = binary_op::add;
    expr_ptr value;
};

// `if`/`elif` arms are a flat list, so a long elif chain is not a deep tree.
struct if_branch {
    source_pos pos;  // of the `if` or `elif` keyword
    expr_ptr test;
    block body;
};

struct if_stmt : stmt_node<stmt_kind::if_> {
    using stmt_node::stmt_node;
    std::vector<if_branch> branches;  // at least one
    block orelse;
};

struct while_stmt : stmt_node<stmt_kind::while_> {
    using stmt_node::stmt_node;
    expr_ptr test;
    block body;
    block orelse;  // runs when the loop ends without `break`
};

struct for_stmt : stmt_node<stmt_kind::for_> {
    using stmt_node::stmt_node;
    expr_ptr target;
    expr_ptr iter;
    block body;
    block orelse;
};

struct break_stmt : stmt_node<stmt_kind::break_> {
    using stmt_node::stmt_node;
};

struct continue_stmt : stmt_node<stmt_kind::continue_> {
    using stmt_node::stmt_node;
};

struct pass_stmt : stmt_node<stmt_kind::pass> {
    using stmt_node::stmt_node;
};

struct return_stmt : stmt_node<stmt_kind::return_> {
    using stmt_node::stmt_node;
    expr_ptr value;  // null for a bare `return`
};

struct def_stmt : stmt_node<stmt_kind::def> {
    using stmt_node::stmt_node;
    std::string name;
    parameters params;
    expr_ptr returns;  // `-> annotation`, may be ignored
    block body;
};

struct except_handler {
    source_pos pos;
    expr_ptr type;     // null for a bare `except:`; a tuple for `except (A, B)`
    std::string name;  // `as name`, empty when absent
    block body;
};

// At least one handler or a finally block; `else` only with handlers; a bare
// `except:` only last.
struct try_stmt : stmt_node<stmt_kind::try_> {
    using stmt_node::stmt_node;
    block body;
    std::vector<except_handler> handlers;
    block orelse;
    block finalbody;
};

// `with a as x, b:` enters its items left to right; each is exited (its
// __exit__ closes it) when the block is left in any way, the last first.
struct with_item {
    expr_ptr context;
    expr_ptr target;  // `as target`; null when absent
};

struct with_stmt : stmt_node<stmt_kind::with> {
    using stmt_node::stmt_node;
    std::vector<with_item> items;  // at least one
    block body;
};

struct raise_stmt : stmt_node<stmt_kind::raise> {
    using stmt_node::stmt_node;
    expr_ptr exc;  // null for a bare `raise` (re-raise)
};

struct assert_stmt : stmt_node<stmt_kind::assert_> {
    using stmt_node::stmt_node;
    expr_ptr test;
    expr_ptr msg;  // may be null
};

// One `case pattern [if guard]:` arm of match or receive.
struct match_case {
    source_pos pos;
    pattern_ptr pattern;
    expr_ptr guard;  // may be null
    block body;
};

struct match_stmt : stmt_node<stmt_kind::match> {
    using stmt_node::stmt_node;
    expr_ptr subject;
    std::vector<match_case> cases;  // at least one
};

// `receive:` with its cases and an optional `after timeout:` block. `timeout`
// is null when there is no after clause; cases may be empty when there is one.
struct receive_stmt : stmt_node<stmt_kind::receive> {
    using stmt_node::stmt_node;
    std::vector<match_case> cases;
    source_pos after_pos;
    expr_ptr timeout;
    block after_body;
};

// `import name [as other]`; `import a, b` gives one node per name. `from
// module import a, b as c` is one node whose `names` say what each binds.
struct import_stmt : stmt_node<stmt_kind::import> {
    using stmt_node::stmt_node;
    std::string module;
    std::string bind_as;  // the name `import` binds (module's own without `as`)
    struct imported_name {
        std::string name, bind_as;
        source_pos pos;
    };
    bool from = false;
    std::vector<imported_name> names;  // from-import only
};

struct module {
    std::string file;
    block body;
};

}  // namespace weft::interp::ast

// scope.hpp: which names are local, captured, free or global, for every
// function of a module (Python's rules, without `global` and `nonlocal`).
//
// A name assigned anywhere in a function (parameters, assignment and for
// targets, def, import, `except ... as`, pattern captures) is local to it.
// A name a function uses but does not assign is looked up outwards: in an
// enclosing function that assigns it (then it is free here and a cell there),
// else at module level (a global, or a builtin when the module never binds
// it). Comprehensions have their own scope for their targets, as in Python 3,
// but are compiled inline: their other names are their function's.
//
// Pure analysis over the AST: it reports nothing and allocates no values.
#pragma once
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "interp/syntax/ast.hpp"

namespace weft::interp {

struct scope_info {
    bool is_module = false;
    bool is_comprehension = false;
    std::unordered_set<std::string> assigned;  // locals (globals for the module)
    std::unordered_set<std::string> cells;     // locals that inner functions capture
    std::unordered_set<std::string> deleted;   // locals some `del` unbinds: never definitely bound
    std::vector<std::string> frees;            // names captured from outside, in slot order
    std::unordered_map<std::string, int> free_index;
};

class scope_table {
public:
    // Analyses a whole module.
    explicit scope_table(const ast::module& m);

    // The scope of the module body, a def, a lambda or a comprehension node.
    const scope_info& of(const void* node) const { return scopes_.at(node); }
    const scope_info& module_scope() const { return scopes_.at(module_); }

private:
    std::unordered_map<const void*, scope_info> scopes_;
    const void* module_;
};

}  // namespace weft::interp

// compiler.hpp: a parsed module (ast.hpp) to bytecode (code.hpp, opcodes.hpp).
//
// One pass over the tree per function, after scope analysis (scope.hpp).
// Locals get fixed registers, temporaries are stacked above them; the
// compiler never allocates on an actor's heap: constants go to the program's
// frozen arena. Errors the parser leaves to it (`return` outside a function,
// `break` outside a loop, a function needing more than 250 registers) are
// syntax_errors, reported like the parser's.
#pragma once
#include <functional>
#include <string_view>

#include "interp/compile/code.hpp"
#include "interp/syntax/ast.hpp"
#include "interp/syntax/source_pos.hpp"

namespace weft::interp {

// Finds (loading it first if needed) the module that `import name`, at
// `where` in the importing module, names; null when there is none. Called
// during compilation.
using import_resolver = std::function<const module*(std::string_view name, source_pos where)>;

// Compiles `tree` as the body of `mod` (whose name, file and source are set)
// and sets mod.body, mod.global_names and mod.global_index.
void compile_module(program& prog, module& mod, const ast::module& tree, const import_resolver& imports);

// Compiles one input of the shell (`tree`) as a new body of `mod`, which
// keeps its globals between inputs: names bound by earlier inputs are its
// globals, even where a builtin has the name. Each expression statement
// outside functions calls `display` (a frozen builtin) with its value, as
// Python's interactive mode calls sys.displayhook. mod.body is left as it is.
const proto& compile_input(program& prog, module& mod, const ast::module& tree, const import_resolver& imports,
                           value display);

}  // namespace weft::interp

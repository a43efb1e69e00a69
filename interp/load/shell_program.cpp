// shell_program.cpp: see shell_program.hpp.
#include "interp/load/shell_program.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "interp/compile/compiler.hpp"
#include "interp/objects/natives.hpp"
#include "interp/syntax/parser.hpp"

namespace weft::interp {

namespace {

// Room for what a long day at the prompt defines: the tables are reserved
// once (their addresses must never change), so this is virtual memory, not
// memory used.
constexpr std::size_t max_protos = std::size_t{1} << 20;
constexpr std::size_t max_modules = 4096;
constexpr std::size_t max_attrs = std::size_t{1} << 16;
constexpr std::size_t max_names = std::size_t{1} << 16;

void add_builtins_deep(program& prog, const native_module& m) {
    prog.add_port_types(m);
    prog.add_builtins(m);
    for (const native_module* sub : m.submodules) add_builtins_deep(prog, *sub);
}

bool is_blank(std::string_view line) { return line.find_first_not_of(" \t\r\f\n") == std::string_view::npos; }

// The last line of `text` (which ends with '\n'), without it.
std::string_view last_line(std::string_view text) {
    if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
    auto nl = text.rfind('\n');
    return nl == std::string_view::npos ? text : text.substr(nl + 1);
}

std::uint32_t count_lines(std::string_view text) {
    return std::uint32_t(std::count(text.begin(), text.end(), '\n') + (text.empty() || text.back() == '\n' ? 0 : 1));
}

bool starts_block(const ast::stmt& s) {
    using K = ast::stmt_kind;
    switch (s.kind) {
    case K::if_: case K::while_: case K::for_: case K::def: case K::try_: case K::match: case K::receive:
    case K::with: return true;
    default: return false;
    }
}

// The error says the text stopped too soon: it lies past the text's last
// line, or after the last thing on it (an open bracket, string or block).
bool ends_early(const syntax_error& e, std::string_view text) {
    std::uint32_t lines = count_lines(text);
    if (e.line() > lines) return true;
    if (e.line() < lines) return false;
    return e.col() > last_line(text).size();
}

std::string stem_of(const std::string& path) {
    auto slash = path.rfind('/');
    std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    auto dot = name.rfind('.');
    return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

std::string folder_of(const std::string& path) {
    auto slash = path.rfind('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

}  // namespace

shell_program::shell_program(load_options opts) : opts_(std::move(opts)) {
    prog_ = std::make_unique<program>(script_globals());
    prog_->reserve_for_growth(max_protos, max_modules, max_attrs);
    for (const native_module* m : opts_.natives) add_builtins_deep(*prog_, *m);
    inputs_ = &prog_->new_module();  // the first module: the program's main one
    inputs_->name = "__main__";
    inputs_->file = "<stdin>";
    inputs_->globals.reserve(max_names);
    inputs_->global_names.reserve(max_names);
    inputs_->live_arena = &prog_->arena();
}

const module& shell_program::add_module(const std::string& name, const std::string& file, std::string source) {
    return load_module_into(*prog_, opts_, folder_of(file), name, file, std::move(source));
}

shell_program::input_kind shell_program::classify(const std::string& text) {
    if (is_blank(text)) return input_kind::empty;
    const bool closed = is_blank(last_line(text)) && count_lines(text) > 1;  // a blank line ends a block
    try {
        std::unique_ptr<ast::module> tree = parse_module(text, "<stdin>");
        if (!closed && !tree->body.empty() && starts_block(*tree->body.front())) return input_kind::open_block;
        return input_kind::complete;
    } catch (const syntax_error& e) {
        // An open bracket or triple-quoted string goes on, past blank lines
        // too (as in Python); the parser reports them where they opened.
        if (e.message().ends_with("was never closed") || e.message().starts_with("unterminated triple-quoted"))
            return input_kind::incomplete;
        // Else an error past the end is a block that goes on, until a
        // blank line ends it (then it was left empty).
        return ends_early(e, text) && !closed ? input_kind::open_block : input_kind::invalid;
    }
}

const proto& shell_program::compile(const std::string& text, value display) {
    std::unique_ptr<ast::module> tree = parse_module(text, "<stdin>");
    return compile_input(*prog_, *inputs_, *tree, [this](std::string_view name, source_pos) {
        return import_into(*prog_, opts_, "", name);
    }, display);
}

std::vector<std::string> shell_program::load_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw load_error(2, "load: cannot read " + path + ": " + std::strerror(errno) + "\n");
    std::ostringstream ss;
    ss << in.rdbuf();
    // A name of its own for each load: a function travels by its module's
    // name, and a file loaded twice is two modules.
    std::string name = stem_of(path);
    if (++loads_ > 1 && prog_->find_module(name)) name += "#" + std::to_string(loads_);
    const module& m = load_module_into(*prog_, opts_, folder_of(path), name, path, ss.str());
    std::vector<std::string> bound;
    for (std::size_t k = 0; k < m.globals.size(); ++k) {
        if (m.globals[k].is_empty()) continue;
        bind(m.global_names[k], m.globals[k]);
        bound.push_back(m.global_names[k]);
    }
    return bound;
}

void shell_program::bind(std::string_view name, value frozen) {
    std::uint32_t slot = inputs_->add_global(name);
    std::atomic_ref<value>(inputs_->globals[slot]).store(frozen, std::memory_order_release);
}

std::vector<std::string> shell_program::names() const {
    std::vector<std::string> out;
    std::shared_lock<std::shared_mutex> lock(inputs_->names_lock);
    for (std::size_t k = 0; k < inputs_->globals.size(); ++k)
        if (!std::atomic_ref<value>(inputs_->globals[k]).load(std::memory_order_acquire).is_empty())
            out.push_back(inputs_->global_names[k]);
    return out;
}

std::vector<std::string> shell_program::module_attributes(std::string_view name) const {
    std::vector<std::string> out;
    std::uint32_t slot = inputs_->slot_of(name);
    if (slot != module::no_slot) {
        value v = std::atomic_ref<value>(inputs_->globals[slot]).load(std::memory_order_acquire);
        if (!is_native(v, native_kind::module)) return out;
        const module* m = module_of(v);
        for (std::size_t k = 0; k < m->globals.size(); ++k)
            if (!m->globals[k].is_empty()) out.push_back(m->global_names[k]);
        return out;
    }
    for (const native_module* native : opts_.natives) {  // not imported yet: what `import` would bring
        if (name != native->name) continue;
        for (const builtin_def* def : native->functions) {
            std::string_view n = def->name;
            out.emplace_back(n.substr(n.rfind('.') + 1));
        }
        for (const native_constant& c : native->constants) out.emplace_back(c.name);
        for (const native_module* sub : native->submodules) {
            std::string_view n = sub->name;
            out.emplace_back(n.substr(n.rfind('.') + 1));
        }
    }
    return out;
}

}  // namespace weft::interp

// loader.cpp: loading a program (see loader.hpp). Imports are resolved
// while the importer compiles: `import util` loads, compiles and runs
// util.weft before the importer's own body ever runs, so at run time an
// import is just a constant. Cycles are reported, not half-loaded.
#include "interp/load/loader.hpp"

#include <fstream>
#include <sstream>

#include "interp/actor/actor_builtins.hpp"
#include "interp/actor/file_object.hpp"
#include "interp/actor/introspection.hpp"
#include "interp/actor/node_builtins.hpp"
#include "interp/builtins/builtins.hpp"
#include "interp/compile/compiler.hpp"
#include "interp/objects/natives.hpp"
#include "interp/syntax/parser.hpp"
#include "interp/vm/vm.hpp"

namespace weft::interp {

namespace {

std::string folder_of(const std::string& path) {
    auto slash = path.rfind('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

std::string stem_of(const std::string& path) {
    std::string name = path.substr(folder_of(path).size());
    auto dot = name.rfind('.');
    return dot == std::string::npos ? name : name.substr(0, dot);
}

bool read_file(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream ss;
    ss << in.rdbuf();
    out = ss.str();
    return true;
}

class loader {
public:
    loader(program& prog, const load_options& opts, std::string main_folder)
        : prog_(prog), opts_(opts), main_folder_(std::move(main_folder)) {}

    const module& load(const std::string& name, const std::string& file, std::string source) {
        module& mod = prog_.new_module();
        mod.name = name;
        mod.file = file;
        mod.source = std::move(source);
        mod.code_hash = 14695981039346656037ull;  // FNV-1a, 64 bits
        for (unsigned char c : mod.source) mod.code_hash = (mod.code_hash ^ c) * 1099511628211ull;
        loading_.push_back(name);

        std::unique_ptr<ast::module> tree;
        try {
            tree = parse_module(mod.source, mod.file);
            compile_module(prog_, mod, *tree, [this, &mod](std::string_view n, source_pos where) {
                const module* found = import(std::string(n));
                if (!found && !opts_.run_bodies) throw syntax_error(mod.file, where, "No module named '" + std::string(n) + "'");
                return found;
            });
        } catch (const syntax_error& e) {
            throw load_error(2, format_syntax_error(e, mod.source));
        }
        tree.reset();
        if (opts_.run_bodies) run_body(mod);
        mod.self = make_module_value(mod);
        loading_.pop_back();
        return mod;
    }

    const module* import(const std::string& name) {
        if (const module* m = prog_.find_module(name)) {
            for (const auto& l : loading_)
                if (l == name) throw load_error(1, "ImportError: circular import of module '" + name + "'\n");
            return m;
        }
        for (const native_module* native : opts_.natives)
            if (name == native->name) return &load_native(*native);
        std::vector<std::string> folders{main_folder_};
        for (const auto& p : opts_.search_path) folders.push_back(p.empty() || p.back() == '/' ? p : p + "/");
        for (const auto& folder : folders) {
            std::string path = folder + name + ".weft";
            std::string source;
            if (read_file(path, source)) return &load(name, path, std::move(source));
        }
        return nullptr;
    }

private:
    // A native module (lib/): its functions and constants as the module's
    // globals, frozen values all; it has no body to run.
    const module& load_native(const native_module& native) {
        module& mod = prog_.new_module();
        mod.name = native.name;
        mod.file = std::string("<native module ") + native.name + ">";
        prog_.add_builtins(native);
        auto bind = [&](const char* global, value v) {
            mod.global_index.emplace(global, std::uint32_t(mod.global_names.size()));
            mod.global_names.emplace_back(global);
            mod.globals.push_back(v);
        };
        // A type named after its module ("os.stat_result", as Python shows
        // it) is the module's global by its last part ("stat_result").
        for (const builtin_def* def : native.functions) {
            std::string_view name = def->name;
            bind(def->name + name.rfind('.') + 1, prog_.builtin_value(def));
        }
        native_context context{opts_.argv};
        for (const native_constant& c : native.constants) bind(c.name, c.make(prog_.arena(), context));
        for (const native_module* sub : native.submodules) {
            std::string_view name = sub->name;
            bind(sub->name + name.rfind('.') + 1, load_native(*sub).self);
        }
        mod.self = make_module_value(mod);
        return mod;
    }

    value make_module_value(const module& mod) {
        heap scratch;
        value v = alloc_native(scratch, native_kind::module, 0, sizeof(const module*));
        set_native_raw(v, &mod);
        return prog_.arena().freeze(v);
    }

    // Runs the module's body once, its globals rooted meanwhile, then freezes
    // them (one freeze for all, so values shared between globals stay shared).
    void run_body(module& mod) {
        vm_options vo;
        vo.heap = opts_.heap;
        vo.out = opts_.out ? &opts_.out : nullptr;
        vm machine(prog_, vo);
        heap& h = machine.heap();
        root_scope globals(h, mod.globals.data(), mod.globals.size());
        value body = alloc_native(h, native_kind::function, 0, sizeof(const proto*));
        set_native_raw(body, mod.body);
        machine.start(body, {});
        run_status status;
        do status = machine.run();
        while (status == run_status::yielded);
        if (status == run_status::failed) {
            value e = machine.error();
            if (is_native(e, native_kind::exception) &&
                exception_class_named(builtin_of(exception_class(e)), "SystemExit")) {
                // sys.exit at module level: as Python, status 0 for no code,
                // the code for an int, else 1 with the message.
                value code = system_exit_code(e);
                if (code.is_none()) throw load_error(0, "", 0);
                if (code.is_int()) throw load_error(int(code.as_int() & 0xff), "", int(code.as_int() & 0xff));
                throw load_error(1, machine.str(code) + "\n", 1);
            }
            throw load_error(1, machine.format_exception(e));
        }
        value all = h.alloc_tuple(std::span<const value>(mod.globals.data(), mod.globals.size()));
        value frozen = prog_.arena().freeze(all);
        for (std::size_t k = 0; k < mod.globals.size(); ++k) mod.globals[k] = as_tuple(frozen)->items()[k];
    }

    program& prog_;
    const load_options& opts_;
    std::string main_folder_;
    std::vector<std::string> loading_;
};

}  // namespace

std::span<const native_module* const> script_globals() noexcept {
    static const native_module* const globals[] = {&builtins_module(), &actor_builtins_module(),
                                                   &introspection_builtins_module(), &node_builtins_module(),
                                                   &file_builtins_module()};
    return globals;
}

std::unique_ptr<program> load_program_source(const std::string& path, std::string source, const load_options& opts) {
    auto prog = std::make_unique<program>(script_globals());
    for (const native_module* native : opts.natives) prog->add_port_types(*native);
    loader l(*prog, opts, folder_of(path));
    l.load(stem_of(path), path, std::move(source));
    return prog;
}

const module& load_module_into(program& prog, const load_options& opts, const std::string& folder,
                               const std::string& name, const std::string& file, std::string source) {
    loader l(prog, opts, folder);
    return l.load(name, file, std::move(source));
}

const module* import_into(program& prog, const load_options& opts, const std::string& folder, std::string_view name) {
    loader l(prog, opts, folder);
    return l.import(std::string(name));
}

std::unique_ptr<program> load_program(const std::string& path, const load_options& opts) {
    std::string source;
    if (!read_file(path, source)) throw load_error(2, "weft: cannot read " + path + "\n");
    return load_program_source(path, std::move(source), opts);
}

}  // namespace weft::interp

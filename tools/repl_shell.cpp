// repl_shell.cpp: the shell's loop and the `_shell` module (see repl_shell.hpp).
#include "tools/repl_shell.hpp"

#include <array>

#include "interp/actor/actor_args.hpp"
#include "interp/actor/file_call.hpp"
#include "interp/builtins/args.hpp"
#include "interp/compile/code.hpp"
#include "interp/message/codec.hpp"
#include "interp/objects/natives.hpp"
#include "interp/objects/script_error.hpp"
#include "interp/vm/vm.hpp"
#include "serialize/term_view.hpp"
#include "tools/repl_help.hpp"

namespace weft::tools {

using namespace weft::interp;

const char* const shell_loop_source = R"(# The loop of `weft repl`'s shell actor (tools/repl_shell.hpp).
import _shell

def main():
    while True:
        body = _shell.read()
        if body is None:
            return
        # The body shows its expressions' values itself (_shell.show).
        try:
            body()
        except SystemExit:
            raise
        except Exception as e:
            _shell.report(e)
)";

void shell_channel::post(shell_request r) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        queue_.push_back(std::move(r));
    }
    posted_.notify_one();
}

std::optional<shell_request> shell_channel::next(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!posted_.wait_for(lock, timeout, [this] { return !queue_.empty(); })) return std::nullopt;
    shell_request r = std::move(queue_.front());
    queue_.pop_front();
    return r;
}

std::string strip_shell_frames(const std::string& traceback) {
    std::string out;
    std::size_t at = 0;
    bool skipping = false;
    const std::string ours = std::string("  File \"") + shell_loop_file + "\"";
    while (at < traceback.size()) {
        std::size_t nl = traceback.find('\n', at);
        std::size_t end = nl == std::string::npos ? traceback.size() : nl + 1;
        std::string_view line(traceback.data() + at, end - at);
        if (line.starts_with(ours)) {
            skipping = true;  // and its source line, if it has one
        } else if (skipping && line.starts_with("    ")) {
            skipping = false;
        } else {
            skipping = false;
            out += line;
        }
        at = end;
    }
    return out;
}

namespace {

struct shell_state final : native_state {
    shell_links links;
};

native_state* make_shell_state() { return new shell_state; }

shell_links& links_of(vm& m) { return shell_links_of(m.prog()); }

// Asks the front end for something, answered to this actor as
// ("weft.reply", tag, answer), and parks until then.
value ask_front_end(vm& m, const char* fname, shell_request::kind what, std::string path = {}) {
    script_actor& self = bi::running(m, fname);
    bi::must_await(m, fname);
    weft::ref tag = self.api().make_ref();
    links_of(m).channel->post(shell_request{what, self.api().self(), tag, std::move(path), term()});
    return m.await(m.heap().alloc_ref(tag));
}

// The answer of a resumed call, or empty for a fresh one (or the await again).
value front_end_answer(vm& m, const char* fname) {
    value tag = m.resumed();
    if (tag.is_empty()) return value::empty();
    return bi::answer_or_wait(m, fname, tag, as_ref(tag)->r);
}

// _shell.read(): the next input's body as a function, or None at the end.
value shell_read(vm& m, value*, std::uint32_t argc, value kwargs) {
    if (value answer = front_end_answer(m, "read"); !answer.is_empty()) {
        if (m.trapped()) return answer;
        tuple_obj* t = as_tuple(answer);
        return t->length() == 2 ? t->items()[1] : value::none();
    }
    bi::no_kwargs(kwargs, "read");
    bi::takes_args("read", argc, 0, 0);
    return ask_front_end(m, "read", shell_request::kind::read);
}

// _shell.report(e): the traceback of an input that raised, on stderr.
value shell_report(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "report");
    bi::takes_args("report", argc, 1, 1);
    links_of(m).out->report(strip_shell_frames(m.format_exception(argv[0])));
    return value::none();
}

// _shell.show(v): what the shell prints for an expression statement: its
// repr, or nothing for None (Python's sys.displayhook).
value shell_show(vm& m, value* argv, std::uint32_t argc, value) {
    if (argc == 1 && !argv[0].is_none()) m.write_out(m.repr(argv[0]) + "\n");
    return value::none();
}

// flush(): as Erlang's shell, every message of the shell's mailbox printed
// as "Shell got MSG" and removed.
value shell_flush(vm& m, value*, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "flush");
    bi::takes_args("flush", argc, 0, 0);
    weft::actor& self = bi::running(m, "flush").api();
    self.take_arrivals();  // a message sent to self() in this very input too
    self.restart_scan();
    for (const envelope* e = self.peek(); e; e = self.peek()) {
        value v = decode_value(m.prog(), m.heap(), term_view::root(*e));
        message taken = self.take();
        self.restart_scan();
        m.write_out("Shell got " + m.repr(v) + "\n");
    }
    return value::none();
}

std::string function_signature(const proto& p) {
    std::string sig = p.name + "(";
    for (std::size_t k = 0; k < p.param_names.size(); ++k) {
        if (k) sig += ", ";
        if (p.has_vararg && k == p.npositional) sig += "*";
        if (p.has_varkw && k + 1 == p.param_names.size()) sig += "**";
        sig += p.param_names[k];
    }
    return sig + ")";
}

// help(x=None): a builtin's or module's line of signature and sentence.
value shell_help(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "help");
    bi::takes_args("help", argc, 0, 1);
    if (argc == 0) {
        m.write_out(help_index());
        return value::none();
    }
    value x = argv[0];
    std::string name;
    std::string extra;
    if (is_str(x)) {
        name = str_view(x);
    } else if (is_native(x, native_kind::builtin)) {
        name = builtin_of(x)->name;
    } else if (is_native(x, native_kind::module)) {
        const module* md = module_of(x);
        name = md->name;
        extra = "  names:";
        for (std::size_t k = 0; k < md->globals.size(); ++k)
            if (!md->globals[k].is_empty() && !md->global_names[k].starts_with("_")) extra += " " + md->global_names[k];
        extra += "\n";
    } else if (is_native(x, native_kind::function)) {
        const proto& p = *function_proto(x);
        m.write_out(function_signature(p) + "\n    defined in " + p.mod->file + ", line " +
                    std::to_string(p.first_line) + "\n");
        return value::none();
    } else {
        throw_script_error("TypeError", "help() takes a builtin, a module, a function or a name as a str, not '" +
                                            m.repr(x) + "'");
    }
    if (const help_entry* e = find_help(name))
        m.write_out(std::string(e->signature) + "\n    " + e->summary + "\n" + extra);
    else
        m.write_out("No help for '" + name + "'; help() lists what has some.\n" + extra);
    return value::none();
}

// load(path): the program's top-level names bound at the prompt; a list of
// them, or None after reporting why not.
value shell_load(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    if (value answer = front_end_answer(m, "load"); !answer.is_empty()) {
        if (m.trapped()) return answer;
        tuple_obj* t = as_tuple(answer);
        if (str_view(t->items()[0]) == "ok") return t->items()[1];
        links_of(m).out->report(std::string(str_view(t->items()[1])));
        return value::none();
    }
    bi::no_kwargs(kwargs, "load");
    bi::takes_args("load", argc, 1, 1);
    if (!is_str(argv[0])) throw_script_error("TypeError", "load() needs a file name as a str");
    return ask_front_end(m, "load", shell_request::kind::load, std::string(str_view(argv[0])));
}

constexpr builtin_def def_read{"read", shell_read};
constexpr builtin_def def_report{"report", shell_report};
constexpr builtin_def def_show{"show", shell_show};
constexpr builtin_def def_flush{"flush", shell_flush};
constexpr builtin_def def_help{"help", shell_help};
constexpr builtin_def def_load{"load", shell_load};

constexpr std::array<const builtin_def*, 6> shell_defs = {&def_read, &def_report, &def_show,
                                                          &def_flush, &def_help, &def_load};
constexpr std::array<const builtin_def*, 3> prompt_defs = {&def_flush, &def_help, &def_load};

constexpr native_module module_def{"_shell", shell_defs, {}, {}, nullptr, {}, {}, {}, make_shell_state};

}  // namespace

shell_links& shell_links_of(const program& prog) {
    return static_cast<shell_state*>(prog.module_state(module_def))->links;
}

const native_module& shell_module() noexcept { return module_def; }

std::span<const builtin_def* const> prompt_builtins() noexcept { return prompt_defs; }

const builtin_def& display_builtin() noexcept { return def_show; }

}  // namespace weft::tools

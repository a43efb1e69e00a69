// repl_front_end.cpp: one shell and its front end (see repl_front_end.hpp).
#include "tools/repl_front_end.hpp"

#include <array>
#include <cctype>
#include <cstring>

#include "actors/exit_reason.hpp"
#include "interp/actor/reply.hpp"
#include "interp/objects/natives.hpp"
#include "lib/modules.hpp"
#include "serialize/codec.hpp"
#include "tools/exit_status.hpp"
#include "tools/session.hpp"

namespace weft::tools {

namespace {

using namespace weft::interp;

constexpr std::array keywords = {"and",   "after", "as",     "assert", "break", "case",  "continue", "def",
                                  "del",   "elif",  "else",   "except", "False", "finally", "for",   "from",
                                  "if",    "import", "in",    "is",     "lambda", "match", "None",  "not",
                                  "or",    "pass",  "raise",  "receive", "return", "True", "try",   "while",
                                  "with"};

}  // namespace

std::vector<std::string> completions_of(const shell_program* sp, std::string_view word) {
    std::vector<std::string> out;
    if (auto dot = word.rfind('.'); dot != std::string_view::npos) {
        std::string_view owner = word.substr(0, dot), rest = word.substr(dot + 1);
        if (!sp) return out;
        for (const std::string& a : sp->module_attributes(owner))
            if (a.starts_with(rest)) out.push_back(std::string(owner) + "." + a);
        return out;
    }
    auto offer = [&](std::string_view name) {
        if (name.starts_with(word) && name.find('.') == std::string_view::npos && !name.starts_with("_"))
            out.emplace_back(name);
    };
    for (const char* k : keywords) offer(k);
    for (const native_module* m : script_globals())
        for (const builtin_def* def : m->functions) offer(def->name);
    if (sp)
        for (const std::string& n : sp->names()) offer(n);
    return out;
}

namespace {

// The front end's state for one run of the shell.
class front_end {
public:
    front_end(shell_program& sp, runtime& rt, shell_output& out, shell_channel& channel, line_reader& reader, bool terminal)
        : sp_(sp), rt_(rt), out_(out), channel_(channel), reader_(reader), terminal_(terminal) {}

    // Serves the shell's actor until the input ends; the exit status.
    int serve(pid watcher) {
        for (;;) {
            std::optional<shell_request> r = channel_.next(std::chrono::milliseconds(100));
            if (!r) {
                if (reader_.interrupted() && running_) {  // Ctrl-C while an input runs
                    interrupting_ = true;
                    rt_.exit(shell_, term::str("kill"));
                }
                continue;
            }
            switch (r->what) {
            case shell_request::kind::read: {
                shell_ = r->from;
                running_ = false;
                term answer = next_input();
                running_ = answer.size() == 2;
                rt_.send(r->from, reply_message(r->tag, std::move(answer)));
                break;
            }
            case shell_request::kind::load:
                rt_.send(r->from, reply_message(r->tag, load(r->path)));
                break;
            case shell_request::kind::ended:
                if (std::optional<int> status = shell_ended(r->reason)) return *status;
                rt_.send(watcher, term::str("respawn"));
                break;
            case shell_request::kind::quit: return exit_ok;
            }
        }
    }

private:
    // ("ok", the body of the next complete input) or ("eof",).
    term next_input() {
        std::string text;
        for (;;) {
            if (text.empty()) block_open_ = false;
            out_.flush();  // what the last input printed comes before the prompt
            std::string line;
            line_reader::status st;
            if (pending_) {
                line = std::move(*pending_);
                pending_.reset();
                st = line_reader::status::line;
            } else {
                st = reader_.read(text.empty() ? ">>> " : "... ", line);
            }
            if (st == line_reader::status::interrupted) {
                out_.write("KeyboardInterrupt\n", true);
                text.clear();
                continue;
            }
            if (st == line_reader::status::eof) {
                if (text.empty()) return term::tuple({term::str("eof")});
                // The end closes an open block, as a blank line would.
                if (std::optional<term> body = compile(text + "\n")) return *body;
                return term::tuple({term::str("eof")});
            }
            // On a pipe, a line at the left margin ends an open block even
            // without the blank line a terminal user types (a file's shape).
            if (!terminal_ && block_open_ && starts_new_statement(line)) {
                pending_ = line;
                block_open_ = false;
                if (std::optional<term> body = compile(text + "\n")) return *body;
                text.clear();
                continue;
            }
            text += line;
            text += '\n';
            shell_program::input_kind kind = shell_program::classify(text);
            block_open_ = kind == shell_program::input_kind::open_block;
            switch (kind) {
            case shell_program::input_kind::empty: text.clear(); continue;
            case shell_program::input_kind::incomplete:
            case shell_program::input_kind::open_block: continue;
            case shell_program::input_kind::complete:
            case shell_program::input_kind::invalid: break;
            }
            if (std::optional<term> body = compile(text)) return *body;
            text.clear();
        }
    }

    static bool starts_new_statement(const std::string& line) {
        if (line.empty() || line[0] == ' ' || line[0] == '\t' || line[0] == '#') return false;
        for (const char* go_on : {"elif", "else", "except", "finally", "after", "case"}) {
            std::size_t n = std::strlen(go_on);
            if (line.compare(0, n, go_on) == 0 && (line.size() == n || !std::isalnum((unsigned char)line[n]) ))
                return false;
        }
        return true;
    }

    // The input's body as ("ok", function), or nullopt after reporting why not.
    std::optional<term> compile(const std::string& text) {
        reader_.remember(text);
        try {
            const proto& body = sp_.compile(text, sp_.prog().builtin_value(&display_builtin()));
            return term::tuple({term::str("ok"), term::function(sp_.inputs().name, body.id, body.name, {})});
        } catch (const syntax_error& e) {
            out_.report(format_syntax_error(e, text));
        } catch (const load_error& e) {  // an import in it failed
            out_.report(e.report);
        } catch (const std::exception& e) {
            out_.report(std::string("weft: ") + e.what() + "\n");
        }
        return std::nullopt;
    }

    term load(const std::string& path) {
        try {
            std::vector<term> names;
            for (const std::string& n : sp_.load_file(path)) names.push_back(term::str(n));
            return term::tuple({term::str("ok"), term::list(std::move(names))});
        } catch (const load_error& e) {
            return term::tuple({term::str("error"), term::str(e.report)});
        } catch (const std::exception& e) {
            return term::tuple({term::str("error"), term::str(std::string("load: ") + e.what() + "\n")});
        }
    }

    // The shell's actor ended: the exit status when the shell is over too,
    // else nullopt (a new actor starts, bindings kept).
    std::optional<int> shell_ended(const term& reason) {
        running_ = false;
        if (exit_reason::is_normal(reason)) return exit_ok;  // the input ended
        if (reason.is_tuple() && reason.size() == 4 && reason[1].is_str() && reason[1].as_str() == "SystemExit") {
            std::string message(reason[2].is_str() ? reason[2].as_str() : "");
            if (message.empty() || message == "None") return exit_ok;
            char* end = nullptr;
            long code = std::strtol(message.c_str(), &end, 10);
            if (*end == '\0' && end != message.c_str()) return int(code & 0xff);
            out_.report(message + "\n");
            return exit_failure;
        }
        if (interrupting_) {
            interrupting_ = false;
            out_.write("\nKeyboardInterrupt\n", true);  // after the terminal's "^C"
            return std::nullopt;
        }
        std::optional<std::string> report = exit_reason::error_report(reason);
        out_.report("*** the shell's actor ended with " + (report ? strip_shell_frames(*report) : reason.repr() + "\n") +
                    "*** a new one starts; the bindings are kept\n");
        return std::nullopt;
    }

    shell_program& sp_;
    runtime& rt_;
    shell_output& out_;
    shell_channel& channel_;
    line_reader& reader_;
    bool terminal_;
    pid shell_;              // the shell's actor, as its last read says
    bool running_ = false;   // it runs an input
    bool interrupting_ = false;  // Ctrl-C killed it
    std::optional<std::string> pending_;  // a line read ahead (on a pipe)
    bool block_open_ = false;             // the input so far opens a block (classify)
};

// The call that starts a shell's actor: weft_shell.main().
envelope* shell_start(const shell_program& sp) {
    const module* m = sp.prog().find_module(shell_loop_module);
    value f = m->globals[m->slot_of("main")];
    const proto* p = function_proto(f);
    envelope* e = envelope::acquire();
    encode(term::tuple({term::function(m->name, p->id, p->name, {})}), *e);
    return e;
}

// A native actor that starts the shell's actor, monitors it, tells the
// front end when it ends, and starts another when asked ("respawn"), until
// the shell is over ("stop").
pid start_watcher(runtime& rt, const script_config& cfg, const shell_program& sp, shell_channel& channel) {
    return rt.spawn(stackless, [&rt, &cfg, &sp, &channel, started = false](actor& self) mutable {
        auto start = [&] { spawn_script(rt, cfg, shell_start(sp), &self, spawn_relation::monitor); };
        if (!started) {
            started = true;
            start();
            return step_result::wait;
        }
        while (std::optional<message> m = self.try_receive()) {
            term t = decode(m->view());
            if (t.is_str() && t.as_str() == "respawn") start();
            else if (t.is_str() && t.as_str() == "stop") return step_result::done;  // the shell is over
            else if (t.is_tuple() && t.size() == 4 && t[0].is_str() && t[0].as_str() == "DOWN")
                channel.post(shell_request{shell_request::kind::ended, pid{}, ref{}, {}, t[3]});
        }
        return step_result::wait;
    });
}

load_options shell_load_options(const line_writer& writer) {
    load_options lo;
    lo.search_path = library_path();
    lo.out = writer;
    lo.argv.push_back("");  // sys.argv, as Python's shell: ['']
    for (const native_module* m : weft::lib::standard_modules()) lo.natives.push_back(m);
    lo.natives.push_back(&shell_module());
    return lo;
}

}  // namespace

shell_instance::shell_instance(shell_output& out, line_writer writer) : out_(out), writer_(std::move(writer)) {
    sp_ = std::make_unique<shell_program>(shell_load_options(writer_));
    sp_->add_module(shell_loop_module, shell_loop_file, shell_loop_source);
    for (const builtin_def* def : prompt_builtins()) sp_->bind(def->name, sp_->prog().builtin_value(def));
    shell_links_of(sp_->prog()) = shell_links{&channel_, &out_};
    cfg_.prog = &sp_->prog();
    cfg_.vm.out = &writer_;
}

int shell_instance::serve(runtime& rt, line_reader& reader, bool terminal) {
    front_end fe(*sp_, rt, out_, channel_, reader, terminal);
    pid watcher = start_watcher(rt, cfg_, *sp_, channel_);
    int status = fe.serve(watcher);
    rt.send(watcher, term::str("stop"));
    return status;
}

void shell_instance::quit() { channel_.post(shell_request{shell_request::kind::quit, pid{}, ref{}, {}, term()}); }

}  // namespace weft::tools

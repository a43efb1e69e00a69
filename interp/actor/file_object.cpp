// file_object.cpp: the builtin open() and the files it returns, as
// LANGUAGE.md lists them: read(n=-1) readline() readlines() write(s)
// writelines(lines) flush() close(), `for line in f`, `with`, .name .mode
// .closed .encoding, and Python's reprs, types and errors.
//
// A file is a resource (natives.hpp): its state lives in the VM's resource
// table (an open_file), and every call that touches the disk runs as a job
// on the file pool while the actor is parked (file_call.hpp), unless the
// kernel's caches can answer it in place (file_jobs.hpp). Reads come in
// chunks of read_chunk bytes, so `for line in f` waits for the disk once per
// chunk, not once per line; open() brings the first chunk with it, so a
// small file costs one job to open and read. Writes gather in a buffer that
// goes out when it passes write_chunk bytes, on flush() and on close().
//
// A job touches only the file's channel (the descriptor, and the bytes a
// read brought), and only while the actor waits for that job; the actor
// touches the rest. The descriptor closes when both have let go of it, so
// a file closed (or an actor killed) while a job runs never closes a
// descriptor under it. A file whose actor ends without close() has its
// buffered writes written at once, on the actor's thread, then closes.
//
// Differences from Python, said in docs/library.md: no seek/tell, no '+'
// modes; newline= takes None, "" or "\n"; io.UnsupportedOperation is an
// OSError only; UnicodeDecodeError's position counts from the file's start.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <memory>
#include <string>

#include "interp/actor/file_object.hpp"

#include "interp/actor/actor_args.hpp"
#include "interp/actor/file_call.hpp"
#include "interp/actor/file_jobs.hpp"
#include "interp/builtins/args.hpp"
#include "interp/builtins/builtins.hpp"
#include "interp/heap/heap.hpp"
#include "interp/heap/object.hpp"
#include "interp/objects/natives.hpp"
#include "interp/objects/script_error.hpp"
#include "interp/objects/text_codec.hpp"
#include "interp/objects/type_of.hpp"
#include "interp/vm/vm.hpp"

namespace weft::interp::bi {
namespace {

constexpr std::size_t write_chunk = std::size_t(64) << 10;

struct open_file final : resource {
    std::shared_ptr<file_channel> channel = std::make_shared<file_channel>();
    bool binary = false, readable = false, writable = false;
    bool translate = true;     // text mode's universal newlines (newline=None): "\r\n", "\r" read as "\n"
    bool any_line_end = true;  // text mode, newline None or "": "\r\n", "\r" and "\n" end a line
    std::string encoding = "utf-8", errors = "strict";
    std::string in;          // read from the descriptor, not yet handed out
    std::size_t in_at = 0;   // how much of `in` is handed out
    std::size_t in_offset = 0;  // the file offset of in[0]
    bool at_eof = false;
    std::string out;         // written, not yet on the descriptor

    ~open_file() override {  // the actor ended without close(): best effort
        for (std::size_t done = 0; done < out.size();) {
            ssize_t n = ::write(channel->fd, out.data() + done, out.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            done += std::size_t(n);
        }
    }
    std::string_view unread() const noexcept { return std::string_view(in).substr(in_at); }
    // Takes n bytes from the front of what is unread.
    std::string take(std::size_t n) {
        std::string bytes = in.substr(in_at, n);
        in_at += n;
        if (in_at > read_chunk && in_at * 2 > in.size()) {  // drop what is handed out
            in.erase(0, in_at);
            in_offset += in_at;
            in_at = 0;
        }
        return bytes;
    }
    // The bytes a read job brought.
    void take_read() {
        in += channel->got;
        channel->got.clear();
        at_eof = channel->eof;
    }
};

// -- the slots of a file value (its repr) and its kinds -----------------------------
namespace file_slot {
constexpr int name = 0, mode = 1, encoding = 2, count = 3;
}

value file_attr(vm& m, value self, std::string_view name);
std::string file_repr(value self, const value_repr& repr);
value file_next(vm& m, value self);

extern const std::array<const builtin_def*, 12> file_methods;
constexpr builtin_def def_TextIOWrapper{"_io.TextIOWrapper", nullptr, type_tag::resource};
constexpr builtin_def def_BufferedReader{"_io.BufferedReader", nullptr, type_tag::resource};
constexpr builtin_def def_BufferedWriter{"_io.BufferedWriter", nullptr, type_tag::resource};
const resource_type text_file{&def_TextIOWrapper, file_methods, file_attr, file_repr, file_next};
const resource_type reading_file{&def_BufferedReader, file_methods, file_attr, file_repr, file_next};
const resource_type writing_file{&def_BufferedWriter, file_methods, file_attr, file_repr, file_next};

// Python's io.UnsupportedOperation (an OSError and a ValueError there; an
// OSError here). Scripts cannot name it: `except OSError` catches it.
const builtin_def def_UnsupportedOperation{"io.UnsupportedOperation", nullptr, type_tag::exception,
                                           find_exception_class("OSError")};

[[noreturn]] void raise_unsupported(vm& m, const char* what) {
    value text = m.heap().alloc_str(what);
    m.raise_exception(m.make_exception(&def_UnsupportedOperation, m.heap().alloc_tuple(std::span<const value>(&text, 1))));
}

// The open file behind argv[0], or ValueError as Python's for a closed one.
open_file& file_of(vm& m, value self) {
    resource* r = m.resource_of(self);
    if (!r) throw_script_error("ValueError", "I/O operation on closed file.");
    return static_cast<open_file&>(*r);
}

open_file& readable_file(vm& m, value self) {
    open_file& f = file_of(m, self);
    if (!f.readable) raise_unsupported(m, "not readable");
    return f;
}

open_file& writable_file(vm& m, value self) {
    open_file& f = file_of(m, self);
    if (!f.writable) raise_unsupported(m, "not writable");
    return f;
}

// -- jobs (pool threads: only the channel and their own copies) ------------------------

// Whether a call may be answered in place when the kernel has what it needs
// in its caches. Not in a deterministic run: there the caches' state must not
// choose between an answer in place and one through the pool (a message,
// which the schedule and a trace see); the pool's job runs in place anyway.
bool may_use_kernel_caches(vm& m, const char* fname) {
    return !m.host() || !running(m, fname).api().rt().options().deterministic;
}

// Reads more (all that is left, when `whole`); returns what the builtin
// returns when it parked, else empty (module-level code reads in place).
value read_more(vm& m, open_file& f, const char* fname, bool whole) {
    std::size_t limit = m.heap().limit_bytes(), buffered = f.unread().size();
    std::optional<term> now;
    if (may_use_kernel_caches(m, fname)) now = read_cached(*f.channel, whole, limit, buffered);
    if (now) {  // in the page cache
        job_answer(m, *now);
        f.take_read();
        return value::empty();
    }
    value r = ask_file_pool(m, fname, [c = f.channel, whole, limit, buffered] { return read_job(c, whole, limit, buffered); });
    if (m.trapped()) return r;
    f.take_read();
    return value::empty();
}

// Sends what is buffered to the descriptor; as read_more.
value flush_out(vm& m, open_file& f, const char* fname) {
    value r = ask_file_pool(m, fname, [c = f.channel, bytes = std::move(f.out)] { return write_job(c, bytes); });
    f.out.clear();
    return m.trapped() ? r : value::empty();
}

// A resumed call takes its job's answer: a read's bytes go into the buffer
// (an OSError is raised). Returns what the call returns while the answer
// has not come, else empty (a fresh call too).
value take_read_answer(vm& m, open_file& f, const char* fname) {
    value answer = file_answer(m, fname);
    if (answer.is_empty() || m.trapped()) return answer;
    f.take_read();
    return value::empty();
}

// -- text ---------------------------------------------------------------------------------

// Bytes as the file's text: decoded (an error's position counts from the
// file's start) and, in universal newline mode, "\r\n" and "\r" as "\n".
value text_of(vm& m, const open_file& f, const std::string& bytes, std::size_t offset) {
    std::string text = decode_bytes(bytes, f.encoding, f.errors, offset);
    if (f.translate && text.find('\r') != std::string::npos) {
        std::string out;
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] != '\r') out += text[i];
            else if (i + 1 < text.size() && text[i + 1] == '\n') continue;  // the '\n' follows
            else out += '\n';
        }
        text.swap(out);
    }
    return m.heap().alloc_str(text);
}

value chunk_value(vm& m, open_file& f, std::size_t n) {
    std::size_t offset = f.in_offset + f.in_at;
    std::string bytes = f.take(n);
    if (f.binary) return m.heap().alloc_bytes(bytes);
    return text_of(m, f, bytes, offset);
}

// Where the line at the front of the unread bytes ends (past its end of
// line), or npos when more must be read first to know.
std::size_t line_end(const open_file& f) {
    std::string_view rest = f.unread();
    bool any_end = !f.binary && f.any_line_end;
    std::size_t at = any_end ? rest.find_first_of("\r\n") : rest.find('\n');
    if (at == std::string_view::npos) return f.at_eof ? rest.size() : std::string_view::npos;
    if (rest[at] == '\r') {
        if (at + 1 == rest.size() && !f.at_eof) return std::string_view::npos;  // a "\n" may follow
        if (at + 1 < rest.size() && rest[at + 1] == '\n') ++at;
    }
    return at + 1;
}

// The next line (empty at the end), or what to return while it is read.
value next_line(vm& m, open_file& f, const char* fname, value& parked) {
    for (;;) {
        std::size_t end = line_end(f);
        if (end != std::string_view::npos) return chunk_value(m, f, end);
        if (value p = read_more(m, f, fname, false); !p.is_empty()) {
            parked = p;
            return value::empty();
        }
    }
}

// How many bytes hold the next n characters, or npos when more must be read.
std::size_t bytes_for_chars(const open_file& f, std::size_t n) {
    std::string_view rest = f.unread();
    if (f.binary) return rest.size() >= n || f.at_eof ? std::min(n, rest.size()) : std::string_view::npos;
    bool utf8 = f.encoding != "ascii" && f.encoding != "latin-1" && f.encoding != "latin1";
    std::size_t i = 0, chars = 0;
    for (; chars < n && i < rest.size(); ++chars) {
        auto c = static_cast<unsigned char>(rest[i]);
        std::size_t len = !utf8 || c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (f.translate && c == '\r' && i + 1 < rest.size() && rest[i + 1] == '\n') len = 2;  // one "\n"
        if (f.translate && c == '\r' && i + 1 == rest.size() && !f.at_eof) return std::string_view::npos;
        i += len;
    }
    if (i > rest.size()) return f.at_eof ? rest.size() : std::string_view::npos;
    if (chars < n && !f.at_eof) return std::string_view::npos;
    return i;
}

// -- methods ------------------------------------------------------------------------------

value file_read(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    open_file& f = readable_file(m, argv[0]);
    if (value waiting = take_read_answer(m, f, "read"); !waiting.is_empty()) return waiting;
    no_kwargs(kwargs, "read");
    expected_args("read", argc - 1, 0, 1);
    std::int64_t n = argc > 1 && !argv[1].is_none() ? index_arg(argv[1]) : -1;
    for (;;) {
        if (n < 0 && f.at_eof) return chunk_value(m, f, f.unread().size());
        if (n >= 0) {
            std::size_t bytes = bytes_for_chars(f, std::size_t(n));
            if (bytes != std::string_view::npos) return chunk_value(m, f, bytes);
        }
        if (value p = read_more(m, f, "read", n < 0); !p.is_empty()) return p;
    }
}

value file_readline(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    open_file& f = readable_file(m, argv[0]);
    if (value waiting = take_read_answer(m, f, "readline"); !waiting.is_empty()) return waiting;
    no_kwargs(kwargs, "readline");
    expected_args("readline", argc - 1, 0, 0);
    value parked = value::empty();
    value line = next_line(m, f, "readline", parked);
    return line.is_empty() ? parked : line;
}

value file_readlines(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    open_file& f = readable_file(m, argv[0]);
    if (value waiting = take_read_answer(m, f, "readlines"); !waiting.is_empty()) return waiting;
    no_kwargs(kwargs, "readlines");
    expected_args("readlines", argc - 1, 0, 0);
    if (!f.at_eof)
        if (value p = read_more(m, f, "readlines", true); !p.is_empty()) return p;
    rooted lines(m.heap(), m.heap().alloc_list());
    for (;;) {
        value parked = value::empty();
        value line = next_line(m, f, "readlines", parked);  // all is read: it never parks
        if (is_str(line) ? str_view(line).empty() : bytes_view(line).empty()) return lines;
        m.heap().list_append(lines, line);
    }
}

// The bytes write(s) puts out, and the count it returns.
std::string bytes_to_write(const open_file& f, value s, std::int64_t& count) {
    if (f.binary) {
        if (!is_bytes(s))
            throw_script_error("TypeError", std::string("a bytes-like object is required, not '") + type_name_of(s) + "'");
        count = std::int64_t(bytes_view(s).size());
        return std::string(bytes_view(s));
    }
    if (!is_str(s)) throw_script_error("TypeError", std::string("write() argument must be str, not ") + type_name_of(s));
    count = std::int64_t(str_length(s));
    return encode_text(str_view(s), f.encoding, f.errors);
}

value file_write(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    open_file& f = writable_file(m, argv[0]);
    bool resumed = !file_answer(m, "write").is_empty();  // the flush below, done (or raised)
    if (m.trapped()) return value::none();
    no_kwargs(kwargs, "write");
    exactly_one("write", argc - 1);
    std::int64_t count = 0;
    std::string bytes = bytes_to_write(f, argv[1], count);
    if (!resumed) {
        f.out += bytes;
        if (f.out.size() >= write_chunk)
            if (value p = flush_out(m, f, "write"); !p.is_empty()) return p;
    }
    return value::from_int(count);
}

value file_writelines(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    open_file& f = writable_file(m, argv[0]);
    bool resumed = !file_answer(m, "writelines").is_empty();
    if (m.trapped()) return value::none();
    no_kwargs(kwargs, "writelines");
    exactly_one("writelines", argc - 1);
    if (!resumed) {
        std::string all;
        m.for_each(argv[1], [&](value line) {
            std::int64_t count;
            all += bytes_to_write(f, line, count);
        });
        f.out += all;
        if (f.out.size() >= write_chunk)
            if (value p = flush_out(m, f, "writelines"); !p.is_empty()) return p;
    }
    return value::none();
}

value file_flush(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    open_file& f = file_of(m, argv[0]);
    bool resumed = !file_answer(m, "flush").is_empty();
    if (m.trapped()) return value::none();
    no_kwargs(kwargs, "flush");
    expected_args("flush", argc - 1, 0, 0);
    if (!resumed && !f.out.empty())
        if (value p = flush_out(m, f, "flush"); !p.is_empty()) return p;
    return value::none();
}

// close(): what is buffered goes out first; the file is closed even when
// that fails (the OSError is raised after), and closing twice is nothing.
value close_file(vm& m, value self, const char* fname) {
    resource* r = m.resource_of(self);
    if (!r) return value::none();
    open_file& f = static_cast<open_file&>(*r);
    std::uint64_t key = resource_ref_of(self).key;
    bool resumed;
    try {
        resumed = !file_answer(m, fname).is_empty();
    } catch (...) {
        f.out.clear();
        m.resources().remove(key);
        throw;
    }
    if (m.trapped()) return value::none();
    if (!resumed && !f.out.empty()) {
        try {
            if (value p = flush_out(m, f, fname); !p.is_empty()) return p;
        } catch (...) {
            m.resources().remove(key);
            throw;
        }
    }
    m.resources().remove(key);
    return value::none();
}

value file_close(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "close");
    expected_args("close", argc - 1, 0, 0);
    return close_file(m, argv[0], "close");
}

value file_enter(vm& m, value* argv, std::uint32_t, value) {
    file_of(m, argv[0]);  // ValueError when closed, as Python's
    return argv[0];
}

value file_exit(vm& m, value* argv, std::uint32_t, value) { return close_file(m, argv[0], "__exit__"); }

value file_readable(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "readable");
    expected_args("readable", argc - 1, 0, 0);
    return value::boolean(file_of(m, argv[0]).readable);
}

value file_writable(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "writable");
    expected_args("writable", argc - 1, 0, 0);
    return value::boolean(file_of(m, argv[0]).writable);
}

value file_iter(vm& m, value* argv, std::uint32_t, value) {
    file_of(m, argv[0]);
    return argv[0];
}

constexpr builtin_def def_read{"read", file_read};
constexpr builtin_def def_readline{"readline", file_readline};
constexpr builtin_def def_readlines{"readlines", file_readlines};
constexpr builtin_def def_write{"write", file_write};
constexpr builtin_def def_writelines{"writelines", file_writelines};
constexpr builtin_def def_flush{"flush", file_flush};
constexpr builtin_def def_close{"close", file_close};
constexpr builtin_def def_enter{"__enter__", file_enter};
constexpr builtin_def def_exit{"__exit__", file_exit};
constexpr builtin_def def_readable{"readable", file_readable};
constexpr builtin_def def_writable{"writable", file_writable};
constexpr builtin_def def_iter{"__iter__", file_iter};
const std::array<const builtin_def*, 12> file_methods = {
    &def_read, &def_readline, &def_readlines, &def_write,    &def_writelines, &def_flush,
    &def_close, &def_enter,   &def_exit,      &def_readable, &def_writable,   &def_iter,
};

// `for line in f`: the next line; an empty line is the end.
value file_next(vm& m, value self) {
    open_file& f = readable_file(m, self);
    if (value waiting = take_read_answer(m, f, "readline"); !waiting.is_empty()) return waiting;
    value parked = value::empty();
    value line = next_line(m, f, "readline", parked);
    if (line.is_empty()) return parked;
    bool empty = is_str(line) ? str_view(line).empty() : bytes_view(line).empty();
    return empty ? value::empty() : line;
}

value file_attr(vm& m, value self, std::string_view name) {
    if (name == "name") return resource_slots(self)[file_slot::name];
    if (name == "mode") return resource_slots(self)[file_slot::mode];
    if (name == "closed") return value::boolean(m.resource_of(self) == nullptr);
    if (name == "encoding" && resource_ref_of(self).type == &text_file) return resource_slots(self)[file_slot::encoding];
    return value::empty();
}

std::string file_repr(value self, const value_repr& repr) {
    const resource_type* t = resource_ref_of(self).type;
    std::string out = "<" + std::string(t->cls->name) + " name=" + repr(resource_slots(self)[file_slot::name]);
    if (t == &text_file)
        out += " mode=" + repr(resource_slots(self)[file_slot::mode]) +
               " encoding=" + repr(resource_slots(self)[file_slot::encoding]);
    return out + ">";
}

// -- open() ---------------------------------------------------------------------------------

struct open_mode {
    bool read = false, write = false, append = false, create = false, plus = false, binary = false, text = false;
    std::string shown;  // f.mode
};

open_mode parse_mode(std::string_view mode) {
    open_mode o;
    std::string seen;
    for (char c : mode) {
        if (std::string_view("rwaxb+t").find(c) == std::string_view::npos || seen.find(c) != std::string::npos)
            throw_script_error("ValueError", "invalid mode: '" + std::string(mode) + "'");
        seen += c;
        o.read |= c == 'r';
        o.write |= c == 'w';
        o.append |= c == 'a';
        o.create |= c == 'x';
        o.plus |= c == '+';
        o.binary |= c == 'b';
        o.text |= c == 't';
    }
    int kinds = int(o.read) + int(o.write) + int(o.append) + int(o.create);
    if (kinds > 1) throw_script_error("ValueError", "must have exactly one of create/read/write/append mode");
    if (o.text && o.binary) throw_script_error("ValueError", "can't have text and binary mode at once");
    if (kinds == 0)
        throw_script_error("ValueError", "Must have exactly one of create/read/write/append mode and at most one plus");
    if (o.plus) throw_script_error("ValueError", "mode '" + std::string(mode) + "': '+' modes (read and write) are not supported in Weft");
    // Python shows a binary mode in its own order ('rb'), a text one as given.
    o.shown = o.binary ? std::string(o.read ? "r" : o.write ? "w" : o.append ? "a" : "x") + "b" : std::string(mode);
    return o;
}

std::string text_arg(value v, const char* what, bool none_ok, const char* fallback) {
    if (v.is_empty() || (none_ok && v.is_none())) return fallback;
    if (!is_str(v))
        throw_script_error("TypeError", std::string("open() argument '") + what + "' must be str" +
                                            (none_ok ? " or None" : "") + ", not " + type_name_of(v));
    return std::string(str_view(v));
}

// open(file, mode="r", buffering=-1, encoding=None, errors=None, newline=None)
value builtin_open(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    value kept = value::empty();
    value answer = value::empty();
    try {
        answer = file_answer_kept(m, "open", kept);
    } catch (...) {  // it could not be opened: forget the file
        if (!kept.is_empty()) m.resources().remove(resource_ref_of(kept).key);
        throw;
    }
    if (!answer.is_empty() || m.trapped()) {
        if (m.trapped()) return answer;
        open_file& f = static_cast<open_file&>(*m.resource_of(kept));
        if (f.readable) f.take_read();
        return kept;
    }
    value kw[7];
    parse_kwargs(kwargs, "open", {"file", "mode", "buffering", "encoding", "errors", "newline", "path"}, kw);
    if (kw[0].is_empty()) kw[0] = kw[6];  // LANGUAGE.md names it `path`, Python `file`: both are taken
    takes_args("open", argc, 0, 6);
    static constexpr const char* names[] = {"file", "mode", "buffering", "encoding", "errors", "newline"};
    value a[6];
    for (std::uint32_t k = 0; k < 6; ++k) a[k] = merge_arg("open", argv, argc, k, kw[k], names[k]);
    if (a[0].is_empty()) throw_script_error("TypeError", "open() missing required argument 'file' (pos 1)");
    std::string path;
    if (is_str(a[0])) path = str_view(a[0]);
    else if (is_bytes(a[0])) path = bytes_view(a[0]);
    else throw_script_error("TypeError", std::string("expected str, bytes or os.PathLike object, not ") + type_name_of(a[0]));
    if (path.find('\0') != std::string::npos) throw_script_error("ValueError", "embedded null byte");
    open_mode mode = parse_mode(text_arg(a[1], "mode", false, "r"));
    if (!a[2].is_empty() && !a[2].is_int())
        throw_script_error("TypeError", std::string("'") + type_name_of(a[2]) + "' object cannot be interpreted as an integer");
    bool explicit_encoding = !a[3].is_empty() && !a[3].is_none();
    if (mode.binary && explicit_encoding) throw_script_error("ValueError", "binary mode doesn't take an encoding argument");
    if (mode.binary && !a[4].is_empty() && !a[4].is_none()) throw_script_error("ValueError", "binary mode doesn't take an errors argument");
    if (mode.binary && !a[5].is_empty() && !a[5].is_none()) throw_script_error("ValueError", "binary mode doesn't take a newline argument");

    auto f = std::make_shared<open_file>();
    f->binary = mode.binary;
    f->readable = mode.read;
    f->writable = !mode.read;
    f->encoding = text_arg(a[3], "encoding", true, "utf-8");
    f->errors = text_arg(a[4], "errors", true, "strict");
    std::string newline = text_arg(a[5], "newline", true, "none");
    if (newline != "none" && newline != "" && newline != "\n") {
        if (newline == "\r" || newline == "\r\n")
            throw_script_error("ValueError", "newline values other than None, '' and '\\n' are not supported in Weft");
        throw_script_error("ValueError", "illegal newline value: " + newline);
    }
    f->translate = newline == "none";
    f->any_line_end = newline != "\n";
    if (!mode.binary) encode_text("", f->encoding, f->errors);  // LookupError now for an unknown encoding

    int flags = mode.read ? O_RDONLY : O_WRONLY | (mode.write ? O_CREAT | O_TRUNC : mode.append ? O_CREAT | O_APPEND
                                                                                                 : O_CREAT | O_EXCL);
    const resource_type* type = !mode.binary ? &text_file : mode.read ? &reading_file : &writing_file;
    std::shared_ptr<file_channel> channel = f->channel;
    std::uint64_t key = m.resources().add(f);
    resource_ref ref{type, m.resources().stamp(), key};
    // Every allocation below may move heap values: the name is rooted, the
    // encoding copied out, before the first.
    rooted name(m.heap(), a[0]);
    std::string encoding_shown = explicit_encoding ? std::string(str_view(a[3])) : std::string("UTF-8");
    rooted file(m.heap(), alloc_resource(m.heap(), ref, file_slot::count));
    resource_slots(file)[file_slot::name] = name;
    value shown = m.heap().alloc_str(mode.shown);
    resource_slots(file)[file_slot::mode] = shown;
    value enc = m.heap().alloc_str(encoding_shown);
    resource_slots(file)[file_slot::encoding] = enc;
    try {
        std::optional<term> now;
        if (mode.read && may_use_kernel_caches(m, "open")) now = open_cached(*channel, path, flags);
        if (now) {  // the path and the first bytes were in the kernel's caches
            job_answer(m, *now);
        } else {
            value r = ask_file_pool_keeping(m, "open", [channel, path, flags, reading = mode.read] {
                return open_job(channel, path, flags, reading);
            }, file);
            if (m.trapped()) return r;
        }
    } catch (...) {
        m.resources().remove(key);
        throw;
    }
    if (mode.read) f->take_read();  // read in place (module-level code)
    return file;
}

constexpr builtin_def def_open{"open", builtin_open};
// The classes are listed so that the program has a value for each (type(f),
// an exception's class); their dotted names are no names a script can use.
const std::array<const builtin_def*, 5> file_defs = {&def_open, &def_TextIOWrapper, &def_BufferedReader,
                                                     &def_BufferedWriter, &def_UnsupportedOperation};
const native_module module_def{"builtins", file_defs};

}  // namespace
}  // namespace weft::interp::bi

namespace weft::interp {

const native_module& file_builtins_module() noexcept { return bi::module_def; }

}  // namespace weft::interp

// file_call.cpp: see file_call.hpp.
#include "interp/actor/file_call.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "interp/actor/actor_args.hpp"
#include "interp/actor/reply.hpp"
#include "interp/heap/object.hpp"
#include "interp/message/codec.hpp"
#include "interp/objects/os_error.hpp"
#include "io/file_pool.hpp"
#include "io/stdin_reader.hpp"
#include "serialize/codec.hpp"
#include "serialize/term_view.hpp"

namespace weft::interp::bi {

std::string utf8_or_replacement(std::string_view bytes) {
    std::string out;
    for (std::size_t i = 0; i < bytes.size();) {
        auto at = [&](std::size_t k) { return static_cast<unsigned char>(bytes[i + k]); };
        unsigned char c = at(0);
        std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        bool ok = n > 0 && i + n <= bytes.size();
        for (std::size_t k = 1; ok && k < n; ++k) ok = (at(k) >> 6) == 2;
        if (ok && n == 2) ok = c >= 0xC2;
        if (ok && n == 3) ok = !(c == 0xE0 && at(1) < 0xA0) && !(c == 0xED && at(1) >= 0xA0);
        if (ok && n == 4) ok = c <= 0xF4 && !(c == 0xF0 && at(1) < 0x90) && !(c == 0xF4 && at(1) >= 0x90);
        if (ok) {
            out.append(bytes.substr(i, n));
            i += n;
        } else {
            out += "\xEF\xBF\xBD";
            ++i;
        }
    }
    return out;
}

term file_ok(term result) { return term::tuple({term::str("ok"), std::move(result)}); }

term file_too_large(std::uint64_t bytes) {
    return term::tuple({term::str("too_large"), term(std::int64_t(bytes))});
}

term file_error(int err, std::optional<std::string> filename, std::optional<std::string> filename2) {
    return term::tuple({term::str("err"), term(std::int64_t(err)), filename ? term::str(*filename) : term(),
                        filename2 ? term::str(*filename2) : term()});
}

value answer_or_wait(vm& m, const char* fname, value state, weft::ref tag) {
    script_actor& self = running(m, fname);
    value answer = take_reply(m, self.api(), tag);
    return answer.is_empty() ? m.await(state) : answer;  // not found: nothing allocated, state still good
}

namespace {

// Asks (file pool, stdin reader ...) for an answer to this actor, and parks.
value park_for_answer(vm& m, const char* fname, const std::function<void(weft::actor&, weft::ref)>& ask) {
    script_actor& self = running(m, fname);
    must_await(m, fname);
    weft::ref tag = self.api().make_ref();
    ask(self.api(), tag);
    return m.await(m.heap().alloc_ref(tag));
}

// A job's answer: ("ok", result) gives result; ("err", errno, filename or
// None, filename2 or None) raises the OSError; ("too_large", bytes)
// raises MemoryError.
value job_result(value answer) {
    tuple_obj* t = as_tuple(answer);
    if (str_view(t->items()[0]) == "ok") return t->items()[1];
    if (str_view(t->items()[0]) == "too_large")
        throw_script_error("MemoryError", "reading " + std::to_string(t->items()[1].as_int()) +
                                              " bytes would pass the actor's heap limit (weft run --max-heap)");
    auto name = [&](int k) {
        value v = t->items()[k];
        return v.is_none() ? std::nullopt : std::optional<std::string>(std::string(str_view(v)));
    };
    throw_os_error(int(t->items()[1].as_int()), name(2), name(3));
}

}  // namespace

value ask_file_pool_keeping(vm& m, const char* fname, std::function<term()> job, value kept) {
    if (!m.host()) return job_result(value_of(m, job()));
    rooted keep(m.heap(), kept);
    script_actor& self = running(m, fname);
    must_await(m, fname);
    weft::ref tag = self.api().make_ref();
    io::file_pool_of(self.api().rt()).ask(self.api().self(), tag, std::move(job));
    rooted ref(m.heap(), m.heap().alloc_ref(tag));
    rooted state(m.heap(), m.heap().alloc_tuple(2));
    as_tuple(state)->items()[0] = ref;
    as_tuple(state)->items()[1] = keep;
    return m.await(state);
}

value file_answer_kept(vm& m, const char* fname, value& kept) {
    rooted state(m.heap(), m.resumed());
    if (state.get().is_empty()) return value::empty();
    value answer = answer_or_wait(m, fname, state, as_ref(as_tuple(state)->items()[0])->r);
    kept = as_tuple(state)->items()[1];  // after the answer's allocation, which may move it
    if (m.trapped()) return answer;
    return job_result(answer);
}

value job_answer(vm& m, const term& answer) { return job_result(value_of(m, answer)); }

value file_answer(vm& m, const char* fname) {
    value tag = m.resumed();
    if (tag.is_empty()) return value::empty();
    value answer = answer_or_wait(m, fname, tag, as_ref(tag)->r);
    return m.trapped() ? answer : job_result(answer);
}

value ask_stdin(vm& m, const char* fname, bool whole) {
    if (!m.host()) {  // module-level code, before any actor: read in place, a byte at a time, so
                      // that nothing past the line is taken from the stdin reader that comes later
        std::string got;
        char c;
        ssize_t n;
        while ((n = ::read(0, &c, 1)) == 1 || (n < 0 && errno == EINTR)) {
            if (n != 1) continue;
            got += c;
            if (!whole && c == '\n') break;
        }
        if (got.empty()) return value::none();
        return m.heap().alloc_str(utf8_or_replacement(got));
    }
    return park_for_answer(m, fname, [whole](weft::actor& self, weft::ref tag) {
        io::stdin_reader_of(self.rt()).ask(self.self(), tag,
                                           whole ? io::stdin_reader::amount::all : io::stdin_reader::amount::line);
    });
}

value stdin_answer(vm& m, const char* fname) {
    value tag = m.resumed();
    if (tag.is_empty()) return value::empty();
    value answer = answer_or_wait(m, fname, tag, as_ref(tag)->r);
    if (m.trapped()) return answer;
    tuple_obj* t = as_tuple(answer);
    if (t->length() == 1) return value::none();  // ("eof",)
    return m.heap().alloc_str(utf8_or_replacement(bytes_view(t->items()[1])));
}

value value_of(vm& m, const term& t) {
    envelope* e = envelope::acquire();
    message held(e);  // released on the way out
    encode(t, *e);
    return decode_value(m.prog(), m.heap(), term_view::root(*e));
}

value ask_file_pool(vm& m, const char* fname, std::function<term()> job) {
    // Module-level code, while the program loads: no actor runs yet, so
    // this thread may wait for the disk itself.
    if (!m.host()) return job_result(value_of(m, job()));
    return park_for_answer(m, fname, [&job](weft::actor& self, weft::ref tag) {
        io::file_pool_of(self.rt()).ask(self.self(), tag, std::move(job));
    });
}

}  // namespace weft::interp::bi

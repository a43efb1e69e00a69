// file_call.cpp: see file_call.hpp.
#include "interp/actor/file_call.hpp"

#include <cstring>

#include "interp/actor/actor_args.hpp"
#include "interp/actor/reply.hpp"
#include "interp/heap/object.hpp"
#include "interp/objects/os_error.hpp"
#include "io/file_pool.hpp"

namespace weft::interp::bi {

term file_ok(term result) { return term::tuple({term::str("ok"), std::move(result)}); }

term file_error(int err, std::optional<std::string> filename, std::optional<std::string> filename2) {
    return term::tuple({term::str("err"), term(std::int64_t(err)), filename ? term::str(*filename) : term(),
                        filename2 ? term::str(*filename2) : term()});
}

value file_answer(vm& m, const char* fname) {
    value tag = m.resumed();
    if (tag.is_empty()) return value::empty();
    script_actor& self = running(m, fname);
    value answer = take_reply(m, self.api(), as_ref(tag)->r);
    if (answer.is_empty()) return m.await(tag);
    // ("ok", result) or ("err", errno, filename or None, filename2 or None).
    tuple_obj* t = as_tuple(answer);
    if (str_view(t->items()[0]) == "ok") return t->items()[1];
    auto name = [&](int k) {
        value v = t->items()[k];
        return v.is_none() ? std::nullopt : std::optional<std::string>(std::string(str_view(v)));
    };
    throw_os_error(int(t->items()[1].as_int()), name(2), name(3));
}

value ask_file_pool(vm& m, const char* fname, std::function<term()> job) {
    script_actor& self = running(m, fname);
    must_await(m, fname);
    weft::ref tag = self.api().make_ref();
    io::file_pool_of(self.api().rt()).ask(self.api().self(), tag, std::move(job));
    return m.await(m.heap().alloc_ref(tag));
}

}  // namespace weft::interp::bi

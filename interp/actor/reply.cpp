// reply.cpp: see reply.hpp.
#include "interp/actor/reply.hpp"

#include <utility>

#include "interp/message/codec.hpp"
#include "serialize/term_view.hpp"

namespace weft::interp {

term reply_message(weft::ref tag, term result) {
    return term::tuple({term::str(reply_tag), term(tag), std::move(result)});
}

value take_reply(vm& m, weft::actor& self, weft::ref tag) {
    self.take_arrivals();
    self.restart_scan_after(tag);
    for (const envelope* e = self.peek(); e; e = self.peek()) {
        term_view v = term_view::root(*e);
        if (v.kind() == term_kind::tuple && v.size() == 3 && v[0].kind() == term_kind::str &&
            v[0].as_str() == reply_tag && v[1].kind() == term_kind::ref && v[1].as_ref() == tag) {
            value result = decode_value(m.prog(), m.heap(), v[2]);  // the envelope stays queued meanwhile
            message taken = self.take();
            return result;
        }
        self.skip();
    }
    return value::empty();
}

}  // namespace weft::interp

// frame_decoder.cpp: stream framing, limits, libcapnp reading and lane reassembly.
//
// Bytes collect in one word-aligned buffer. As soon as a frame's segment table
// is in, its size is checked against the limits, before its body arrives; a
// whole frame is read in place with libcapnp (bounds-checked, under traversal
// and nesting limits) and everything taken out of it is copied, so the buffer
// can be reused at once. Violations anywhere below decode() are thrown as a
// `violation` and caught there, so each check is one line where it belongs and
// the failed state is set in one place.
#include "cluster/frame_decoder.hpp"

#include <capnp/message.h>
#include <capnp/serialize.h>

#include <algorithm>
#include <cstring>
#include <new>
#include <stdexcept>
#include <utility>

#include "cluster/wire.capnp.h"
#include "serialize/shared_binary.hpp"
#include "serialize/validate.hpp"

namespace weft {

namespace {

struct violation {
    std::string reason;
};

std::uint32_t get_u32(const std::byte* at) {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= std::uint32_t(at[i]) << (8 * i);
    return v;
}
std::uint64_t get_u64(const std::byte* at) {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= std::uint64_t(at[i]) << (8 * i);
    return v;
}

std::string num(std::uint64_t n) { return std::to_string(n); }

pid read_pid(schema::Pid::Reader r) { return pid{r.getNode(), r.getCreation(), r.getSerial()}; }
ref read_ref(schema::Ref::Reader r) { return ref{r.getNode(), r.getCreation(), r.getSerial()}; }

// Releases a shared binary unless it was handed on.
struct binary_ref {
    shared_binary* b = nullptr;
    explicit binary_ref(shared_binary* p) : b(p) {}
    binary_ref(const binary_ref&) = delete;
    binary_ref& operator=(const binary_ref&) = delete;
    ~binary_ref() {
        if (b) b->release();
    }
};

// add_binary takes a reference of its own; ours goes when `b` goes.
void add_binary(envelope& e, shared_binary* made) {
    binary_ref b(made);
    e.add_binary(b.b);
}

}  // namespace

// A large message being reassembled: its frame with the payload envelope that
// the chunks fill, where the body stands, and the frames of the same pair of
// actors that came after its head.
struct frame_decoder::lane {
    std::uint32_t id = 0;
    std::uint32_t next_index = 1;
    std::uint64_t body_bytes = 0;
    std::uint64_t received = 0;
    std::uint64_t term_bytes = 0;
    std::uint32_t binary_count = 0;
    std::uint32_t binaries_done = 0;
    frame pending;
    envelope* payload = nullptr;  // owned by pending
    std::byte* term = nullptr;    // payload's words
    std::byte length[8]{};        // the length of the next binary, as it arrives
    unsigned length_have = 0;
    shared_binary* current = nullptr;  // the binary being filled (our reference)
    std::uint64_t current_done = 0;
    std::vector<frame> held;
    std::uint64_t held_bytes = 0;  // their weight (see frame_limits::max_held_bytes)

    lane() = default;
    lane(const lane&) = delete;
    lane& operator=(const lane&) = delete;
    ~lane() {
        if (current) current->release();
    }
};

frame_decoder::frame_decoder(const frame_limits& limits) : limits_(limits) {}
frame_decoder::~frame_decoder() = default;

// ---- bytes in -------------------------------------------------------------------

std::span<std::byte> frame_decoder::prepare(std::size_t n) {
    auto* bytes = reinterpret_cast<std::byte*>(buffer_.get());
    if (begin_ > 0) {
        std::memmove(bytes, bytes + begin_, end_ - begin_);
        end_ -= begin_;
        begin_ = 0;
    }
    if (capacity_ - end_ < n) {
        std::size_t want = std::max(end_ + n, 2 * capacity_);
        std::size_t words = (want + 7) / 8;
        std::unique_ptr<std::uint64_t[]> grown(new std::uint64_t[words]);
        if (end_) std::memcpy(grown.get(), buffer_.get(), end_);
        buffer_ = std::move(grown);
        capacity_ = words * 8;
        bytes = reinterpret_cast<std::byte*>(buffer_.get());
    }
    return {bytes + end_, capacity_ - end_};
}

void frame_decoder::commit(std::size_t k) {
    if (k > capacity_ - end_) throw std::invalid_argument("frame_decoder::commit: more bytes than prepared");
    if (failed_) return;
    end_ += k;
    parse();
}

void frame_decoder::feed(std::span<const std::byte> bytes) {
    // In pieces, so that the buffer holds about one frame whatever the caller hands over.
    constexpr std::size_t piece = std::size_t(64) << 10;
    while (!bytes.empty() && !failed_) {
        std::size_t missing = frame_bytes_ > buffered_bytes() ? frame_bytes_ - buffered_bytes() : 0;
        std::size_t n = std::min(bytes.size(), std::max(piece, missing));
        std::memcpy(prepare(n).data(), bytes.data(), n);
        commit(n);
        bytes = bytes.subspan(n);
    }
}

void frame_decoder::parse() {
    const auto* bytes = reinterpret_cast<const std::byte*>(buffer_.get());
    while (!failed_) {
        std::size_t avail = end_ - begin_;
        const std::byte* p = bytes + begin_;
        if (frame_bytes_ == 0) {
            if (avail < 8) break;
            std::uint64_t segments = std::uint64_t(get_u32(p)) + 1;
            if (segments > limits_.max_segments)
                return fail("frame of " + num(segments) + " segments exceeds the limit of " +
                            num(limits_.max_segments));
            std::size_t table = std::size_t(4 + 4 * segments + 7) & ~std::size_t(7);
            if (avail < table) break;
            std::uint64_t words = 0;
            for (std::uint64_t i = 0; i < segments; ++i) words += get_u32(p + 4 + 4 * i);
            std::uint64_t total = table + 8 * words;
            if (total > limits_.max_frame_bytes)
                return fail("frame of " + num(total) + " bytes exceeds the limit of " + num(limits_.max_frame_bytes));
            frame_bytes_ = std::size_t(total);
        }
        if (avail < frame_bytes_) break;
        std::size_t size = frame_bytes_;
        decode(buffer_.get() + begin_ / 8, size);  // frames are whole words: begin_ stays aligned
        if (failed_) return;
        begin_ += size;
        frame_bytes_ = 0;
    }
    if (begin_ == end_) begin_ = end_ = 0;
}

std::optional<frame> frame_decoder::pop() {
    if (ready_.empty()) return std::nullopt;
    frame f = std::move(ready_.front());
    ready_.pop_front();
    return f;
}

void frame_decoder::fail(std::string reason) {
    failed_ = true;
    failure_ = std::move(reason);
    lanes_.clear();
    in_flight_ = 0;
    held_ = 0;
    begin_ = end_ = frame_bytes_ = 0;
}

// ---- one frame ------------------------------------------------------------------

namespace {

// Reads what frames carry, each length checked; throws violation.
class reader {
public:
    explicit reader(const frame_limits& limits) : limits_(limits) {}

    std::string text(capnp::Text::Reader t, const char* what) const {
        if (t.size() > limits_.max_text_bytes)
            throw violation{std::string(what) + " of " + num(t.size()) + " bytes exceeds the limit of " +
                            num(limits_.max_text_bytes)};
        return std::string(t.cStr(), t.size());
    }

    // A term's words and its binaries, validated together.
    envelope_ptr payload(capnp::Data::Reader term, capnp::List<capnp::Data>::Reader binaries, const char* what) const {
        if (term.size() % 8 != 0)
            throw violation{std::string(what) + " of " + num(term.size()) + " bytes is not a whole number of words"};
        if (binaries.size() > limits_.max_binaries)
            throw violation{std::string(what) + " with " + num(binaries.size()) +
                            " shared binaries exceeds the limit of " + num(limits_.max_binaries)};
        std::size_t words = term.size() / 8;
        envelope_ptr e(envelope::acquire(words));
        if (words) {
            std::memcpy(e->reserve_words(words), term.begin(), term.size());
            e->set_size_words(words);
        }
        for (auto b : binaries)
            add_binary(*e, shared_binary::make(std::span<const std::byte>(
                               reinterpret_cast<const std::byte*>(b.begin()), b.size())));
        check(*e, what);
        return e;
    }

    void check(const envelope& e, const char* what) const {
        if (auto error = validate(e.words(), e.binaries().size(), limits_.term))
            throw violation{std::string(what) + " words failed validation: " + error->message};
    }

    destination to(wire::Envelope::To::Reader t) const {
        switch (t.which()) {
            case wire::Envelope::To::PID: return read_pid(t.getPid());
            case wire::Envelope::To::NAME: {
                std::string name = text(t.getName(), "registered name");
                if (name.empty()) throw violation{"envelope to an empty registered name"};
                return name;
            }
        }
        throw violation{"envelope to an unknown kind of destination " + num(t.which())};
    }

    // An envelope frame; its payload read too unless `head_only`.
    envelope_frame envelope_of(wire::Envelope::Reader r, bool head_only) const {
        envelope_frame f;
        f.to = to(r.getTo());
        if (head_only) {
            if (r.getTerm().size() != 0 || r.getBinaries().size() != 0)
                throw violation{"lane head carries a term or binaries (they belong in its body)"};
            f.env.reset(envelope::acquire());
        } else {
            f.env = payload(r.getTerm(), r.getBinaries(), "term");
        }
        f.env->kind = r.getKind();
        f.env->from = read_pid(r.getFrom());
        f.env->tag = read_ref(r.getTag());
        f.env->aux = r.getAux();
        // The sender's trace clock (0 when untraced, or from a node that
        // predates the field): the receiver's clock follows it as a local
        // message's would.
        f.env->trace_clock = r.getTraceClock();
        return f;
    }

    spawn_request_frame spawn_of(wire::SpawnRequest::Reader r, bool head_only) const {
        spawn_request_frame f;
        f.request_id = r.getRequestId();
        f.module = text(r.getModule(), "module name");
        f.function = text(r.getFunction(), "function name");
        auto hash = r.getModuleHash();
        if (hash.size() > limits_.max_text_bytes)
            throw violation{"module hash of " + num(hash.size()) + " bytes exceeds the limit of " +
                            num(limits_.max_text_bytes)};
        f.module_hash.assign(reinterpret_cast<const std::byte*>(hash.begin()),
                             reinterpret_cast<const std::byte*>(hash.end()));
        if (head_only) {
            if (r.getArgs().size() != 0 || r.getBinaries().size() != 0)
                throw violation{"lane head carries spawn arguments or binaries (they belong in its body)"};
            f.args.reset(envelope::acquire());
        } else {
            f.args = payload(r.getArgs(), r.getBinaries(), "spawn arguments");
        }
        f.parent = read_pid(r.getParent());
        f.link = r.getLink();
        auto monitor = r.getMonitor();
        switch (monitor.which()) {
            case wire::SpawnRequest::Monitor::NONE: break;
            case wire::SpawnRequest::Monitor::REF: f.monitor = read_ref(monitor.getRef()); break;
            default: throw violation{"spawn request with an unknown monitor kind " + num(monitor.which())};
        }
        return f;
    }

    spawn_reply_frame reply_of(wire::SpawnReply::Reader r) const {
        spawn_reply_frame f;
        f.request_id = r.getRequestId();
        auto result = r.getResult();
        switch (result.which()) {
            case wire::SpawnReply::Result::PID: f.result = read_pid(result.getPid()); break;
            case wire::SpawnReply::Result::ERROR: f.result = text(result.getError(), "spawn error"); break;
            default: throw violation{"spawn reply with an unknown result kind " + num(result.which())};
        }
        return f;
    }

private:
    const frame_limits& limits_;
};

}  // namespace

void frame_decoder::decode(const std::uint64_t* words, std::size_t bytes) {
    try {
        capnp::ReaderOptions options;
        options.traversalLimitInWords = limits_.traversal_factor * (bytes / 8) + 64;
        options.nestingLimit = limits_.max_nesting;
        capnp::FlatArrayMessageReader message(
            kj::arrayPtr(reinterpret_cast<const capnp::word*>(words), bytes / 8), options);
        if (message.getRoot<capnp::AnyPointer>().isNull()) throw violation{"frame of " + num(bytes) + " bytes is empty"};
        auto root = message.getRoot<wire::Frame>();
        reader read(limits_);
        switch (root.which()) {
            case wire::Frame::ENVELOPE: return deliver(read.envelope_of(root.getEnvelope(), false), bytes);
            case wire::Frame::SPAWN_REQUEST: return deliver(read.spawn_of(root.getSpawnRequest(), false), bytes);
            case wire::Frame::SPAWN_REPLY: return deliver(read.reply_of(root.getSpawnReply()), bytes);
            case wire::Frame::HEARTBEAT: return deliver(heartbeat_frame{}, bytes);
            case wire::Frame::NODE_INFO: {
                auto r = root.getNodeInfo();
                return deliver(node_info_frame{r.getNode(), read.text(r.getName(), "node name"), r.getCreation()},
                               bytes);
            }
            case wire::Frame::GOODBYE:
                return deliver(goodbye_frame{read.text(root.getGoodbye().getReason(), "goodbye reason")}, bytes);
            case wire::Frame::FRAGMENT: break;
            default: throw violation{"unknown frame kind " + num(root.which())};
        }

        auto fragment = root.getFragment();
        std::uint32_t id = fragment.getLane();
        if (fragment.which() == wire::Fragment::CHUNK) {
            auto chunk = fragment.getChunk();
            return on_chunk(id, fragment.getIndex(), fragment.getLast(),
                            {reinterpret_cast<const std::byte*>(chunk.begin()), chunk.size()});
        }
        if (fragment.which() != wire::Fragment::HEAD)
            throw violation{"fragment of an unknown kind " + num(fragment.which()) + " on lane " + num(id)};

        // A head opens a lane.
        if (fragment.getIndex() != 0)
            throw violation{"head of lane " + num(id) + " has index " + num(fragment.getIndex()) + " (must be 0)"};
        for (auto& l : lanes_)
            if (l->id == id) throw violation{"lane " + num(id) + " opened while already in flight"};
        if (lanes_.size() >= limits_.max_lanes)
            throw violation{"lane " + num(id) + " would be more than the limit of " + num(limits_.max_lanes) +
                            " lanes in flight"};
        auto head = fragment.getHead();
        auto l = std::make_unique<lane>();
        l->id = id;
        l->body_bytes = head.getBodyBytes();
        l->term_bytes = head.getTermBytes();
        l->binary_count = head.getBinaryCount();
        if (l->body_bytes > limits_.max_message_bytes)
            throw violation{"message of " + num(l->body_bytes) + " bytes on lane " + num(id) +
                            " exceeds the limit of " + num(limits_.max_message_bytes)};
        if (in_flight_ + l->body_bytes > limits_.max_in_flight_bytes)
            throw violation{"lane " + num(id) + " of " + num(l->body_bytes) + " bytes would put " +
                            num(in_flight_ + l->body_bytes) + " bytes in flight, over the limit of " +
                            num(limits_.max_in_flight_bytes)};
        if (l->term_bytes % 8 != 0 || l->term_bytes > l->body_bytes)
            throw violation{"lane " + num(id) + " declares a term of " + num(l->term_bytes) + " bytes in a body of " +
                            num(l->body_bytes) + " (must be whole words within it)"};
        if (l->binary_count > limits_.max_binaries)
            throw violation{"lane " + num(id) + " declares " + num(l->binary_count) +
                            " shared binaries, over the limit of " + num(limits_.max_binaries)};
        if (8 * std::uint64_t(l->binary_count) > l->body_bytes - l->term_bytes)
            throw violation{"lane " + num(id) + " declares " + num(l->binary_count) +
                            " binaries, more than the lengths of its body can hold"};
        auto inner = head.getFrame();
        switch (inner.which()) {
            case wire::Frame::ENVELOPE: {
                envelope_frame f = read.envelope_of(inner.getEnvelope(), true);
                l->payload = f.env.get();
                l->pending = std::move(f);
                break;
            }
            case wire::Frame::SPAWN_REQUEST: {
                spawn_request_frame f = read.spawn_of(inner.getSpawnRequest(), true);
                l->payload = f.args.get();
                l->pending = std::move(f);
                break;
            }
            default:
                throw violation{"lane " + num(id) + " carries a frame of kind " + num(inner.which()) +
                                " (only envelopes and spawn requests go in lanes)"};
        }
        std::size_t term_words = std::size_t(l->term_bytes / 8);
        l->term = reinterpret_cast<std::byte*>(l->payload->reserve_words(term_words));
        l->payload->set_size_words(term_words);
        in_flight_ += l->body_bytes;
        lanes_.push_back(std::move(l));
        if (fragment.getLast()) on_chunk(id, 1, true, {});
    } catch (const violation& v) {
        fail(v.reason);
    } catch (const kj::Exception& e) {
        fail("frame of " + num(bytes) + " bytes could not be read: " + std::string(e.getDescription().cStr()));
    } catch (const std::bad_alloc&) {
        fail("out of memory decoding a frame of " + num(bytes) + " bytes");
    } catch (const std::exception& e) {
        fail("frame of " + num(bytes) + " bytes could not be read: " + e.what());
    }
}

// ---- lanes ----------------------------------------------------------------------

void frame_decoder::on_chunk(std::uint32_t id, std::uint32_t index, bool last, std::span<const std::byte> chunk) {
    std::size_t at = 0;
    while (at < lanes_.size() && lanes_[at]->id != id) ++at;
    if (at == lanes_.size()) throw violation{"fragment for unknown lane " + num(id)};
    lane& l = *lanes_[at];
    if (index != l.next_index)
        throw violation{"fragment " + num(index) + " of lane " + num(id) + " out of order (expected " +
                        num(l.next_index) + ")"};
    ++l.next_index;
    if (chunk.size() > l.body_bytes - l.received)
        throw violation{"lane " + num(id) + " sends more than the " + num(l.body_bytes) + " body bytes it declared"};

    while (!chunk.empty()) {
        std::size_t take;
        if (l.received < l.term_bytes) {
            take = std::size_t(std::min<std::uint64_t>(chunk.size(), l.term_bytes - l.received));
            std::memcpy(l.term + l.received, chunk.data(), take);
        } else if (l.current) {
            take = std::size_t(std::min<std::uint64_t>(chunk.size(), l.current->size() - l.current_done));
            std::memcpy(l.current->mutable_data() + l.current_done, chunk.data(), take);
            l.current_done += take;
        } else {
            if (l.binaries_done == l.binary_count)
                throw violation{"lane " + num(id) + " has body bytes after its last binary"};
            take = std::min<std::size_t>(chunk.size(), 8 - l.length_have);
            std::memcpy(l.length + l.length_have, chunk.data(), take);
            l.length_have += unsigned(take);
            if (l.length_have == 8) {
                std::uint64_t size = get_u64(l.length);
                std::uint64_t left = l.body_bytes - (l.received + take);  // after this length
                std::uint64_t later = 8 * std::uint64_t(l.binary_count - l.binaries_done - 1);
                if (size > left || later > left - size)
                    throw violation{"binary " + num(l.binaries_done) + " of " + num(size) + " bytes overruns lane " +
                                    num(id) + " (" + num(left) + " body bytes left)"};
                l.current = shared_binary::make_uninitialized(std::size_t(size));
                l.current_done = 0;
                l.length_have = 0;
            }
        }
        l.received += take;
        chunk = chunk.subspan(take);
        if (l.current && l.current_done == l.current->size()) {
            binary_ref done(l.current);
            l.current = nullptr;
            l.payload->add_binary(done.b);
            ++l.binaries_done;
        }
    }
    if (last) finish_lane(at);
}

void frame_decoder::finish_lane(std::size_t at) {
    lane& l = *lanes_[at];
    if (l.received != l.body_bytes || l.binaries_done != l.binary_count)
        throw violation{"lane " + num(l.id) + " ended after " + num(l.received) + " of its " + num(l.body_bytes) +
                        " body bytes (" + num(l.binaries_done) + " of " + num(l.binary_count) + " binaries)"};
    const char* what = std::holds_alternative<envelope_frame>(l.pending) ? "term" : "spawn arguments";
    reader(limits_).check(*l.payload, what);

    std::unique_ptr<lane> done = std::move(lanes_[at]);
    lanes_.erase(lanes_.begin() + std::ptrdiff_t(at));
    in_flight_ -= done->body_bytes;
    // Its frame and those held behind it go out, or wait behind an older
    // lane of the same pair: lanes opened before it are those before `at`.
    if (lane* older = open_lane_for(done->pending, at)) {
        older->held.push_back(std::move(done->pending));
        for (frame& f : done->held) older->held.push_back(std::move(f));
        older->held_bytes += done->held_bytes;
        hold(*older, done->body_bytes);
    } else {
        held_ -= done->held_bytes;
        ready_.push_back(std::move(done->pending));
        for (frame& f : done->held) ready_.push_back(std::move(f));
    }
}

// ---- order ----------------------------------------------------------------------

namespace {
bool same_pair(const frame& a, const frame& b) {
    const auto* x = std::get_if<envelope_frame>(&a);
    const auto* y = std::get_if<envelope_frame>(&b);
    return x && y && x->env && y->env && x->env->from == y->env->from && x->to == y->to;
}
}  // namespace

// The newest of the first `before` open lanes carrying a message of f's pair.
frame_decoder::lane* frame_decoder::open_lane_for(const frame& f, std::size_t before) {
    if (!std::holds_alternative<envelope_frame>(f)) return nullptr;
    for (std::size_t i = before; i-- > 0;)
        if (same_pair(lanes_[i]->pending, f)) return lanes_[i].get();
    return nullptr;
}

void frame_decoder::deliver(frame f, std::uint64_t weight) {
    if (lane* l = open_lane_for(f, lanes_.size())) {
        l->held.push_back(std::move(f));
        hold(*l, weight);
    } else {
        ready_.push_back(std::move(f));
    }
}

void frame_decoder::hold(lane& l, std::uint64_t weight) {
    l.held_bytes += weight;
    held_ += weight;
    if (held_ > limits_.max_held_bytes)
        throw violation{num(held_) + " bytes of frames held behind unfinished lanes exceed the limit of " +
                        num(limits_.max_held_bytes)};
}

}  // namespace weft

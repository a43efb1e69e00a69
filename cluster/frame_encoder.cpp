// frame_encoder.cpp: building frames with libcapnp, straight into their bytes.
//
// Each frame is built by a Cap'n Proto builder whose first segment is the
// frame's own output buffer, sized beforehand to hold the whole message, with
// one word left in front for the stream framing's segment table. Finishing is
// then writing that one word: the payload is copied once, into the Data field
// that carries it, and never again. Should a size estimate ever fall short,
// the builder takes more segments and the frame is flattened with a copy:
// slower, never wrong.
#include "cluster/frame_encoder.hpp"

#include <capnp/message.h>
#include <capnp/serialize.h>

#include <algorithm>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "cluster/wire.capnp.h"
#include "serialize/shared_binary.hpp"

namespace weft {

namespace {

// Generously more than the fixed parts of any frame kind: the root pointer,
// every struct of a lane head with an envelope or spawn request inside, and
// the pointers of their lists.
constexpr std::size_t fixed_words = 64;
// Room a fragment frame needs beyond its chunk (it uses 56 bytes).
constexpr std::size_t fragment_overhead = 128;

constexpr std::size_t data_words(std::size_t bytes) { return (bytes + 7) / 8; }
constexpr std::size_t text_words(std::size_t bytes) { return (bytes + 8) / 8; }  // with its NUL

void put_u32(std::byte* at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) at[i] = std::byte(v >> (8 * i));
}
void put_u64(std::byte* at, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) at[i] = std::byte(v >> (8 * i));
}

void set_pid(schema::Pid::Builder b, const pid& p) {
    b.setNode(p.node);
    b.setCreation(p.creation);
    b.setSerial(p.serial);
}
void set_ref(schema::Ref::Builder b, const ref& r) {
    b.setNode(r.node);
    b.setCreation(r.creation);
    b.setSerial(r.serial);
}

kj::StringPtr text(const std::string& s) { return kj::StringPtr(s.c_str(), s.size()); }

void check_text(const std::string& s, const char* what, const frame_limits& limits) {
    if (s.size() > limits.max_text_bytes)
        throw std::length_error(std::string(what) + " of " + std::to_string(s.size()) +
                                " bytes exceeds the limit of " + std::to_string(limits.max_text_bytes));
}

// What an envelope or spawn arguments weigh on the wire.
struct payload_size {
    std::uint64_t term_bytes = 0;
    std::uint64_t binary_bytes = 0;  // the binaries' bytes alone
    std::size_t binary_count = 0;
    std::size_t words = 0;  // what the payload adds to a small frame, in words

    std::uint64_t small_bytes() const { return term_bytes + binary_bytes; }
    std::uint64_t body_bytes() const { return term_bytes + binary_bytes + 8 * std::uint64_t(binary_count); }
};

payload_size measure(const envelope* e, const frame_limits& limits) {
    payload_size s;
    if (!e) return s;
    s.term_bytes = e->words().size_bytes();
    s.words = e->words().size();
    for (const shared_binary* b : e->binaries()) {
        s.binary_bytes += b->size();
        s.words += 1 + data_words(b->size());  // its pointer in the list, then its bytes
    }
    s.binary_count = e->binaries().size();
    if (s.binary_count > limits.max_binaries)
        throw std::length_error("message with " + std::to_string(s.binary_count) +
                                " shared binaries exceeds the limit of " + std::to_string(limits.max_binaries));
    return s;
}

// Copies the words and binaries of `e` into a small frame's term and binaries fields.
template <typename Builder>
void fill_payload(Builder b, const envelope* e) {
    if (!e) return;
    auto words = e->words();
    if (!words.empty()) {
        auto term = b.initTerm(unsigned(words.size_bytes()));
        std::memcpy(term.begin(), words.data(), words.size_bytes());
    }
    auto bins = e->binaries();
    if (!bins.empty()) {
        auto list = b.initBinaries(unsigned(bins.size()));
        for (unsigned i = 0; i < bins.size(); ++i) {
            auto data = list.init(i, unsigned(bins[i]->size()));
            if (bins[i]->size()) std::memcpy(data.begin(), bins[i]->data(), bins[i]->size());
        }
    }
}
// SpawnRequest names its term field args.
struct spawn_payload {
    wire::SpawnRequest::Builder b;
    auto initTerm(unsigned n) { return b.initArgs(n); }
    auto initBinaries(unsigned n) { return b.initBinaries(n); }
};

// Everything of an envelope frame but its payload.
void fill_envelope_header(wire::Envelope::Builder b, const envelope_frame& f) {
    if (const pid* p = std::get_if<pid>(&f.to))
        set_pid(b.getTo().initPid(), *p);
    else
        b.getTo().setName(text(std::get<std::string>(f.to)));
    b.setKind(f.env->kind);
    set_pid(b.initFrom(), f.env->from);
    set_ref(b.initTag(), f.env->tag);
    b.setAux(f.env->aux);
    // Only a traced message has a clock; 0 is the field's default, so an
    // untraced one writes nothing more.
    if (f.env->trace_clock) [[unlikely]]
        b.setTraceClock(f.env->trace_clock);
}

void fill_spawn_header(wire::SpawnRequest::Builder b, const spawn_request_frame& f) {
    b.setRequestId(f.request_id);
    b.setModule(text(f.module));
    b.setFunction(text(f.function));
    if (!f.module_hash.empty()) {
        auto hash = b.initModuleHash(unsigned(f.module_hash.size()));
        std::memcpy(hash.begin(), f.module_hash.data(), f.module_hash.size());
    }
    set_pid(b.initParent(), f.parent);
    b.setLink(f.link);
    if (f.monitor)
        set_ref(b.getMonitor().initRef(), *f.monitor);
    else
        b.getMonitor().setNone();
}

std::size_t destination_words(const destination& to) {
    const std::string* name = std::get_if<std::string>(&to);
    return name ? text_words(name->size()) : 0;
}

}  // namespace

namespace detail {

// A message builder whose first segment is the output buffer of the frame.
class frame_arena final : public capnp::MessageBuilder {
public:
    // Room for a message of `words` words in one segment.
    explicit frame_arena(std::size_t words) : capacity_(words) {
        auto* p = static_cast<std::uint64_t*>(std::calloc(words + 1, sizeof(std::uint64_t)));
        if (!p) throw std::bad_alloc();
        buffer_.reset(p);
    }
    ~frame_arena() noexcept(false) override = default;

    kj::ArrayPtr<capnp::word> allocateSegment(unsigned minimum) override {
        if (!first_given_) {
            first_given_ = true;
            if (minimum <= capacity_) return {reinterpret_cast<capnp::word*>(buffer_.get() + 1), capacity_};
        }
        std::size_t n = std::max<std::size_t>(minimum, 1024);
        auto* p = static_cast<std::uint64_t*>(std::calloc(n, sizeof(std::uint64_t)));
        if (!p) throw std::bad_alloc();
        more_.emplace_back(p);
        return {reinterpret_cast<capnp::word*>(p), n};
    }

    // The frame's bytes; the arena is spent.
    encoded_frame finish() {
        auto segments = getSegmentsForOutput();
        auto* first = reinterpret_cast<const capnp::word*>(buffer_.get() + 1);
        if (segments.size() == 1 && segments[0].begin() == first) {
            auto* table = reinterpret_cast<std::byte*>(buffer_.get());
            put_u32(table, 0);  // segment count - 1
            put_u32(table + 4, std::uint32_t(segments[0].size()));
            std::size_t bytes = (1 + segments[0].size()) * sizeof(std::uint64_t);
            return encoded_frame(std::move(buffer_), bytes);
        }
        kj::Array<capnp::word> flat = capnp::messageToFlatArray(segments);
        auto* p = static_cast<std::uint64_t*>(std::malloc(flat.size() * sizeof(capnp::word)));
        if (!p) throw std::bad_alloc();
        std::memcpy(p, flat.begin(), flat.size() * sizeof(capnp::word));
        return encoded_frame(encoded_frame_words(p), flat.size() * sizeof(capnp::word));
    }

private:
    using encoded_frame_words = std::unique_ptr<std::uint64_t, encoded_frame::free_deleter>;
    encoded_frame_words buffer_;
    std::size_t capacity_;
    bool first_given_ = false;
    std::vector<encoded_frame_words> more_;
};

}  // namespace detail

using detail::frame_arena;

// ---- large_transfer ---------------------------------------------------------

large_transfer::large_transfer(std::uint32_t lane, envelope_ptr payload, std::uint64_t body_bytes,
                               std::size_t chunk_bytes)
    : payload_(std::move(payload)), lane_(lane), body_bytes_(body_bytes), chunk_bytes_(chunk_bytes) {}

std::size_t large_transfer::copy_body(std::byte* out, std::size_t n) {
    auto words = std::as_bytes(payload_->words());
    auto bins = payload_->binaries();
    const std::size_t parts = 1 + 2 * bins.size();
    std::size_t done = 0;
    std::byte length[8];
    while (done < n && part_ < parts) {
        std::span<const std::byte> src;
        if (part_ == 0) {
            src = words;
        } else if ((part_ - 1) % 2 == 0) {
            put_u64(length, bins[(part_ - 1) / 2]->size());
            src = {length, sizeof length};
        } else {
            src = bins[(part_ - 1) / 2]->bytes();
        }
        std::size_t take = std::min<std::size_t>(n - done, src.size() - offset_);
        if (take) std::memcpy(out + done, src.data() + offset_, take);
        done += take;
        offset_ += take;
        if (offset_ == src.size()) {
            ++part_;
            offset_ = 0;
        }
    }
    return done;
}

encoded_frame large_transfer::next_chunk() {
    if (done()) throw std::logic_error("large_transfer: every chunk of lane " + std::to_string(lane_) + " is out");
    std::size_t n = std::size_t(std::min<std::uint64_t>(chunk_bytes_, remaining_bytes()));
    frame_arena arena(fixed_words + data_words(n));
    auto fragment = arena.initRoot<wire::Frame>().initFragment();
    fragment.setLane(lane_);
    fragment.setIndex(next_index_);
    auto chunk = fragment.initChunk(unsigned(n));
    if (copy_body(reinterpret_cast<std::byte*>(chunk.begin()), n) != n)
        throw std::logic_error("large_transfer: body shorter than declared");
    fragment.setLast(n == remaining_bytes());
    encoded_frame out = arena.finish();
    ++next_index_;
    sent_ += n;
    return out;
}

// ---- frame_encoder ----------------------------------------------------------

frame_encoder::frame_encoder(const frame_limits& limits) : limits_(limits) {
    if (limits.fragment_bytes < 1024) throw std::invalid_argument("frame_limits: fragment_bytes must be at least 1024");
    if (limits.max_frame_bytes < limits.fragment_bytes)
        throw std::invalid_argument("frame_limits: max_frame_bytes must be at least fragment_bytes");
    chunk_bytes_ = (limits.fragment_bytes - fragment_overhead) & ~std::size_t(7);
}

std::optional<std::string> refusal(const envelope_frame& f, const frame_limits& limits) {
    const std::string* name = std::get_if<std::string>(&f.to);
    if (name && name->size() > limits.max_text_bytes)
        return "registered name of " + std::to_string(name->size()) + " bytes exceeds the limit of " +
               std::to_string(limits.max_text_bytes);
    if (!f.env) return std::nullopt;
    std::size_t binaries = f.env->binaries().size();
    if (binaries > limits.max_binaries)
        return "message with " + std::to_string(binaries) + " shared binaries exceeds the limit of " +
               std::to_string(limits.max_binaries);
    std::uint64_t payload = f.env->payload_bytes(), body = payload + 8 * std::uint64_t(binaries);
    if (payload > limits.large_threshold && body > limits.max_message_bytes)
        return "message of " + std::to_string(body) + " bytes exceeds the limit of " +
               std::to_string(limits.max_message_bytes);
    return std::nullopt;
}

encoded_message frame_encoder::encode(envelope_frame f) {
    if (!f.env) throw std::invalid_argument("frame_encoder: envelope frame without an envelope");
    if (std::optional<std::string> why = refusal(f, limits_)) throw std::length_error(*why);
    payload_size size = measure(f.env.get(), limits_);
    std::size_t header_words = fixed_words + destination_words(f.to);

    if (size.small_bytes() <= limits_.large_threshold) {
        frame_arena arena(header_words + size.words);
        auto b = arena.initRoot<wire::Frame>().initEnvelope();
        fill_envelope_header(b, f);
        fill_payload(b, f.env.get());
        return {arena.finish(), std::nullopt};
    }

    std::uint32_t lane = open_lane();
    frame_arena arena(header_words);
    auto fragment = arena.initRoot<wire::Frame>().initFragment();
    fragment.setLane(lane);
    fragment.setIndex(0);
    fragment.setLast(false);
    auto head = fragment.initHead();
    head.setBodyBytes(size.body_bytes());
    head.setTermBytes(size.term_bytes);
    head.setBinaryCount(std::uint32_t(size.binary_count));
    fill_envelope_header(head.initFrame().initEnvelope(), f);
    encoded_frame first = arena.finish();
    return {std::move(first), large_transfer(lane, std::move(f.env), size.body_bytes(), chunk_bytes_)};
}

encoded_message frame_encoder::encode(spawn_request_frame f) {
    check_text(f.module, "module name", limits_);
    check_text(f.function, "function name", limits_);
    if (f.module_hash.size() > limits_.max_text_bytes)
        throw std::length_error("module hash of " + std::to_string(f.module_hash.size()) +
                                " bytes exceeds the limit of " + std::to_string(limits_.max_text_bytes));
    payload_size size = measure(f.args.get(), limits_);
    std::size_t header_words = fixed_words + text_words(f.module.size()) + text_words(f.function.size()) +
                               data_words(f.module_hash.size());

    if (size.small_bytes() <= limits_.large_threshold) {
        frame_arena arena(header_words + size.words);
        auto b = arena.initRoot<wire::Frame>().initSpawnRequest();
        fill_spawn_header(b, f);
        fill_payload(spawn_payload{b}, f.args.get());
        return {arena.finish(), std::nullopt};
    }

    if (size.body_bytes() > limits_.max_message_bytes)
        throw std::length_error("spawn request of " + std::to_string(size.body_bytes()) +
                                " bytes exceeds the limit of " + std::to_string(limits_.max_message_bytes));
    std::uint32_t lane = open_lane();
    frame_arena arena(header_words);
    auto fragment = arena.initRoot<wire::Frame>().initFragment();
    fragment.setLane(lane);
    fragment.setIndex(0);
    fragment.setLast(false);
    auto head = fragment.initHead();
    head.setBodyBytes(size.body_bytes());
    head.setTermBytes(size.term_bytes);
    head.setBinaryCount(std::uint32_t(size.binary_count));
    fill_spawn_header(head.initFrame().initSpawnRequest(), f);
    encoded_frame first = arena.finish();
    return {std::move(first), large_transfer(lane, std::move(f.args), size.body_bytes(), chunk_bytes_)};
}

encoded_frame frame_encoder::encode(const spawn_reply_frame& f) const {
    const std::string* error = std::get_if<std::string>(&f.result);
    if (error) check_text(*error, "spawn error", limits_);
    frame_arena arena(fixed_words + (error ? text_words(error->size()) : 0));
    auto b = arena.initRoot<wire::Frame>().initSpawnReply();
    b.setRequestId(f.request_id);
    if (error)
        b.getResult().setError(text(*error));
    else
        set_pid(b.getResult().initPid(), std::get<pid>(f.result));
    return arena.finish();
}

encoded_frame frame_encoder::encode(const heartbeat_frame&) const {
    frame_arena arena(fixed_words);
    arena.initRoot<wire::Frame>().initHeartbeat();
    return arena.finish();
}

encoded_frame frame_encoder::encode(const node_info_frame& f) const {
    check_text(f.name, "node name", limits_);
    frame_arena arena(fixed_words + text_words(f.name.size()));
    auto b = arena.initRoot<wire::Frame>().initNodeInfo();
    b.setNode(f.node);
    b.setName(text(f.name));
    b.setCreation(f.creation);
    return arena.finish();
}

encoded_frame frame_encoder::encode(const goodbye_frame& f) const {
    check_text(f.reason, "goodbye reason", limits_);
    frame_arena arena(fixed_words + text_words(f.reason.size()));
    arena.initRoot<wire::Frame>().initGoodbye().setReason(text(f.reason));
    return arena.finish();
}

}  // namespace weft

// Backpressure on a native blocking actor: a send that its node's connection
// reports congested holds the sender until remote_nodes::congested says the
// connection has drained; messages that arrive meanwhile stay queued. A fake
// node stands in for cluster/ (the multi-process tests in tests/cluster cover
// a real congested connection with script actors).
#include <atomic>
#include <future>

#include "actors/remote.hpp"
#include "support.hpp"

namespace weft {
namespace {

using testing::s;

// Another node whose connection stays over its limit for `busy_polls` looks.
class congested_node final : public remote_nodes {
public:
    explicit congested_node(int busy_polls) : busy_left_(busy_polls) {}
    std::atomic<int> routed_messages{0};
    mutable std::atomic<int> polls{0};

    routed route(pid, envelope* e) override {
        envelope::release(e);
        ++routed_messages;
        return routed::sent_congested;
    }
    routed route_named(std::string_view, std::string_view, envelope*) override { return routed::unknown_node; }
    bool congested(std::uint32_t, std::size_t bytes) const override {
        EXPECT_GT(bytes, 0u);  // the sender passes its message's size to tell small from large
        ++polls;
        return busy_left_.fetch_sub(1) > 0;
    }
    std::optional<node_traffic> traffic(std::string_view) const override { return std::nullopt; }
    std::string self_name() const override { return "a@127.0.0.1:1"; }
    std::vector<std::string> connected() const override { return {}; }
    std::optional<std::string> name_of(std::uint32_t) const override { return std::nullopt; }
    void connect(std::string_view, pid, ref) override {}
    bool disconnect(std::string_view) override { return false; }
    void monitor_node(pid, std::string_view) override {}
    void spawn(std::string_view, spawn_call call, pid, ref) override { envelope::release(call.args); }

private:
    mutable std::atomic<int> busy_left_;
};

TEST(Backpressure, ABlockingSenderWaitsUntilTheConnectionDrainsAndKeepsItsMail) {
    runtime rt({.threads = 2});
    congested_node other(3);
    rt.set_remote(&other);
    pid far{.node = 77, .creation = 1, .serial = 1};
    std::promise<pid> sender_pid;
    std::promise<std::pair<int, term>> after_send;
    rt.spawn([&](actor& self) {
        sender_pid.set_value(self.self());
        self.receive();  // "go"
        self.send(far, s("to another node"));
        int polls_when_back = other.polls.load();
        after_send.set_value({polls_when_back, self.receive().value()});
    });
    pid sender = sender_pid.get_future().get();
    rt.send(sender, s("go"));
    rt.send(sender, s("sent meanwhile"));
    auto [polls, mail] = after_send.get_future().get();
    EXPECT_EQ(other.routed_messages.load(), 1);
    EXPECT_EQ(polls, 4);  // three busy looks, then the one that let it go
    EXPECT_EQ(mail, s("sent meanwhile"));
    rt.run_until_idle();
    rt.set_remote(nullptr);
}

}  // namespace
}  // namespace weft

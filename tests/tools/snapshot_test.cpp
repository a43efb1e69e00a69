// snapshot_test.cpp: a sample of a runtime (tools/observe/snapshot.hpp): the
// actor table with names, initial calls and queues, reductions per
// interval, the order, the JSON form and back, and `weft top`'s text.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "actors/actor.hpp"
#include "actors/runtime.hpp"
#include "tools/observe/snapshot.hpp"
#include "tools/observe/top_view.hpp"

namespace weft::tools::observe {
namespace {

// Blocking actors that wait for "stop", each with what the test sent it.
struct fixture {
    runtime rt{runtime_options{.threads = 2}};
    pid quiet, busy;

    fixture() {
        quiet = rt.spawn([](actor& a) {
            a.set_initial_call("quiet_loop");
            (void)a.receive_if([](term_view v) { return v.kind() == term_kind::str && v.as_str() == "stop"; });
        });
        busy = rt.spawn([](actor& a) {
            a.set_initial_call("busy_loop");
            a.publish(5000, 4096, 17);
            (void)a.receive_if([](term_view v) { return v.kind() == term_kind::str && v.as_str() == "stop"; });
        });
        rt.register_name("quiet", quiet);
        rt.register_name("busy", busy);
        for (int i = 0; i < 3; ++i) rt.send(quiet, term(i));  // left queued: it waits for "stop" only
    }
    ~fixture() {
        rt.send(quiet, term::str("stop"));
        rt.send(busy, term::str("stop"));
        rt.run_until_idle();
        rt.stop();
    }
    // Waits (without timing anything) until both have run their first turn.
    void settle() {
        for (;;) {
            auto q = rt.info(quiet), b = rt.info(busy);
            if (q && b && q->initial_call == "quiet_loop" && b->reductions == 5000 && q->queue_len == 3) return;
            std::this_thread::yield();
        }
    }
};

const actor_row* row_named(const sample& s, const std::string& name) {
    for (const actor_row& r : s.actors)
        if (r.name == name) return &r;
    return nullptr;
}

TEST(Snapshot, TheTableShowsEveryActor) {
    fixture f;
    f.settle();
    sampler sm(f.rt);
    sample s = sm.take();
    EXPECT_EQ(s.actor_count, 2u);
    const actor_row* q = row_named(s, "quiet");
    const actor_row* b = row_named(s, "busy");
    ASSERT_TRUE(q && b);
    EXPECT_EQ(q->initial_call, "quiet_loop");
    EXPECT_EQ(q->queue_len, 3);
    EXPECT_EQ(q->pid_text, f.rt.numbers().text(f.quiet));  // <0.S.0>, as script prints it
    EXPECT_TRUE(q->pid_text.starts_with("<0.") && q->pid_text.ends_with(".0>")) << q->pid_text;
    EXPECT_EQ(b->reductions, 5000u);
    EXPECT_EQ(b->reductions_delta, 5000u);  // the first sample: all of them
    EXPECT_EQ(b->heap_bytes, 4096u);
    EXPECT_EQ(b->current_line, 17u);
    EXPECT_EQ(s.heap_bytes, 4096u);
    EXPECT_EQ(s.queued_messages, 3);
    EXPECT_EQ(s.workers.size(), 2u);
    // Sorted by reductions per interval: busy first.
    EXPECT_EQ(s.actors.front().name, "busy");

    sample again = sm.take();
    EXPECT_EQ(row_named(again, "busy")->reductions_delta, 0u);  // nothing since
    EXPECT_GT(again.interval_s, 0.0);
}

TEST(Snapshot, OrderAndLimit) {
    fixture f;
    f.settle();
    sampler sm(f.rt);
    sample by_queue = sm.take(sample_options{.sort = sort_key::queue, .limit = 1});
    ASSERT_EQ(by_queue.actors.size(), 1u);
    EXPECT_EQ(by_queue.actors[0].name, "quiet");
    EXPECT_EQ(by_queue.actor_count, 2u);  // the totals count every actor
    sample by_memory = sm.take(sample_options{.sort = sort_key::memory, .limit = 0});
    EXPECT_EQ(by_memory.actors[0].name, "busy");
    EXPECT_EQ(parse_sort_key("memory"), sort_key::memory);
    EXPECT_FALSE(parse_sort_key("size"));
}

TEST(Snapshot, JsonRoundTrip) {
    fixture f;
    f.settle();
    sampler sm(f.rt);
    sample s = sm.take();
    std::string text = to_json(s);
    nlohmann::json j = nlohmann::json::parse(text);
    EXPECT_EQ(j["actors"], 2);
    EXPECT_EQ(j["table"].size(), 2u);
    EXPECT_EQ(j["workers"].size(), 2u);
    EXPECT_TRUE(j["memory"]["rss_bytes"].get<std::uint64_t>() > 0);
    std::optional<sample> back = sample_from_json(text);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->actor_count, 2u);
    const actor_row* q = row_named(*back, "quiet");
    ASSERT_TRUE(q);
    EXPECT_EQ(q->initial_call, "quiet_loop");
    EXPECT_EQ(q->queue_len, 3);
    std::string why;
    EXPECT_FALSE(sample_from_json("[1, 2", &why));
    EXPECT_FALSE(why.empty());
}

TEST(Snapshot, TopShowsTheHeaderAndTheRows) {
    fixture f;
    f.settle();
    sampler sm(f.rt);
    sample s = sm.take();
    std::string text = render_top(s, sort_key::reductions, 20, 120);
    EXPECT_NE(text.find("actors 2"), std::string::npos);
    EXPECT_NE(text.find("busy_loop"), std::string::npos);
    EXPECT_NE(text.find("quiet_loop"), std::string::npos);
    EXPECT_NE(text.find("workers  1 ["), std::string::npos);
    EXPECT_NE(text.find("q quit"), std::string::npos);
    EXPECT_LT(text.find("busy_loop"), text.find("quiet_loop"));  // the order chosen
    std::size_t lines = std::count(text.begin(), text.end(), '\n') + 1;
    EXPECT_EQ(lines, 20u);  // exactly the screen
    EXPECT_EQ(human_bytes(1536), "1.5 KB");
    EXPECT_EQ(human_count(12345), "12.3k");
}

}  // namespace
}  // namespace weft::tools::observe

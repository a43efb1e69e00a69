// Registered names: register, whereis, send by name, and the errors.
#include "support.hpp"

namespace weft {
namespace {

using namespace std::chrono_literals;
using testing::run_as_actor;
using testing::s;

TEST(Registry, RegisterFindSendAndUnregister) {
    runtime rt({.threads = 2});
    std::promise<term> got;
    pid server = rt.spawn([&](actor& self) { got.set_value(self.receive().value()); });
    rt.register_name("server", server);
    EXPECT_EQ(rt.whereis("server"), server);
    rt.send("server", s("by name"));
    EXPECT_EQ(got.get_future().get(), s("by name"));
    rt.run_until_idle();
    EXPECT_EQ(rt.whereis("server"), std::nullopt) << "an ended actor loses its name";
}

TEST(Registry, ErrorsAreClearAndHarmless) {
    runtime rt({.threads = 2});
    pid a = rt.spawn([](actor& self) { self.receive(); });
    pid b = rt.spawn([](actor& self) { self.receive(); });
    rt.register_name("a", a);
    try {
        rt.register_name("a", b);
        ADD_FAILURE() << "a taken name must be refused";
    } catch (const runtime_error& e) {
        EXPECT_STREQ(e.what(), "register: the name 'a' is taken by a live actor");
    }
    EXPECT_THROW(rt.register_name("other", a), runtime_error) << "one name per actor";
    try {
        rt.send("nobody", s("x"));
        ADD_FAILURE() << "sending to an unknown name must fail";
    } catch (const runtime_error& e) {
        EXPECT_STREQ(e.what(), "send: no actor is registered as 'nobody'");
    }
    EXPECT_FALSE(rt.unregister_name("nobody"));
    EXPECT_TRUE(rt.unregister_name("a"));
    rt.register_name("a", b);  // free again
    EXPECT_EQ(rt.whereis("a"), b);
    rt.send(a, s("end"));
    rt.send(b, s("end"));
    rt.run_until_idle();
    pid dead = a;
    EXPECT_THROW(rt.register_name("late", dead), runtime_error);
}

TEST(Registry, ActorsRegisterThemselvesAndSendByName) {
    runtime rt({.threads = 2});
    run_as_actor(rt, [&](actor& self) {
        self.register_name("me");
        self.send("me", s("hello me"));
        EXPECT_EQ(self.receive().value(), s("hello me"));
        EXPECT_THROW(self.send("ghost", s("x")), runtime_error);
    });
    EXPECT_EQ(rt.whereis("me"), std::nullopt);
}

}  // namespace
}  // namespace weft

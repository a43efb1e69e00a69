// trace_render_test.cpp: a trace drawn as SVG, Mermaid and JSON lines
// (tools/trace/), from a real runtime's trace, in process. The SVG is parsed
// as XML by python3's minidom, a parser we did not write.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <sstream>

#include "actors/actor.hpp"
#include "actors/runtime.hpp"
#include "tools/trace/trace_diagram.hpp"
#include "tools/trace/trace_render.hpp"

namespace weft::tools {
namespace {

std::size_t occurrences(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

// 2 actors exchange 5 messages each way, one of them with text that XML
// and Mermaid must escape.
trace_result traced_exchange(runtime& rt) {
    rt.trace().start({});
    std::promise<void> done;
    rt.spawn([&](actor& self) {
        pid echo = self.spawn([](actor& a) {
            for (int i = 0; i < 5; ++i) {
                message m = a.receive();
                a.send(m.view()[0].as_pid(), term::str("<&>\"';#"));
            }
        });
        for (int i = 0; i < 5; ++i) {
            self.send(echo, term::tuple({term(self.self()), term(std::int64_t(i))}));
            (void)self.receive();
        }
        done.set_value();
    });
    done.get_future().wait();
    rt.run_until_idle();
    return rt.trace().stop();
}

bool parses_as_xml(const std::string& svg) {
    std::string path = ::testing::TempDir() + "weft_trace_" + std::to_string(::getpid()) + ".svg";
    std::ofstream(path) << svg;
    std::string command = "python3 -c 'import xml.dom.minidom,sys; xml.dom.minidom.parse(sys.argv[1])' " + path;
    int status = std::system(command.c_str());
    std::remove(path.c_str());
    return status == 0;
}

TEST(TraceRender, SvgIsWellFormedWithALifelinePerActorAndAnArrowPerMessage) {
    runtime rt(runtime_options{.threads = 2});
    trace_result trace = traced_exchange(rt);
    diagram d = make_diagram(trace, rt.numbers());
    // outside (which spawned the first actor), the first actor, the echo.
    ASSERT_EQ(d.participants.size(), 3u);
    ASSERT_EQ(d.messages.size(), 10u);
    for (const diagram_message& m : d.messages) EXPECT_TRUE(m.sent && m.received);
    std::string svg = render_svg(trace, rt.numbers());
    EXPECT_TRUE(parses_as_xml(svg));
    EXPECT_EQ(occurrences(svg, "class=\"lifeline\""), d.participants.size());
    EXPECT_EQ(occurrences(svg, "<g class=\"message"), d.messages.size());
    EXPECT_NE(svg.find("&lt;&amp;&gt;&quot;"), std::string::npos);  // in the repr '<&>"\';#'
    EXPECT_EQ(svg.find("<&>"), std::string::npos);
}

TEST(TraceRender, MermaidHasAParticipantPerActorAndAnArrowPerMessage) {
    runtime rt(runtime_options{.threads = 2});
    trace_result trace = traced_exchange(rt);
    std::string text = render_mermaid(trace, rt.numbers());
    EXPECT_EQ(text.rfind("sequenceDiagram\n", 0), 0u);
    EXPECT_EQ(occurrences(text, "    participant "), 3u);
    EXPECT_EQ(occurrences(text, "->>"), 10u);
    EXPECT_EQ(text.find("<&>"), std::string::npos);  // as entity codes
    EXPECT_NE(text.find("#lt;&#gt;"), std::string::npos);
}

TEST(TraceRender, JsonLinesAreOneEventEachInCausalOrder) {
    runtime rt(runtime_options{.threads = 2});
    trace_result trace = traced_exchange(rt);
    std::istringstream lines(render_jsonl(trace, rt.numbers()));
    std::string line;
    std::size_t n = 0;
    std::uint64_t last = 0;
    while (std::getline(lines, line)) {
        nlohmann::json e = nlohmann::json::parse(line);
        ASSERT_TRUE(e.contains("kind") && e.contains("clock") && e.contains("actor") && e.contains("text"));
        EXPECT_GE(e["clock"].get<std::uint64_t>(), last);
        last = e["clock"].get<std::uint64_t>();
        ++n;
    }
    EXPECT_EQ(n, trace.events.size());
}

TEST(TraceRender, EscapesEveryXmlSpecialCharacter) {
    EXPECT_EQ(xml_escaped("a<b>&\"'\x01"), "a&lt;b&gt;&amp;&quot;&apos; ");
}

TEST(TraceRender, AnEmptyTraceIsStillAWellFormedDiagram) {
    node_numbers numbers(0, 0);
    EXPECT_TRUE(parses_as_xml(render_svg(trace_result{}, numbers)));
    EXPECT_EQ(render_mermaid(trace_result{}, numbers), "sequenceDiagram\n");
}

}  // namespace
}  // namespace weft::tools

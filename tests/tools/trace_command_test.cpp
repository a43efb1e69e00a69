// trace_command_test.cpp: `weft trace` on the real binary: the default SVG
// file, each format (PNG through rsvg-convert when it is installed, and with
// a PATH that lacks every converter, or holds one that fails), and the
// errors a user can cause. No timing assertions.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace {

std::string dir() { return ::testing::TempDir() + "weft_trace_cmd_" + std::to_string(::getpid()) + "/"; }

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::size_t occurrences(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

// Runs weft with `args`, stdout and stderr to files (and PATH set to
// `path` when one is given); returns the status.
int weft(const std::string& args, std::string* err = nullptr, const std::string& path = "") {
    std::string e = dir() + "stderr.txt";
    std::string env = path.empty() ? "" : "PATH='" + path + "' ";
    int status =
        std::system((env + std::string(WEFT_BINARY) + " " + args + " >" + dir() + "stdout.txt 2>" + e).c_str());
    if (err) *err = slurp(e);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

constexpr const char* ping_program = R"(def pong():
    while True:
        receive:
            case ("ping", sender, n):
                send(sender, ("pong", n))
            case "stop":
                return

def main(args):
    p = spawn(pong)
    monitor(p)
    for i in range(3):
        send(p, ("ping", self(), i))
        receive:
            case ("pong", n):
                print("got pong", n)
    send(p, "stop")
    receive:
        case ("DOWN", _, _, _):
            pass
)";

class TraceCommand : public ::testing::Test {
protected:
    void SetUp() override {
        std::system(("mkdir -p " + dir()).c_str());
        std::ofstream(dir() + "ping.weft") << ping_program;
    }
    void TearDown() override { std::system(("rm -rf " + dir()).c_str()); }
};

TEST_F(TraceCommand, WritesAnSvgNextToTheProgramByDefault) {
    ASSERT_EQ(weft("trace --threads 2 " + dir() + "ping.weft"), 0);
    EXPECT_EQ(slurp(dir() + "stdout.txt"), "got pong 0\ngot pong 1\ngot pong 2\n");  // the program's own output
    std::string svg = slurp(dir() + "ping.trace.svg");
    ASSERT_FALSE(svg.empty());
    std::string check = "python3 -c 'import xml.dom.minidom,sys; xml.dom.minidom.parse(sys.argv[1])' " + dir() +
                        "ping.trace.svg";
    EXPECT_EQ(std::system(check.c_str()), 0);
    // outside, the tool's watcher, main and pong; 3 pings, 3 pongs, "stop",
    // pong's DOWN to main and main's to the watcher.
    EXPECT_EQ(occurrences(svg, "class=\"lifeline\""), 4u);
    EXPECT_EQ(occurrences(svg, "<g class=\"message"), 9u);
    EXPECT_NE(svg.find(">main<"), std::string::npos);
    EXPECT_NE(svg.find(">pong<"), std::string::npos);
}

TEST_F(TraceCommand, FiltersByFunction) {
    ASSERT_EQ(weft("trace --format jsonl --function pong -o " + dir() + "t.jsonl " + dir() + "ping.weft"), 0);
    std::string text = slurp(dir() + "t.jsonl");
    // main waits for pong's end, so the trace (which stops when main ends) has it all.
    EXPECT_EQ(occurrences(text, "\"kind\":\"receive\""), 4u);  // 3 pings and "stop"
    EXPECT_EQ(occurrences(text, "\"kind\":\"send\""), 3u);     // 3 pongs
    EXPECT_EQ(occurrences(text, "\"function\":\"main\""), 0u);
}

TEST_F(TraceCommand, MermaidFormat) {
    ASSERT_EQ(weft("trace --format mermaid -o " + dir() + "t.mmd " + dir() + "ping.weft"), 0);
    std::string text = slurp(dir() + "t.mmd");
    EXPECT_EQ(text.rfind("sequenceDiagram\n", 0), 0u);
    EXPECT_EQ(occurrences(text, "->>"), 9u);
}

TEST_F(TraceCommand, TheBoundStopsTheTraceWhileTheProgramCompletes) {
    std::ofstream(dir() + "flood.weft") << R"(def sink(n):
    for i in range(n):
        receive:
            case x:
                pass
    print("sink done")

def main(args):
    n = 1000000
    p = spawn(sink, n)
    monitor(p)
    for i in range(n):
        send(p, i)
    receive:
        case ("DOWN", _, _, _):
            pass
)";
    ASSERT_EQ(weft("trace --format jsonl --max-events 500 -o " + dir() + "f.jsonl " + dir() + "flood.weft"), 0);
    EXPECT_EQ(slurp(dir() + "stdout.txt"), "sink done\n");
    std::string text = slurp(dir() + "f.jsonl");
    EXPECT_EQ(occurrences(text, "\n"), 501u);  // 500 events and the count of those dropped
    EXPECT_NE(text.find("\"kind\":\"dropped\""), std::string::npos);
}

TEST_F(TraceCommand, ABadFormatIsAUsageError) {
    std::string err;
    EXPECT_EQ(weft("trace --format gif " + dir() + "ping.weft", &err), 2);
    EXPECT_NE(err.find("unknown trace format 'gif' (formats: svg, mermaid, jsonl, png)"), std::string::npos) << err;
}

// The PNG file's signature (its first 8 bytes), or what is there instead.
std::string signature_of(const std::string& path) {
    return slurp(path).substr(0, 8);
}
const std::string png_signature("\x89PNG\r\n\x1a\n", 8);

// Files in the test's folder whose name starts with a dot: temporaries left behind.
std::string leftovers() {
    std::string listing = dir() + "listing.txt";
    std::system(("ls -A " + dir() + " | grep '^\\.' >" + listing).c_str());
    return slurp(listing);
}

bool rsvg_convert_installed() { return std::system("command -v rsvg-convert >/dev/null") == 0; }

TEST_F(TraceCommand, PngThroughRsvgConvert) {
    if (!rsvg_convert_installed()) GTEST_SKIP() << "rsvg-convert is not installed (librsvg2-bin, scripts/install-deps.sh)";
    std::string err;
    // -o X.png asks for a PNG without --format.
    ASSERT_EQ(weft("trace -o " + dir() + "t.png " + dir() + "ping.weft", &err), 0) << err;
    EXPECT_EQ(signature_of(dir() + "t.png"), png_signature);
    EXPECT_NE(err.find("written to " + dir() + "t.png (drawn by rsvg-convert)"), std::string::npos) << err;
    // --format png, and its default name next to the program.
    ASSERT_EQ(weft("trace --format png " + dir() + "ping.weft", &err), 0) << err;
    EXPECT_EQ(signature_of(dir() + "ping.trace.png"), png_signature);
    EXPECT_EQ(leftovers(), "");
}

TEST_F(TraceCommand, PngWithoutAConverterNamesThePackageAndWritesNothing) {
    std::system(("mkdir -p " + dir() + "empty").c_str());
    std::string err;
    EXPECT_EQ(weft("trace --format png -o " + dir() + "t.png " + dir() + "ping.weft", &err, dir() + "empty"), 2);
    EXPECT_NE(err.find("as PNG needs an SVG converter"), std::string::npos) << err;
    EXPECT_NE(err.find("apt-get install librsvg2-bin"), std::string::npos) << err;
    EXPECT_EQ(slurp(dir() + "stdout.txt"), "");  // main never ran
    EXPECT_FALSE(std::ifstream(dir() + "t.png").good());
    EXPECT_EQ(leftovers(), "");
}

TEST_F(TraceCommand, AConverterThatFailsLeavesNoPartialFile) {
    // A converter that writes half a file, then fails.
    std::system(("mkdir -p " + dir() + "bad").c_str());
    std::ofstream(dir() + "bad/rsvg-convert") << "#!/bin/sh\n"
                                                 "for a; do case $a in --output=*) printf 'half' >\"${a#--output=}\";; esac; done\n"
                                                 "echo 'cannot read this SVG' >&2\nexit 3\n";
    std::system(("chmod +x " + dir() + "bad/rsvg-convert").c_str());
    std::string err;
    EXPECT_EQ(weft("trace -o " + dir() + "t.png " + dir() + "ping.weft", &err, dir() + "bad"), 1);
    EXPECT_NE(err.find("rsvg-convert could not make a PNG of the trace (exit status 3): cannot read this SVG"),
              std::string::npos)
        << err;
    EXPECT_EQ(slurp(dir() + "stdout.txt"), "got pong 0\ngot pong 1\ngot pong 2\n");  // the program ran
    EXPECT_FALSE(std::ifstream(dir() + "t.png").good());
    EXPECT_EQ(leftovers(), "");
}

TEST_F(TraceCommand, AnUnwritableOutputIsNamedBeforeTheProgramRuns) {
    std::string err;
    EXPECT_EQ(weft("trace -o " + dir() + "no/such/folder/t.svg " + dir() + "ping.weft", &err), 2);
    EXPECT_NE(err.find("cannot write the trace to '"), std::string::npos) << err;
    EXPECT_NE(err.find("No such file or directory"), std::string::npos) << err;
    EXPECT_EQ(slurp(dir() + "stdout.txt"), "");  // main never ran
}

TEST_F(TraceCommand, ABadPidIsAUsageError) {
    std::string err;
    EXPECT_EQ(weft("trace --pid nonsense " + dir() + "ping.weft", &err), 2);
    EXPECT_NE(err.find("--pid takes an actor of this node as <0.S.0>, not 'nonsense'"), std::string::npos) << err;
}

}  // namespace

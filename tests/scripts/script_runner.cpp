// script_runner.cpp: runs one script test and says exactly how it failed.
//
//   script_runner --weft PATH [--command WORDS] [--var NAME=VALUE]... [--timeout S] FILE
//   script_runner --weft PATH --generate NAME --dir DIR [...]   (writes DIR/NAME.weft, runs it)
//   script_runner --weft PATH --doc-examples FILE.md --dir DIR   (every ```python block checks ok,
//                                                                 and prints the ```output after it)
//   script_runner --list-generated
//   script_runner --check-generated NAME...   (fails unless NAME... is exactly the generated set)
//
// A FILE.weft test runs `weft WORDS FILE.weft` (WORDS from `# command:`, else
// --command, else "check"; `{file}` in WORDS places the file elsewhere) in the
// file's own folder, so the tool prints the bare file name, as a user who runs
// `weft check prog.weft` sees it. A FILE.cli test runs `weft WORDS` only: it
// tests the command line itself. Then stdout, stderr and the exit status are
// compared with the file's expectations (script_test.hpp, README.md).
// Exit status: 0 pass, 1 fail, 2 a broken test or bad usage.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "tests/scripts/script_test.hpp"

namespace weft::scripts {

namespace fs = std::filesystem;

// ------------------------------------------------------------ expectations

namespace {

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(std::move(line));
        start = end + 1;
    }
    return lines;
}

std::string substitute(std::string s, const std::map<std::string, std::string>& vars) {
    for (const auto& [name, value] : vars) {
        const std::string key = "{" + name + "}";
        for (std::size_t at = s.find(key); at != std::string::npos; at = s.find(key, at + value.size()))
            s.replace(at, key.size(), value);
    }
    return s;
}

std::vector<std::string> split_words(const std::string& s) {
    std::istringstream in(s);
    std::vector<std::string> words;
    for (std::string w; in >> w;) words.push_back(w);
    return words;
}

}  // namespace

expectations read_expectations(const std::string& text,
                               const std::map<std::string, std::string>& vars) {
    expectations e;
    const std::vector<std::string> lines = split_lines(text);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string& line = lines[i];
        const std::size_t hash = line.find("# ");
        if (hash == std::string::npos) continue;
        // The directive's text: everything after "# NAME:" and one space.
        auto directive = [&](const char* name) -> std::optional<std::string> {
            const std::string key = std::string("# ") + name + ":";
            const std::size_t at = line.find(key, hash);
            if (at == std::string::npos) return std::nullopt;
            std::string rest = line.substr(at + key.size());
            if (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
            return substitute(rest, vars);
        };
        const std::string where = "line " + std::to_string(i + 1) + ": ";
        if (auto s = directive("expect")) {
            e.stdout_lines.push_back(*s);
        } else if (auto err = directive("error")) {
            if (err->empty()) throw std::runtime_error(where + "'# error:' needs the text to look for");
            e.errors.push_back(*err);
        } else if (auto line_text = directive("stderr")) {
            e.stderr_lines.push_back(*line_text);
        } else if (auto input_line = directive("stdin")) {
            e.stdin_text = e.stdin_text.value_or("") + *input_line + "\n";
        } else if (auto tail = directive("stdin-end")) {
            e.stdin_text = e.stdin_text.value_or("") + *tail;
        } else if (auto status = directive("exit")) {
            if (e.exit_status) throw std::runtime_error(where + "a second '# exit:'");
            char* end = nullptr;
            const long v = std::strtol(status->c_str(), &end, 10);
            if (status->empty() || *end != '\0' || v < 0 || v > 255)
                throw std::runtime_error(where + "'# exit:' needs a status 0-255, not '" + *status + "'");
            e.exit_status = static_cast<int>(v);
        } else if (auto words = directive("command")) {
            if (e.command) throw std::runtime_error(where + "a second '# command:'");
            e.command = *words;
        }
    }
    return e;
}

int expected_exit_status(const expectations& e) {
    if (e.exit_status) return *e.exit_status;
    return e.errors.empty() && e.stderr_lines.empty() ? 0 : 2;
}

// ------------------------------------------------------------ processes

run_result run_process(const std::vector<std::string>& argv, const std::string& dir,
                       int timeout_seconds, const std::optional<std::string>& input) {
    // The input, in a file of its own that the child opens as its stdin.
    std::string input_path = "/dev/null";
    if (input) {
        char name[] = "/tmp/weft_script_stdin_XXXXXX";
        const int fd = mkstemp(name);
        if (fd < 0 || write(fd, input->data(), input->size()) != static_cast<ssize_t>(input->size()))
            throw std::runtime_error(std::string("stdin file: ") + std::strerror(errno));
        close(fd);
        input_path = name;
    }
    struct unlink_after {
        const std::string& path;
        ~unlink_after() {
            if (path != "/dev/null") unlink(path.c_str());
        }
    } cleanup{input_path};
    int out_pipe[2], err_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0)
        throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);

    const pid_t child = fork();
    if (child < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (child == 0) {
        // Only async-signal-safe calls from here to exec.
        const int null_fd = open(input_path.c_str(), O_RDONLY);
        if (null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(out_pipe[1], 1) < 0 ||
            dup2(err_pipe[1], 2) < 0 || chdir(dir.c_str()) != 0)
            _exit(127);
        execv(args[0], args.data());
        const char msg[] = "script_runner: cannot execute the program under test\n";
        (void)!write(2, msg, sizeof msg - 1);
        _exit(127);
    }
    close(out_pipe[1]);
    close(err_pipe[1]);

    run_result r;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    std::string* sinks[2] = {&r.out, &r.err};
    int open_fds = 2;
    char buf[1 << 16];
    while (open_fds > 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            r.timed_out = true;
            kill(child, SIGKILL);
            break;
        }
        const int n = poll(fds, 2, static_cast<int>(std::min<long long>(left.count(), 1000)));
        if (n < 0 && errno != EINTR) throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
        for (int k = 0; k < 2; ++k) {
            if (fds[k].fd < 0 || (fds[k].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
            const ssize_t got = read(fds[k].fd, buf, sizeof buf);
            if (got > 0) {
                sinks[k]->append(buf, static_cast<std::size_t>(got));
            } else if (got == 0 || errno != EINTR) {
                close(fds[k].fd);
                fds[k].fd = -1;
                --open_fds;
            }
        }
    }
    for (auto& f : fds)
        if (f.fd >= 0) close(f.fd);
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status)) r.exit_status = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
    return r;
}

// ------------------------------------------------------------ reporting

namespace {

// A line as a failure report shows it: quoted so that spaces show, and cut
// when very long (a 1 MB line must not flood the log).
std::string show(const std::string& line) {
    constexpr std::size_t limit = 200;
    std::string out = "'";
    for (std::size_t i = 0; i < line.size() && i < limit; ++i) {
        const unsigned char c = static_cast<unsigned char>(line[i]);
        if (c == '\t') {
            out += "\\t";
        } else if (c < 0x20 || c == 0x7F) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02x", c);
            out += hex;
        } else {
            out += static_cast<char>(c);
        }
    }
    out += "'";
    if (line.size() > limit) out += " ... (" + std::to_string(line.size() - limit) + " more bytes)";
    return out;
}

// A line diff of expected against actual: "  " same, "- " expected only,
// "+ " actual only. Longest common subsequence for readable output; past a
// size where that gets slow, line by line.
std::string diff(const std::vector<std::string>& want, const std::vector<std::string>& got) {
    std::ostringstream out;
    const std::size_t n = want.size(), m = got.size();
    if (n * m > 4'000'000) {
        for (std::size_t i = 0; i < std::max(n, m); ++i) {
            if (i < n && i < m && want[i] == got[i]) continue;
            out << "    line " << i + 1 << ":\n";
            if (i < n) out << "    - " << show(want[i]) << "\n";
            if (i < m) out << "    + " << show(got[i]) << "\n";
        }
        return out.str();
    }
    std::vector<std::vector<unsigned>> lcs(n + 1, std::vector<unsigned>(m + 1, 0));
    for (std::size_t i = n; i-- > 0;)
        for (std::size_t j = m; j-- > 0;)
            lcs[i][j] = want[i] == got[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    std::size_t i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && want[i] == got[j]) {
            out << "      " << show(want[i++]) << "\n";
            ++j;
        } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
            out << "    + " << show(got[j++]) << "\n";
        } else {
            out << "    - " << show(want[i++]) << "\n";
        }
    }
    return out.str();
}

std::vector<std::string> output_lines(const std::string& s) { return split_lines(s); }

std::string shell_quote(const std::string& s) {
    if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:+,@{}") ==
                          std::string::npos)
        return s;
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// Compares; returns the failures, one paragraph each (empty: pass).
std::vector<std::string> compare(const expectations& e, const run_result& r) {
    std::vector<std::string> failures;
    if (r.timed_out) failures.push_back("timed out (killed)");
    if (r.signal != 0)
        failures.push_back("killed by signal " + std::to_string(r.signal) + " (" + strsignal(r.signal) + ")");

    const int want_status = expected_exit_status(e);
    if (r.signal == 0 && !r.timed_out && r.exit_status != want_status)
        failures.push_back("exit status " + std::to_string(r.exit_status) + ", expected " +
                           std::to_string(want_status));

    const std::vector<std::string> out = output_lines(r.out);
    if (out != e.stdout_lines)
        failures.push_back("stdout differs (- expected, + actual):\n" + diff(e.stdout_lines, out));
    if (!r.out.empty() && r.out.back() != '\n')
        failures.push_back("stdout does not end with a newline");

    const std::vector<std::string> err = output_lines(r.err);
    if (!e.stderr_lines.empty() && err != e.stderr_lines)
        failures.push_back("stderr differs (- expected, + actual):\n" + diff(e.stderr_lines, err));
    std::size_t from = 0;
    for (const std::string& text : e.errors) {
        const std::size_t at = r.err.find(text, from);
        if (at == std::string::npos) {
            const bool earlier = r.err.find(text) != std::string::npos;
            failures.push_back("stderr lacks " + show(text) +
                               (earlier ? " after the previous '# error:' text (order matters)" : ""));
        } else {
            from = at + text.size();
        }
    }
    if (e.errors.empty() && e.stderr_lines.empty() && !r.err.empty())
        failures.push_back("stderr should be empty");
    const bool stderr_shown = failures.end() != std::find_if(failures.begin(), failures.end(), [](const std::string& f) {
                                  return f.rfind("stderr differs", 0) == 0;
                              });
    if (!failures.empty() && !r.err.empty() && !stderr_shown) {
        std::string block = "stderr was:\n";
        std::size_t shown = 0;
        for (const std::string& line : err) {
            if (++shown > 40) {
                block += "    ... (" + std::to_string(err.size() - 40) + " more lines)\n";
                break;
            }
            block += "    " + show(line) + "\n";
        }
        failures.push_back(block);
    }
    return failures;
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + p.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

struct options {
    std::string weft;
    std::string command = "check";
    std::map<std::string, std::string> vars;
    int timeout = 120;
    std::string generate, dir, file, doc;
    bool list_generated = false;
    std::vector<std::string> check_generated;
    bool checking_generated = false;
};

[[noreturn]] void usage(const std::string& why) {
    std::cerr << "script_runner: " << why << "\n"
              << "usage: script_runner --weft PATH [--command WORDS] [--var NAME=VALUE]... "
                 "[--timeout S] FILE\n"
              << "       script_runner --weft PATH --generate NAME --dir DIR [...]\n"
              << "       script_runner --weft PATH --doc-examples FILE.md --dir DIR\n"
              << "       script_runner --list-generated | --check-generated NAME...\n";
    std::exit(2);
}

options parse_args(int argc, char** argv) {
    options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage(a + " needs a value");
            return argv[++i];
        };
        if (o.checking_generated) {
            o.check_generated.push_back(a);
        } else if (a == "--weft") {
            o.weft = fs::absolute(value()).string();  // tests run in other folders
        } else if (a == "--command") {
            o.command = value();
        } else if (a == "--var") {
            const std::string v = value();
            const std::size_t eq = v.find('=');
            if (eq == std::string::npos) usage("--var needs NAME=VALUE");
            o.vars[v.substr(0, eq)] = v.substr(eq + 1);
        } else if (a == "--timeout") {
            o.timeout = std::atoi(value().c_str());
            if (o.timeout <= 0) usage("--timeout needs a positive number of seconds");
        } else if (a == "--generate") {
            o.generate = value();
        } else if (a == "--doc-examples") {
            o.doc = value();
        } else if (a == "--dir") {
            o.dir = value();
        } else if (a == "--list-generated") {
            o.list_generated = true;
        } else if (a == "--check-generated") {
            o.checking_generated = true;
        } else if (!a.empty() && a[0] == '-') {
            usage("unknown option " + a);
        } else if (o.file.empty()) {
            o.file = a;
        } else {
            usage("one test file at a time");
        }
    }
    return o;
}

// Runs one test file. Returns the process exit status.
int run_test(const options& o, const fs::path& file) {
    const std::string text = read_file(file);
    const expectations e = read_expectations(text, o.vars);
    const bool cli = file.extension() == ".cli";
    const std::string name = file.filename().string();

    std::vector<std::string> argv{o.weft};
    const std::string words = e.command.value_or(o.command);
    if (cli && !e.command) throw std::runtime_error("a .cli test needs a '# command:' line");
    bool placed = false;
    for (const std::string& w : split_words(words)) {
        if (w == "{file}") {
            argv.push_back(name);
            placed = true;
        } else {
            argv.push_back(w);
        }
    }
    if (!cli && !placed) argv.push_back(name);

    const fs::path dir = fs::absolute(file).parent_path();
    const run_result r = run_process(argv, dir.string(), o.timeout, e.stdin_text);
    const std::vector<std::string> failures = compare(e, r);

    std::string command = "cd " + shell_quote(dir.string()) + " &&";
    for (const auto& a : argv) command += " " + shell_quote(a);
    if (failures.empty()) {
        std::cout << "PASS " << file.string() << "\n";
        return 0;
    }
    std::cout << "FAIL " << file.string() << "\n  ran: " << command << "\n";
    for (const std::string& f : failures) std::cout << "  " << f << (f.back() == '\n' ? "" : "\n");
    return 1;
}

// Every fenced ```python block of a Markdown file (the Weft examples of
// docs/language.md) must pass `weft check`: the guide's examples cannot rot.
// Each block is written to DIR/STEM_LINE.weft, LINE being where it starts.
// Every ```python block of a guide passes `weft check`; a block followed by an
// ```output block (blank lines between allowed) is run too, and must print
// exactly that: the guide's outputs cannot drift from what Weft prints.
int check_doc_examples(const options& o) {
    const fs::path doc = o.doc;
    const std::vector<std::string> lines = split_lines(read_file(doc));
    fs::create_directories(o.dir);
    int blocks = 0, failed = 0, ran = 0;
    // A fence may be indented (a block inside a list item): that much
    // indentation is taken off every line of the block.
    auto fence = [](const std::string& line, std::string_view what, std::size_t& indent) {
        indent = line.find_first_not_of(' ');
        return indent != std::string::npos && std::string_view(line).substr(indent) == what;
    };
    // The block that starts after the fence at lines[i] (i moves to its closing fence).
    auto block = [&](std::size_t& i, std::size_t indent) {
        const std::size_t first = i + 1;
        std::string text;
        std::size_t closing = 0;
        for (++i; i < lines.size() && !fence(lines[i], "```", closing); ++i) {
            const std::size_t blank = std::min(indent, lines[i].find_first_not_of(' '));
            text += lines[i].substr(std::min(blank, lines[i].size())) + "\n";
        }
        if (i == lines.size()) throw std::runtime_error(doc.string() + ":" + std::to_string(first) + ": unclosed block");
        return text;
    };
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::size_t indent = 0;
        if (!fence(lines[i], "```python", indent)) continue;
        const std::size_t first = i + 1;
        const std::string code = block(i, indent);
        ++blocks;
        const std::string name = doc.stem().string() + "_" + std::to_string(first + 1) + ".weft";
        std::ofstream(fs::path(o.dir) / name, std::ios::binary | std::ios::trunc) << code;
        const run_result r = run_process({o.weft, "check", name}, fs::absolute(o.dir).string(), o.timeout);
        if (r.exit_status != 0 || !r.err.empty() || !r.out.empty()) {
            ++failed;
            std::cout << doc.string() << ":" << first + 1 << ": this example does not pass `weft check` (exit status "
                      << r.exit_status << "):\n" << r.err << r.out;
            continue;
        }
        std::size_t next = i + 1, text_indent = 0;
        while (next < lines.size() && lines[next].find_first_not_of(' ') == std::string::npos) ++next;
        if (next == lines.size() || !fence(lines[next], "```output", text_indent)) continue;
        i = next;
        const std::string expected = block(i, text_indent);
        ++ran;
        const run_result out = run_process({o.weft, "run", name}, fs::absolute(o.dir).string(), o.timeout);
        if (out.exit_status == 0 && out.err.empty() && out.out == expected) continue;
        ++failed;
        std::cout << doc.string() << ":" << first + 1 << ": this example does not print the text after it (exit status "
                  << out.exit_status << ")\n--- expected\n" << expected << "--- got\n" << out.out << out.err;
    }
    if (blocks == 0) {
        std::cout << "FAIL " << doc.string() << ": no ```python blocks found\n";
        return 1;
    }
    std::cout << (failed == 0 ? "PASS " : "FAIL ") << doc.string() << ": " << blocks << " examples, " << ran
              << " of them run, " << failed << " failed\n";
    return failed == 0 ? 0 : 1;
}

int main_impl(int argc, char** argv) {
    const options o = parse_args(argc, argv);
    if (o.list_generated) {
        for (const auto& g : generated_scripts()) std::cout << g.name << "  " << g.description << "\n";
        return 0;
    }
    if (o.checking_generated) {
        std::set<std::string> registered(o.check_generated.begin(), o.check_generated.end()), known;
        for (const auto& g : generated_scripts()) known.insert(g.name);
        int status = 0;
        for (const auto& n : known)
            if (!registered.count(n)) {
                std::cout << "generated script '" << n << "' is not registered in tests/scripts/CMakeLists.txt\n";
                status = 1;
            }
        for (const auto& n : registered)
            if (!known.count(n)) {
                std::cout << "tests/scripts/CMakeLists.txt registers '" << n << "', which no generator makes\n";
                status = 1;
            }
        return status;
    }
    if (o.weft.empty()) usage("--weft PATH is required");
    if (!o.doc.empty()) {
        if (o.dir.empty()) usage("--doc-examples needs --dir");
        return check_doc_examples(o);
    }
    if (!o.generate.empty()) {
        if (o.dir.empty()) usage("--generate needs --dir");
        const auto& all = generated_scripts();
        const auto g = std::find_if(all.begin(), all.end(), [&](const auto& s) { return s.name == o.generate; });
        if (g == all.end()) usage("no generated script is called '" + o.generate + "' (see --list-generated)");
        fs::create_directories(o.dir);
        const fs::path file = fs::path(o.dir) / (g->name + ".weft");
        std::ofstream(file, std::ios::binary | std::ios::trunc) << g->make();
        return run_test(o, file);
    }
    if (o.file.empty()) usage("no test file");
    return run_test(o, o.file);
}

}  // namespace

}  // namespace weft::scripts

int main(int argc, char** argv) {
    try {
        return weft::scripts::main_impl(argc, argv);
    } catch (const std::exception& e) {
        std::cout << "BROKEN TEST: " << e.what() << "\n";
        return 2;
    }
}

// script_test.hpp: the pieces of the script test runner (script_runner.cpp):
// reading a test's expectations, running `weft`, comparing, and the scripts
// generated at test time (generated.cpp).
//
// A script test is a file whose comments say what running it must give (the
// style of Wren's test suite); see tests/scripts/README.md for the format.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace weft::scripts {

// What a test file expects, read from its comments.
struct expectations {
    std::vector<std::string> stdout_lines;  // `# expect: LINE`, in order: stdout exactly
    std::vector<std::string> errors;        // `# error: TEXT`: in stderr, in this order
    std::vector<std::string> stderr_lines;  // `# stderr: LINE`: stderr exactly, when any
    std::optional<int> exit_status;         // `# exit: N`
    std::optional<std::string> command;     // `# command: WORDS`
    std::optional<std::string> stdin_text;  // `# stdin: LINE`, each with "\n" (`# stdin-end: TEXT`: no "\n")
};

// Reads the directives out of a test file's text. Directives may stand
// anywhere on a line (after code too); `{NAME}` in their text is replaced by
// vars[NAME]. Throws std::runtime_error on a malformed directive.
expectations read_expectations(const std::string& text,
                               const std::map<std::string, std::string>& vars);

// The exit status a test expects: `# exit:`, else 2 when it expects
// anything on stderr, else 0.
int expected_exit_status(const expectations& e);

struct run_result {
    std::string out, err;
    int exit_status = -1;  // -1 when it did not exit normally
    int signal = 0;        // the signal that ended it, or 0
    bool timed_out = false;
};

// Runs argv[0] with argv in directory `dir`, stdin from /dev/null (or the
// text given), and collects its output. Kills it after timeout_seconds.
run_result run_process(const std::vector<std::string>& argv, const std::string& dir,
                       int timeout_seconds, const std::optional<std::string>& input = std::nullopt);

// A script made at test time (too big, or holding bytes an editor or git
// would mangle, to be committed). `text` is the whole file, expectations included.
struct generated_script {
    std::string name;         // the test is generated/NAME.weft
    std::string description;  // one line, for --list-generated
    std::string (*make)();
};
const std::vector<generated_script>& generated_scripts();

}  // namespace weft::scripts

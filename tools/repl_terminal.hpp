// repl_terminal.hpp: where the shell's lines come from. On a terminal:
// libedit, with prompts, line editing, history kept in ~/.weft/history and
// tab completion; Ctrl-C abandons the line being typed. On a pipe or a file:
// plain lines, no prompts, so that `echo '1+1' | weft repl` prints just 2.
//
// It must never touch the runtime: it only reads lines and writes prompts.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace weft::tools {

class line_reader {
public:
    virtual ~line_reader() = default;
    enum class status { line, eof, interrupted };
    // One line without its '\n'. `prompt` is shown on a terminal only.
    virtual status read(const std::string& prompt, std::string& line) = 0;
    // A whole input was read: the terminal remembers it (history).
    virtual void remember(const std::string& input) { (void)input; }
    // Ctrl-C while no line is being read (an input is running): true once
    // for each press since the last call.
    virtual bool interrupted() { return false; }
};

// The words that may complete `word` (the text before the cursor back to
// the last space or bracket, dots included: "math.sq").
using completer = std::function<std::vector<std::string>(std::string_view word)>;

// Standard input, line by line.
std::unique_ptr<line_reader> make_pipe_reader();
// The terminal on standard input, with libedit. `history_file`: "" for none.
// Only one may exist at a time (libedit's completion callback has no room
// for a pointer of ours).
std::unique_ptr<line_reader> make_terminal_reader(completer complete, std::string history_file);

// ~/.weft/history, its folder made (mode 0700) when missing; "" without
// $HOME or when the folder cannot be made.
std::string default_history_file();

}  // namespace weft::tools

// cookie.hpp: where a node's cookie comes from, and reading it safely.
//
// The cookie is the one secret of a cluster: nodes that hold the same bytes may
// connect (handshake.hpp proves it without sending it). It comes from, in order,
//   1. --cookie-file F        (must exist)
//   2. $WEFT_COOKIE_FILE      (must exist; an empty value counts as unset)
//   3. ~/.weft/cookie         (created when absent: 128 random bits as 32 hex
//                              digits and a newline, mode 0600, in a 0700 folder)
// A cookie file that group or others may read or write is refused, as is one
// that is not a regular file, empty, or over max_cookie_file_bytes. Trailing
// whitespace (the newline an editor adds) is not part of the cookie.
// This code must never print, log or put the cookie's bytes in an error message,
// and never loosen a file's mode.
#pragma once
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>

namespace weft::cluster {

inline constexpr std::size_t max_cookie_file_bytes = 1024;

// A problem with the cookie file a user can fix; the message names the file,
// where its name came from and the fix, e.g.
//   cookie file /home/ann/.weft/cookie (the default) is readable or writable by
//   group or others (mode 0644): run chmod 600 /home/ann/.weft/cookie
class cookie_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// What the process environment says; passed in rather than read inside so the
// rules can be tested (and used) without touching the process's variables.
struct cookie_environment {
    std::optional<std::string> cookie_file;  // $WEFT_COOKIE_FILE
    std::optional<std::string> home;         // $HOME, else the user's home from the password database

    // Reads $WEFT_COOKIE_FILE and $HOME (getpwuid_r when $HOME is unset or empty).
    static cookie_environment from_process();
};

enum class cookie_origin { flag, environment, default_file };

struct cookie_location {
    std::string path;
    cookie_origin origin = cookie_origin::default_file;
};

// Picks the file by the order above. Throws cookie_error when the flag is given
// but empty, or when the default is needed and no home directory is known.
cookie_location locate_cookie(const std::optional<std::string>& cookie_file_flag, const cookie_environment& env);

// How a location reads in a message: "(from --cookie-file)", "(from
// $WEFT_COOKIE_FILE)" or "(the default)".
const char* describe(cookie_origin origin);

// Reads and checks the cookie file at `where`, creating it first when it is the
// default file and absent. Returns the cookie's bytes (trailing whitespace
// trimmed). Throws cookie_error.
std::string read_cookie(const cookie_location& where);

// locate_cookie then read_cookie: what a node calls at start.
std::string load_cookie(const std::optional<std::string>& cookie_file_flag,
                        const cookie_environment& env = cookie_environment::from_process());

}  // namespace weft::cluster

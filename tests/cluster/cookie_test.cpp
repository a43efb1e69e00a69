// cookie_test.cpp: where the cookie comes from, the default file's creation,
// and every refusal, in a temporary home folder per test.
#include "cluster/cookie.hpp"

#include <gtest/gtest.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace weft::cluster {
namespace {

namespace fs = std::filesystem;

class Cookie : public ::testing::Test {
protected:
    void SetUp() override {
        std::string templ = (fs::temp_directory_path() / "weft-cookie-test-XXXXXX").string();
        ASSERT_NE(::mkdtemp(templ.data()), nullptr);
        dir_ = templ;
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::string path(const std::string& name) const { return (dir_ / name).string(); }

    std::string write(const std::string& name, const std::string& bytes, mode_t mode = 0600) const {
        std::string p = path(name);
        std::ofstream(p, std::ios::binary) << bytes;
        ::chmod(p.c_str(), mode);
        return p;
    }

    cookie_environment home_only() const { return cookie_environment{std::nullopt, dir_.string()}; }

    // The message of the cookie_error load_cookie throws, or "" if none.
    static std::string error_of(const std::optional<std::string>& flag, const cookie_environment& env) {
        try {
            load_cookie(flag, env);
        } catch (const cookie_error& e) {
            return e.what();
        }
        return "";
    }

    fs::path dir_;
};

mode_t mode_of(const std::string& p) {
    struct stat st{};
    EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
    return st.st_mode & 07777;
}

std::string contents(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

bool is_hex(const std::string& s) { return s.find_first_not_of("0123456789abcdef") == std::string::npos; }

TEST_F(Cookie, DefaultIsCreatedWith0600And32HexDigits) {
    std::string cookie = load_cookie(std::nullopt, home_only());
    EXPECT_EQ(cookie.size(), 32u);
    EXPECT_TRUE(is_hex(cookie)) << cookie;
    std::string file = path(".weft/cookie");
    EXPECT_EQ(contents(file), cookie + "\n");
    EXPECT_EQ(mode_of(file), 0600);
    EXPECT_EQ(mode_of(path(".weft")), 0700);
}

TEST_F(Cookie, DefaultCreationLeavesNothingElseBehind) {
    load_cookie(std::nullopt, home_only());
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_ / ".weft")) names.push_back(e.path().filename().string());
    EXPECT_EQ(names, std::vector<std::string>{"cookie"});
}

TEST_F(Cookie, DefaultGoesIntoAnExistingWeftFolder) {
    ASSERT_EQ(::mkdir(path(".weft").c_str(), 0700), 0);
    std::string cookie = load_cookie(std::nullopt, home_only());
    EXPECT_EQ(contents(path(".weft/cookie")), cookie + "\n");
}

TEST_F(Cookie, DefaultIsKeptOnceCreated) {
    std::string first = load_cookie(std::nullopt, home_only());
    EXPECT_EQ(load_cookie(std::nullopt, home_only()), first);
    fs::remove_all(dir_ / ".weft");
    EXPECT_NE(load_cookie(std::nullopt, home_only()), first);  // 128 fresh bits
}

TEST_F(Cookie, DefaultIsReadWhenPresent) {
    ASSERT_EQ(::mkdir(path(".weft").c_str(), 0700), 0);
    write(".weft/cookie", "our-shared-secret\n");
    EXPECT_EQ(load_cookie(std::nullopt, home_only()), "our-shared-secret");
}

TEST_F(Cookie, NodesStartingAtOnceShareOneNewCookie) {
    for (int round = 0; round < 20; ++round) {
        fs::remove_all(dir_ / ".weft");
        std::vector<std::string> got(4);
        std::vector<std::thread> threads;
        for (std::size_t i = 0; i < got.size(); ++i) {
            threads.emplace_back([&, i] { got[i] = load_cookie(std::nullopt, home_only()); });
        }
        for (auto& t : threads) t.join();
        for (const std::string& c : got) EXPECT_EQ(c, contents(path(".weft/cookie")).substr(0, 32));
    }
}

TEST_F(Cookie, HomeWithTrailingSlash) {
    cookie_location loc = locate_cookie(std::nullopt, cookie_environment{std::nullopt, dir_.string() + "/"});
    EXPECT_EQ(loc.path, path(".weft/cookie"));
    EXPECT_EQ(loc.origin, cookie_origin::default_file);
}

TEST_F(Cookie, RefusedWhenGroupOrOthersMayReadOrWriteIt) {
    for (mode_t mode : {0644, 0640, 0604, 0660, 0606, 0620, 0602, 0610, 0601, 0666}) {
        std::string f = write("c", "topsecret\n", mode);
        char octal[8];
        std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(mode));
        std::string message = error_of(f, home_only());
        EXPECT_EQ(message, "cookie file " + f + " (from --cookie-file) is readable or writable by group or others (mode " +
                               octal + "): run chmod 600 " + f);
        EXPECT_EQ(message.find("topsecret"), std::string::npos);
        EXPECT_EQ(mode_of(f), mode) << "the mode is the user's to change";
    }
}

TEST_F(Cookie, RefusedDefaultAndEnvironmentFilesNameTheirOrigin) {
    ASSERT_EQ(::mkdir(path(".weft").c_str(), 0700), 0);
    std::string def = write(".weft/cookie", "x\n", 0644);
    EXPECT_EQ(error_of(std::nullopt, home_only()),
              "cookie file " + def + " (the default) is readable or writable by group or others (mode 0644): run chmod "
              "600 " + def);
    std::string env = write("e", "x\n", 0640);
    EXPECT_EQ(error_of(std::nullopt, cookie_environment{env, dir_.string()}),
              "cookie file " + env + " (from $WEFT_COOKIE_FILE) is readable or writable by group or others (mode "
              "0640): run chmod 600 " + env);
}

TEST_F(Cookie, OwnerOnlyModesAreAccepted) {
    EXPECT_EQ(load_cookie(write("a", "s1\n", 0400), home_only()), "s1");
    EXPECT_EQ(load_cookie(write("b", "s2\n", 0600), home_only()), "s2");
    EXPECT_EQ(load_cookie(write("c", "s3\n", 0700), home_only()), "s3");
}

TEST_F(Cookie, MissingExplicitFileIsAnErrorAndIsNotCreated) {
    std::string f = path("none");
    EXPECT_EQ(error_of(f, home_only()), "cookie file " + f + " (from --cookie-file) does not exist");
    EXPECT_EQ(error_of(std::nullopt, cookie_environment{f, dir_.string()}),
              "cookie file " + f + " (from $WEFT_COOKIE_FILE) does not exist");
    EXPECT_FALSE(fs::exists(f));
    EXPECT_FALSE(fs::exists(dir_ / ".weft"));
}

TEST_F(Cookie, EmptyFileIsAnError) {
    std::string f = write("c", "");
    EXPECT_EQ(error_of(f, home_only()), "cookie file " + f + " (from --cookie-file) is empty");
}

TEST_F(Cookie, WhitespaceOnlyFileIsEmpty) {
    std::string f = write("c", " \n\t\r\n");
    EXPECT_EQ(error_of(f, home_only()), "cookie file " + f + " (from --cookie-file) is empty");
}

TEST_F(Cookie, FileOver1KiBIsAnError) {
    std::string f = write("c", std::string(1025, 'k'));
    std::string message = error_of(f, home_only());
    EXPECT_EQ(message, "cookie file " + f + " (from --cookie-file) is 1025 bytes: at most 1024");
    EXPECT_EQ(message.find("kkkk"), std::string::npos);
}

TEST_F(Cookie, FileOfExactly1KiBIsRead) {
    EXPECT_EQ(load_cookie(write("c", std::string(1024, 'k')), home_only()), std::string(1024, 'k'));
}

TEST_F(Cookie, TrailingWhitespaceIsTrimmedAndTheRestKept) {
    EXPECT_EQ(load_cookie(write("a", "abc \t\r\n\n\v\f"), home_only()), "abc");
    EXPECT_EQ(load_cookie(write("b", "  a b\n"), home_only()), "  a b");
    EXPECT_EQ(load_cookie(write("c", std::string("\0\xff\x01z", 4)), home_only()), std::string("\0\xff\x01z", 4));
}

TEST_F(Cookie, FolderIsNotACookieFile) {
    std::string d = path("d");
    ASSERT_EQ(::mkdir(d.c_str(), 0700), 0);
    EXPECT_EQ(error_of(d, home_only()), "cookie file " + d + " (from --cookie-file) is not a regular file");
}

TEST_F(Cookie, UnreadableFileIsAnError) {
    if (::geteuid() == 0) GTEST_SKIP() << "root reads any file";
    std::string f = write("c", "s\n", 0200);
    EXPECT_EQ(error_of(f, home_only()), "cookie file " + f + " (from --cookie-file) cannot be opened: Permission denied");
}

TEST_F(Cookie, FlagComesBeforeEnvironmentBeforeDefault) {
    std::string flag = write("flag", "from-flag\n");
    std::string env = write("env", "from-env\n");
    cookie_environment both{env, dir_.string()};
    EXPECT_EQ(load_cookie(flag, both), "from-flag");
    EXPECT_EQ(load_cookie(std::nullopt, both), "from-env");
    EXPECT_FALSE(fs::exists(dir_ / ".weft"));
    EXPECT_EQ(load_cookie(std::nullopt, home_only()).size(), 32u);

    EXPECT_EQ(locate_cookie(flag, both).origin, cookie_origin::flag);
    EXPECT_EQ(locate_cookie(std::nullopt, both).origin, cookie_origin::environment);
    EXPECT_EQ(locate_cookie(std::nullopt, both).path, env);
}

TEST_F(Cookie, EmptyEnvironmentValueCountsAsUnset) {
    cookie_location loc = locate_cookie(std::nullopt, cookie_environment{"", dir_.string()});
    EXPECT_EQ(loc.origin, cookie_origin::default_file);
}

TEST_F(Cookie, EmptyFlagIsAnError) {
    EXPECT_EQ(error_of(std::string(), home_only()), "--cookie-file is empty: give the path of a cookie file");
}

TEST_F(Cookie, NoHomeAndNoFileIsAnError) {
    EXPECT_EQ(error_of(std::nullopt, cookie_environment{}),
              "cannot find the default cookie file ~/.weft/cookie: $HOME is not set and the password database has no "
              "home directory for this user; give --cookie-file F or set $WEFT_COOKIE_FILE");
}

// Restores one environment variable when the test ends.
class saved_env {
public:
    explicit saved_env(const char* name) : name_(name) {
        if (const char* v = std::getenv(name)) value_ = v;
    }
    ~saved_env() {
        if (value_) ::setenv(name_, value_->c_str(), 1);
        else ::unsetenv(name_);
    }

private:
    const char* name_;
    std::optional<std::string> value_;
};

TEST_F(Cookie, ProcessEnvironmentIsRead) {
    saved_env keep_file("WEFT_COOKIE_FILE");
    saved_env keep_home("HOME");
    ::setenv("WEFT_COOKIE_FILE", "/some/file", 1);
    ::setenv("HOME", dir_.c_str(), 1);
    cookie_environment env = cookie_environment::from_process();
    EXPECT_EQ(env.cookie_file, "/some/file");
    EXPECT_EQ(env.home, dir_.string());

    ::setenv("WEFT_COOKIE_FILE", "", 1);
    EXPECT_EQ(cookie_environment::from_process().cookie_file, std::nullopt);
    ::unsetenv("WEFT_COOKIE_FILE");
    EXPECT_EQ(cookie_environment::from_process().cookie_file, std::nullopt);

    // Without $HOME, the password database's home for this user.
    ::unsetenv("HOME");
    const passwd* pw = ::getpwuid(::getuid());
    ASSERT_NE(pw, nullptr);
    EXPECT_EQ(cookie_environment::from_process().home, std::string(pw->pw_dir));
}

TEST_F(Cookie, EnvironmentVariableIsUsedByDefault) {
    saved_env keep_file("WEFT_COOKIE_FILE");
    std::string f = write("c", "via-env\n");
    ::setenv("WEFT_COOKIE_FILE", f.c_str(), 1);
    EXPECT_EQ(load_cookie(std::nullopt), "via-env");
}

}  // namespace
}  // namespace weft::cluster

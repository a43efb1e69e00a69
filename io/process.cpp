// process.cpp: see process.hpp.
#include "io/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <asio/posix/stream_descriptor.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <memory>

#include "actors/remote.hpp"
#include "io/service.hpp"

extern char** environ;

namespace weft::io {
namespace {

// A pipe's two ends, close-on-exec (the child gets its end by dup2).
struct pipe_ends {
    int read = -1, write = -1;
    bool open() {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) return false;
        read = fds[0];
        write = fds[1];
        return true;
    }
    void close_both() {
        if (read >= 0) ::close(read);
        if (write >= 0) ::close(write);
        read = write = -1;
    }
};

// Where `program` is: itself when it holds a '/', else the first executable
// of that name on `path` (Python's os.get_exec_path: the environment's PATH,
// "/bin:/usr/bin" when it has none). Empty when there is none.
std::string find_program(const std::string& program, const std::optional<std::vector<std::string>>& env) {
    if (program.find('/') != std::string::npos) return program;
    std::string path = "/bin:/usr/bin";
    if (!env) {
        if (const char* p = std::getenv("PATH")) path = p;
    } else {
        for (const std::string& e : *env)
            if (e.rfind("PATH=", 0) == 0) path = e.substr(5);
    }
    for (std::size_t start = 0; start <= path.size();) {
        std::size_t end = path.find(':', start);
        if (end == std::string::npos) end = path.size();
        std::string dir = path.substr(start, end - start);
        std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
        start = end + 1;
    }
    return "";
}

// A started child: its pid and this side's ends of its pipes (-1 where
// none), or why it could not start.
struct spawned {
    int error = 0;
    pid_t pid = -1;
    int in = -1, out = -1, err = -1;
};

spawned spawn_child(process_request& r) {
    spawned c;
    pipe_ends in, out, err;
    bool piped = (!r.input || in.open()) && (!r.capture || (out.open() && err.open()));
    if (!piped) {
        c.error = errno;
        in.close_both(), out.close_both(), err.close_both();
        return c;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (r.input) posix_spawn_file_actions_adddup2(&actions, in.read, 0);
    else posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    if (r.capture) {
        posix_spawn_file_actions_adddup2(&actions, out.write, 1);
        posix_spawn_file_actions_adddup2(&actions, err.write, 2);
    }
    if (r.cwd) posix_spawn_file_actions_addchdir_np(&actions, r.cwd->c_str());
    // The runtime's threads block the stop signals (a signal thread takes
    // them): the child starts with none blocked and every disposition default.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    std::vector<char*> argv, envp;
    for (std::string& a : r.argv) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (r.env) {
        for (std::string& e : *r.env) envp.push_back(e.data());
        envp.push_back(nullptr);
    }
    std::string program = find_program(r.argv[0], r.env);
    c.error = program.empty() ? ENOENT
                              : ::posix_spawn(&c.pid, program.c_str(), &actions, &attr, argv.data(),
                                              r.env ? envp.data() : environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    // The child's ends are the child's now (or nobody's).
    for (int fd : {in.read, out.write, err.write})
        if (fd >= 0) ::close(fd);
    if (c.error) {
        c.pid = -1;
        for (int fd : {in.write, out.read, err.read})
            if (fd >= 0) ::close(fd);
        return c;
    }
    c.in = in.write;
    c.out = out.read;
    c.err = err.read;
    return c;
}

// The exit status as Python's returncode: the code, or -N for signal N.
int returncode_of(int status) {
    return WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? -WTERMSIG(status) : 0;
}

// One child, from spawn to answer. Its handlers hold it (shared_ptr); when
// the last goes (the answer sent, or the io service stopped), a child still
// running is killed and reaped.
class child : public std::enable_shared_from_this<child> {
public:
    child(runtime& rt, asio::io_context& io, pid to, ref tag, std::function<term(const process_outcome&)> answer)
        : rt_(rt), to_(to), tag_(tag), answer_(std::move(answer)), in_(io), out_(io), err_(io),
          exit_(io), timer_(io), poll_timer_(io) {}

    ~child() {
        if (pid_ > 0 && !reaped_) {
            ::kill(pid_, SIGKILL);
            int status;
            while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
            }
        }
    }

    void start(process_request r) {
        spawned c = spawn_child(r);
        pid_ = c.pid;
        if (c.error) {
            outcome_.spawn_errno = c.error;
            return finish();
        }
        if (r.input) write_input(c.in, std::move(*r.input));
        if (r.capture) {
            drain(out_, c.out, outcome_.out);
            drain(err_, c.err, outcome_.err);
        }
        watch_exit();
        if (r.timeout) {
            timer_.expires_after(*r.timeout);
            timer_.async_wait([self = shared_from_this()](const asio::error_code& ec) {
                if (ec || self->reaped_) return;
                self->outcome_.timed_out = true;
                ::kill(self->pid_, SIGKILL);
            });
        }
    }

    // Io thread: kills it if it still runs (its end then comes as usual).
    void abandon() {
        if (pid_ > 0 && !reaped_) ::kill(pid_, SIGKILL);
    }

private:
    void write_input(int fd, std::string input) {
        in_.assign(fd);
        input_ = std::move(input);
        // A child that does not read its input (or ends first) gives EPIPE:
        // not an error of the run, as in Python's communicate().
        asio::async_write(in_, asio::buffer(input_), [self = shared_from_this()](const asio::error_code&, std::size_t) {
            asio::error_code ignored;
            self->in_.close(ignored);
        });
    }

    void drain(asio::posix::stream_descriptor& pipe, int fd, std::string& into) {
        pipe.assign(fd);
        ++open_pipes_;
        read_more(pipe, into);
    }

    void read_more(asio::posix::stream_descriptor& pipe, std::string& into) {
        pipe.async_read_some(asio::buffer(chunk_for(&pipe)),
                             [self = shared_from_this(), &pipe, &into](const asio::error_code& ec, std::size_t n) {
                                 if (ec) {  // the end (EOF), or the pipe failed: either way, done
                                     asio::error_code ignored;
                                     pipe.close(ignored);
                                     --self->open_pipes_;
                                     return self->finish_if_done();
                                 }
                                 into.append(self->chunk_for(&pipe).data(), n);
                                 self->read_more(pipe, into);
                             });
    }

    std::array<char, 65536>& chunk_for(const asio::posix::stream_descriptor* pipe) {
        return pipe == &out_ ? out_chunk_ : err_chunk_;
    }

    // The pidfd turns readable when the child ends (Linux 5.3).
    void watch_exit() {
        int fd = int(::syscall(SYS_pidfd_open, pid_, 0));
        if (fd < 0) return poll_exit();  // no pidfds (a kernel before 5.3)
        exit_.assign(fd);
        exit_.async_wait(asio::posix::stream_descriptor::wait_read, [self = shared_from_this()](const asio::error_code&) {
            self->reap();
            asio::error_code ignored;
            self->exit_.close(ignored);
            self->timer_.cancel();
            self->finish_if_done();
        });
    }

    // Without a pidfd: a look every 10 ms, never a blocking wait on the io thread.
    void poll_exit() {
        reap();
        if (reaped_) {
            timer_.cancel();
            return finish_if_done();
        }
        poll_timer_.expires_after(std::chrono::milliseconds(10));
        poll_timer_.async_wait([self = shared_from_this()](const asio::error_code& ec) {
            if (!ec) self->poll_exit();
        });
    }

    void reap() {
        int status = 0;
        pid_t r;
        while ((r = ::waitpid(pid_, &status, WNOHANG)) < 0 && errno == EINTR) {
        }
        if (r != pid_) return;
        reaped_ = true;
        outcome_.exit_code = returncode_of(status);
    }

    void finish_if_done() {
        if (reaped_ && open_pipes_ == 0) finish();
    }

    void finish() {
        if (answered_) return;
        answered_ = true;
        timer_.cancel();
        term result = answer_(outcome_);
        rt_.send(to_, term::tuple({term::str(remote_reply_tag), term(tag_), std::move(result)}));
    }

    runtime& rt_;
    pid to_;
    ref tag_;
    std::function<term(const process_outcome&)> answer_;
    asio::posix::stream_descriptor in_, out_, err_, exit_;
    asio::steady_timer timer_, poll_timer_;
    std::string input_;
    std::array<char, 65536> out_chunk_{}, err_chunk_{};
    process_outcome outcome_;
    pid_t pid_ = -1;
    int open_pipes_ = 0;
    bool reaped_ = false;
    bool answered_ = false;
};

}  // namespace

std::function<void()> run_process(runtime& rt, pid to, ref tag, process_request request,
                                  std::function<term(const process_outcome&)> answer) {
    asio::io_context& io = service_of(rt).context();
    auto c = std::make_shared<child>(rt, io, to, tag, std::move(answer));
    asio::post(io, [c, request = std::move(request)]() mutable { c->start(std::move(request)); });
    // Posted, so that it runs after start() and never races the reaping:
    // the pid is only signalled while it is still this child's.
    return [&io, weak = std::weak_ptr<child>(c)] {
        asio::post(io, [weak] {
            if (auto alive = weak.lock()) alive->abandon();
        });
    };
}

process_outcome run_process_now(process_request request) {
    process_outcome o;
    spawned c = spawn_child(request);
    if (c.error) {
        o.spawn_errno = c.error;
        return o;
    }
    // Input, output, the child's end (its pidfd) and the deadline in one
    // poll loop: a child that fills its stdout pipe while this thread still
    // writes its stdin must not stall both.
    std::string input = request.input.value_or("");
    std::size_t written = 0;
    if (c.in >= 0 && input.empty()) ::close(c.in), c.in = -1;
    int exit_fd = int(::syscall(SYS_pidfd_open, c.pid, 0));  // -1 without pidfds: then waitpid waits
    bool ended = exit_fd < 0;
    auto deadline = std::chrono::steady_clock::now() + request.timeout.value_or(std::chrono::hours(24 * 365));
    char chunk[65536];
    while (c.in >= 0 || c.out >= 0 || c.err >= 0 || !ended) {
        pollfd fds[4] = {{c.in, POLLOUT, 0}, {c.out, POLLIN, 0}, {c.err, POLLIN, 0}, {ended ? -1 : exit_fd, POLLIN, 0}};
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            o.timed_out = true;
            ::kill(c.pid, SIGKILL);
            break;
        }
        int ready = ::poll(fds, 4, int(std::min<std::int64_t>(left.count() + 1, 1000)));
        if (ready < 0 && errno != EINTR) break;
        if (fds[3].revents) ended = true;
        if (c.in >= 0 && (fds[0].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t n = ::write(c.in, input.data() + written, input.size() - written);
            if (n > 0) written += std::size_t(n);
            if (n < 0 || written == input.size()) ::close(c.in), c.in = -1;  // EPIPE: the child does not read
        }
        for (int k : {1, 2}) {
            int& fd = k == 1 ? c.out : c.err;
            if (fd < 0 || !(fds[k].revents & (POLLIN | POLLERR | POLLHUP))) continue;
            ssize_t n = ::read(fd, chunk, sizeof chunk);
            if (n > 0) (k == 1 ? o.out : o.err).append(chunk, std::size_t(n));
            else if (n == 0 || errno != EINTR) ::close(fd), fd = -1;
        }
    }
    for (int fd : {c.in, c.out, c.err, exit_fd})
        if (fd >= 0) ::close(fd);
    int status = 0;
    while (::waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
    }
    o.exit_code = returncode_of(status);
    return o;
}

}  // namespace weft::io

// big_stack.cpp: a pthread with a chosen stack size (std::thread cannot set one).
#include "tools/big_stack.hpp"

#include <pthread.h>

#include <exception>
#include <system_error>

namespace weft::tools {

namespace {

struct job {
    const std::function<void()>* fn;
    std::exception_ptr error;
};

extern "C" void* run_job(void* arg) {
    auto* j = static_cast<job*>(arg);
    try {
        (*j->fn)();
    } catch (...) {
        j->error = std::current_exception();
    }
    return nullptr;
}

}  // namespace

void run_on_big_stack(const std::function<void()>& fn, std::size_t stack_size) {
    job j{&fn, nullptr};
    pthread_attr_t attr;
    if (int rc = pthread_attr_init(&attr); rc != 0)
        throw std::system_error(rc, std::generic_category(), "pthread_attr_init");
    int rc = pthread_attr_setstacksize(&attr, stack_size);
    pthread_t thread;
    if (rc == 0) rc = pthread_create(&thread, &attr, run_job, &j);
    pthread_attr_destroy(&attr);
    if (rc != 0) throw std::system_error(rc, std::generic_category(), "cannot start the parser thread");
    pthread_join(thread, nullptr);
    if (j.error) std::rethrow_exception(j.error);
}

}  // namespace weft::tools

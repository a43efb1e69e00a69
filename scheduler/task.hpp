// task.hpp: the unit of stackless work the scheduler runs.
//
// A task is anything that can make progress when called and then return: a
// stackless actor is one. The scheduler calls run() on a worker thread's own
// stack, never on a fiber, and knows nothing else about it. A task must not
// block the thread inside run(); to wait, it returns and gets submitted again
// by whoever has work for it.
#pragma once

namespace weft {

class task {
public:
    virtual void run() = 0;

protected:
    ~task() = default;
};

}  // namespace weft

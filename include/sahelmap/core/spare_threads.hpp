#pragma once
/// Threads kept for splitting one job across cores when cores are idle.
/// A task is taken only by a thread that is free at that moment; when none
/// is, the caller does the work itself. Under load every core already has
/// a request of its own, so splitting would only add switching.
#include <condition_variable>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace sahelmap {

class SpareThreads {
public:
    /// `count` threads (at least one), started by the first try_run(): a
    /// process that never splits a job never starts them.
    explicit SpareThreads(unsigned count);
    /// Waits for running tasks, then stops the threads.
    ~SpareThreads();
    SpareThreads(SpareThreads const&) = delete;
    SpareThreads& operator=(SpareThreads const&) = delete;

    /// Starts `task` on a free thread and returns its future (which rethrows
    /// what the task throws); nullopt, with `task` not run, when every
    /// thread is busy.
    std::optional<std::future<void>> try_run(std::function<void()> task);

private:
    void work();

    std::mutex m_mutex;
    std::condition_variable m_wake;
    struct Task {
        std::function<void()> run;
        std::promise<void> done;
    };
    std::vector<Task> m_queue;
    unsigned m_count = 0;
    unsigned m_idle = 0;
    bool m_stopping = false;
    std::vector<std::thread> m_threads;
};

} // namespace sahelmap

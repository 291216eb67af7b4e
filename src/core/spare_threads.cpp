#include "sahelmap/core/spare_threads.hpp"

#include <algorithm>

namespace sahelmap {

SpareThreads::SpareThreads(unsigned count) : m_count(std::max(1u, count)) {}

SpareThreads::~SpareThreads()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    for (auto& t : m_threads) t.join();
}

std::optional<std::future<void>> SpareThreads::try_run(std::function<void()> task)
{
    Task queued{std::move(task), {}};
    auto future = queued.done.get_future();
    {
        std::lock_guard lock(m_mutex);
        if (m_threads.empty() && !m_stopping) {
            // Counted idle from the start, so this first task finds one free.
            m_idle = m_count;
            m_threads.reserve(m_count);
            for (unsigned i = 0; i < m_count; ++i) m_threads.emplace_back([this] { work(); });
        }
        // A queued task already has an idle thread on its way to it.
        if (m_stopping || m_idle <= m_queue.size()) return std::nullopt;
        m_queue.push_back(std::move(queued));
    }
    m_wake.notify_one();
    return future;
}

void SpareThreads::work()
{
    std::unique_lock lock(m_mutex);
    while (true) {
        m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
        if (m_queue.empty()) return; // stopping, nothing left
        auto task = std::move(m_queue.front());
        m_queue.erase(m_queue.begin());
        --m_idle;
        lock.unlock();
        std::exception_ptr failure;
        try {
            task.run();
        } catch (...) {
            failure = std::current_exception();
        }
        lock.lock();
        // Idle again before the caller hears of the result, so a caller
        // that hands over its next task at once finds this thread free.
        ++m_idle;
        if (failure)
            task.done.set_exception(failure);
        else
            task.done.set_value();
    }
}

} // namespace sahelmap

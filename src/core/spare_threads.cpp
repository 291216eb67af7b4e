#include "sahelmap/core/spare_threads.hpp"

#include <algorithm>

namespace sahelmap {

SpareThreads::SpareThreads(unsigned count)
{
    count = std::max(1u, count);
    m_threads.reserve(count);
    for (unsigned i = 0; i < count; ++i) m_threads.emplace_back([this] { work(); });
}

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
    std::packaged_task<void()> packaged(std::move(task));
    auto future = packaged.get_future();
    {
        std::lock_guard lock(m_mutex);
        // A queued task already has an idle thread on its way to it.
        if (m_stopping || m_idle <= m_queue.size()) return std::nullopt;
        m_queue.push_back(std::move(packaged));
    }
    m_wake.notify_one();
    return future;
}

void SpareThreads::work()
{
    std::unique_lock lock(m_mutex);
    while (true) {
        ++m_idle;
        m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
        --m_idle;
        if (m_queue.empty()) return; // stopping, nothing left
        auto task = std::move(m_queue.front());
        m_queue.erase(m_queue.begin());
        lock.unlock();
        task(); // a throw is kept in the future
        lock.lock();
    }
}

SpareThreads& SpareThreads::shared()
{
    static SpareThreads threads(std::max(1u, std::thread::hardware_concurrency()) - 1);
    return threads;
}

} // namespace sahelmap

// The render threads' admission (issue 17 item 1): behind one FIFO, a cold
// tile waited seconds behind queued 4096² maps. Tiles now have a lane of
// their own that a free thread always serves first, and a thread that heavy
// work may never take; heavy work is bounded where it queues.
#include "core.hpp"

#include "sahelmap/server/errors.hpp"

#include <algorithm>

#include <malloc.h>

namespace sahelmap::server::detail {

namespace {

constexpr std::size_t kCheap = static_cast<std::size_t>(JobKind::cheap);
constexpr std::size_t kMedium = static_cast<std::size_t>(JobKind::medium);
constexpr std::size_t kHeavy = static_cast<std::size_t>(JobKind::heavy);

/// What a refused client is told to wait: about one heavy render.
constexpr int kRetryAfterSeconds = 5;

} // namespace

WorkLanes::Limits WorkLanes::limits(ServerOptions const& options)
{
    Limits l;
    int const render = std::max(1, options.render_threads);
    l.heavy_threads = options.heavy_threads > 0 ? options.heavy_threads : std::max(1, render - 1);
    // One thread more than heavy work may take, always: the tiles' own.
    l.threads = std::max(render, l.heavy_threads + 1);
    l.queue = options.heavy_queue;
    l.per_client = options.heavy_per_client;
    l.pixels = options.render_pixels;
    return l;
}

WorkLanes::WorkLanes(Limits limits, Metrics& metrics) : m_limits(limits), m_metrics(metrics)
{
    m_threads.reserve(static_cast<std::size_t>(m_limits.threads));
    for (int i = 0; i < m_limits.threads; ++i) m_threads.emplace_back([this] { work(); });
}

WorkLanes::~WorkLanes()
{
    join();
}

void WorkLanes::post(JobKind kind, std::string const& client, std::function<Delivery()> task, std::size_t pixels)
{
    auto const lane = static_cast<std::size_t>(kind);
    {
        std::lock_guard lock(m_mutex);
        if (lane != kCheap && m_limits.queue > 0 && m_queued[lane].size() >= m_limits.queue) {
            m_metrics.work_refused(false);
            throw Unavailable(
                std::string(lane == kHeavy ? "too much heavy work queued (" : "too many feature queries queued (") +
                    std::to_string(m_queued[lane].size()) +
                    (lane == kHeavy ? " maps, prints or downloads" : " OGC API item requests") + " waiting, at most " +
                    std::to_string(m_limits.queue) + "): retry later",
                kRetryAfterSeconds);
        }
        std::string owner;
        if (lane == kHeavy) {
            auto& mine = m_per_client[client];
            if (m_limits.per_client > 0 && mine >= m_limits.per_client) {
                if (mine == 0) m_per_client.erase(client);
                m_metrics.work_refused(true);
                throw TooManyRequests(printable(client, 64) + " has " + std::to_string(mine) +
                                          " maps, prints or downloads under way, at most " +
                                          std::to_string(m_limits.per_client) + " per client: retry later",
                                      kRetryAfterSeconds);
            }
            ++mine;
            owner = client;
        }
        m_queued[lane].push_back({std::move(task), std::move(owner), lane == kHeavy ? pixels : 0});
        publish(lane);
    }
    m_wake.notify_one();
}

void WorkLanes::join()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping && m_threads.empty()) return;
        m_stopping = true;
    }
    m_wake.notify_all();
    for (auto& t : m_threads)
        if (t.joinable()) t.join();
    std::lock_guard lock(m_mutex);
    m_threads.clear();
}

int WorkLanes::pick() const
{
    if (!m_queued[kCheap].empty()) return static_cast<int>(kCheap);
    // Medium and heavy work leave one thread to cheap work, whatever runs on it.
    if (m_running[kMedium] + m_running[kHeavy] + 1 >= m_limits.threads) return -1;
    if (!m_queued[kMedium].empty()) return static_cast<int>(kMedium);
    if (m_queued[kHeavy].empty() || m_running[kHeavy] >= m_limits.heavy_threads) return -1;
    // The pixel bound: a large map waits for the ones drawing to finish
    // (in order: the queue's head is never overtaken), but one alone runs.
    if (m_limits.pixels > 0 && m_running[kHeavy] > 0 &&
        m_running_pixels + m_queued[kHeavy].front().pixels > m_limits.pixels)
        return -1;
    return static_cast<int>(kHeavy);
}

void WorkLanes::publish(std::size_t lane) const
{
    m_metrics.work_lane(lane, m_queued[lane].size(), static_cast<std::size_t>(m_running[lane]));
}

void WorkLanes::work()
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        int lane = -1;
        m_wake.wait(lock, [&] {
            lane = pick();
            if (lane >= 0) return true;
            return m_stopping && std::all_of(m_queued.begin(), m_queued.end(), [](auto const& q) { return q.empty(); });
        });
        if (lane < 0) return; // stopping, and nothing left
        auto const l = static_cast<std::size_t>(lane);
        Task task = std::move(m_queued[l].front());
        m_queued[l].pop_front();
        ++m_running[l];
        m_running_pixels += task.pixels;
        publish(l);
        lock.unlock();
        // Tasks report their own errors to their waiters; nothing escapes.
        auto deliver = task.run();
        task.run = nullptr; // its captures go before the lock is taken
        lock.lock();
        --m_running[l];
        m_running_pixels -= task.pixels;
        if (l == kHeavy) {
            auto it = m_per_client.find(task.client);
            if (it != m_per_client.end() && --it->second == 0) m_per_client.erase(it);
        }
        publish(l);
        // The last of a burst of heavy work: its maps' pixels and bodies
        // were freed into the allocator's arenas, which keep them; give
        // them back to the system (the bodies still being sent go later,
        // as their sessions end, into memory trimmed by the next burst).
        bool const burst_over = l != kCheap && m_running[kMedium] + m_running[kHeavy] == 0 &&
                                m_queued[kMedium].empty() && m_queued[kHeavy].empty();
        lock.unlock();
        // A thread blocked by the caps may now take work.
        m_wake.notify_all();
        if (deliver) deliver();
        deliver = nullptr;
        if (burst_over) ::malloc_trim(0);
        lock.lock();
    }
}

} // namespace sahelmap::server::detail

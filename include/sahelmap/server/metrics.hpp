#pragma once
/// Counters and histograms for /metrics (Prometheus text format 0.0.4).
/// Lock-free: every request updates them from any I/O thread.
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

namespace sahelmap::server {

/// The route families, the `route` label of the request metrics.
enum class Route {
    healthz,
    readyz,
    metrics,
    styles,
    style,
    tilejson,
    tiles,
    web,
    events,
    data,
    influence,
    wms,
    wmts,
    ogc,
    vector,
    print,
    download,
    legend,
    maplibre,
    other,
    count_
};
std::string_view to_string(Route r) noexcept;

/// A histogram over fixed bucket bounds (seconds).
class Histogram {
public:
    static constexpr std::array<double, 14> kBounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                       0.1,    0.25,  0.5,    1,     2.5,  5,     10};
    void observe(double seconds) noexcept;
    /// Appends the `_bucket`, `_sum` and `_count` lines; `labels` like `route="tiles"` or empty.
    void write(std::string& out, std::string_view name, std::string_view labels) const;

private:
    std::array<std::atomic<std::uint64_t>, kBounds.size() + 1> m_buckets{}; // last = +Inf only
    std::atomic<std::uint64_t> m_count{0};
    std::atomic<std::uint64_t> m_sum_ns{0};
};

class Metrics {
public:
    void request(Route route, unsigned status, double seconds) noexcept;
    void cache_hit() noexcept { m_cache_hits.fetch_add(1, std::memory_order_relaxed); }
    void cache_miss() noexcept { m_cache_misses.fetch_add(1, std::memory_order_relaxed); }
    void render(double seconds) noexcept;
    /// A connection refused at admission: its address had too many, or the
    /// server was full with none idle.
    void connection_refused(bool per_address) noexcept
    {
        (per_address ? m_refused_address : m_refused_full).fetch_add(1, std::memory_order_relaxed);
    }
    /// Idle connections closed to make room (at the limit or out of descriptors).
    void connections_shed(std::size_t n) noexcept { m_shed.fetch_add(n, std::memory_order_relaxed); }

    /// The render threads' lanes (0 cheap, 1 medium, 2 heavy: JobKind's
    /// order): jobs waiting and running now.
    static constexpr std::size_t kLanes = 3;
    void work_lane(std::size_t lane, std::size_t queued, std::size_t running) noexcept
    {
        m_lane_queued[lane].store(queued, std::memory_order_relaxed);
        m_lane_running[lane].store(running, std::memory_order_relaxed);
    }
    /// Heavy work refused: its queue was full, or its client had too much under way.
    void work_refused(bool per_client) noexcept
    {
        (per_client ? m_work_refused_client : m_work_refused_full).fetch_add(1, std::memory_order_relaxed);
    }
    /// Heavy work refused because large answers held the memory bound.
    void work_refused_memory() noexcept { m_work_refused_memory.fetch_add(1, std::memory_order_relaxed); }
    /// Large answers held now (bytes), and slow readers cut for the bound.
    void answer_bytes(std::size_t bytes) noexcept { m_answer_bytes.store(bytes, std::memory_order_relaxed); }
    void answers_cut(std::size_t n) noexcept { m_answers_cut.fetch_add(n, std::memory_order_relaxed); }

    /// A reload of config, data and styles finished (SIGHUP, --watch or a
    /// data version change).
    void reload_done(bool ok) noexcept { (ok ? m_reloads : m_reload_failures).fetch_add(1, std::memory_order_relaxed); }
    /// Config "reload": the data version served and the one the database
    /// answered last, and whether the node lags it after a failed reload.
    void data_versions(std::string served, std::string database, bool behind);
    /// Config "reload": the version query failed (database unreachable, bad query).
    void version_check_failed() noexcept { m_version_check_failures.fetch_add(1, std::memory_order_relaxed); }

    std::uint64_t renders() const noexcept { return m_renders.load(std::memory_order_relaxed); }
    std::uint64_t requests(Route route, unsigned status) const noexcept;

    /// The exposition text; the cache's current size comes from its owner.
    std::string text(std::size_t cache_bytes) const;

private:
    static constexpr unsigned kStatuses = 600;
    static constexpr std::size_t kRoutes = static_cast<std::size_t>(Route::count_);
    std::array<std::array<std::atomic<std::uint64_t>, kStatuses>, kRoutes> m_requests{};
    std::array<Histogram, kRoutes> m_durations;
    std::atomic<std::uint64_t> m_cache_hits{0};
    std::atomic<std::uint64_t> m_cache_misses{0};
    std::atomic<std::uint64_t> m_renders{0};
    Histogram m_render_seconds;
    std::atomic<std::uint64_t> m_refused_address{0};
    std::atomic<std::uint64_t> m_refused_full{0};
    std::atomic<std::uint64_t> m_shed{0};
    std::array<std::atomic<std::uint64_t>, kLanes> m_lane_queued{};
    std::array<std::atomic<std::uint64_t>, kLanes> m_lane_running{};
    std::atomic<std::uint64_t> m_work_refused_full{0};
    std::atomic<std::uint64_t> m_work_refused_client{0};
    std::atomic<std::uint64_t> m_work_refused_memory{0};
    std::atomic<std::uint64_t> m_answer_bytes{0};
    std::atomic<std::uint64_t> m_answers_cut{0};
    std::atomic<std::uint64_t> m_reloads{0};
    std::atomic<std::uint64_t> m_reload_failures{0};
    std::atomic<std::uint64_t> m_version_check_failures{0};
    mutable std::mutex m_versions_mutex; ///< guards the three below (strings: no atomics)
    std::string m_served_version;
    std::string m_database_version;
    bool m_behind = false;
};

} // namespace sahelmap::server

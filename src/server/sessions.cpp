// The registry of open connections: limits at admission, shedding of idle
// connections, closing the idle ones at a stop; the descriptor budget.
#include "core.hpp"

#include <boost/asio/post.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <filesystem>
#include <vector>

namespace sahelmap::server::detail {

SessionRegistry::Admission SessionRegistry::admit(asio::any_io_executor executor, std::string address,
                                                  std::size_t total, std::size_t per_address)
{
    std::lock_guard lock(m_mutex);
    auto& from_address = m_per_address[address];
    if (per_address > 0 && from_address >= per_address) {
        if (from_address == 0) m_per_address.erase(address);
        return {nullptr, Refusal::address_full};
    }
    // Room is made before the new one counts: a client that connects and
    // sends its request at once is served even while silent sockets fill
    // the limit, since the silent ones have waited longest.
    bool shed = false;
    if (total > 0 && m_active >= total) {
        shed = shed_one();
        if (!shed) {
            if (from_address == 0) m_per_address.erase(address);
            return {nullptr, Refusal::server_full};
        }
    }
    auto slot = std::make_shared<Slot>();
    slot->executor = std::move(executor);
    slot->address = std::move(address);
    // Waiting for its first request from now on: sheddable like any idle one.
    slot->idle_since.store(Clock::now().time_since_epoch().count());
    ++from_address;
    ++m_active;
    m_slots.insert(slot);
    return {slot, Refusal::none, shed};
}

void SessionRegistry::remove(std::shared_ptr<Slot> const& slot)
{
    slot->stream = nullptr;
    std::lock_guard lock(m_mutex);
    if (m_slots.erase(slot) == 0) return;
    if (!slot->shed) --m_active;
    if (auto it = m_per_address.find(slot->address); it != m_per_address.end() && --it->second == 0)
        m_per_address.erase(it);
}

std::size_t SessionRegistry::size() const
{
    std::lock_guard lock(m_mutex);
    return m_slots.size();
}

void SessionRegistry::close_idle()
{
    std::lock_guard lock(m_mutex);
    for (auto const& slot : m_slots) {
        asio::post(slot->executor, [slot] {
            if (slot->stream && slot->idle_since.load() != 0) slot->stream->cancel();
        });
    }
}

std::size_t SessionRegistry::shed_idle(std::size_t count)
{
    std::lock_guard lock(m_mutex);
    std::size_t shed = 0;
    while (shed < count && shed_one()) ++shed;
    return shed;
}

bool SessionRegistry::shed_one()
{
    std::shared_ptr<Slot> oldest;
    Clock::rep oldest_since = 0;
    for (auto const& slot : m_slots) {
        auto const since = slot->idle_since.load();
        if (slot->shed || since == 0) continue;
        if (!oldest || since < oldest_since) {
            oldest = slot;
            oldest_since = since;
        }
    }
    if (!oldest) return false;
    oldest->shed = true;
    --m_active;
    asio::post(oldest->executor, [this, oldest] {
        // On the connection's strand: if a request began meanwhile, it is
        // served and the connection counts again.
        if (oldest->idle_since.load() != 0) {
            if (oldest->stream) oldest->stream->socket().close();
            return;
        }
        std::lock_guard lock(m_mutex);
        if (m_slots.count(oldest) > 0 && oldest->shed) {
            oldest->shed = false;
            ++m_active;
        }
    });
    return true;
}

std::size_t SessionRegistry::begin_answer(Slot& slot, std::size_t bytes)
{
    std::lock_guard lock(m_mutex);
    slot.answer_sent.store(0);
    slot.answer_since.store(Clock::now().time_since_epoch().count());
    slot.answer_bytes.store(bytes);
    slot.answer_cut = false;
    m_answer_bytes += bytes;
    return m_answer_bytes - m_cut_bytes;
}

void SessionRegistry::end_answer(Slot& slot)
{
    std::lock_guard lock(m_mutex);
    auto const bytes = slot.answer_bytes.exchange(0);
    m_answer_bytes -= bytes;
    if (slot.answer_cut) m_cut_bytes -= bytes;
    slot.answer_cut = false;
}

std::size_t SessionRegistry::answer_bytes() const
{
    std::lock_guard lock(m_mutex);
    return m_answer_bytes - m_cut_bytes;
}

std::size_t SessionRegistry::cut_slow_readers(std::size_t wanted, Clock::duration grace)
{
    auto const now = Clock::now().time_since_epoch().count();
    auto const grace_ticks = std::chrono::duration_cast<Clock::duration>(grace).count();
    struct Candidate {
        double bytes_per_tick;
        std::shared_ptr<Slot> slot;
    };
    std::lock_guard lock(m_mutex);
    std::vector<Candidate> candidates;
    for (auto const& slot : m_slots) {
        auto const since = slot->answer_since.load();
        if (slot->answer_cut || slot->answer_bytes.load() == 0 || now - since < grace_ticks) continue;
        auto const elapsed = static_cast<double>(std::max<Clock::rep>(now - since, 1));
        candidates.push_back({static_cast<double>(slot->answer_sent.load()) / elapsed, slot});
    }
    std::sort(candidates.begin(), candidates.end(),
              [](Candidate const& a, Candidate const& b) { return a.bytes_per_tick < b.bytes_per_tick; });
    std::size_t freed = 0;
    std::size_t cut = 0;
    for (auto const& c : candidates) {
        if (freed >= wanted) break;
        auto const bytes = c.slot->answer_bytes.load();
        c.slot->answer_cut = true;
        m_cut_bytes += bytes;
        freed += bytes;
        ++cut;
        asio::post(c.slot->executor, [slot = c.slot] {
            // On the connection's strand: if the answer has gone meanwhile,
            // the connection is left alone.
            beast::error_code ignored;
            if (slot->stream && slot->answer_bytes.load() != 0) slot->stream->socket().close(ignored);
        });
    }
    return cut;
}

/// The soft limit on open files raised to the hard one: the default soft
/// limit (1024 on Debian) is what ran out first under many connections.
/// Returns the soft limit now in force.
std::size_t raise_open_file_limit(Logger const& log)
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
    // RLIM_INFINITY is refused as a soft limit by Linux (above nr_open).
    rlim_t const wanted = limit.rlim_max == RLIM_INFINITY ? rlim_t{1} << 20 : limit.rlim_max;
    if (limit.rlim_cur < wanted) {
        auto const before = limit.rlim_cur;
        limit.rlim_cur = wanted;
        if (::setrlimit(RLIMIT_NOFILE, &limit) == 0)
            log.write(LogLevel::info,
                      "open file limit raised from " + std::to_string(before) + " to " + std::to_string(wanted));
        else
            limit.rlim_cur = before;
    }
    return static_cast<std::size_t>(limit.rlim_cur);
}

/// Descriptors open now (data files, the listening socket, pipes).
std::size_t open_descriptors()
{
    std::error_code ec;
    std::size_t n = 0;
    for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec)) ++n;
    return n;
}

/// --max-connections, or what the descriptor limit leaves once the files
/// already open and a reserve for renders, reloads and downloads are counted.
std::size_t connection_limit(ServerOptions const& options, std::size_t soft_limit, Logger const& log)
{
    constexpr std::size_t kReserve = 64;
    std::size_t const used = open_descriptors() + kReserve;
    std::size_t const room = soft_limit > used + 16 ? soft_limit - used : 16;
    if (options.max_connections == 0) return std::min<std::size_t>(room, 4096);
    if (options.max_connections > room)
        log.write(LogLevel::warn, "--max-connections " + std::to_string(options.max_connections) +
                                      " is more than the open file limit leaves room for (" + std::to_string(room) +
                                      "): idle connections are shed when descriptors run out");
    return options.max_connections;
}

} // namespace sahelmap::server::detail

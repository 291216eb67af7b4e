#include "placement_cache.hpp"

#include <algorithm>

namespace sahelmap::render::detail {

std::shared_ptr<Placement const> PlacementCache::find(Key const& key)
{
    std::lock_guard lock(m_mutex);
    auto it = m_entries.find(key);
    if (it == m_entries.end()) return nullptr;
    it->second.last_use = ++m_clock;
    return it->second.placement;
}

std::shared_ptr<Placement const> PlacementCache::store(Key const& key, std::shared_ptr<Placement const> placement)
{
    std::lock_guard lock(m_mutex);
    auto [it, inserted] = m_entries.try_emplace(key, Entry{std::move(placement), 0});
    it->second.last_use = ++m_clock;
    if (!inserted) return it->second.placement;
    // Counted when a placement is stored, sprites drawn since included: a
    // cached placement grows only by the sprites of its own labels.
    std::size_t total = bytes_locked();
    while (total > kMaxBytes && m_entries.size() > 1) {
        auto oldest = m_entries.end();
        for (auto e = m_entries.begin(); e != m_entries.end(); ++e)
            if (e != it && (oldest == m_entries.end() || e->second.last_use < oldest->second.last_use)) oldest = e;
        total -= std::min(total, oldest->second.placement->bytes());
        m_entries.erase(oldest);
    }
    return it->second.placement;
}

void PlacementCache::forget(std::uint64_t owner)
{
    std::lock_guard lock(m_mutex);
    std::erase_if(m_entries, [owner](auto const& e) { return e.first.owner == owner; });
}

std::size_t PlacementCache::size()
{
    std::lock_guard lock(m_mutex);
    return m_entries.size();
}

std::size_t PlacementCache::bytes()
{
    std::lock_guard lock(m_mutex);
    return bytes_locked();
}

std::size_t PlacementCache::bytes_locked() const
{
    std::size_t total = 0;
    for (auto const& [key, entry] : m_entries) total += entry.placement->bytes();
    return total;
}

} // namespace sahelmap::render::detail

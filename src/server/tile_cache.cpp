#include "sahelmap/server/tile_cache.hpp"

namespace sahelmap::server {

std::size_t TileKeyHash::operator()(TileKey const& k) const noexcept
{
    Hasher h;
    h.value(k.version).text(k.style).value(k.z).value(k.x).value(k.y).value(k.scale).value(k.epoch).value(k.from_epoch);
    return static_cast<std::size_t>(h.digest());
}

std::size_t TileCache::cost_of(TileKey const& key, SharedBytes const& bytes) noexcept
{
    // The bytes plus a rough share for the list node, the index slot and the key.
    return (bytes ? bytes->size() : 0) + key.style.size() + 160;
}

SharedBytes TileCache::find(TileKey const& key)
{
    std::lock_guard lock(m_mutex);
    auto it = m_index.find(key);
    if (it == m_index.end()) return nullptr;
    m_lru.splice(m_lru.begin(), m_lru, it->second);
    return it->second->bytes;
}

void TileCache::insert(TileKey key, SharedBytes bytes)
{
    std::size_t const cost = cost_of(key, bytes);
    std::lock_guard lock(m_mutex);
    if (key.version < m_min_version || cost > m_max_bytes) return;
    if (auto it = m_index.find(key); it != m_index.end()) {
        m_bytes -= it->second->cost;
        m_lru.erase(it->second);
        m_index.erase(it);
    }
    evict_to(m_max_bytes - cost);
    m_lru.push_front(Entry{key, std::move(bytes), cost});
    m_index.emplace(std::move(key), m_lru.begin());
    m_bytes += cost;
}

void TileCache::drop_before(std::uint64_t version)
{
    std::lock_guard lock(m_mutex);
    m_min_version = std::max(m_min_version, version);
    for (auto it = m_lru.begin(); it != m_lru.end();) {
        if (it->key.version < version) {
            m_bytes -= it->cost;
            m_index.erase(it->key);
            it = m_lru.erase(it);
        } else {
            ++it;
        }
    }
}

void TileCache::evict_to(std::size_t budget)
{
    while (m_bytes > budget && !m_lru.empty()) {
        auto& last = m_lru.back();
        m_bytes -= last.cost;
        m_index.erase(last.key);
        m_lru.pop_back();
    }
}

std::size_t TileCache::bytes() const
{
    std::lock_guard lock(m_mutex);
    return m_bytes;
}

std::size_t TileCache::size() const
{
    std::lock_guard lock(m_mutex);
    return m_index.size();
}

} // namespace sahelmap::server

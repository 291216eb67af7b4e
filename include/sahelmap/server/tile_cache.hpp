#pragma once
/// In-memory tile cache bounded in bytes, least recently used out first.
/// Keys hold everything that changes a tile's bytes; the date enters only
/// as its data epoch, so all dates of one epoch share an entry.
#include "sahelmap/server/http.hpp"

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

namespace sahelmap::server {

struct TileKey {
    std::uint64_t version = 0; ///< service version: a reload never sees older tiles
    std::string style;
    int z = 0;
    std::uint32_t x = 0;
    std::uint32_t y = 0;
    int scale = 1;
    int epoch = 0;       ///< MapData::epoch_of(date)
    int from_epoch = -1; ///< a change map's tile: the epoch of its earlier date

    friend bool operator==(TileKey const&, TileKey const&) = default;
};

struct TileKeyHash {
    std::size_t operator()(TileKey const& k) const noexcept;
};

class TileCache {
public:
    /// `max_bytes` 0 keeps nothing (every request renders, still coalesced).
    explicit TileCache(std::size_t max_bytes) : m_max_bytes(max_bytes) {}

    /// The cached bytes, or null; a hit becomes the most recently used.
    SharedBytes find(TileKey const& key);
    /// Stores (or refreshes) an entry, evicting the least recently used ones
    /// to stay within the bound. Entries of versions before the last
    /// drop_before() are refused: a render that outlived a reload is stale.
    void insert(TileKey key, SharedBytes bytes);
    /// Forgets entries of versions below `version`.
    void drop_before(std::uint64_t version);

    std::size_t bytes() const;
    std::size_t size() const;
    std::size_t max_bytes() const noexcept { return m_max_bytes; }

private:
    struct Entry {
        TileKey key;
        SharedBytes bytes;
        std::size_t cost;
    };
    using Lru = std::list<Entry>;
    static std::size_t cost_of(TileKey const& key, SharedBytes const& bytes) noexcept;
    void evict_to(std::size_t budget);

    std::size_t const m_max_bytes;
    mutable std::mutex m_mutex;
    Lru m_lru; ///< front = most recently used
    std::unordered_map<TileKey, Lru::iterator, TileKeyHash> m_index;
    std::size_t m_bytes = 0;
    std::uint64_t m_min_version = 0;
};

} // namespace sahelmap::server

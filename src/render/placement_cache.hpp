#pragma once
// The whole-area label placements of tile zooms, shared by every renderer
// of a map service and bounded in bytes: a server asked for every date at
// every zoom, through many reduced renderers (one per WMS layer and CRS),
// must not keep a placement for each.
#include "labels.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>

namespace sahelmap::render::detail {

class PlacementCache {
public:
    /// A placement is its renderer's (owner), at one label zoom and one
    /// epoch of the data.
    struct Key {
        std::uint64_t owner = 0;
        int zoom = 0;
        int epoch = 0;
        bool operator<(Key const& o) const noexcept
        {
            return std::tie(owner, zoom, epoch) < std::tie(o.owner, o.zoom, o.epoch);
        }
    };

    /// Placements, their text and their sprites together, are dropped
    /// least recently used first beyond this. A z11 placement of the
    /// shipped data with its sprites takes a few MiB.
    static constexpr std::size_t kMaxBytes = std::size_t{64} << 20;

    /// A number no other renderer of this cache has.
    std::uint64_t new_owner() noexcept { return m_owners.fetch_add(1, std::memory_order_relaxed) + 1; }

    /// The cached placement, or null.
    std::shared_ptr<Placement const> find(Key const& key);
    /// Keeps `placement` for `key` unless another thread stored one first
    /// (that one is returned, so every view agrees), then drops other
    /// placements, least recently used first, while the cache holds more
    /// than kMaxBytes.
    std::shared_ptr<Placement const> store(Key const& key, std::shared_ptr<Placement const> placement);
    /// Drops an owner's placements (a renderer going away).
    void forget(std::uint64_t owner);

    /// Placements held, and their bytes as Placement::bytes() counts them.
    std::size_t size();
    std::size_t bytes();

private:
    struct Entry {
        std::shared_ptr<Placement const> placement;
        std::uint64_t last_use = 0;
    };
    std::size_t bytes_locked() const;

    std::atomic<std::uint64_t> m_owners{0};
    std::mutex m_mutex;
    std::map<Key, Entry> m_entries;
    std::uint64_t m_clock = 0;
};

} // namespace sahelmap::render::detail

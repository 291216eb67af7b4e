#pragma once
/// A static packed R-tree over boxes (sort-tile-recursive), built once and
/// queried from many threads.
#include "sahelmap/core/geometry.hpp"

#include <cstdint>
#include <vector>

namespace sahelmap {

class SpatialIndex {
public:
    SpatialIndex() = default;
    explicit SpatialIndex(std::vector<BBox> const& boxes);

    /// Appends to `out` every item whose box intersects `query`, in ascending
    /// item order (so draw order stays the data order). Clears `out` first.
    void query(BBox const& query, std::vector<std::uint32_t>& out) const;
    std::size_t size() const noexcept { return m_count; }

private:
    struct Node {
        BBox box;
        std::uint32_t first; ///< first child node, or item when leaf level
        std::uint32_t count;
    };
    static constexpr std::uint32_t kFanout = 16;
    std::vector<std::vector<Node>> m_levels; ///< level 0 = leaves (one node per item)
    std::size_t m_count = 0;
};

} // namespace sahelmap

#include "sahelmap/core/spatial_index.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace sahelmap {

SpatialIndex::SpatialIndex(std::vector<BBox> const& boxes) : m_count(boxes.size())
{
    if (boxes.empty()) return;
    // Leaves in sort-tile-recursive order: slices by x, then runs by y, so
    // each parent covers a compact group of neighbours.
    std::vector<std::uint32_t> order(boxes.size());
    std::iota(order.begin(), order.end(), 0u);
    auto cx = [&](std::uint32_t i) { return (boxes[i].minx + boxes[i].maxx) / 2; };
    auto cy = [&](std::uint32_t i) { return (boxes[i].miny + boxes[i].maxy) / 2; };
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return cx(a) < cx(b); });
    auto const leaves_per_parent = kFanout;
    auto const parents = (boxes.size() + leaves_per_parent - 1) / leaves_per_parent;
    auto const slices = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(parents))));
    auto const slice_size = slices * leaves_per_parent;
    for (std::size_t s = 0; s < order.size(); s += slice_size) {
        auto end = std::min(order.size(), s + slice_size);
        std::sort(order.begin() + static_cast<long>(s), order.begin() + static_cast<long>(end),
                  [&](auto a, auto b) { return cy(a) < cy(b); });
    }
    std::vector<Node> leaves;
    leaves.reserve(order.size());
    for (auto i : order) leaves.push_back({boxes[i], i, 0});
    m_levels.push_back(std::move(leaves));
    while (m_levels.back().size() > 1) {
        auto const& below = m_levels.back();
        std::vector<Node> level;
        for (std::size_t i = 0; i < below.size(); i += kFanout) {
            Node n{BBox{}, static_cast<std::uint32_t>(i),
                   static_cast<std::uint32_t>(std::min<std::size_t>(kFanout, below.size() - i))};
            for (std::uint32_t k = 0; k < n.count; ++k) n.box.expand(below[i + k].box);
            level.push_back(n);
        }
        m_levels.push_back(std::move(level));
    }
}

void SpatialIndex::query(BBox const& q, std::vector<std::uint32_t>& out) const
{
    out.clear();
    if (m_levels.empty()) return;
    // Iterative descent with an explicit stack of (level, node).
    std::vector<std::pair<std::size_t, std::uint32_t>> stack;
    auto const top = m_levels.size() - 1;
    for (std::uint32_t i = 0; i < m_levels[top].size(); ++i) stack.emplace_back(top, i);
    while (!stack.empty()) {
        auto [level, idx] = stack.back();
        stack.pop_back();
        auto const& node = m_levels[level][idx];
        if (!node.box.intersects(q)) continue;
        if (level == 0) {
            out.push_back(node.first);
            continue;
        }
        for (std::uint32_t k = 0; k < node.count; ++k)
            stack.emplace_back(level - 1, node.first + k);
    }
    std::sort(out.begin(), out.end());
}

} // namespace sahelmap

#pragma once
// Label rasters shared by the one-off placements of a map service (WMS maps
// and prints in any CRS, placed afresh for each view): the pixels of one
// shaped text with one paint at one quarter-pixel phase, so a label
// rasterised for one map serves the next. Tiles keep their sprites in their
// own placement instead (see Placement::sprite).
#include "labels.hpp"

#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace sahelmap::render::detail {

class LabelRasters {
public:
    /// The sprite of `s` in its placement's frame at `scale` (1 or 2).
    std::shared_ptr<Sprite const> sprite(PlacedSymbol const& s, int scale);
    /// Forgets every raster; sprites in use keep their surfaces.
    void clear();

private:
    /// Bounded in bytes (pixels and the text shapes the keys hold); when
    /// full the cache starts afresh.
    static constexpr std::size_t kMaxBytes = std::size_t{48} << 20;

    struct Key {
        std::shared_ptr<TextShape const> text; ///< held, so its address cannot be reused
        Color text_color, halo_color;
        double halo_width = 0, text_opacity = 1, angle = 0;
        int scale = 1, phase_x = 0, phase_y = 0;
        bool operator==(Key const& o) const noexcept;
    };
    struct KeyHash {
        std::size_t operator()(Key const& k) const noexcept;
    };
    struct Raster {
        SurfacePtr surface; ///< the cache's reference; each sprite takes its own
        int x = 0, y = 0;   ///< top-left relative to the label centre's whole pixel
    };
    static Raster rasterise(PlacedSymbol const& s, int scale, int qx, int qy);

    std::mutex m_mutex;
    std::unordered_map<Key, Raster, KeyHash> m_rasters;
    std::size_t m_bytes = 0;
};

} // namespace sahelmap::render::detail

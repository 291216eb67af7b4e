#pragma once
/// What the renderers of one map service share besides data and styles:
/// shaped text, the label rasters of one-off views (WMS maps, prints) and
/// the spare threads that draw a large map in two parts. Made by whoever
/// makes the renderers (a MapService makes one), never process-wide, so a
/// reload starts with empty caches and two services in one process share
/// nothing.
#include "sahelmap/core/spare_threads.hpp"

#include <memory>

namespace sahelmap::render {

namespace detail {
class TextShaper;
class LabelRasters;
class PlacementCache;
} // namespace detail

class RenderResources {
public:
    /// Spare threads: one fewer than the machine has cores (at least one),
    /// started on first use.
    RenderResources();
    ~RenderResources();
    RenderResources(RenderResources const&) = delete;
    RenderResources& operator=(RenderResources const&) = delete;

    detail::TextShaper& text_shaper() const noexcept { return *m_text_shaper; }
    std::shared_ptr<detail::LabelRasters> const& label_rasters() const noexcept { return m_label_rasters; }
    SpareThreads& spare_threads() const noexcept { return *m_spare_threads; }
    /// Tile zooms' whole-area label placements of every renderer made with
    /// these resources, bounded in bytes together.
    detail::PlacementCache& placements() const noexcept { return *m_placements; }

    /// Empties the label raster cache, e.g. to compare with freshly drawn labels.
    void clear_label_rasters() const;

private:
    std::unique_ptr<detail::TextShaper> m_text_shaper;
    std::shared_ptr<detail::LabelRasters> m_label_rasters;
    std::unique_ptr<detail::PlacementCache> m_placements;
    std::unique_ptr<SpareThreads> m_spare_threads;
};

} // namespace sahelmap::render

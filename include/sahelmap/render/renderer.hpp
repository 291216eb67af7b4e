#pragma once
/// Draws a style over projected data with Cairo: tiles, and any view
/// (print maps and WMS use the same path).
#include "sahelmap/core/date.hpp"
#include "sahelmap/core/image.hpp"
#include "sahelmap/core/tile.hpp"
#include "sahelmap/render/map_data.hpp"
#include "sahelmap/render/resources.hpp"
#include "sahelmap/style/style.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

typedef struct _cairo cairo_t;

namespace sahelmap::render {

namespace detail {
class Placement;
}

/// What to draw: an area of the map's CRS onto width × height logical pixels.
struct View {
    BBox extent;     ///< map units; its aspect should match width/height
    int width = 256; ///< logical pixels
    int height = 256;
    double scale = 1; ///< device pixels per logical pixel (2 for @2x tiles)
    double zoom = 0;  ///< the zoom style expressions see
    Date time;        ///< features valid at this date are drawn
    /// Tiles and tile-aligned views: take labels from the one placement made
    /// for this zoom over the whole data area, so neighbours agree exactly.
    std::optional<int> label_zoom;
    /// Vector output: draw labels as text (searchable in PDF) instead of outlines.
    bool text_as_glyphs = false;
    /// Leave out labels that would cross the view's edge (print maps, whose
    /// frame must not cut a name); icons are still drawn. Not for tiles.
    bool labels_inside = false;
};

/// A run of the style's layers, [first, last). Drawing a map in parts, each
/// part over the ones before it, gives the whole map: OVER is associative.
struct LayerRange {
    std::size_t first = 0;
    std::size_t last = std::numeric_limits<std::size_t>::max();
};

class Renderer {
public:
    /// Throws RenderError if a font the style names is not installed.
    /// Renderers made with the same `resources` share their text and label
    /// caches; without, the renderer has resources of its own.
    Renderer(std::shared_ptr<MapData const> data, std::shared_ptr<style::Style const> style,
             std::shared_ptr<RenderResources const> resources = nullptr);
    ~Renderer();

    /// Draws onto a context whose user space is the view's logical pixels
    /// (scale applied by the caller or by render()).
    void draw(cairo_t* cr, View const& view, LayerRange layers = {}) const;
    /// Draws the whole view like draw(), onto a context over an image
    /// surface, in two parts at once when that pays (a large map, a cut
    /// from balanced_cut(), a spare thread free): the upper layers on the
    /// spare thread into a second surface with the same transform, then
    /// composited over the lower ones (OVER is associative: the same
    /// picture). Else draws it whole on this thread.
    void draw_in_parts(cairo_t* cr, View const& view) const;
    /// Where draw() puts an icon or label in a view.
    struct SymbolBox {
        BBox box;          ///< the view's logical pixels, icon and text together
        std::size_t layer; ///< index into style().layers()
        double sort_key;   ///< its symbol-sort-key: lower keys matter more
    };
    /// Where draw() puts its icons and labels in `view`: what a caller
    /// drawing over the map (a print's reference numbers) keeps clear of.
    /// Places the view's symbols again unless it is a cached tile zoom.
    std::vector<SymbolBox> symbol_boxes(View const& view) const;
    /// Draws into a new ARGB32 image of width*scale × height*scale pixels.
    Image render(View const& view) const;

    /// Where to cut the style's layers so that the two parts, drawn at once
    /// on two threads, end soonest: judged by how long each layer took in
    /// earlier draws. Never among the symbol layers, which share one label
    /// placement. Nullopt before any draw, or when a cut would save less
    /// than the second surface and its compositing cost.
    std::optional<std::size_t> balanced_cut() const;

    /// The view of an XYZ tile: 256 logical px, scale 1 or 2.
    static View tile_view(TileId const& tile, int scale, Date time);

    MapData const& data() const noexcept { return *m_data; }
    style::Style const& style() const noexcept { return *m_style; }
    std::shared_ptr<style::Style const> const& style_ptr() const noexcept { return m_style; }
    /// Views that are not tiles share label rasters through these (bounded).
    std::shared_ptr<RenderResources const> const& resources() const noexcept { return m_resources; }

private:
    std::shared_ptr<detail::Placement const> placement_for(View const& view) const;

    std::shared_ptr<MapData const> m_data;
    std::shared_ptr<style::Style const> m_style;
    std::shared_ptr<RenderResources const> m_resources;
    /// Index of the first symbol layer (the layer count when there is none).
    std::size_t m_first_symbol = 0;
    /// Recent drawing time of each style layer, ms (a moving average; read
    /// and written without a lock: an estimate, not a record).
    std::unique_ptr<std::atomic<float>[]> m_layer_ms;
    mutable std::atomic<std::uint64_t> m_draws{0};
    mutable std::atomic<std::size_t> m_last_cut{0}; ///< 0: none yet
    /// This renderer's number in its resources' placement cache, which keeps
    /// the (zoom, epoch) placements of every renderer sharing them.
    std::uint64_t m_placement_owner = 0;
};

} // namespace sahelmap::render

#include "sahelmap/render/renderer.hpp"
#include "sahelmap/render/cairo_ptr.hpp"

#include "draw.hpp"
#include "labels.hpp"
#include "placement_cache.hpp"
#include "sahelmap/core/error.hpp"
#include "sahelmap/geo/tile_math.hpp"
#include "sahelmap/render/fonts.hpp"
#include "sahelmap/render/image_canvas.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <future>
#include <vector>

namespace sahelmap::render {

namespace detail {

bool feature_passes(style::StyleLayer const& sl, FeatureLayer const& src, std::size_t i, double zoom, Date time)
{
    if (src.has_validity) {
        auto const& v = src.features[i].validity;
        bool const shown = sl.time_mode == style::TimeMode::present ? v.contains(time) : (v.to && *v.to <= time);
        if (!shown) return false;
    } else if (sl.time_mode == style::TimeMode::ended) {
        return false;
    }
    if (!sl.filter) return true;
    try {
        auto v = sl.filter->evaluate({zoom, src.ref(i)});
        auto const* b = v.as_bool();
        return b && *b;
    } catch (style::EvaluationError const&) {
        return false;
    }
}

std::vector<std::uint32_t> visible_features(LayerPass const& pass, style::StyleLayer const& sl,
                                            ProjectedLayer const& layer, FeatureLayer const& attrs, double margin_px)
{
    std::vector<std::uint32_t> hits;
    layer.query(pass.view.buffered(margin_px * pass.frame.res), hits);
    std::erase_if(hits, [&](std::uint32_t i) { return !feature_passes(sl, attrs, i, pass.zoom, pass.time); });
    return hits;
}

} // namespace detail

Renderer::Renderer(std::shared_ptr<MapData const> data, std::shared_ptr<style::Style const> style,
                   std::shared_ptr<RenderResources const> resources)
    : m_data(std::move(data)), m_style(std::move(style)),
      m_resources(resources ? std::move(resources) : std::make_shared<RenderResources const>()),
      m_placement_owner(m_resources->placements().new_owner())
{
    check_fonts(m_style->fonts(), m_style->id());
    auto const& layers = m_style->layers();
    m_first_symbol = static_cast<std::size_t>(
        std::find_if(layers.begin(), layers.end(),
                     [](style::StyleLayer const& l) { return std::holds_alternative<style::SymbolLayer>(l.props); }) -
        layers.begin());
    m_layer_ms = std::make_unique<std::atomic<float>[]>(layers.size());
    for (std::size_t i = 0; i < layers.size(); ++i) m_layer_ms[i].store(0, std::memory_order_relaxed);
}

std::optional<std::size_t> Renderer::balanced_cut() const
{
    // A second 1024×768 surface, its clearing and the final composite cost
    // about a millisecond (wms_bench); a cut must save more than that.
    constexpr double kCutOverheadMs = 1.0;
    std::size_t const n = m_style->layers().size();
    std::vector<double> prefix(n + 1, 0.0);
    for (std::size_t i = 0; i < n; ++i) prefix[i + 1] = prefix[i] + m_layer_ms[i].load(std::memory_order_relaxed);
    double const total = prefix[n];
    if (total <= 0) return std::nullopt;
    std::optional<std::size_t> best;
    double best_span = total;
    for (std::size_t cut = 1; cut <= std::min(m_first_symbol, n - 1); ++cut) {
        double const span = std::max(prefix[cut], total - prefix[cut]);
        if (span < best_span) {
            best_span = span;
            best = cut;
        }
    }
    if (!best || total - best_span < kCutOverheadMs) return std::nullopt;
    // Keep the last cut unless another is clearly better: the estimates
    // wander a little, and a moved cut changes the rounding of a few pixels,
    // so the same request would not give the same bytes.
    std::size_t const last = m_last_cut.load(std::memory_order_relaxed);
    if (last > 0 && last <= std::min(m_first_symbol, n - 1)) {
        double const last_span = std::max(prefix[last], total - prefix[last]);
        if (last_span <= best_span + 0.1 * total) return last;
    }
    m_last_cut.store(*best, std::memory_order_relaxed);
    return best;
}

Renderer::~Renderer()
{
    m_resources->placements().forget(m_placement_owner);
}

View Renderer::tile_view(TileId const& tile, int scale, Date time)
{
    View v;
    v.extent = geo::tile_bounds(tile);
    v.width = v.height = geo::kTileSize;
    v.scale = scale;
    v.zoom = tile.z();
    v.time = time;
    v.label_zoom = tile.z();
    return v;
}

std::shared_ptr<detail::Placement const> Renderer::placement_for(View const& view) const
{
    detail::Frame const frame{view.extent.minx, view.extent.maxy, view.extent.width() / view.width};
    if (!view.label_zoom || m_data->crs() != "EPSG:3857") {
        double const margin = 256 * frame.res;
        std::optional<BBox> inside;
        if (view.labels_inside) inside = BBox{0, 0, static_cast<double>(view.width), static_cast<double>(view.height)};
        return detail::place_symbols(*m_data, *m_style, frame, view.extent.buffered(margin), view.zoom, view.time,
                                     m_resources->text_shaper(), inside, m_resources->label_rasters());
    }
    int const z = *view.label_zoom;
    detail::PlacementCache::Key const key{m_placement_owner, z, m_data->epoch_of(view.time)};
    auto& cache = m_resources->placements();
    if (auto cached = cache.find(key)) return cached;
    // Placed outside the cache's lock so other zooms and dates are not held
    // up; two threads may both place the same key once, and the first one
    // stored wins.
    double const res = geo::meters_per_pixel(z);
    detail::Frame const world{-geo::kMercatorHalfExtent, geo::kMercatorHalfExtent, res};
    auto placed = detail::place_symbols(*m_data, *m_style, world, m_data->extent().buffered(256 * res), z, view.time,
                                        m_resources->text_shaper());
    return cache.store(key, std::move(placed));
}

void Renderer::draw(cairo_t* cr, View const& view, LayerRange range) const
{
    if (view.width <= 0 || view.height <= 0 || view.extent.empty()) throw RenderError("cannot draw an empty view");
    detail::LayerPass pass;
    pass.cr = cr;
    pass.frame = {view.extent.minx, view.extent.maxy, view.extent.width() / view.width};
    pass.view = view.extent;
    pass.clip = view.extent.buffered(64 * pass.frame.res);
    pass.zoom = view.zoom;
    pass.time = view.time;
    pass.level = m_data->level_for(pass.frame.res / view.scale);
    pass.data = m_data.get();

    std::shared_ptr<detail::Placement const> placement;
    auto const& layers = m_style->layers();
    using Clock = std::chrono::steady_clock;
    auto layer_start = Clock::now();
    // The time each layer took, folded into its moving average. Not on a
    // renderer's first draw, which also fills caches (label rasters, the
    // influence scores of the date) and would skew the estimate for long.
    bool const record = m_draws.fetch_add(1, std::memory_order_relaxed) > 0;
    auto const timed = [&](std::size_t li) {
        if (!record) return;
        auto const now = Clock::now();
        float const ms = std::chrono::duration<float, std::milli>(now - layer_start).count();
        layer_start = now;
        auto& avg = m_layer_ms[li];
        float const old = avg.load(std::memory_order_relaxed);
        avg.store(old == 0 ? ms : 0.75f * old + 0.25f * ms, std::memory_order_relaxed);
    };
    auto const draw_layer = [&](std::size_t li) {
        auto const& sl = layers[li];
        if (!sl.visible_at(view.zoom)) return;
        if (auto const* bg = std::get_if<style::BackgroundLayer>(&sl.props)) {
            detail::draw_background(pass, *bg);
            return;
        }
        if (auto const* heat = std::get_if<style::HeatmapLayer>(&sl.props)) {
            detail::draw_heatmap(pass, *heat, view.width, view.height);
            return;
        }
        auto const* layer = m_data->layer(sl.source_layer);
        if (!layer) return;
        cairo_save(cr);
        if (auto const* fill = std::get_if<style::FillLayer>(&sl.props))
            detail::draw_fill(pass, sl, *fill, *layer);
        else if (auto const* line = std::get_if<style::LineLayer>(&sl.props))
            detail::draw_line(pass, sl, *line, *layer);
        else if (auto const* circle = std::get_if<style::CircleLayer>(&sl.props))
            detail::draw_circle(pass, sl, *circle, *layer);
        else {
            if (!placement) placement = placement_for(view);
            detail::draw_symbols(cr, *placement, li, pass.frame, view.width, view.height, view.scale,
                                 view.text_as_glyphs);
        }
        cairo_restore(cr);
    };
    for (std::size_t li = range.first; li < std::min(range.last, layers.size()); ++li) {
        draw_layer(li);
        timed(li);
    }
}

std::vector<Renderer::SymbolBox> Renderer::symbol_boxes(View const& view) const
{
    if (view.width <= 0 || view.height <= 0 || view.extent.empty()) return {};
    auto const placement = placement_for(view);
    // The placement's frame is the view's, or the whole world's for a tile zoom.
    auto const& from = placement->frame;
    double const res = view.extent.width() / view.width;
    auto const to_view = [&](double px, double py) {
        return Projected{(from.ox + px * from.res - view.extent.minx) / res,
                         (view.extent.maxy - (from.oy - py * from.res)) / res};
    };
    BBox const visible{0, 0, static_cast<double>(view.width), static_cast<double>(view.height)};
    std::vector<SymbolBox> out;
    for (std::size_t li = 0; li < placement->layers.size(); ++li)
        for (auto const& s : placement->layers[li]) {
            auto const a = to_view(s.box.minx, s.box.miny), b = to_view(s.box.maxx, s.box.maxy);
            BBox const box{a.x, a.y, b.x, b.y};
            if (box.intersects(visible)) out.push_back({box, li, s.sort_key});
        }
    return out;
}

void Renderer::draw_in_parts(cairo_t* cr, View const& view) const
{
    // Below this, a second surface and its compositing cost about what a
    // cut would save.
    constexpr int kParallelPixels = 512 * 512;
    cairo_surface_t* target = cairo_get_target(cr);
    int const w = cairo_image_surface_get_width(target), h = cairo_image_surface_get_height(target);
    auto const cut = w * h >= kParallelPixels ? balanced_cut() : std::nullopt;
    if (!cut) {
        draw(cr, view);
        return;
    }
    cairo_matrix_t transform;
    cairo_get_matrix(cr, &transform);
    // The upper part's surface is made on the spare thread too; this
    // thread reads it only once the future says the part is drawn.
    ImageCanvas top;
    auto upper = m_resources->spare_threads().try_run([&] {
        top = image_canvas(w, h);
        CairoPtr top_cr(cairo_create(top.surface.get()));
        cairo_set_matrix(top_cr.get(), &transform);
        draw(top_cr.get(), view, {*cut});
        if (cairo_status(top_cr.get()) != CAIRO_STATUS_SUCCESS)
            throw RenderError(std::string("drawing failed: ") + cairo_status_to_string(cairo_status(top_cr.get())));
    });
    if (!upper) { // no spare thread free (a busy server): the whole map here
        draw(cr, view);
        return;
    }
    std::exception_ptr lower_error;
    try {
        cairo_save(cr);
        draw(cr, view, {0, *cut});
        cairo_restore(cr);
    } catch (...) {
        lower_error = std::current_exception();
    }
    upper->get(); // waits; rethrows the upper part's failure
    if (lower_error) std::rethrow_exception(lower_error);
    cairo_surface_mark_dirty(top.surface.get());
    cairo_save(cr);
    cairo_identity_matrix(cr);
    cairo_set_source_surface(cr, top.surface.get(), 0, 0);
    cairo_paint(cr);
    cairo_restore(cr);
}

Image Renderer::render(View const& view) const
{
    auto canvas = image_canvas(static_cast<int>(std::lround(view.width * view.scale)),
                               static_cast<int>(std::lround(view.height * view.scale)));
    {
        CairoPtr cr(cairo_create(canvas.surface.get()));
        cairo_scale(cr.get(), view.scale, view.scale);
        draw(cr.get(), view);
        if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS)
            throw RenderError(std::string("drawing failed: ") + cairo_status_to_string(cairo_status(cr.get())));
    }
    cairo_surface_flush(canvas.surface.get());
    return std::move(canvas.image);
}

} // namespace sahelmap::render

#include "draw.hpp"
#include "sahelmap/render/cairo_ptr.hpp"

#include "sahelmap/geo/projection.hpp"

#include <cmath>
#include <cstring>
#include <memory>

namespace sahelmap::render::detail {

namespace {
/// Logical pixels between samples: the influence field varies over tens of
/// kilometres, so a sample every 4 px with bilinear smoothing loses nothing
/// and costs 1/16 of sampling every pixel.
constexpr int kStep = 4;

struct PatternDeleter {
    void operator()(cairo_pattern_t* p) const noexcept { cairo_pattern_destroy(p); }
};
} // namespace

void draw_heatmap(LayerPass const& pass, style::HeatmapLayer const& heatmap, int width, int height)
{
    auto const& sampler = pass.data->fields();
    if (!sampler) return;
    // Samples sit on a grid anchored at the frame's origin, one column and row
    // beyond each edge so interpolation reaches the border.
    int const nx = width / kStep + 2, ny = height / kStep + 2;
    std::vector<double> xs, ys;
    xs.reserve(static_cast<std::size_t>(nx * ny));
    ys.reserve(static_cast<std::size_t>(nx * ny));
    for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i) {
            xs.push_back(pass.frame.ox + ((i - 0.5) * kStep) * pass.frame.res);
            ys.push_back(pass.frame.oy - ((j - 0.5) * kStep) * pass.frame.res);
        }
    geo::Transform const to_lonlat(pass.data->crs(), "EPSG:4326");
    to_lonlat.apply(xs.data(), ys.data(), xs.size());
    std::vector<LonLat> points(xs.size());
    for (std::size_t k = 0; k < xs.size(); ++k) points[k] = {xs[k], ys[k]};
    std::vector<float> values(points.size(), 0.0f);
    sampler(heatmap.field, pass.time, points, values);

    SurfacePtr img(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, nx, ny));
    auto* pixels = cairo_image_surface_get_data(img.get());
    int const stride = cairo_image_surface_get_stride(img.get());
    style::EvalContext ctx{pass.zoom, {}, 0};
    for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i) {
            ctx.heatmap_density = std::isfinite(values[static_cast<std::size_t>(j * nx + i)])
                                      ? values[static_cast<std::size_t>(j * nx + i)]
                                      : 0.0;
            Color const c = heatmap.color.evaluate(ctx);
            double const a = std::clamp(static_cast<double>(c.a), 0.0, 1.0);
            auto channel = [a](float v) {
                return static_cast<std::uint32_t>(std::lround(std::clamp(v, 0.0f, 1.0f) * a * 255));
            };
            std::uint32_t const px = static_cast<std::uint32_t>(std::lround(a * 255)) << 24 | channel(c.r) << 16 |
                                     channel(c.g) << 8 | channel(c.b);
            std::memcpy(pixels + j * stride + i * 4, &px, 4);
        }
    cairo_surface_mark_dirty(img.get());

    cairo_t* cr = pass.cr;
    cairo_save(cr);
    // Sample (i, j) sits at logical pixel ((i - 0.5) * step, (j - 0.5) * step).
    cairo_translate(cr, -kStep, -kStep);
    cairo_scale(cr, kStep, kStep);
    std::unique_ptr<cairo_pattern_t, PatternDeleter> pattern(cairo_pattern_create_for_surface(img.get()));
    cairo_pattern_set_filter(pattern.get(), CAIRO_FILTER_BILINEAR);
    cairo_pattern_set_extend(pattern.get(), CAIRO_EXTEND_PAD);
    cairo_set_source(cr, pattern.get());
    cairo_paint_with_alpha(cr, std::clamp(heatmap.opacity.evaluate({pass.zoom, {}, 0}), 0.0, 1.0));
    cairo_restore(cr);
}

} // namespace sahelmap::render::detail

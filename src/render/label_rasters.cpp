#include "label_rasters.hpp"

#include <cmath>
#include <functional>

namespace sahelmap::render::detail {

bool LabelRasters::Key::operator==(Key const& o) const noexcept
{
    return text == o.text && text_color == o.text_color && halo_color == o.halo_color && halo_width == o.halo_width &&
           text_opacity == o.text_opacity && angle == o.angle && scale == o.scale && phase_x == o.phase_x &&
           phase_y == o.phase_y;
}

std::size_t LabelRasters::KeyHash::operator()(Key const& k) const noexcept
{
    std::size_t h = std::hash<void const*>()(k.text.get());
    auto mix = [&h](double v) { h ^= std::hash<double>()(v) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2); };
    for (double v : {double(k.text_color.r), double(k.text_color.g), double(k.text_color.b), double(k.text_color.a),
                     double(k.halo_color.r), double(k.halo_color.a), k.halo_width, k.text_opacity, k.angle,
                     double(k.scale), double(k.phase_x), double(k.phase_y)})
        mix(v);
    return h;
}

namespace {

std::shared_ptr<Sprite const> sprite_at(cairo_surface_t* surface, int x, int y)
{
    auto sprite = std::make_shared<Sprite>();
    sprite->surface.reset(cairo_surface_reference(surface));
    sprite->x = x;
    sprite->y = y;
    return sprite;
}

} // namespace

std::shared_ptr<Sprite const> LabelRasters::sprite(PlacedSymbol const& s, int scale)
{
    // The label centre in device pixels, split into a whole pixel and a
    // quarter-pixel phase: at most 1/8 px from where it was placed.
    double const cx = s.text_x * scale, cy = s.text_y * scale;
    double ix = std::floor(cx), iy = std::floor(cy);
    int qx = static_cast<int>(std::lround((cx - ix) * 4)), qy = static_cast<int>(std::lround((cy - iy) * 4));
    if (qx == 4) qx = 0, ix += 1;
    if (qy == 4) qy = 0, iy += 1;
    Key key{s.text, s.text_color, s.halo_color, s.halo_width, s.text_opacity, s.angle, scale, qx, qy};
    {
        // A sprite takes its own reference under the lock, so a clear by
        // another thread cannot free the surface under it.
        std::lock_guard lock(m_mutex);
        if (auto it = m_rasters.find(key); it != m_rasters.end())
            return sprite_at(it->second.surface.get(), static_cast<int>(ix) + it->second.x,
                             static_cast<int>(iy) + it->second.y);
    }
    Raster raster = rasterise(s, scale, qx, qy);
    // The raster's pixels and the text shape its key keeps alive (a WMS map
    // at a new scale shapes its labels anew: their shapes would otherwise
    // outlive the shaper's bound through this cache).
    auto const bytes = surface_bytes(raster.surface.get()) + (s.text ? s.text->bytes : 0);
    std::lock_guard lock(m_mutex);
    if (m_bytes + bytes > kMaxBytes) {
        m_rasters.clear();
        m_bytes = 0;
    }
    // Another thread may have stored the same label meanwhile: its raster wins.
    auto [it, inserted] = m_rasters.try_emplace(std::move(key), std::move(raster));
    if (inserted) m_bytes += bytes;
    return sprite_at(it->second.surface.get(), static_cast<int>(ix) + it->second.x,
                     static_cast<int>(iy) + it->second.y);
}

void LabelRasters::clear()
{
    std::lock_guard lock(m_mutex);
    m_rasters.clear();
    m_bytes = 0;
}

LabelRasters::Raster LabelRasters::rasterise(PlacedSymbol const& s, int scale, int qx, int qy)
{
    // The label's box around its centre, in device pixels.
    BBox const b = s.text_box;
    double const l = (b.minx - s.text_x) * scale, t = (b.miny - s.text_y) * scale;
    double const r = (b.maxx - s.text_x) * scale, btm = (b.maxy - s.text_y) * scale;
    Raster raster;
    raster.x = static_cast<int>(std::floor(l)) - 2;
    raster.y = static_cast<int>(std::floor(t)) - 2;
    int const w = static_cast<int>(std::ceil(r)) + 3 - raster.x;
    int const h = static_cast<int>(std::ceil(btm)) + 3 - raster.y;
    raster.surface.reset(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, std::max(w, 1), std::max(h, 1)));
    CairoPtr cr(cairo_create(raster.surface.get()));
    cairo_translate(cr.get(), -raster.x + qx / 4.0, -raster.y + qy / 4.0);
    cairo_scale(cr.get(), scale, scale);
    draw_label(cr.get(), s, false);
    cr.reset();
    cairo_surface_flush(raster.surface.get());
    return raster;
}

} // namespace sahelmap::render::detail

// Drawing placed symbols: icons, and labels copied from sprites (tiles and
// pixel-aligned views) or drawn as outlines or glyphs (any other view).
#include "label_rasters.hpp"
#include "labels.hpp"

#include "draw.hpp"

#include <cmath>

namespace sahelmap::render::detail {

/// Text and halo of one label, drawn with the current point at the text's
/// centre (rotation already applied by the caller for outlines).
void draw_label(cairo_t* cr, PlacedSymbol const& s, bool as_glyphs)
{
    cairo_rotate(cr, s.angle);
    cairo_translate(cr, -s.text->width / 2, -s.text->height / 2);
    cairo_new_path(cr);
    bool const halo = s.halo_width > 0 && !s.halo_color.transparent();
    if (as_glyphs) {
        if (halo) {
            cairo_append_path(cr, s.text->path.get());
            cairo_set_line_width(cr, 2 * s.halo_width);
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
            set_source(cr, s.halo_color, s.text_opacity);
            cairo_stroke(cr);
        }
        cairo_move_to(cr, 0, 0);
        set_source(cr, s.text_color, s.text_opacity);
        show_text_as_glyphs(cr, *s.text);
        return;
    }
    cairo_append_path(cr, s.text->path.get());
    if (halo) {
        cairo_set_line_width(cr, 2 * s.halo_width);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        set_source(cr, s.halo_color, s.text_opacity);
        cairo_stroke_preserve(cr);
    }
    set_source(cr, s.text_color, s.text_opacity);
    cairo_fill(cr);
}

namespace {

/// True when user space maps to device space by a pure scale `scale` and
/// an integer translation, so a sprite can be copied pixel for pixel.
bool pixel_aligned(cairo_t* cr, double scale, double dx, double dy)
{
    cairo_matrix_t m;
    cairo_get_matrix(cr, &m);
    double const tx = m.x0 + dx * m.xx, ty = m.y0 + dy * m.yy;
    return m.xy == 0 && m.yx == 0 && m.xx == scale && m.yy == scale && tx == std::round(tx) && ty == std::round(ty);
}

} // namespace

std::shared_ptr<Sprite const> Placement::sprite(std::size_t layer, std::size_t symbol, int scale) const
{
    std::uint64_t const key = (static_cast<std::uint64_t>(layer) << 40) | (static_cast<std::uint64_t>(symbol) << 2) |
                              static_cast<std::uint64_t>(scale);
    {
        std::lock_guard lock(m_sprite_mutex);
        if (auto it = m_sprites.find(key); it != m_sprites.end()) return it->second;
    }
    auto const& s = layers[layer][symbol];
    if (shared_rasters) return shared_rasters->sprite(s, scale);
    auto sprite = std::make_shared<Sprite>();
    // Device-pixel bounds of the label in the placement frame, halo and antialiasing included.
    BBox const b = s.text_box;
    sprite->x = static_cast<int>(std::floor(b.minx * scale)) - 2;
    sprite->y = static_cast<int>(std::floor(b.miny * scale)) - 2;
    int const w = static_cast<int>(std::ceil(b.maxx * scale)) + 2 - sprite->x;
    int const h = static_cast<int>(std::ceil(b.maxy * scale)) + 2 - sprite->y;
    sprite->surface.reset(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, std::max(w, 1), std::max(h, 1)));
    CairoPtr cr(cairo_create(sprite->surface.get()));
    cairo_translate(cr.get(), -sprite->x, -sprite->y);
    cairo_scale(cr.get(), scale, scale);
    cairo_translate(cr.get(), s.text_x, s.text_y);
    draw_label(cr.get(), s, false);
    cr.reset();
    cairo_surface_flush(sprite->surface.get());
    std::lock_guard lock(m_sprite_mutex);
    return m_sprites.emplace(key, std::move(sprite)).first->second;
}

std::size_t Placement::bytes() const
{
    std::size_t total = sizeof(Placement);
    for (auto const& layer : layers) {
        // Its symbols, and in the spatial index about a box and an id each.
        total += layer.capacity() * sizeof(PlacedSymbol) + layer.size() * (sizeof(BBox) + sizeof(std::uint32_t));
        for (auto const& s : layer) total += s.icon.capacity() + (s.text ? s.text->bytes : 0);
    }
    std::lock_guard lock(m_sprite_mutex);
    for (auto const& [key, sprite] : m_sprites) total += sizeof(Sprite) + 64 + surface_bytes(sprite->surface.get());
    return total;
}

void draw_symbols(cairo_t* cr, Placement const& placement, std::size_t layer_index, Frame const& view_frame,
                  double view_width, double view_height, double view_scale, bool text_as_glyphs)
{
    // Both frames share a resolution; the view is a window onto the placement.
    double const dx = (placement.frame.ox - view_frame.ox) / view_frame.res;
    double const dy = (view_frame.oy - placement.frame.oy) / view_frame.res;
    BBox const window{-dx, -dy, -dx + view_width, -dy + view_height};
    std::vector<std::uint32_t> hits;
    placement.index[layer_index].query(window, hits);
    auto const& symbols = placement.layers[layer_index];

    for (auto h : hits) {
        auto const& s = symbols[h];
        if (s.icon.empty()) continue;
        cairo_new_path(cr);
        icon_path(cr, s.icon, s.icon_x + dx, s.icon_y + dy, s.icon_radius);
        // The halo goes around the shape, under its fill, as with MapLibre's SDF
        // icons; a transparent fill leaves just the ring (a hollow symbol).
        if (s.icon_halo_width > 0 && !s.icon_halo_color.transparent()) {
            cairo_set_line_width(cr, 2 * s.icon_halo_width);
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
            set_source(cr, s.icon_halo_color, s.icon_opacity);
            if (s.icon_color.transparent()) {
                cairo_set_line_width(cr, s.icon_halo_width);
                cairo_stroke(cr);
                continue;
            }
            cairo_stroke_preserve(cr);
        }
        if (!s.icon_color.transparent()) {
            set_source(cr, s.icon_color, s.icon_opacity);
            cairo_fill(cr);
        }
        cairo_new_path(cr);
    }
    // Labels: copied from their sprite when the view sits on the placement's
    // pixel grid (tiles), otherwise drawn as outlines or glyphs.
    int const scale = static_cast<int>(std::lround(view_scale));
    bool const sprites =
        !text_as_glyphs && (scale == 1 || scale == 2) && view_scale == scale && pixel_aligned(cr, view_scale, dx, dy);
    for (auto h : hits) {
        auto const& s = symbols[h];
        if (!s.text) continue;
        cairo_save(cr);
        if (sprites) {
            auto const sp = placement.sprite(layer_index, h, scale);
            // Back to device space: the sprite is already at device resolution.
            cairo_scale(cr, 1.0 / scale, 1.0 / scale);
            cairo_set_source_surface(cr, sp->surface.get(), sp->x + dx * scale, sp->y + dy * scale);
            cairo_paint(cr);
        } else {
            cairo_translate(cr, s.text_x + dx, s.text_y + dy);
            draw_label(cr, s, text_as_glyphs);
        }
        cairo_restore(cr);
    }
}

} // namespace sahelmap::render::detail

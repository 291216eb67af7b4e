#include "sahelmap/render/fonts.hpp"
#include "sahelmap/render/cairo_ptr.hpp"

#include "pango_layout.hpp"
#include "sahelmap/core/error.hpp"
#include "text.hpp"

#include <pango/pangocairo.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <mutex>
#include <set>

namespace sahelmap::render {

namespace {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::set<std::string> const& installed_families()
{
    static std::set<std::string> const families = [] {
        std::set<std::string> out;
        PangoFontMap* map = pango_cairo_font_map_get_default();
        PangoFontFamily** list = nullptr;
        int n = 0;
        pango_font_map_list_families(map, &list, &n);
        for (int i = 0; i < n; ++i) out.insert(lower(pango_font_family_get_name(list[i])));
        g_free(list);
        return out;
    }();
    return families;
}

std::string family_of(std::string const& font_name)
{
    PangoFontDescription* desc = pango_font_description_from_string(font_name.c_str());
    char const* fam = pango_font_description_get_family(desc);
    std::string out = fam ? fam : "";
    pango_font_description_free(desc);
    return out;
}

} // namespace

bool font_installed(std::string const& font_name)
{
    return installed_families().count(lower(family_of(font_name))) > 0;
}

void check_fonts(std::vector<std::string> const& fonts, std::string const& style_id)
{
    for (auto const& f : fonts)
        if (!font_installed(f))
            throw RenderError("font '" + f + "' named by style " + style_id +
                              " is not installed (install the Debian package that ships it, e.g. fonts-dejavu-core "
                              "or fonts-noto-core)");
}

namespace detail {

LayoutPtr unhinted_layout(cairo_t* cr, bool exact_positions)
{
    LayoutPtr layout(pango_cairo_create_layout(cr));
    PangoContext* ctx = pango_layout_get_context(layout.get());
    cairo_font_options_t* opts = cairo_font_options_create();
    cairo_font_options_set_hint_style(opts, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(opts, CAIRO_HINT_METRICS_OFF);
    if (exact_positions) cairo_font_options_set_antialias(opts, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(ctx, opts);
    cairo_font_options_destroy(opts);
    if (exact_positions) pango_context_set_round_glyph_positions(ctx, FALSE);
    pango_layout_context_changed(layout.get());
    return layout;
}

namespace {

LayoutPtr make_layout(cairo_t* cr, TextShape const& s)
{
    LayoutPtr owned = unhinted_layout(cr, true);
    PangoLayout* layout = owned.get();
    PangoFontDescription* desc = pango_font_description_from_string(s.font.c_str());
    pango_font_description_set_absolute_size(desc, s.size * PANGO_SCALE);
    pango_layout_set_font_description(layout, desc);
    pango_font_description_free(desc);
    if (s.max_width > 0) {
        pango_layout_set_width(layout, static_cast<int>(s.max_width * PANGO_SCALE));
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD);
    }
    pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
    if (s.letter_spacing != 0) {
        PangoAttrList* attrs = pango_attr_list_new();
        pango_attr_list_insert(attrs, pango_attr_letter_spacing_new(static_cast<int>(s.letter_spacing * PANGO_SCALE)));
        pango_layout_set_attributes(layout, attrs);
        pango_attr_list_unref(attrs);
    }
    pango_layout_set_text(layout, s.text.c_str(), -1);
    return owned;
}

} // namespace

std::shared_ptr<TextShape const> TextShaper::shape(std::string const& text, std::vector<std::string> const& font_stack,
                                                   double size_px, double max_width_px, double letter_spacing_px)
{
    std::string font = font_stack.empty() ? "DejaVu Sans" : font_stack.front();
    std::string key = text + '\x1f' + font + '\x1f' + std::to_string(size_px) + '\x1f' + std::to_string(max_width_px) +
                      '\x1f' + std::to_string(letter_spacing_px);
    {
        std::lock_guard lock(m_mutex);
        if (auto it = m_shapes.find(key); it != m_shapes.end()) return it->second;
    }
    for (auto const& f : font_stack)
        if (installed_families().count(lower(family_of(f)))) {
            font = f;
            break;
        }

    // Pango sees whole pixel sizes only, and the outlines are scaled to the
    // size asked: each size Pango meets leaves fonts, fontsets and
    // fontconfig patterns in its thread's font map, and WMS maps and prints
    // at arbitrary scales ask for ever new fractional sizes (the soak's
    // memory grew by them without end). Unhinted, with glyph positions not
    // rounded, a layout scales exactly but for Pango's 1/1024 px units.
    double const base = std::max(1.0, std::round(size_px));
    double const k = size_px / base;
    auto shape = std::make_shared<TextShape>();
    shape->text = text;
    shape->font = font;
    shape->size = base;
    shape->max_width = max_width_px / k;
    shape->letter_spacing = letter_spacing_px / k;

    // An unbounded recording surface: on a small image surface Pango skips
    // glyphs that fall outside its clip and the outline comes out cut.
    SurfacePtr surface(cairo_recording_surface_create(CAIRO_CONTENT_ALPHA, nullptr));
    CairoPtr cr(cairo_create(surface.get()));
    LayoutPtr layout = make_layout(cr.get(), *shape);
    PangoRectangle logical;
    pango_layout_get_extents(layout.get(), nullptr, &logical);
    shape->width = static_cast<double>(logical.width) / PANGO_SCALE;
    shape->height = static_cast<double>(logical.height) / PANGO_SCALE;
    shape->baseline = static_cast<double>(pango_layout_get_baseline(layout.get())) / PANGO_SCALE;
    // With a wrap width Pango centres lines inside it; shift so the text's own box starts at 0.
    cairo_move_to(cr.get(), -static_cast<double>(logical.x) / PANGO_SCALE, 0);
    pango_cairo_layout_path(cr.get(), layout.get());
    shape->path.reset(cairo_copy_path(cr.get()));
    if (k != 1) {
        cairo_path_t* path = shape->path.get();
        for (int i = 0; i < path->num_data; i += path->data[i].header.length)
            for (int p = 1; p < path->data[i].header.length; ++p) {
                path->data[i + p].point.x *= k;
                path->data[i + p].point.y *= k;
            }
        shape->width *= k;
        shape->height *= k;
        shape->baseline *= k;
    }
    shape->size = size_px;
    shape->max_width = max_width_px;
    shape->letter_spacing = letter_spacing_px;
    shape->bytes = sizeof(TextShape) + sizeof(cairo_path_t) +
                   static_cast<std::size_t>(std::max(shape->path->num_data, 0)) * sizeof(cairo_path_data_t) +
                   shape->text.capacity() + shape->font.capacity();

    // Two threads may shape the same text at once; the first one stored is
    // the one every later label gets.
    std::size_t const bytes = shape->bytes + key.capacity();
    std::lock_guard lock(m_mutex);
    if (m_bytes + bytes > kMaxBytes) {
        m_shapes.clear();
        m_bytes = 0;
    }
    auto [it, inserted] = m_shapes.try_emplace(std::move(key), std::move(shape));
    if (inserted) m_bytes += bytes;
    return it->second;
}

void show_text_as_glyphs(cairo_t* cr, TextShape const& shape)
{
    LayoutPtr layout = make_layout(cr, shape);
    PangoRectangle logical;
    pango_layout_get_extents(layout.get(), nullptr, &logical);
    cairo_rel_move_to(cr, -static_cast<double>(logical.x) / PANGO_SCALE, 0);
    pango_cairo_show_layout(cr, layout.get());
}

} // namespace detail
} // namespace sahelmap::render

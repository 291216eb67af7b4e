#include "sahelmap/render/page_text.hpp"

#include "pango_layout.hpp"

namespace sahelmap::render {

namespace {

using detail::LayoutPtr;

LayoutPtr make_layout(cairo_t* cr, std::string const& text, TextStyle const& style)
{
    // Sizes in user units, which are points on the page.
    LayoutPtr layout = detail::unhinted_layout(cr, false);

    PangoFontDescription* font = pango_font_description_new();
    pango_font_description_set_family(font, "Noto Sans");
    pango_font_description_set_weight(font, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(font, style.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    pango_font_description_set_absolute_size(font, style.size * PANGO_SCALE);
    pango_layout_set_font_description(layout.get(), font);
    pango_font_description_free(font);
    if (style.max_width > 0) {
        pango_layout_set_width(layout.get(), static_cast<int>(style.max_width * PANGO_SCALE));
        pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
        if (style.ellipsize) pango_layout_set_ellipsize(layout.get(), PANGO_ELLIPSIZE_END);
    }
    pango_layout_set_alignment(layout.get(), style.align == Align::centre  ? PANGO_ALIGN_CENTER
                                             : style.align == Align::right ? PANGO_ALIGN_RIGHT
                                                                           : PANGO_ALIGN_LEFT);
    pango_layout_set_text(layout.get(), text.c_str(), static_cast<int>(text.size()));
    return layout;
}

TextSize size_of(PangoLayout* layout)
{
    PangoRectangle logical;
    pango_layout_get_extents(layout, nullptr, &logical);
    return {static_cast<double>(logical.width) / PANGO_SCALE, static_cast<double>(logical.height) / PANGO_SCALE};
}

} // namespace

TextSize measure_text(cairo_t* cr, std::string const& text, TextStyle const& style)
{
    return size_of(make_layout(cr, text, style).get());
}

TextSize draw_text(cairo_t* cr, std::string const& text, double x, double y, TextStyle const& style)
{
    auto layout = make_layout(cr, text, style);
    auto const size = size_of(layout.get());
    double left = x;
    if (style.max_width > 0) {
        // A wrapped layout aligns inside its width: x is its box's reference.
        if (style.align == Align::centre)
            left = x - style.max_width / 2;
        else if (style.align == Align::right)
            left = x - style.max_width;
    } else if (style.align == Align::centre) {
        left = x - size.width / 2;
    } else if (style.align == Align::right) {
        left = x - size.width;
    }
    cairo_save(cr);
    cairo_set_source_rgb(cr, style.r, style.g, style.b);
    cairo_move_to(cr, left, y);
    pango_cairo_show_layout(cr, layout.get());
    cairo_restore(cr);
    return size;
}

} // namespace sahelmap::render

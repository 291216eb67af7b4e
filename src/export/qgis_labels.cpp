// A symbol layer's text as a rule of QGIS's rule-based labeling: which
// field or expression, where (filter, zoom range), in which font and colour.
#include "qgis_model.hpp"

#include "sahelmap/style/introspection.hpp"

#include <algorithm>
#include <stdexcept>

namespace sahelmap::exports::detail {

namespace {

/// The first field `e` reads, or empty.
std::string first_field(style::Expression const& e)
{
    auto const fields = style::fields_read(e);
    return fields.empty() ? std::string() : fields.front();
}

} // namespace

std::optional<LabelSpec> label_rule(LayerReading& reading, style::StyleLayer const& l, int priority)
{
    auto const& sym = std::get<style::SymbolLayer>(l.props);
    std::size_t representative = 0;
    auto const& layer = reading.layer();
    double const zoom = reading.zoom();
    for (std::size_t i = 0; i < layer.features.size(); ++i)
        if (reading.passes(l, i)) {
            representative = i;
            break;
        }
    style::EvalContext ctx{zoom, layer.features.empty() ? FeatureRef{} : layer.ref(representative)};
    LabelSpec lab;
    lab.id = l.id;
    lab.min_zoom = l.minzoom;
    lab.max_zoom = l.maxzoom;
    lab.priority = priority;
    if (l.filter) {
        try {
            lab.filter = qgis_expression(*l.filter, zoom);
        } catch (std::invalid_argument const& e) {
            reading.note_once("labels of style layer " + l.id + ": filter not translated (" + std::string(e.what()) +
                              "), every feature is labelled");
        }
    }
    auto const& text = sym.text_field.expression();
    if (!text) {
        lab.expression = qgis_string(sym.text_field.constant());
    } else if (auto field = style::get_field(*text)) {
        lab.field = std::move(*field);
    } else {
        try {
            lab.expression = qgis_expression(*text, zoom);
        } catch (std::invalid_argument const& e) {
            lab.field = first_field(*text);
            reading.note_once("labels of style layer " + l.id + ": text-field not translated (" +
                              std::string(e.what()) + "), showing field " + lab.field);
        }
    }
    if (lab.field.empty() && lab.expression.empty()) return std::nullopt;
    lab.sld_field = !lab.field.empty() ? lab.field : text ? first_field(*text) : std::string();
    lab.size = sym.text_size.evaluate(ctx);
    lab.color = with_opacity(sym.text_color.evaluate(ctx), sym.text_opacity.evaluate(ctx));
    try {
        lab.color_expression = colour_expression(sym.text_color, sym.text_color.evaluate(ctx), sym.text_opacity,
                                                 sym.text_opacity.evaluate(ctx), zoom);
    } catch (std::invalid_argument const& e) {
        reading.note_once("labels of style layer " + l.id + ": text colour by data not translated (" +
                          std::string(e.what()) + ")");
    }
    lab.halo = sym.text_halo_color.evaluate(ctx);
    lab.halo_width = sym.text_halo_width.evaluate(ctx);
    auto const fonts = sym.text_font.evaluate(ctx);
    if (!fonts.empty()) {
        std::string const& f = fonts.front();
        lab.bold = f.find("Bold") != std::string::npos;
        lab.italic = f.find("Italic") != std::string::npos;
        auto cut = f.size();
        for (char const* w : {" Bold", " Italic", " Regular"})
            if (auto p = f.find(w); p != std::string::npos) cut = std::min(cut, p);
        lab.font = f.substr(0, cut);
    }
    lab.on_line = sym.placement.evaluate(ctx) == style::SymbolPlacement::line;
    return lab;
}

} // namespace sahelmap::exports::detail

// A symbol layer's text as a rule of QGIS's rule-based labeling: which
// field or expression, where (filter, zoom range), in which font and colour.
#include "qgis_model.hpp"

#include <algorithm>
#include <stdexcept>

namespace sahelmap::exports::detail {

namespace {

using nlohmann::json;

/// The first field a ["get", F] names inside `e`.
std::string first_get_field(json const& e)
{
    if (!e.is_array() || e.empty()) return {};
    if (e[0] == "get" && e.size() == 2 && e[1].is_string()) return e[1].get<std::string>();
    for (auto const& item : e)
        if (auto f = first_get_field(item); !f.empty()) return f;
    return {};
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
    if (json const& lj = reading.layer_json(l); lj.contains("filter")) {
        try {
            lab.filter = qgis_expression(lj["filter"], zoom);
        } catch (std::invalid_argument const& e) {
            reading.note_once("labels of style layer " + l.id + ": filter not translated (" + std::string(e.what()) +
                              "), every feature is labelled");
        }
    }
    json const& layout = reading.layer_json(l).value("layout", json::object());
    json const text = layout.value("text-field", json());
    if (text.is_array() && text.size() == 2 && text[0] == "get" && text[1].is_string()) {
        lab.field = text[1].get<std::string>();
    } else if (text.is_string()) {
        lab.expression = qgis_expression(text, zoom);
    } else {
        try {
            lab.expression = qgis_expression(text, zoom);
        } catch (std::invalid_argument const& e) {
            lab.field = first_get_field(text);
            reading.note_once("labels of style layer " + l.id + ": text-field not translated (" +
                              std::string(e.what()) + "), showing field " + lab.field);
        }
    }
    if (lab.field.empty() && lab.expression.empty()) return std::nullopt;
    lab.sld_field = lab.field.empty() ? first_get_field(text) : lab.field;
    lab.size = sym.text_size.evaluate(ctx);
    lab.color = with_opacity(sym.text_color.evaluate(ctx), sym.text_opacity.evaluate(ctx));
    try {
        lab.color_expression =
            colour_expression(reading.layer_json(l).value("paint", json::object()), zoom, "text-color",
                              sym.text_color.uses_feature(), sym.text_color.evaluate(ctx), "text-opacity",
                              sym.text_opacity.uses_feature(), sym.text_opacity.evaluate(ctx));
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

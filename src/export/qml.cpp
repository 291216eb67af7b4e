// QGIS layer style documents (.qml) from the style model.
#include "qgis_model.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace sahelmap::exports::detail {

namespace {

int byte_of(float v)
{
    return static_cast<int>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f));
}

/// A QgsSymbolLayer's properties, written both as QGIS ≥ 3.16 `Option`
/// map and as the older `prop` list, so any QGIS 3 reads them.
class Props {
public:
    void set(std::string const& k, std::string const& v) { m_items.emplace_back(k, v); }
    std::string xml(std::string const& indent) const
    {
        std::string s = indent + "<Option type=\"Map\">\n";
        for (auto const& [k, v] : m_items)
            s += indent + "  <Option type=\"QString\" name=\"" + k + "\" value=\"" + xml_escape(v) + "\"/>\n";
        s += indent + "</Option>\n";
        for (auto const& [k, v] : m_items) s += indent + "<prop k=\"" + k + "\" v=\"" + xml_escape(v) + "\"/>\n";
        return s;
    }

private:
    std::vector<std::pair<std::string, std::string>> m_items;
};

/// A QgsPropertyCollection: `tag` is data_defined_properties for symbols,
/// dd_properties for label settings.
std::string data_defined(std::vector<std::pair<std::string, std::string>> const& props, std::string const& indent,
                         std::string const& tag = "data_defined_properties")
{
    std::string s = indent + "<" + tag + ">\n" + indent + "  <Option type=\"Map\">\n";
    s += indent + "    <Option type=\"QString\" name=\"name\" value=\"\"/>\n";
    if (props.empty()) {
        s += indent + "    <Option name=\"properties\"/>\n";
    } else {
        s += indent + "    <Option type=\"Map\" name=\"properties\">\n";
        for (auto const& [key, expr] : props) {
            s += indent + "      <Option type=\"Map\" name=\"" + key + "\">\n";
            s += indent + "        <Option type=\"bool\" name=\"active\" value=\"true\"/>\n";
            s += indent + "        <Option type=\"QString\" name=\"expression\" value=\"" + xml_escape(expr) + "\"/>\n";
            s += indent + "        <Option type=\"int\" name=\"type\" value=\"3\"/>\n";
            s += indent + "      </Option>\n";
        }
        s += indent + "    </Option>\n";
    }
    s += indent + "    <Option type=\"QString\" name=\"type\" value=\"collection\"/>\n";
    return s + indent + "  </Option>\n" + indent + "</" + tag + ">\n";
}

std::string dash_text(std::vector<double> const& dash)
{
    std::string s;
    for (double d : dash) s += (s.empty() ? "" : ";") + num(d);
    return s;
}

std::string symbol_layer(SymbolLayerSpec const& l, std::string const& indent)
{
    Props p;
    std::string cls;
    std::vector<std::pair<std::string, std::string>> dd;
    switch (l.kind) {
    case SymbolKind::fill:
        cls = "SimpleFill";
        p.set("color", qml_color(l.color));
        p.set("style", l.color.transparent() ? "no" : "solid");
        p.set("outline_color", qml_color(l.stroke));
        p.set("outline_style", l.stroke_width > 0 && !l.stroke.transparent() ? "solid" : "no");
        p.set("outline_width", num(l.stroke_width));
        p.set("outline_width_unit", "Pixel");
        p.set("joinstyle", "round");
        p.set("border_width_map_unit_scale", "3x:0,0,0,0,0,0");
        if (!l.fill_color_expression.empty()) dd.emplace_back("fillColor", l.fill_color_expression);
        break;
    case SymbolKind::line:
        cls = "SimpleLine";
        p.set("line_color", qml_color(l.color));
        p.set("line_width", num(l.width));
        p.set("line_width_unit", "Pixel");
        p.set("line_style", "solid");
        p.set("capstyle", l.cap);
        p.set("joinstyle", l.join);
        p.set("use_custom_dash", l.dash.empty() ? "0" : "1");
        p.set("customdash", l.dash.empty() ? "5;2" : dash_text(l.dash));
        p.set("customdash_unit", "Pixel");
        p.set("offset", "0");
        break;
    case SymbolKind::marker:
        cls = "SimpleMarker";
        p.set("name", l.shape);
        p.set("color", qml_color(l.color));
        p.set("outline_color", qml_color(l.stroke));
        p.set("outline_style", (l.stroke_width > 0 || !l.stroke_width_expression.empty()) &&
                                       (!l.stroke.transparent() || !l.stroke_color_expression.empty())
                                   ? "solid"
                                   : "no");
        p.set("outline_width", num(l.stroke_width));
        p.set("outline_width_unit", "Pixel");
        p.set("size", num(l.size));
        p.set("size_unit", "Pixel");
        p.set("angle", num(l.angle));
        p.set("scale_method", "diameter");
        p.set("joinstyle", "round");
        if (!l.shape_expression.empty()) dd.emplace_back("name", l.shape_expression);
        if (!l.size_expression.empty()) dd.emplace_back("size", l.size_expression);
        if (!l.fill_color_expression.empty()) dd.emplace_back("fillColor", l.fill_color_expression);
        if (!l.stroke_color_expression.empty()) dd.emplace_back("outlineColor", l.stroke_color_expression);
        if (!l.stroke_width_expression.empty()) dd.emplace_back("outlineWidth", l.stroke_width_expression);
        break;
    }
    if (!l.enabled_expression.empty()) dd.emplace_back("enabled", l.enabled_expression);
    std::string s = indent + "<layer class=\"" + cls + "\" enabled=\"1\" locked=\"0\" pass=\"0\">\n";
    s += p.xml(indent + "  ");
    s += data_defined(dd, indent + "  ");
    return s + indent + "</layer>\n";
}

char const* symbol_type(GeometryKind g)
{
    switch (g) {
    case GeometryKind::point:
        return "marker";
    case GeometryKind::line:
        return "line";
    default:
        return "fill";
    }
}

std::string symbol(SymbolSpec const& spec, GeometryKind g, std::string const& name, std::string const& indent)
{
    std::string s = indent + "<symbol type=\"" + symbol_type(g) + "\" name=\"" + name +
                    "\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n";
    s += data_defined({}, indent + "  ");
    for (auto const& l : spec.layers) s += symbol_layer(l, indent + "  ");
    return s + indent + "</symbol>\n";
}

/// One rule's QgsPalLayerSettings.
std::string label_settings(LabelSpec const& lab, GeometryKind g, std::string const& indent)
{
    bool const expr = lab.field.empty();
    // QgsPalLayerSettings placements: 0 around point, 3 curved along lines,
    // 4 horizontal inside a polygon (many candidates, where "over point"
    // has only the centroid, which a site or town nearby takes away).
    int const placement = lab.on_line || g == GeometryKind::line ? 3 : g == GeometryKind::polygon ? 4 : 0;
    std::string s = indent + "<settings calloutType=\"simple\">\n";
    s += indent + "  <text-style fieldName=\"" + xml_escape(expr ? lab.expression : lab.field) + "\" isExpression=\"" +
         (expr ? "1" : "0") + "\" fontFamily=\"" + xml_escape(lab.font) + "\" namedStyle=\"" +
         (lab.bold ? (lab.italic ? "Bold Italic" : "Bold") : (lab.italic ? "Italic" : "Regular")) + "\" fontWeight=\"" +
         (lab.bold ? "75" : "50") + "\" fontItalic=\"" + (lab.italic ? "1" : "0") + "\" fontSize=\"" + num(lab.size) +
         "\" fontSizeUnit=\"Pixel\" textColor=\"" + qml_color(lab.color) +
         "\" textOpacity=\"1\" multilineHeight=\"1\" allowHtml=\"0\" capitalization=\"0\">\n";
    s += indent + "    <text-buffer bufferDraw=\"" + std::string(lab.halo_width > 0 ? "1" : "0") + "\" bufferSize=\"" +
         num(lab.halo_width) + "\" bufferSizeUnits=\"Pixel\" bufferColor=\"" + qml_color(lab.halo) +
         "\" bufferOpacity=\"1\" bufferNoFill=\"1\" bufferJoinStyle=\"128\"/>\n";
    s += indent + "  </text-style>\n";
    s += indent + "  <text-format wrapChar=\"\" multilineAlign=\"3\" autoWrapLength=\"0\"/>\n";
    s += indent + "  <placement placement=\"" + std::to_string(placement) + "\" priority=\"" +
         std::to_string(lab.priority) +
         "\" dist=\"1.5\" distUnits=\"Pixel\" placementFlags=\"10\" centroidInside=\"1\" "
         "repeatDistance=\"0\"/>\n";
    // MapLibre's collisions are between labels and icons only: a polygon or
    // line is no obstacle. (QGIS's default, every feature of a labelled
    // layer an obstacle over its interior, leaves no room for a town, site
    // or region label inside the labelled countries.) Points stay
    // obstacles, as icons are.
    s += indent + "  <rendering obstacle=\"" + std::string(g == GeometryKind::point ? "1" : "0") +
         "\" obstacleType=\"0\" obstacleFactor=\"1\" scaleVisibility=\"0\" drawLabels=\"1\" displayAll=\"0\" "
         "upsidedownLabels=\"0\" limitNumLabels=\"0\" mergeLines=\"1\"/>\n";
    std::vector<std::pair<std::string, std::string>> dd;
    if (!lab.color_expression.empty()) dd.emplace_back("Color", lab.color_expression);
    s += data_defined(dd, indent + "  ", "dd_properties");
    return s + indent + "</settings>\n";
}

/// Rule-based labeling: a rule per style layer with text, with its filter
/// and its zoom range as scales (QGIS's "scalemaxdenom" is the zoomed-out
/// end, minzoom; "scalemindenom" the zoomed-in end, maxzoom).
std::string labeling(std::vector<LabelSpec> const& labels, GeometryKind g)
{
    std::string s = "  <labeling type=\"rule-based\">\n    <rules key=\"{sahelmap-labels}\">\n";
    for (std::size_t i = 0; i < labels.size(); ++i) {
        auto const& lab = labels[i];
        s +=
            "      <rule key=\"{sahelmap-label-" + std::to_string(i) + "}\" description=\"" + xml_escape(lab.id) + "\"";
        if (!lab.filter.empty()) s += " filter=\"" + xml_escape(lab.filter) + "\"";
        if (lab.min_zoom > 0)
            s += " scalemaxdenom=\"" + std::to_string(std::lround(scale_of_zoom(lab.min_zoom))) + "\"";
        if (lab.max_zoom < 24)
            s += " scalemindenom=\"" + std::to_string(std::lround(scale_of_zoom(lab.max_zoom))) + "\"";
        s += ">\n" + label_settings(lab, g, "        ") + "      </rule>\n";
    }
    return s + "    </rules>\n  </labeling>\n";
}

} // namespace

std::string num(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

std::string qml_color(Color c)
{
    return std::to_string(byte_of(c.r)) + "," + std::to_string(byte_of(c.g)) + "," + std::to_string(byte_of(c.b)) +
           "," + std::to_string(byte_of(c.a));
}

std::string hex_color(Color c)
{
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", byte_of(c.r), byte_of(c.g), byte_of(c.b));
    return buf;
}

std::string write_qml(LayerModel const& m)
{
    std::string s = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n";
    s += "<qgis version=\"3.22.0\" styleCategories=\"Symbology|Labeling\" labelsEnabled=\"" +
         std::string(m.labels.empty() ? "0" : "1") + "\">\n";
    s += "  <!-- generated by sahelmap from its MapLibre style";
    for (auto const& n : m.notes) {
        std::string text = xml_escape(n);
        for (auto p = text.find("--"); p != std::string::npos; p = text.find("--")) text.replace(p, 2, "- ");
        s += "\n       approximated: " + text;
    }
    s += " -->\n";
    if (m.field.empty()) {
        s += "  <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" forceraster=\"0\" enableorderby=\"0\" "
             "referencescale=\"-1\">\n    <symbols>\n";
        s += symbol(m.single, m.geometry, "0", "      ");
        s += "    </symbols>\n";
    } else {
        s += "  <renderer-v2 type=\"categorizedSymbol\" attr=\"" + xml_escape(m.field) +
             "\" symbollevels=\"0\" forceraster=\"0\" enableorderby=\"0\" referencescale=\"-1\">\n";
        s += "    <categories>\n";
        for (std::size_t i = 0; i < m.categories.size(); ++i) {
            auto const& c = m.categories[i];
            s += "      <category symbol=\"" + std::to_string(i) + "\" value=\"" + xml_escape(c.value) + "\" label=\"" +
                 xml_escape(c.label.empty() ? c.value : c.label) + "\" render=\"" + (c.render ? "true" : "false") +
                 "\" type=\"" + (m.numeric_field ? "double" : "string") + "\"/>\n";
        }
        s += "    </categories>\n    <symbols>\n";
        for (std::size_t i = 0; i < m.categories.size(); ++i)
            s += symbol(m.categories[i].symbol, m.geometry, std::to_string(i), "      ");
        s += "    </symbols>\n    <source-symbol>\n";
        s += symbol(m.categories.front().symbol, m.geometry, "0", "      ");
        s += "    </source-symbol>\n";
    }
    s += "    <rotation/>\n    <sizescale/>\n  </renderer-v2>\n";
    if (!m.labels.empty()) s += labeling(m.labels, m.geometry);
    s += "  <blendMode>0</blendMode>\n  <featureBlendMode>0</featureBlendMode>\n";
    int const geometry_type = m.geometry == GeometryKind::point ? 0 : m.geometry == GeometryKind::line ? 1 : 2;
    s += "  <layerGeometryType>" + std::to_string(geometry_type) + "</layerGeometryType>\n";
    return s + "</qgis>\n";
}

} // namespace sahelmap::exports::detail

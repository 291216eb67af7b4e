// SLD 1.1 / Symbology Encoding documents from the style model, the
// portable companion of the QML (GeoServer, older QGIS, ArcGIS Pro).
#include "qgis_model.hpp"

#include <cstdio>

namespace sahelmap::exports::detail {

namespace {

std::string param(std::string const& name, std::string const& value, std::string const& indent)
{
    return indent + "<se:SvgParameter name=\"" + name + "\">" + xml_escape(value) + "</se:SvgParameter>\n";
}

std::string fill(Color c, std::string const& indent)
{
    return indent + "<se:Fill>\n" + param("fill", hex_color(c), indent + "  ") +
           param("fill-opacity", num(c.a), indent + "  ") + indent + "</se:Fill>\n";
}

std::string stroke(Color c, double width, std::vector<double> const& dash, std::string const& indent,
                   std::string const& cap = {}, std::string const& join = {})
{
    std::string s = indent + "<se:Stroke>\n";
    s += param("stroke", hex_color(c), indent + "  ");
    s += param("stroke-opacity", num(c.a), indent + "  ");
    s += param("stroke-width", num(width), indent + "  ");
    if (!join.empty()) s += param("stroke-linejoin", join == "miter" ? "mitre" : join, indent + "  ");
    if (!cap.empty()) s += param("stroke-linecap", cap == "flat" ? "butt" : cap, indent + "  ");
    if (!dash.empty()) {
        std::string d;
        for (double v : dash) d += (d.empty() ? "" : " ") + num(v);
        s += param("stroke-dasharray", d, indent + "  ");
    }
    return s + indent + "</se:Stroke>\n";
}

std::string well_known_name(std::string const& qgis)
{
    if (qgis == "cross_fill") return "cross";
    if (qgis == "cross2") return "x";
    return qgis;
}

std::string symbolizers(SymbolSpec const& spec, GeometryKind g, std::string const& indent)
{
    std::string s;
    for (auto const& l : spec.layers) {
        if (!l.in_common) continue; // SLD has no per-feature switch: the category's most common look
        bool const outline = l.stroke_width > 0 && !l.stroke.transparent();
        if (g == GeometryKind::polygon && l.kind == SymbolKind::fill) {
            s += indent + "<se:PolygonSymbolizer>\n";
            if (!l.color.transparent()) s += fill(l.color, indent + "  ");
            if (outline) s += stroke(l.stroke, l.stroke_width, {}, indent + "  ");
            s += indent + "</se:PolygonSymbolizer>\n";
        } else if (g == GeometryKind::polygon && l.kind == SymbolKind::line) {
            s += indent + "<se:PolygonSymbolizer>\n";
            s += stroke(l.color, l.width, l.dash, indent + "  ", l.cap, l.join);
            s += indent + "</se:PolygonSymbolizer>\n";
        } else if (l.kind == SymbolKind::line) {
            s += indent + "<se:LineSymbolizer>\n";
            s += stroke(l.color, l.width, l.dash, indent + "  ", l.cap, l.join);
            s += indent + "</se:LineSymbolizer>\n";
        } else if (l.kind == SymbolKind::marker) {
            s += indent + "<se:PointSymbolizer>\n" + indent + "  <se:Graphic>\n" + indent + "    <se:Mark>\n";
            s += indent + "      <se:WellKnownName>" + well_known_name(l.shape) + "</se:WellKnownName>\n";
            if (!l.color.transparent()) s += fill(l.color, indent + "      ");
            if (outline) s += stroke(l.stroke, l.stroke_width, {}, indent + "      ");
            s += indent + "    </se:Mark>\n";
            s += indent + "    <se:Size>" + num(l.size) + "</se:Size>\n";
            if (l.angle != 0) s += indent + "    <se:Rotation>" + num(l.angle) + "</se:Rotation>\n";
            s += indent + "  </se:Graphic>\n" + indent + "</se:PointSymbolizer>\n";
        }
    }
    return s;
}

std::string rule(std::string const& name, std::string const& filter, std::string const& body)
{
    std::string s = "        <se:Rule>\n";
    s += "          <se:Name>" + xml_escape(name) + "</se:Name>\n";
    s += "          <se:Description>\n            <se:Title>" + xml_escape(name) +
         "</se:Title>\n          </se:Description>\n";
    s += filter + body;
    return s + "        </se:Rule>\n";
}

std::string text_symbolizer(LabelSpec const& lab)
{
    std::string const in = "          ";
    std::string s = in + "<se:TextSymbolizer>\n";
    s += in + "  <se:Label>\n" + in + "    <ogc:PropertyName>" + xml_escape(lab.sld_field) + "</ogc:PropertyName>\n" +
         in + "  </se:Label>\n";
    s += in + "  <se:Font>\n";
    s += param("font-family", lab.font, in + "    ");
    s += param("font-size", num(lab.size), in + "    ");
    if (lab.bold) s += param("font-weight", "bold", in + "    ");
    if (lab.italic) s += param("font-style", "italic", in + "    ");
    s += in + "  </se:Font>\n";
    if (lab.halo_width > 0) {
        s += in + "  <se:Halo>\n" + in + "    <se:Radius>" + num(lab.halo_width) + "</se:Radius>\n";
        s += fill(lab.halo, in + "    ");
        s += in + "  </se:Halo>\n";
    }
    s += fill(lab.color, in + "  ");
    return s + in + "</se:TextSymbolizer>\n";
}

} // namespace

std::string write_sld(LayerModel const& m)
{
    std::string s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    s += "<StyledLayerDescriptor xmlns=\"http://www.opengis.net/sld\" xmlns:ogc=\"http://www.opengis.net/ogc\" "
         "xmlns:se=\"http://www.opengis.net/se\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
         "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" version=\"1.1.0\" "
         "xsi:schemaLocation=\"http://www.opengis.net/sld "
         "http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd\">\n";
    s += "  <NamedLayer>\n    <se:Name>" + xml_escape(m.layer) + "</se:Name>\n    <UserStyle>\n";
    s += "      <se:Name>" + xml_escape(m.layer) + "</se:Name>\n      <se:FeatureTypeStyle>\n";
    if (m.field.empty()) {
        s += rule(m.layer, "", symbolizers(m.single, m.geometry, "          "));
    } else {
        for (auto const& c : m.categories) {
            if (!c.render) continue;
            std::string const filter =
                "          <ogc:Filter xmlns:ogc=\"http://www.opengis.net/ogc\">\n"
                "            <ogc:PropertyIsEqualTo>\n              <ogc:PropertyName>" +
                xml_escape(m.field) + "</ogc:PropertyName>\n              <ogc:Literal>" + xml_escape(c.value) +
                "</ogc:Literal>\n            </ogc:PropertyIsEqualTo>\n          </ogc:Filter>\n";
            s += rule(c.label.empty() ? c.value : c.label, filter, symbolizers(c.symbol, m.geometry, "          "));
        }
    }
    // SLD carries no translated filters: the first style layer's labels only.
    if (!m.labels.empty() && !m.labels.front().sld_field.empty())
        s += rule("labels", "", text_symbolizer(m.labels.front()));
    s += "      </se:FeatureTypeStyle>\n    </UserStyle>\n  </NamedLayer>\n</StyledLayerDescriptor>\n";
    return s;
}

} // namespace sahelmap::exports::detail

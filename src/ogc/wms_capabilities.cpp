// WMS GetCapabilities: the service, its layers, styles, extents and times.
#include "wms_internal.hpp"

#include "sahelmap/ogc/crs.hpp"
#include "sahelmap/ogc/feature_info.hpp"
#include "sahelmap/ogc/xml.hpp"

#include <charconv>
#include <cmath>
#include <span>

namespace sahelmap::ogc::detail {

namespace {

std::string format_double(double v)
{
    char buf[32];
    auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 12);
    return ec == std::errc() ? std::string(buf, ptr) : std::string("0");
}

struct LayerExtent {
    BBox lonlat;
};

BBox layer_bounds(service::MapService const& service, NamedLayer const& layer)
{
    BBox box;
    for (auto const& name : data_layers_of(service, layer, layer.styles.front())) {
        auto const* l =
            service.store().find(name == "influence" ? std::string_view("regions") : std::string_view(name));
        if (l && !l->extent.empty()) box.expand(l->extent);
    }
    if (box.empty()) box = {-180, -85, 180, 85};
    return box;
}

std::string legend_url(std::string const& base, Version version, NamedLayer const& layer, std::string const& style)
{
    return base + "/wms?SERVICE=WMS&VERSION=" + version.text() +
           "&REQUEST=GetLegendGraphic&FORMAT=image/png&LAYER=" + layer.name + "&STYLE=" + style;
}

void write_bbox(XmlWriter& xml, Version version, std::string const& crs, BBox const& b)
{
    auto box = bbox_in(b, crs);
    if (box.empty() || !std::isfinite(box.minx) || !std::isfinite(box.maxx)) return;
    bool const swap = bbox_is_lat_lon(crs, version.v130);
    xml.open("BoundingBox").attr(version.crs_param(), crs);
    xml.attr("minx", format_double(swap ? box.miny : box.minx)).attr("miny", format_double(swap ? box.minx : box.miny));
    xml.attr("maxx", format_double(swap ? box.maxy : box.maxx)).attr("maxy", format_double(swap ? box.maxx : box.maxy));
    xml.close();
}

void write_operation(XmlWriter& xml, std::string_view name, std::vector<std::string> const& formats,
                     std::string const& url)
{
    xml.open(name);
    for (auto const& f : formats) xml.leaf("Format", f);
    xml.open("DCPType").open("HTTP").open("Get").open("OnlineResource");
    xml.attr("xmlns:xlink", "http://www.w3.org/1999/xlink").attr("xlink:type", "simple").attr("xlink:href", url);
    xml.close().close().close().close().close();
}

} // namespace

OgcResponse capabilities(service::MapService const& service, Version version, ServiceSettings const& settings)
{
    auto const layers = named_layers(service);
    auto const url = settings.base_url + "/wms?";
    auto const dates = time_values(service);
    std::string date_list;
    for (auto const& d : dates) date_list += (date_list.empty() ? "" : ",") + d.to_string();
    auto const today = service.evidence_until().to_string(); // the default of every map (see /data.json)

    XmlWriter xml;
    if (version.v130) {
        xml.open("WMS_Capabilities")
            .attr("version", "1.3.0")
            .attr("xmlns", "http://www.opengis.net/wms")
            .attr("xmlns:xlink", "http://www.w3.org/1999/xlink")
            .attr("xmlns:sld", "http://www.opengis.net/sld")
            .attr("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")
            .attr("xsi:schemaLocation",
                  "http://www.opengis.net/wms http://schemas.opengis.net/wms/1.3.0/capabilities_1_3_0.xsd "
                  "http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/sld_capabilities.xsd");
    } else {
        xml.raw("<!DOCTYPE WMT_MS_Capabilities SYSTEM "
                "\"http://schemas.opengis.net/wms/1.1.1/WMS_MS_Capabilities.dtd\">\n");
        xml.open("WMT_MS_Capabilities").attr("version", "1.1.1");
    }
    xml.open("Service");
    xml.leaf("Name", version.v130 ? "WMS" : "OGC:WMS");
    xml.leaf("Title", "sahelmap");
    xml.leaf("Abstract", "Borders, regions, Russian and Western bases and supply corridors in Mali, Burkina Faso and "
                         "Niger as of any date, with per-region influence scores.");
    xml.open("KeywordList");
    for (char const* k : {"Sahel", "Mali", "Burkina Faso", "Niger", "influence"}) xml.leaf("Keyword", k);
    xml.close();
    xml.open("OnlineResource")
        .attr("xmlns:xlink", "http://www.w3.org/1999/xlink")
        .attr("xlink:type", "simple")
        .attr("xlink:href", settings.base_url + "/wms")
        .close();
    xml.leaf("Fees", "none").leaf("AccessConstraints", "none");
    if (version.v130) {
        xml.leaf("LayerLimit", std::to_string(kMaxLayers));
        xml.leaf("MaxWidth", std::to_string(settings.max_size));
        xml.leaf("MaxHeight", std::to_string(settings.max_size));
    }
    xml.close(); // Service

    xml.open("Capability").open("Request");
    write_operation(xml, "GetCapabilities", {version.v130 ? "text/xml" : "application/vnd.ogc.wms_xml"}, url);
    write_operation(xml, "GetMap", {"image/png", "image/jpeg"}, url);
    write_operation(xml, "GetFeatureInfo", info_formats(), url);
    write_operation(xml, version.v130 ? "sld:GetLegendGraphic" : "GetLegendGraphic", {"image/png"}, url);
    xml.close(); // Request
    static constexpr char const* kExceptions130[] = {"XML", "INIMAGE", "BLANK"};
    static constexpr char const* kExceptions111[] = {"application/vnd.ogc.se_xml", "application/vnd.ogc.se_inimage",
                                                     "application/vnd.ogc.se_blank"};
    xml.open("Exception");
    std::span<char const* const> const formats = version.v130 ? std::span(kExceptions130) : std::span(kExceptions111);
    for (char const* f : formats) xml.leaf("Format", f);
    xml.close();

    BBox all;
    for (auto const& l : layers) all.expand(layer_bounds(service, l));
    auto const write_geo = [&](BBox const& b) {
        if (version.v130) {
            xml.open("EX_GeographicBoundingBox");
            xml.leaf("westBoundLongitude", format_double(b.minx)).leaf("eastBoundLongitude", format_double(b.maxx));
            xml.leaf("southBoundLatitude", format_double(b.miny)).leaf("northBoundLatitude", format_double(b.maxy));
            xml.close();
        } else {
            xml.open("LatLonBoundingBox")
                .attr("minx", format_double(b.minx))
                .attr("miny", format_double(b.miny))
                .attr("maxx", format_double(b.maxx))
                .attr("maxy", format_double(b.maxy))
                .close();
        }
        for (auto const& crs : supported_crs()) write_bbox(xml, version, crs, b);
    };

    xml.open("Layer");
    xml.leaf("Title", "sahelmap");
    xml.leaf("Abstract", "Every data layer, and every style as one layer.");
    for (auto const& crs : supported_crs()) xml.leaf(version.crs_param(), crs);
    write_geo(all);
    for (auto const& layer : layers) {
        // Opaque: a whole style that paints a background (not overlay).
        bool opaque = false;
        if (!layer.is_data)
            for (auto const& l : service.renderer(layer.styles.front()).style().layers())
                opaque = opaque || l.type == style::LayerType::background;
        xml.open("Layer").attr("queryable", "1").attr("opaque", opaque ? "1" : "0");
        xml.leaf("Name", layer.name);
        xml.leaf("Title", layer.title);
        xml.leaf("Abstract", layer.is_data ? "The data layer " + layer.name + ", drawn with a style's rules for it."
                                           : "The whole map in the style " + layer.name + ".");
        write_geo(layer_bounds(service, layer));
        if (version.v130) {
            xml.open("Dimension")
                .attr("name", "time")
                .attr("units", "ISO8601")
                .attr("default", today)
                .attr("nearestValue", "0");
            xml.raw(xml_escape(date_list));
            xml.close();
        } else {
            xml.open("Dimension").attr("name", "time").attr("units", "ISO8601").close();
            xml.open("Extent").attr("name", "time").attr("default", today).attr("nearestValue", "0");
            xml.raw(xml_escape(date_list));
            xml.close();
        }
        for (auto const& style : layer.styles) {
            xml.open("Style");
            xml.leaf("Name", style);
            xml.leaf("Title", "Style " + style);
            xml.open("LegendURL").attr("width", "200").attr("height", "200");
            xml.leaf("Format", "image/png");
            xml.open("OnlineResource")
                .attr("xmlns:xlink", "http://www.w3.org/1999/xlink")
                .attr("xlink:type", "simple")
                .attr("xlink:href", legend_url(settings.base_url, version, layer, style))
                .close();
            xml.close().close();
        }
        xml.close(); // Layer
    }
    xml.close(); // root Layer
    return {200, version.v130 ? "text/xml" : "application/vnd.ogc.wms_xml", xml.finish()};
}

} // namespace sahelmap::ogc::detail

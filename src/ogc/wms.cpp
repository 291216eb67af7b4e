// WMS 1.3.0 and 1.1.1: request parsing, capabilities and exception reports.
#include "sahelmap/core/error.hpp"
#include "sahelmap/encode/jpeg.hpp"
#include "sahelmap/encode/png.hpp"
#include "sahelmap/ogc/crs.hpp"
#include "sahelmap/ogc/feature_info.hpp"
#include "sahelmap/ogc/kvp.hpp"
#include "sahelmap/ogc/map.hpp"
#include "sahelmap/ogc/service.hpp"
#include "sahelmap/ogc/xml.hpp"
#include "sahelmap/print/legend.hpp"

#include <charconv>
#include <cmath>
#include <span>

namespace sahelmap::ogc {

namespace {

constexpr int kMaxLayers = 16;

struct Version {
    bool v130 = true;
    std::string text() const { return v130 ? "1.3.0" : "1.1.1"; }
    char const* crs_param() const { return v130 ? "CRS" : "SRS"; }
};

/// The one place WMS exceptions become answers. Statuses: 400 for what the
/// client sent, 501 for an operation we do not offer, 500 for our failures
/// (WMS 1.x allows 200 too; a status lets HTTP tools see the failure).
OgcResponse exception_report(Version version, std::string code, std::string const& message, std::string locator)
{
    int status = 400;
    if (code == "OperationNotSupported")
        status = 501;
    else if (code == "NoApplicableCode")
        status = 500;
    if (!version.v130) {
        if (code == "InvalidCRS") code = "InvalidSRS";
        if (locator == "CRS") locator = "SRS";
    }
    XmlWriter xml;
    if (version.v130) {
        xml.open("ServiceExceptionReport")
            .attr("version", "1.3.0")
            .attr("xmlns", "http://www.opengis.net/ogc")
            .attr("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")
            .attr("xsi:schemaLocation",
                  "http://www.opengis.net/ogc http://schemas.opengis.net/wms/1.3.0/exceptions_1_3_0.xsd");
        xml.open("ServiceException").attr("code", code);
        if (!locator.empty()) xml.attr("locator", locator);
    } else {
        xml.raw("<!DOCTYPE ServiceExceptionReport SYSTEM "
                "\"http://schemas.opengis.net/wms/1.1.1/exception_1_1_1.dtd\">\n");
        xml.open("ServiceExceptionReport").attr("version", "1.1.1");
        xml.open("ServiceException").attr("code", code);
    }
    xml.raw(xml_escape(message));
    xml.close();
    return {status, version.v130 ? "text/xml" : "application/vnd.ogc.se_xml", xml.finish()};
}

/// The WMS code and the sentence of a failure.
std::pair<std::string, std::string> describe(std::exception_ptr error)
{
    try {
        std::rethrow_exception(error);
    } catch (ServiceException const& e) {
        return {e.code(), e.what()};
    } catch (BadRequest const& e) {
        return {"InvalidParameterValue", e.what()};
    } catch (std::exception const& e) {
        return {"NoApplicableCode", std::string("internal error: ") + e.what()};
    } catch (...) {
        return {"NoApplicableCode", "internal error"};
    }
}

OgcResponse report(Version version, std::exception_ptr error)
{
    try {
        std::rethrow_exception(error);
    } catch (ServiceException const& e) {
        return exception_report(version, e.code(), e.what(), e.locator());
    } catch (...) {
        auto const [code, message] = describe(std::current_exception());
        return exception_report(version, code, message, {});
    }
}

Version parse_version(Kvp const& kvp, bool capabilities)
{
    auto v = kvp.get("VERSION");
    if (!v || v->empty()) v = kvp.get("WMTVER");
    if (!v || v->empty()) return {};
    if (*v == "1.3.0" || *v == "1.3") return {true};
    if (*v == "1.1.1" || *v == "1.1.0" || *v == "1.1") return {false};
    if (capabilities) return {*v >= "1.3.0"}; // negotiate: the highest version not above the asked one
    throw ServiceException("InvalidParameterValue",
                           "VERSION '" + v->substr(0, 16) + "' is not supported (use 1.3.0 or 1.1.1)", "VERSION");
}

std::string format_double(double v)
{
    char buf[32];
    auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 12);
    return ec == std::errc() ? std::string(buf, ptr) : std::string("0");
}

int parse_size(Kvp const& kvp, char const* name, int max_size)
{
    auto const& text = kvp.required(name);
    int v = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || ptr != text.data() + text.size() || v <= 0)
        throw ServiceException("InvalidParameterValue",
                               std::string(name) + " '" + text.substr(0, 16) + "' is not a positive integer", name);
    if (v > max_size)
        throw ServiceException("InvalidParameterValue",
                               std::string(name) + " " + std::to_string(v) + " is larger than the limit of " +
                                   std::to_string(max_size) + " pixels",
                               name);
    return v;
}

bool parse_bool(Kvp const& kvp, char const* name)
{
    auto v = kvp.get(name);
    if (!v || v->empty()) return false;
    auto const u = upper(*v);
    if (u == "TRUE") return true;
    if (u == "FALSE") return false;
    throw ServiceException("InvalidParameterValue",
                           std::string(name) + " '" + v->substr(0, 16) + "' is not TRUE or FALSE", name);
}

std::vector<std::string> split_commas(std::string const& text)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        auto const comma = text.find(',', start);
        out.push_back(text.substr(start, comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

/// The map part shared by GetMap and GetFeatureInfo.
struct MapParams {
    MapRequest map;
    std::vector<NamedLayer> all_layers;
};

/// BGCOLOR as 0xRRGGBB (or #RRGGBB); nullopt when absent.
std::optional<std::uint32_t> parse_bgcolor(Kvp const& kvp)
{
    auto const bg = kvp.get("BGCOLOR");
    if (!bg || bg->empty()) return std::nullopt;
    auto const u = upper(*bg);
    unsigned value = 0;
    auto const digits = u.substr(0, 2) == "0X" ? u.substr(2) : (u[0] == '#' ? u.substr(1) : u);
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, 16);
    if (digits.size() != 6 || ec != std::errc() || ptr != digits.data() + digits.size())
        throw ServiceException("InvalidParameterValue",
                               "BGCOLOR '" + bg->substr(0, 16) + "' is not a colour in the form 0xRRGGBB", "BGCOLOR");
    return value;
}

MapParams parse_map(service::MapService const& service, Kvp const& kvp, Version version, int max_size)
{
    MapParams p;
    p.all_layers = named_layers(service);
    auto const layer_names = split_commas(kvp.required("LAYERS"));
    if (layer_names.size() > kMaxLayers)
        throw ServiceException("InvalidParameterValue",
                               "LAYERS names more than " + std::to_string(kMaxLayers) + " layers", "LAYERS");
    auto const styles_text = kvp.get("STYLES").value_or("");
    auto const style_names = styles_text.empty() ? std::vector<std::string>() : split_commas(styles_text);
    if (!style_names.empty() && style_names.size() != layer_names.size())
        throw ServiceException("InvalidParameterValue",
                               "STYLES has " + std::to_string(style_names.size()) + " entries for " +
                                   std::to_string(layer_names.size()) + " layers",
                               "STYLES");
    for (std::size_t i = 0; i < layer_names.size(); ++i) {
        auto layer = find_layer(p.all_layers, layer_names[i]);
        if (!layer) {
            std::string known;
            for (auto const& l : p.all_layers) known += (known.empty() ? "" : ", ") + l.name;
            throw ServiceException(
                "LayerNotDefined",
                "layer '" + layer_names[i].substr(0, 64) + "' is not defined (layers: " + known + ")", "LAYERS");
        }
        std::string style = style_names.empty() ? std::string() : style_names[i];
        if (style.empty() || style == "default") style = layer->styles.front();
        if (std::find(layer->styles.begin(), layer->styles.end(), style) == layer->styles.end()) {
            std::string known;
            for (auto const& s : layer->styles) known += (known.empty() ? "" : ", ") + s;
            throw ServiceException("StyleNotDefined",
                                   "style '" + style.substr(0, 64) + "' is not defined for layer '" + layer->name +
                                       "' (styles: " + known + ")",
                                   "STYLES");
        }
        p.map.layers.push_back({std::move(*layer), std::move(style)});
    }

    auto const& crs_text = kvp.required(version.crs_param());
    p.map.crs = normalize_crs(crs_text);
    if (p.map.crs.empty()) {
        std::string known;
        for (auto const& c : supported_crs()) known += (known.empty() ? "" : ", ") + c;
        throw ServiceException("InvalidCRS",
                               std::string(version.crs_param()) + " '" + crs_text.substr(0, 40) +
                                   "' is not offered (offered: " + known + ")",
                               "CRS");
    }
    p.map.extent = parse_bbox(kvp.required("BBOX"), bbox_is_lat_lon(p.map.crs, version.v130));
    p.map.width = parse_size(kvp, "WIDTH", max_size);
    p.map.height = parse_size(kvp, "HEIGHT", max_size);
    p.map.transparent = parse_bool(kvp, "TRANSPARENT");
    if (auto const bg = parse_bgcolor(kvp)) {
        p.map.bgcolor = *bg;
        p.map.bgcolor_given = true;
    }
    auto const time = kvp.get("TIME");
    auto const until = service.evidence_until();
    p.map.time = time && !time->empty() ? parse_time_value(*time, until) : until;
    return p;
}

/// The image formats GetMap offers.
enum class MapFormat { png, jpeg };

MapFormat map_format(Kvp const& kvp)
{
    auto const& format = kvp.required("FORMAT");
    auto const lower = [&] {
        std::string s = format;
        for (auto& c : s)
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        return s;
    }();
    // "image/png; mode=8bit" and the like: the PNG encoder picks the depth.
    if (lower == "png" || lower.substr(0, 9) == "image/png") return MapFormat::png;
    if (lower == "jpeg" || lower == "jpg" || lower.substr(0, 10) == "image/jpeg") return MapFormat::jpeg;
    throw ServiceException("InvalidFormat",
                           "FORMAT '" + format.substr(0, 40) + "' is not offered (use image/png or image/jpeg)",
                           "FORMAT");
}

OgcResponse get_map(std::shared_ptr<service::MapService const> const& service, MapRequest const& map, MapFormat format)
{
    auto const image = render_map(service, map);
    // JPEG has no alpha: a transparent map lies on BGCOLOR (white by default).
    if (format == MapFormat::jpeg) return {200, "image/jpeg", encode::encode_jpeg(image, {85, map.bgcolor})};
    return {200, "image/png", encode::encode_png(image)};
}

/// How GetMap reports a failure (EXCEPTIONS): an XML document, or an image
/// the client can show where the map would be, with the message written
/// on it or blank. 1.1.1 spells them as media types; either is accepted.
enum class ExceptionMode { xml, in_image, blank };

ExceptionMode exception_mode(Kvp const& kvp)
{
    auto const v = kvp.get("EXCEPTIONS");
    if (!v || v->empty()) return ExceptionMode::xml;
    auto const u = upper(*v);
    if (u == "XML" || u == "APPLICATION/VND.OGC.SE_XML") return ExceptionMode::xml;
    if (u == "INIMAGE" || u == "APPLICATION/VND.OGC.SE_INIMAGE") return ExceptionMode::in_image;
    if (u == "BLANK" || u == "APPLICATION/VND.OGC.SE_BLANK") return ExceptionMode::blank;
    throw ServiceException("InvalidParameterValue",
                           "EXCEPTIONS '" + v->substr(0, 40) + "' is not one of XML, INIMAGE, BLANK", "EXCEPTIONS");
}

/// The size and background of an image exception. When these parameters
/// are wrong themselves, only an XML report can say so: they throw.
MapRequest exception_frame(Kvp const& kvp, int max_size)
{
    MapRequest frame;
    frame.width = parse_size(kvp, "WIDTH", max_size);
    frame.height = parse_size(kvp, "HEIGHT", max_size);
    frame.transparent = parse_bool(kvp, "TRANSPARENT");
    frame.bgcolor = parse_bgcolor(kvp).value_or(0xFFFFFF);
    return frame;
}

/// A failure answered as an image (200: the client shows it in place of the map).
OgcResponse image_report(MapRequest const& frame, MapFormat format, ExceptionMode mode, std::exception_ptr error)
{
    std::string message;
    if (mode == ExceptionMode::in_image) {
        auto const [code, sentence] = describe(error);
        message = code + ": " + sentence;
    }
    auto const image = exception_image(frame, message);
    if (format == MapFormat::jpeg) return {200, "image/jpeg", encode::encode_jpeg(image, {85, frame.bgcolor})};
    return {200, "image/png", encode::encode_png(image)};
}

int parse_pixel(Kvp const& kvp, char const* name, int limit)
{
    auto const& text = kvp.required(name);
    double v = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(v))
        throw ServiceException("InvalidPoint", std::string(name) + " '" + text.substr(0, 16) + "' is not a number",
                               name);
    if (v < 0 || v >= limit)
        throw ServiceException("InvalidPoint",
                               std::string(name) + " " + text.substr(0, 16) + " is outside the map (0 to " +
                                   std::to_string(limit - 1) + ")",
                               name);
    return static_cast<int>(v);
}

// ---------------------------------------------------------------- capabilities

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

OgcResponse capabilities(service::MapService const& service, Version version, ServiceSettings const& settings)
{
    auto const layers = named_layers(service);
    auto const url = settings.base_url + "/wms?";
    auto const dates = time_values(service);
    std::string date_list;
    for (auto const& d : dates) date_list += (date_list.empty() ? "" : ",") + d.to_string();
    auto const default_time = service.evidence_until().to_string();

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
                .attr("default", default_time)
                .attr("nearestValue", "0");
            xml.raw(xml_escape(date_list));
            xml.close();
        } else {
            xml.open("Dimension").attr("name", "time").attr("units", "ISO8601").close();
            xml.open("Extent").attr("name", "time").attr("default", default_time).attr("nearestValue", "0");
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

OgcResponse feature_info(service::MapService const& service, MapParams const& params, Kvp const& kvp, Version version)
{
    auto const& map = params.map;
    auto const query_names = split_commas(kvp.required("QUERY_LAYERS"));
    std::vector<std::string> data_layers;
    for (auto const& name : query_names) {
        auto const add = [&](std::string const& d) {
            if (std::find(data_layers.begin(), data_layers.end(), d) == data_layers.end()) data_layers.push_back(d);
        };
        auto it =
            std::find_if(map.layers.begin(), map.layers.end(), [&](auto const& l) { return l.layer.name == name; });
        if (it != map.layers.end()) {
            for (auto const& d : data_layers_of(service, it->layer, it->style)) add(d);
            continue;
        }
        // A data layer that one of LAYERS draws (sites within the default map).
        bool drawn = false;
        for (auto const& l : map.layers) {
            auto const inside = data_layers_of(service, l.layer, l.style);
            drawn = drawn || std::find(inside.begin(), inside.end(), name) != inside.end();
        }
        if (!drawn)
            throw ServiceException("LayerNotDefined",
                                   "QUERY_LAYERS names '" + name.substr(0, 64) + "', which LAYERS does not draw",
                                   "QUERY_LAYERS");
        add(name);
    }
    auto format = kvp.get("INFO_FORMAT").value_or("text/plain");
    if (format.empty()) format = "text/plain";
    auto const& formats = info_formats();
    if (std::find(formats.begin(), formats.end(), format) == formats.end())
        throw ServiceException("InvalidFormat",
                               "INFO_FORMAT '" + format.substr(0, 40) +
                                   "' is not offered (text/plain, application/json, text/html)",
                               "INFO_FORMAT");
    int const i = parse_pixel(kvp, version.v130 ? "I" : "X", map.width);
    int const j = parse_pixel(kvp, version.v130 ? "J" : "Y", map.height);
    int count = 1;
    if (auto c = kvp.get("FEATURE_COUNT"); c && !c->empty()) {
        auto [ptr, ec] = std::from_chars(c->data(), c->data() + c->size(), count);
        if (ec != std::errc() || ptr != c->data() + c->size() || count < 1)
            throw ServiceException("InvalidParameterValue",
                                   "FEATURE_COUNT '" + c->substr(0, 16) + "' is not a positive integer",
                                   "FEATURE_COUNT");
        count = std::min(count, 100);
    }
    double const rx = map.extent.width() / map.width;
    double const ry = map.extent.height() / map.height;
    double const x = map.extent.minx + (i + 0.5) * rx;
    double const y = map.extent.maxy - (j + 0.5) * ry;
    auto const data = service.data_in(map.crs);
    auto found = features_at(*data, data_layers, x, y, 5 * std::max(rx, ry), map.time, count);
    auto const content_type = format == "text/html"    ? "text/html; charset=utf-8"
                              : format == "text/plain" ? "text/plain; charset=utf-8"
                                                       : "application/json";
    return {200, content_type, format_features(found, format)};
}

OgcResponse legend(service::MapService const& service, Kvp const& kvp)
{
    auto const layers = named_layers(service);
    auto const& name = kvp.required("LAYER");
    auto layer = find_layer(layers, name);
    if (!layer) throw ServiceException("LayerNotDefined", "layer '" + name.substr(0, 64) + "' is not defined", "LAYER");
    auto style = kvp.get("STYLE").value_or("");
    if (style.empty() || style == "default") style = layer->styles.front();
    if (std::find(layer->styles.begin(), layer->styles.end(), style) == layer->styles.end())
        throw ServiceException("StyleNotDefined",
                               "style '" + style.substr(0, 64) + "' is not defined for layer '" + layer->name + "'",
                               "STYLE");
    auto format = kvp.get("FORMAT").value_or("image/png");
    if (!format.empty() && format.substr(0, 9) != "image/png")
        throw ServiceException("InvalidFormat", "FORMAT '" + format.substr(0, 40) + "' is not offered (use image/png)",
                               "FORMAT");
    double scale = 1;
    if (auto s = kvp.get("SCALE_FACTOR"); s && !s->empty()) { // not standard; QGIS-like DPI scaling
        auto [ptr, ec] = std::from_chars(s->data(), s->data() + s->size(), scale);
        if (ec != std::errc() || ptr != s->data() + s->size() || !(scale >= 0.5 && scale <= 4))
            throw ServiceException("InvalidParameterValue",
                                   "SCALE_FACTOR '" + s->substr(0, 16) + "' is not a number from 0.5 to 4",
                                   "SCALE_FACTOR");
    }
    auto const& style_obj = service.renderer(style).style();
    std::optional<std::string> data_layer;
    if (layer->is_data) data_layer = layer->name;
    try {
        return {200, "image/png", encode::encode_png(print::legend_image(style_obj, data_layer, scale))};
    } catch (NotFound const& e) {
        throw ServiceException("LayerNotDefined", e.what(), "LAYER");
    }
}

} // namespace

OgcPlan wms_request(std::shared_ptr<service::MapService const> service, std::string_view query,
                    ServiceSettings const& settings)
{
    Version version;
    try {
        Kvp const kvp(query);
        auto const& request = kvp.required("REQUEST");
        auto const req = upper(request);
        bool const is_capabilities = req == "GETCAPABILITIES" || req == "CAPABILITIES";
        version = parse_version(kvp, is_capabilities);
        if (auto s = kvp.get("SERVICE"); s && !s->empty() && upper(*s) != "WMS")
            throw ServiceException("InvalidParameterValue", "SERVICE '" + s->substr(0, 16) + "' is not WMS", "SERVICE");
        if (is_capabilities) {
            if (!kvp.has("SERVICE"))
                throw ServiceException("MissingParameterValue", "the parameter SERVICE is missing", "SERVICE");
            return {capabilities(*service, version, settings), {}, {}};
        }
        if (req == "GETMAP" || req == "MAP") {
            auto const mode = exception_mode(kvp);
            auto const format = map_format(kvp);
            std::optional<MapRequest> frame;
            if (mode != ExceptionMode::xml) frame = exception_frame(kvp, settings.max_size);
            auto const fail = [version, mode, format, frame](std::exception_ptr error) {
                return frame ? image_report(*frame, format, mode, error) : report(version, error);
            };
            MapParams params;
            try {
                params = parse_map(*service, kvp, version, settings.max_size);
            } catch (...) {
                return {fail(std::current_exception()), {}, {}};
            }
            return {{},
                    [service, format, fail, map = std::move(params.map)]() {
                        try {
                            return get_map(service, map, format);
                        } catch (...) {
                            return fail(std::current_exception());
                        }
                    },
                    {}};
        }
        if (req == "GETFEATUREINFO" || req == "FEATUREINFO") {
            auto params = parse_map(*service, kvp, version, settings.max_size);
            // Parameter errors answer at once; only the lookup is deferred.
            kvp.required("QUERY_LAYERS");
            parse_pixel(kvp, version.v130 ? "I" : "X", params.map.width);
            parse_pixel(kvp, version.v130 ? "J" : "Y", params.map.height);
            auto job = [service, version, params = std::move(params), q = std::string(query)]() {
                try {
                    return feature_info(*service, params, Kvp(q), version);
                } catch (...) {
                    return report(version, std::current_exception());
                }
            };
            return {{}, std::move(job), {}};
        }
        if (req == "GETLEGENDGRAPHIC") {
            return {{},
                    [service, version, q = std::string(query)]() {
                        try {
                            return legend(*service, Kvp(q));
                        } catch (...) {
                            return report(version, std::current_exception());
                        }
                    },
                    {}};
        }
        throw ServiceException("OperationNotSupported",
                               "REQUEST '" + request.substr(0, 32) +
                                   "' is not offered (GetCapabilities, GetMap, GetFeatureInfo, GetLegendGraphic)",
                               "REQUEST");
    } catch (...) {
        return {report(version, std::current_exception()), {}, {}};
    }
}

} // namespace sahelmap::ogc

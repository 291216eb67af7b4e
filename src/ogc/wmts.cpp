// WMTS 1.0.0: capabilities with the WebMercatorQuad tile matrix set, GetTile
// in KVP and RESTful encodings (answered as XYZ tiles), ExceptionReports.
#include "failure.hpp"
#include "remembered.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/geo/tile_math.hpp"
#include "sahelmap/ogc/kvp.hpp"
#include "sahelmap/ogc/map.hpp"
#include "sahelmap/ogc/service.hpp"
#include "sahelmap/ogc/xml.hpp"

#include <charconv>
#include <cmath>

namespace sahelmap::ogc {

namespace {

constexpr char kMatrixSet[] = "WebMercatorQuad";
/// Scale denominator of zoom 0 (0.28 mm pixels), from the OGC
/// GoogleMapsCompatible well-known scale set.
constexpr double kScale0 = 559082264.0287178;
/// Latitude of the top and bottom edges of WebMercatorQuad's matrix 0.
constexpr double kMercatorMaxLat = 85.0511287798066;

/// The Time dimension's default: the date of a tile asked without one (or
/// with the template's placeholder) and the capabilities' <Default>, so the
/// two cannot disagree.
Date default_time(service::MapService const& service)
{
    return service.evidence_until();
}

/// Whether a Time value asks for the default: absent, "default", or the
/// ResourceURL placeholder itself ("{Time}", as QGIS 3.22 sends it when the
/// user picks no date in its "Add WMTS" dialog).
bool asks_default_time(std::string const& time)
{
    auto const u = upper(time);
    return u.empty() || u == "DEFAULT" || u == "{TIME}";
}

/// The one place WMTS exceptions become answers, with the status of their
/// code (http_status; `restful`: a resource path, where a missing one is 404).
OgcResponse exception_report(detail::Failure const& failure, bool restful)
{
    int const status = detail::http_status(failure, restful);
    auto const& code = failure.code;
    auto const& locator = failure.locator;
    XmlWriter xml;
    xml.open("ows:ExceptionReport")
        .attr("xmlns:ows", "http://www.opengis.net/ows/1.1")
        .attr("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")
        .attr("xsi:schemaLocation",
              "http://www.opengis.net/ows/1.1 http://schemas.opengis.net/ows/1.1.0/owsExceptionReport.xsd")
        .attr("version", "1.0.0")
        .attr("xml:lang", "en");
    xml.open("ows:Exception").attr("exceptionCode", code);
    if (!locator.empty()) xml.attr("locator", locator);
    xml.leaf("ows:ExceptionText", failure.message);
    return {status, "text/xml", xml.finish()};
}

OgcResponse report(std::exception_ptr error, bool restful)
{
    return exception_report(detail::failure_of(error), restful);
}

std::string format_double(double v)
{
    char buf[32];
    auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 15);
    return ec == std::errc() ? std::string(buf, ptr) : std::string("0");
}

void write_get(XmlWriter& xml, std::string_view operation, std::string const& kvp_url, std::string const& rest_url)
{
    xml.open("ows:Operation").attr("name", operation).open("ows:DCP").open("ows:HTTP");
    auto const one = [&](std::string const& url, char const* encoding) {
        xml.open("ows:Get").attr("xlink:href", url);
        xml.open("ows:Constraint").attr("name", "GetEncoding").open("ows:AllowedValues").leaf("ows:Value", encoding);
        xml.close().close().close();
    };
    if (!rest_url.empty()) one(rest_url, "RESTful");
    one(kvp_url, "KVP");
    xml.close().close().close();
}

OgcResponse capabilities(service::MapService const& service, ServiceSettings const& settings)
{
    auto const base = settings.base_url + "/wmts";
    auto const dates = time_values(service);
    auto const default_text = default_time(service).to_string();
    // Every tile of the matrix set is drawn (background, neighbours), and
    // clients clip a layer at its box (QGIS leaves white bands outside it):
    // the box is the matrix set's, not the data's.
    BBox const bounds{-180, -kMercatorMaxLat, 180, kMercatorMaxLat};

    XmlWriter xml;
    xml.open("Capabilities")
        .attr("xmlns", "http://www.opengis.net/wmts/1.0")
        .attr("xmlns:ows", "http://www.opengis.net/ows/1.1")
        .attr("xmlns:xlink", "http://www.w3.org/1999/xlink")
        .attr("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")
        .attr("xmlns:gml", "http://www.opengis.net/gml")
        .attr("xsi:schemaLocation",
              "http://www.opengis.net/wmts/1.0 http://schemas.opengis.net/wmts/1.0/wmtsGetCapabilities_response.xsd")
        .attr("version", "1.0.0");
    xml.open("ows:ServiceIdentification");
    xml.leaf("ows:Title", "sahelmap");
    xml.leaf("ows:Abstract", "Map tiles of Mali, Burkina Faso and Niger as of any date, one layer per style.");
    xml.leaf("ows:ServiceType", "OGC WMTS").leaf("ows:ServiceTypeVersion", "1.0.0");
    xml.leaf("ows:Fees", "none").leaf("ows:AccessConstraints", "none");
    xml.close();
    xml.open("ows:OperationsMetadata");
    write_get(xml, "GetCapabilities", base + "?", base + "/1.0.0/WMTSCapabilities.xml");
    write_get(xml, "GetTile", base + "?", base + "/1.0.0/");
    xml.close();

    xml.open("Contents");
    for (auto const& id : service.style_ids()) {
        auto const& style = service.renderer(id).style();
        xml.open("Layer");
        xml.leaf("ows:Title", style.name().empty() ? id : style.name());
        xml.open("ows:WGS84BoundingBox");
        xml.leaf("ows:LowerCorner", format_double(bounds.minx) + " " + format_double(bounds.miny));
        xml.leaf("ows:UpperCorner", format_double(bounds.maxx) + " " + format_double(bounds.maxy));
        xml.close();
        xml.leaf("ows:Identifier", id);
        xml.open("Style").attr("isDefault", "true");
        xml.leaf("ows:Identifier", "default");
        xml.open("LegendURL")
            .attr("format", "image/png")
            .attr("xlink:href", settings.base_url +
                                    "/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetLegendGraphic&"
                                    "FORMAT=image/png&LAYER=" +
                                    id + "&STYLE=" + id)
            .close();
        xml.close();
        xml.leaf("Format", "image/png");
        xml.open("Dimension");
        xml.leaf("ows:Identifier", "Time");
        xml.leaf("ows:UOM", "ISO8601");
        xml.leaf("Default", default_text);
        xml.leaf("Current", "true");
        for (auto const& d : dates) xml.leaf("Value", d.to_string());
        if (dates.empty()) xml.leaf("Value", default_text);
        xml.close();
        xml.open("TileMatrixSetLink").leaf("TileMatrixSet", kMatrixSet).close();
        xml.open("ResourceURL")
            .attr("format", "image/png")
            .attr("resourceType", "tile")
            .attr("template",
                  base + "/1.0.0/" + id + "/{Style}/{Time}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}.png")
            .close();
        xml.close();
    }
    xml.open("TileMatrixSet");
    xml.leaf("ows:Title", "Google Maps Compatible for the World");
    xml.leaf("ows:Identifier", kMatrixSet);
    xml.open("ows:BoundingBox").attr("crs", "urn:ogc:def:crs:EPSG::3857");
    xml.leaf("ows:LowerCorner",
             format_double(-geo::kMercatorHalfExtent) + " " + format_double(-geo::kMercatorHalfExtent));
    xml.leaf("ows:UpperCorner",
             format_double(geo::kMercatorHalfExtent) + " " + format_double(geo::kMercatorHalfExtent));
    xml.close();
    xml.leaf("ows:SupportedCRS", "urn:ogc:def:crs:EPSG::3857");
    xml.leaf("WellKnownScaleSet", "urn:ogc:def:wkss:OGC:1.0:GoogleMapsCompatible");
    for (int z = 0; z <= kMaxZoom; ++z) {
        auto const n = std::to_string(std::int64_t{1} << z);
        xml.open("TileMatrix");
        xml.leaf("ows:Identifier", std::to_string(z));
        xml.leaf("ScaleDenominator", format_double(kScale0 / std::ldexp(1.0, z)));
        xml.leaf("TopLeftCorner",
                 format_double(-geo::kMercatorHalfExtent) + " " + format_double(geo::kMercatorHalfExtent));
        xml.leaf("TileWidth", "256").leaf("TileHeight", "256");
        xml.leaf("MatrixWidth", n).leaf("MatrixHeight", n);
        xml.close();
    }
    xml.close(); // TileMatrixSet
    xml.close(); // Contents
    xml.open("ServiceMetadataURL").attr("xlink:href", base + "/1.0.0/WMTSCapabilities.xml").close();
    return {200, "text/xml", xml.finish()};
}

OgcResponse remembered_capabilities(service::MapService const& service, ServiceSettings const& settings)
{
    return detail::remembered(service, "WMTS 1.0.0", settings, [&] { return capabilities(service, settings); });
}

std::int64_t parse_index(std::string_view text, char const* name)
{
    std::int64_t v = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size())
        throw ServiceException("InvalidParameterValue",
                               std::string(name) + " '" + std::string(text.substr(0, 16)) + "' is not an integer",
                               name);
    return v;
}

/// Validates a tile address and turns it into the XYZ tile it names.
OgcPlan::Tile resolve_tile(service::MapService const& service, std::string const& layer, std::string const& style,
                           std::string const& matrix_set, std::string_view matrix, std::string_view row,
                           std::string_view col, std::string const& time)
{
    auto const ids = service.style_ids();
    if (std::find(ids.begin(), ids.end(), layer) == ids.end()) {
        std::string known;
        for (auto const& i : ids) known += (known.empty() ? "" : ", ") + i;
        throw ServiceException("InvalidParameterValue",
                               "layer '" + layer.substr(0, 64) + "' is not defined (layers: " + known + ")", "LAYER");
    }
    if (!style.empty() && style != "default" && style != layer)
        throw ServiceException(
            "InvalidParameterValue",
            "style '" + style.substr(0, 64) + "' is not defined for layer '" + layer + "' (styles: default)", "STYLE");
    if (matrix_set != kMatrixSet && matrix_set != "GoogleMapsCompatible")
        throw ServiceException("InvalidParameterValue",
                               "tile matrix set '" + matrix_set.substr(0, 64) + "' is not defined (WebMercatorQuad)",
                               "TILEMATRIXSET");
    // "WebMercatorQuad:5" and "EPSG:3857:5" name matrix 5 too.
    if (auto const colon = matrix.rfind(':'); colon != std::string_view::npos) matrix = matrix.substr(colon + 1);
    auto const z = parse_index(matrix, "TILEMATRIX");
    if (z < 0 || z > kMaxZoom)
        throw ServiceException("InvalidParameterValue",
                               "tile matrix '" + std::string(matrix.substr(0, 16)) + "' is not defined (0 to " +
                                   std::to_string(kMaxZoom) + ")",
                               "TILEMATRIX");
    auto const y = parse_index(row, "TILEROW");
    auto const x = parse_index(col, "TILECOL");
    auto const n = std::int64_t{1} << z;
    if (y < 0 || y >= n)
        throw ServiceException("TileOutOfRange",
                               "TILEROW " + std::to_string(y) + " is outside matrix " + std::to_string(z) + " (0 to " +
                                   std::to_string(n - 1) + ")",
                               "TILEROW");
    if (x < 0 || x >= n)
        throw ServiceException("TileOutOfRange",
                               "TILECOL " + std::to_string(x) + " is outside matrix " + std::to_string(z) + " (0 to " +
                                   std::to_string(n - 1) + ")",
                               "TILECOL");
    Date const t = asks_default_time(time) ? default_time(service) : parse_time_value(time, default_time(service));
    return {layer, *TileId::make(z, x, y), t};
}

std::vector<std::string_view> split_path(std::string_view path)
{
    std::vector<std::string_view> out;
    while (!path.empty()) {
        auto const slash = path.find('/');
        out.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return out;
}

} // namespace

OgcPlan wmts_request(std::shared_ptr<service::MapService const> const& service, std::string_view path,
                     std::string_view query, ServiceSettings const& settings)
{
    bool restful = path != "/wmts" && path != "/wmts/";
    try {
        if (restful) {
            if (path == "/wmts/1.0.0/WMTSCapabilities.xml")
                return {remembered_capabilities(*service, settings), {}, {}};
            auto const prefix = std::string_view("/wmts/1.0.0/");
            if (path.substr(0, prefix.size()) != prefix)
                throw ServiceException("InvalidParameterValue",
                                       "no WMTS resource at '" + std::string(path.substr(0, 128)) +
                                           "' (capabilities: /wmts/1.0.0/WMTSCapabilities.xml)",
                                       {});
            auto parts = split_path(path.substr(prefix.size()));
            // {layer}/{style}[/{time}]/{matrixset}/{matrix}/{row}/{col}.png
            if ((parts.size() != 6 && parts.size() != 7) || parts.back().size() < 5 ||
                parts.back().substr(parts.back().size() - 4) != ".png")
                throw ServiceException(
                    "InvalidParameterValue",
                    "WMTS tiles are at /wmts/1.0.0/{layer}/{style}/{time}/WebMercatorQuad/{z}/{row}/{col}.png", {});
            auto col = parts.back();
            col.remove_suffix(4);
            std::string time = parts.size() == 7 ? std::string(parts[2]) : std::string();
            std::size_t const s = parts.size() == 7 ? 3 : 2;
            Kvp const kvp(query);
            if (time.empty()) time = kvp.get("TIME").value_or("");
            // The path arrives decoded (the router decodes it once) and so does the KVP.
            auto tile = resolve_tile(*service, std::string(parts[0]), std::string(parts[1]), std::string(parts[s]),
                                     parts[s + 1], parts[s + 2], col, time);
            return {{}, {}, std::move(tile)};
        }

        Kvp const kvp(query);
        auto const& service_name = kvp.required("SERVICE");
        if (upper(service_name) != "WMTS")
            throw ServiceException("InvalidParameterValue", "SERVICE '" + service_name.substr(0, 16) + "' is not WMTS",
                                   "SERVICE");
        auto const& request = kvp.required("REQUEST");
        if (upper(request) == "GETCAPABILITIES") {
            if (auto v = kvp.get("ACCEPTVERSIONS"); v && !v->empty() && v->find("1.0.0") == std::string::npos)
                throw ServiceException("VersionNegotiationFailed",
                                       "ACCEPTVERSIONS '" + v->substr(0, 32) + "' does not include 1.0.0",
                                       "AcceptVersions");
            return {remembered_capabilities(*service, settings), {}, {}};
        }
        if (upper(request) == "GETTILE") {
            if (auto v = kvp.get("VERSION"); v && !v->empty() && *v != "1.0.0")
                throw ServiceException("InvalidParameterValue", "VERSION '" + v->substr(0, 16) + "' is not 1.0.0",
                                       "VERSION");
            auto const& format = kvp.required("FORMAT");
            if (format != "image/png")
                throw ServiceException("InvalidParameterValue",
                                       "FORMAT '" + format.substr(0, 40) + "' is not offered (image/png)", "FORMAT");
            auto const& layer = kvp.required("LAYER");
            auto const style = kvp.get("STYLE").value_or("");
            auto tile = resolve_tile(*service, layer, style, kvp.required("TILEMATRIXSET"), kvp.required("TILEMATRIX"),
                                     kvp.required("TILEROW"), kvp.required("TILECOL"), kvp.get("TIME").value_or(""));
            return {{}, {}, std::move(tile)};
        }
        throw ServiceException("OperationNotSupported",
                               "REQUEST '" + request.substr(0, 32) + "' is not offered (GetCapabilities, GetTile)",
                               "REQUEST");
    } catch (...) {
        return {report(std::current_exception(), restful), {}, {}};
    }
}

} // namespace sahelmap::ogc

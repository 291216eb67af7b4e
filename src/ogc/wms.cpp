// WMS 1.3.0 and 1.1.1: request parsing and dispatch, GetMap and its image exceptions.
#include "failure.hpp"
#include "remembered.hpp"
#include "wms_internal.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/encode/jpeg.hpp"
#include "sahelmap/encode/png.hpp"
#include "sahelmap/ogc/crs.hpp"
#include "sahelmap/ogc/kvp.hpp"
#include "sahelmap/ogc/map.hpp"
#include "sahelmap/ogc/service.hpp"

#include <charconv>
#include <cmath>

namespace sahelmap::ogc {

using namespace detail;

namespace {

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
        auto const failure = failure_of(error);
        message = failure.code + ": " + failure.message;
    }
    auto const image = exception_image(frame, message);
    if (format == MapFormat::jpeg) return {200, "image/jpeg", encode::encode_jpeg(image, {85, frame.bgcolor})};
    return {200, "image/png", encode::encode_png(image)};
}

} // namespace

namespace detail {

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

} // namespace detail

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
            auto const make = [&] { return capabilities(*service, version, settings); };
            return {detail::remembered(*service, "WMS " + version.text(), settings, make), {}, {}};
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
            auto const pixels =
                static_cast<std::size_t>(params.map.width) * static_cast<std::size_t>(params.map.height);
            return {{},
                    [service, format, fail, map = std::move(params.map)]() {
                        try {
                            return get_map(service, map, format);
                        } catch (...) {
                            return fail(std::current_exception());
                        }
                    },
                    {},
                    pixels};
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

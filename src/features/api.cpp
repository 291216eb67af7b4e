// OGC API - Features documents. Requirement classes served: core, geojson,
// html, oas30 (the definition is in openapi.cpp). Features keep their data
// fids as ids, so item URLs stay valid across restarts and reloads of the
// same data.
#include "sahelmap/features/api.hpp"

#include "html.hpp"
#include "sahelmap/core/error.hpp"
#include "sahelmap/features/tiles.hpp"
#include "sahelmap/vector/mvt.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <ctime>

namespace sahelmap::features {

namespace {

using json = nlohmann::ordered_json;

constexpr char const* kCrs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
constexpr char const* kGeoJson = "application/geo+json";
constexpr char const* kJson = "application/json";
constexpr char const* kHtml = "text/html";
constexpr char const* kInfluence = "influence";

std::string dump(json const& doc)
{
    return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

json link(std::string href, char const* rel, char const* type, std::string title = {})
{
    json l = {{"href", std::move(href)}, {"rel", rel}, {"type", type}};
    if (!title.empty()) l["title"] = std::move(title);
    return l;
}

/// self and alternate links of a resource at `url` (with `query`, starting
/// with '&' or empty, appended after the format).
void self_links(json& links, std::string const& url, Format f, char const* json_type, std::string const& query = {})
{
    auto with = [&](char const* fmt) {
        std::string q = "?f=" + std::string(fmt) + query;
        return url + q;
    };
    bool const html = f == Format::html;
    links.push_back(link(with(html ? "html" : "json"), "self", html ? kHtml : json_type, "this document"));
    links.push_back(link(with(html ? "json" : "html"), "alternate", html ? json_type : kHtml,
                         html ? "this document as JSON" : "this document as HTML"));
}

std::string rfc3339(Date d)
{
    return d.to_string() + "T00:00:00Z";
}

std::string now_utc()
{
    std::time_t const t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

struct LayerText {
    char const* id;
    char const* title;
    char const* description;
};
constexpr LayerText kTexts[] = {
    {"countries", "Countries", "Countries of West and North Africa with their bloc (AES, ECOWAS, other)."},
    {"borders", "Borders", "International borders, by kind (AES outer border, AES internal, other)."},
    {"regions", "Regions",
     "First-level administrative regions in force at each date (valid_from/valid_to): Mali's 8 regions + Bamako "
     "(Natural Earth; the 19 regions in force since 2023 are not drawn, no open boundaries exist), Niger's 7 + "
     "Niamey, Burkina Faso's 13 regions until 2025-07-01 and 17 from 2025-07-02."},
    {"provinces", "Provinces", "Burkina Faso's 45 provinces with their region in the 2001-2025 and 2025 layouts."},
    {"sites", "Sites",
     "Russian (Wagner, Africa Corps) and former Western military sites, each with its dates, actor, source and "
     "confidence."},
    {"corridors", "Corridors", "Supply corridors by road, air and sea, with their dates, source and confidence."},
    {"places", "Places", "Towns and cities, with rank and population."},
    {"events", "Events", "Dated events of the timeline (no geometry)."},
    {"influence", "Influence",
     "Regions in force with the influence model's scores per bloc (score_*, low_*, high_*, p_*), the dominant outcome "
     "and its certainty, computed for the requested datetime (an instant, else the interval's end, else its start; "
     "default the evidence cut-off, the latest dated item of the record: see /data.json)."},
};

/// A collection's features: geometry and attributes may come from two
/// layers (the influence layer's scores are computed per date).
struct Source {
    FeatureLayer const* geometry = nullptr;
    std::shared_ptr<FeatureLayer const> attributes;
};

Source find_source(service::MapService const& service, std::string const& id, std::optional<Date> date)
{
    if (auto const* layer = service.store().find(id)) return {layer, {std::shared_ptr<FeatureLayer const>(), layer}};
    if (id == kInfluence)
        if (auto const* layer = service.data().layer(kInfluence))
            return {&layer->source(), layer->attributes(date.value_or(service.evidence_until()))};
    throw NotFound("no collection '" + id.substr(0, 64) + "' (see /ogc/collections)");
}

/// Which fields hold only whole numbers: they are written as JSON integers,
/// so clients type them as integers, as the source does.
std::vector<bool> integral_fields(FeatureLayer const& layer)
{
    std::vector<bool> out(layer.schema.fields.size(), true);
    for (auto const& f : layer.features)
        for (std::size_t i = 0; i < out.size() && i < f.values.size(); ++i)
            if (auto const* n = f.values[i].as_number(); n && (std::trunc(*n) != *n || std::abs(*n) > 9e15))
                out[i] = false;
    return out;
}

json value_json(Value const& v, bool integral)
{
    if (v.is_null()) return nullptr;
    if (auto const* b = v.as_bool()) return *b;
    if (auto const* n = v.as_number()) {
        if (integral) return static_cast<std::int64_t>(*n);
        return *n;
    }
    if (auto const* s = v.as_string()) return *s;
    return v.to_string();
}

json position(LonLat p)
{
    return json::array({p.lon, p.lat});
}

json line_json(std::vector<LonLat> const& line)
{
    json a = json::array();
    for (auto const& p : line) a.push_back(position(p));
    return a;
}

json polygon_json(Polygon<LonLat> const& poly)
{
    json rings = json::array();
    for (auto const& ring : poly) {
        json r = line_json(ring);
        if (!ring.empty() && !(ring.front() == ring.back())) r.push_back(position(ring.front())); // GeoJSON rings close
        rings.push_back(std::move(r));
    }
    return rings;
}

std::size_t part_count(Geometry<LonLat> const& g)
{
    return std::visit(
        [](auto const& geom) -> std::size_t {
            using T = std::decay_t<decltype(geom)>;
            if constexpr (std::is_same_v<T, MultiPoint<LonLat>>)
                return geom.points.size();
            else if constexpr (std::is_same_v<T, MultiLineString<LonLat>>)
                return geom.lines.size();
            else
                return geom.polygons.size();
        },
        g);
}

/// The GeoJSON geometry; single parts as single types when the whole layer
/// has single parts (so a layer keeps one geometry type for clients).
json geometry_json(Geometry<LonLat> const& g, bool single)
{
    if (part_count(g) == 0) return nullptr;
    return std::visit(
        [&](auto const& geom) -> json {
            using T = std::decay_t<decltype(geom)>;
            if constexpr (std::is_same_v<T, MultiPoint<LonLat>>) {
                if (single) return {{"type", "Point"}, {"coordinates", position(geom.points.front())}};
                return {{"type", "MultiPoint"}, {"coordinates", line_json(geom.points)}};
            } else if constexpr (std::is_same_v<T, MultiLineString<LonLat>>) {
                if (single) return {{"type", "LineString"}, {"coordinates", line_json(geom.lines.front())}};
                json lines = json::array();
                for (auto const& l : geom.lines) lines.push_back(line_json(l));
                return {{"type", "MultiLineString"}, {"coordinates", std::move(lines)}};
            } else {
                if (single) return {{"type", "Polygon"}, {"coordinates", polygon_json(geom.polygons.front())}};
                json polys = json::array();
                for (auto const& p : geom.polygons) polys.push_back(polygon_json(p));
                return {{"type", "MultiPolygon"}, {"coordinates", std::move(polys)}};
            }
        },
        g);
}

bool single_parts(FeatureLayer const& layer)
{
    for (auto const& f : layer.features)
        if (part_count(f.geometry) > 1) return false;
    return true;
}

json feature_json(Source const& src, std::size_t i, std::vector<bool> const& integral, bool single)
{
    auto const& geom = src.geometry->features[i];
    auto const& attrs = src.attributes->features[i];
    json props = json::object();
    for (std::size_t f = 0; f < src.attributes->schema.fields.size() && f < attrs.values.size(); ++f)
        props[src.attributes->schema.fields[f]] = value_json(attrs.values[f], integral[f]);
    json out = {{"type", "Feature"}, {"id", geom.fid}, {"geometry", geometry_json(geom.geometry, single)}};
    out["properties"] = std::move(props);
    return out;
}

/// The validity range covered by a layer's features, null ends where open.
json temporal_interval(FeatureLayer const& layer)
{
    if (!layer.has_validity || layer.features.empty()) return json::array({json::array({nullptr, nullptr})});
    std::optional<Date> first, last;
    bool open_start = false, open_end = false;
    for (auto const& f : layer.features) {
        if (!f.validity.from)
            open_start = true;
        else if (!first || *f.validity.from < *first)
            first = f.validity.from;
        if (!f.validity.to)
            open_end = true;
        else if (!last || *last < *f.validity.to)
            last = f.validity.to;
    }
    json start = open_start || !first ? json(nullptr) : json(rfc3339(*first));
    json end = open_end || !last ? json(nullptr) : json(rfc3339(*last));
    return json::array({json::array({start, end})});
}

} // namespace

std::vector<std::string> FeatureApi::collection_ids() const
{
    std::vector<std::string> ids;
    for (auto const& l : m_service.store().layers) ids.push_back(l.name);
    if (m_service.data().layer(kInfluence) && !m_service.store().find(kInfluence)) ids.emplace_back(kInfluence);
    return ids;
}

bool FeatureApi::has_collection(std::string const& id) const
{
    auto const ids = collection_ids();
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

Document FeatureApi::landing(Format f) const
{
    json doc;
    doc["title"] = "sahelmap OGC API - Features";
    doc["description"] = "Borders, regions, military sites and supply corridors of the Sahel, with their dates, as "
                         "OGC API - Features (Part 1: core, GeoJSON, HTML, OpenAPI 3.0).";
    json links = json::array();
    self_links(links, m_base, f, kJson);
    links.push_back(link(m_base + "/api", "service-desc", kOpenApiType, "the API definition (OpenAPI 3.0)"));
    links.push_back(link(m_base + "/api?f=html", "service-doc", kHtml, "the API definition as HTML"));
    links.push_back(link(m_base + "/conformance", "conformance", kJson, "conformance classes"));
    links.push_back(link(m_base + "/conformance", "http://www.opengis.net/def/rel/ogc/1.0/conformance", kJson,
                         "conformance classes"));
    links.push_back(link(m_base + "/collections", "data", kJson, "collections"));
    links.push_back(link(m_base + "/collections", "http://www.opengis.net/def/rel/ogc/1.0/data", kJson, "collections"));
    // OGC API - Tiles (tiles.cpp)
    links.push_back(link(m_base + "/tiles", "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector", kJson,
                         "vector tilesets (MVT)"));
    links.push_back(link(m_base + "/map/tiles", "http://www.opengis.net/def/rel/ogc/1.0/tilesets-map", kJson,
                         "map tilesets (PNG)"));
    links.push_back(link(m_base + "/tileMatrixSets", "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes", kJson,
                         "tile matrix sets"));
    doc["links"] = std::move(links);
    if (f == Format::html) return {detail::html_page(doc["title"].get<std::string>(), doc), kHtml};
    return {dump(doc), kJson};
}

Document FeatureApi::conformance(Format f) const
{
    json doc;
    doc["conformsTo"] = {"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
                         "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
                         "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
                         "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30"};
    for (auto const& uri : tiles_conformance()) doc["conformsTo"].push_back(uri);
    json links = json::array();
    self_links(links, m_base + "/conformance", f, kJson);
    doc["links"] = std::move(links);
    if (f == Format::html) return {detail::html_page("Conformance", doc), kHtml};
    return {dump(doc), kJson};
}

namespace {

json collection_json(service::MapService const& service, std::string const& id, std::string const& base)
{
    auto const src = find_source(service, id, std::nullopt);
    auto const& layer = *src.geometry;
    json c;
    c["id"] = id;
    c["title"] = id;
    c["description"] = "Data layer " + id + ".";
    for (auto const& t : kTexts)
        if (id == t.id) {
            c["title"] = t.title;
            c["description"] = t.description;
        }
    BBox const b = layer.extent;
    json extent;
    if (!b.empty())
        extent["spatial"] = {{"bbox", json::array({json::array({b.minx, b.miny, b.maxx, b.maxy})})}, {"crs", kCrs84}};
    extent["temporal"] = {{"interval", temporal_interval(layer)},
                          {"trs", "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"}};
    c["extent"] = std::move(extent);
    c["itemType"] = "feature";
    c["crs"] = {kCrs84};
    std::string const url = base + "/collections/" + id;
    c["links"] = json::array({link(url + "/items?f=json", "items", kGeoJson, id + " as GeoJSON"),
                              link(url + "/items?f=html", "items", kHtml, id + " as HTML")});
    for (auto const& info : vector::describe_layers(service.data()))
        if (info.id == id)
            c["links"].push_back(link(url + "/tiles", "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector", kJson,
                                      id + " as vector tiles"));
    return c;
}

} // namespace

Document FeatureApi::collections(Format f) const
{
    json doc;
    json links = json::array();
    self_links(links, m_base + "/collections", f, kJson);
    doc["links"] = std::move(links);
    json list = json::array();
    for (auto const& id : collection_ids()) list.push_back(collection_json(m_service, id, m_base));
    doc["collections"] = std::move(list);
    if (f == Format::html) return {detail::html_page("Collections", doc), kHtml};
    return {dump(doc), kJson};
}

Document FeatureApi::collection(std::string const& id, Format f) const
{
    json doc = collection_json(m_service, id, m_base);
    self_links(doc["links"], m_base + "/collections/" + id, f, kJson);
    if (f == Format::html) return {detail::html_page(doc["title"].get<std::string>(), doc), kHtml};
    return {dump(doc), kJson};
}

Document FeatureApi::items(std::string const& id, ItemsQuery const& query, Format f) const
{
    auto const date = query.datetime ? query.datetime->representative() : std::nullopt;
    auto const src = find_source(m_service, id, date);
    auto const& layer = *src.geometry;

    std::vector<std::size_t> matched;
    for (std::size_t i = 0; i < layer.features.size(); ++i) {
        auto const& feature = layer.features[i];
        if (query.datetime && layer.has_validity && !query.datetime->matches(feature.validity)) continue;
        if (query.bbox && !intersects(feature.geometry, feature.bbox, *query.bbox)) continue;
        matched.push_back(i);
    }
    auto const integral = integral_fields(*src.attributes);
    bool const single = single_parts(layer);
    std::size_t const first = std::min(query.offset, matched.size());
    std::size_t const last = first + std::min(query.limit, matched.size() - first);

    json doc;
    doc["type"] = "FeatureCollection";
    json features = json::array();
    for (std::size_t k = first; k < last; ++k) features.push_back(feature_json(src, matched[k], integral, single));

    // Links repeat the filters, so paging walks the same result set.
    std::string filters;
    if (query.bbox) filters += "&bbox=" + encode_query_value(query.bbox->text);
    if (query.datetime) filters += "&datetime=" + encode_query_value(query.datetime->text);
    auto page = [&](std::size_t offset) {
        return filters + "&limit=" + std::to_string(query.limit) + "&offset=" + std::to_string(offset);
    };
    std::string const url = m_base + "/collections/" + id + "/items";
    char const* const fmt = f == Format::html ? "html" : "json";
    char const* const type = f == Format::html ? kHtml : kGeoJson;
    json links = json::array();
    self_links(links, url, f, kGeoJson, page(query.offset));
    if (last < matched.size()) links.push_back(link(url + "?f=" + fmt + page(last), "next", type, "next page"));
    if (first > 0)
        links.push_back(link(url + "?f=" + fmt + page(first > query.limit ? first - query.limit : 0), "prev", type,
                             "previous page"));
    links.push_back(link(m_base + "/collections/" + id + "?f=json", "collection", kJson, "the collection"));
    doc["links"] = std::move(links);
    doc["timeStamp"] = now_utc();
    doc["numberMatched"] = matched.size();
    doc["numberReturned"] = last - first;
    doc["features"] = std::move(features);
    if (f == Format::html) return {detail::html_page(id, doc), kHtml};
    return {dump(doc), kGeoJson};
}

Document FeatureApi::item(std::string const& id, std::string_view fid_text, Format f) const
{
    auto const src = find_source(m_service, id, std::nullopt);
    auto const& layer = *src.geometry;
    std::size_t index = layer.features.size();
    for (std::size_t i = 0; i < layer.features.size(); ++i)
        if (std::to_string(layer.features[i].fid) == fid_text) {
            index = i;
            break;
        }
    if (index == layer.features.size())
        throw NotFound("collection '" + id + "' has no feature '" + std::string(fid_text.substr(0, 64)) + "'");
    json doc = feature_json(src, index, integral_fields(*src.attributes), single_parts(layer));
    std::string const url = m_base + "/collections/" + id + "/items/" + std::string(fid_text);
    json links = json::array();
    self_links(links, url, f, kGeoJson);
    links.push_back(link(m_base + "/collections/" + id + "?f=json", "collection", kJson, "the collection"));
    doc["links"] = std::move(links);
    if (f == Format::html) return {detail::html_page(id + " " + std::string(fid_text), doc), kHtml};
    return {dump(doc), kGeoJson};
}

} // namespace sahelmap::features

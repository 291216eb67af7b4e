#pragma once
/// OGC API - Features Part 1 (core, GeoJSON, HTML, OpenAPI 3.0) over the loaded data:
/// the documents the server sends, independent of HTTP. Collections are the
/// data layers (countries, borders, regions, sites, corridors, places,
/// events) and the computed `influence` layer (region polygons with the
/// scores of the requested date).
#include "sahelmap/features/query.hpp"
#include "sahelmap/service/map_service.hpp"

#include <string>

namespace sahelmap::features {

/// The media type of the API definition (OpenAPI 3.0 as JSON).
inline constexpr char const* kOpenApiType = "application/vnd.oai.openapi+json;version=3.0";

/// One document and its media type.
struct Document {
    std::string body;
    std::string content_type;
};

/// Builds the API's documents; `base` is the absolute URL of the landing
/// page without a trailing slash (http://host:port/ogc). A non-owning view
/// of the service: valid while the service lives.
class FeatureApi {
public:
    FeatureApi(service::MapService const& service, std::string base) : m_service(service), m_base(std::move(base)) {}

    Document landing(Format f) const;
    Document conformance(Format f) const;
    /// The OpenAPI 3.0 definition of the API (linked as service-desc).
    Document api_definition(Format f) const;
    Document collections(Format f) const;
    /// Throws NotFound for an unknown collection.
    Document collection(std::string const& id, Format f) const;
    Document items(std::string const& id, ItemsQuery const& query, Format f) const;
    /// `fid` as written in the URL; throws NotFound when no feature has it.
    Document item(std::string const& id, std::string_view fid, Format f) const;

    /// Collection ids in the order they are listed.
    std::vector<std::string> collection_ids() const;
    bool has_collection(std::string const& id) const;

private:
    service::MapService const& m_service;
    std::string m_base;
};

/// Whether a lon/lat geometry meets a box (edges and interiors, not just
/// bounding boxes); `box` may cross the antimeridian (west > east).
bool intersects(Geometry<LonLat> const& g, BBox const& feature_bbox, LonLatBox const& box);

} // namespace sahelmap::features

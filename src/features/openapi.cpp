// The API definition of /ogc (OpenAPI 3.0): the landing page links it as
// service-desc, as OGC API - Features Part 1 core requires, and the
// conformance class oas30 says it is there. It describes the paths and
// parameters the server really takes; collection ids are listed as an enum.
#include "sahelmap/features/api.hpp"

#include "html.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace sahelmap::features {

namespace {

using json = nlohmann::ordered_json;

json component_ref(std::string const& where)
{
    return {{"$ref", "#/components/" + where}};
}

/// A GET operation answering `what` as JSON (`schema`) or HTML, with the
/// given parameters; 400/404/500 answer the API's exception document.
json get_operation(char const* id, char const* summary, char const* json_type, json schema, json parameters,
                   char const* what)
{
    parameters.push_back(component_ref("parameters/f"));
    json ok = {
        {"description", what},
        {"content", {{json_type, {{"schema", std::move(schema)}}}, {"text/html", {{"schema", {{"type", "string"}}}}}}}};
    return {{"get",
             {{"summary", summary},
              {"operationId", id},
              {"parameters", std::move(parameters)},
              {"responses",
               {{"200", std::move(ok)},
                {"400", component_ref("responses/exception")},
                {"404", component_ref("responses/exception")},
                {"500", component_ref("responses/exception")}}}}}};
}

json components(std::vector<std::string> const& collection_ids)
{
    json params;
    params["f"] = {{"name", "f"},
                   {"in", "query"},
                   {"description", "The format; without it the Accept header decides (browsers get HTML)."},
                   {"required", false},
                   {"schema", {{"type", "string"}, {"enum", {"json", "html"}}}}};
    params["collectionId"] = {{"name", "collectionId"},
                              {"in", "path"},
                              {"required", true},
                              {"schema", {{"type", "string"}, {"enum", collection_ids}}}};
    params["featureId"] = {{"name", "featureId"},
                           {"in", "path"},
                           {"description", "The feature's id in the data (kept across restarts)."},
                           {"required", true},
                           {"schema", {{"type", "string"}}}};
    params["bbox"] = {
        {"name", "bbox"},
        {"in", "query"},
        {"description", "west,south,east,north in CRS84 (lon/lat); west > east crosses the antimeridian."},
        {"required", false},
        {"style", "form"},
        {"explode", false},
        {"schema", {{"type", "array"}, {"minItems", 4}, {"maxItems", 4}, {"items", {{"type", "number"}}}}}};
    params["datetime"] = {{"name", "datetime"},
                          {"in", "query"},
                          {"description",
                           "A day or an interval (start/end, either open as '..'): the features present then. The "
                           "influence collection's scores are those of the day (an interval's end)."},
                          {"required", false},
                          {"schema", {{"type", "string"}}}};
    params["limit"] = {
        {"name", "limit"},
        {"in", "query"},
        {"description", "Features per page; larger values are lowered to the maximum."},
        {"required", false},
        {"schema", {{"type", "integer"}, {"minimum", 1}, {"maximum", kMaxLimit}, {"default", kDefaultLimit}}}};
    params["offset"] = {{"name", "offset"},
                        {"in", "query"},
                        {"description", "Features to skip (the next links carry it)."},
                        {"required", false},
                        {"schema", {{"type", "integer"}, {"minimum", 0}, {"default", 0}}}};

    json schemas;
    schemas["exception"] = {{"type", "object"},
                            {"required", {"code"}},
                            {"properties", {{"code", {{"type", "string"}}}, {"description", {{"type", "string"}}}}}};
    schemas["link"] = {{"type", "object"},
                       {"required", {"href"}},
                       {"properties",
                        {{"href", {{"type", "string"}}},
                         {"rel", {{"type", "string"}}},
                         {"type", {{"type", "string"}}},
                         {"title", {{"type", "string"}}}}}};
    json const links = {{"type", "array"}, {"items", component_ref("schemas/link")}};
    schemas["landingPage"] = {
        {"type", "object"},
        {"required", {"links"}},
        {"properties", {{"title", {{"type", "string"}}}, {"description", {{"type", "string"}}}, {"links", links}}}};
    schemas["confClasses"] = {{"type", "object"},
                              {"required", {"conformsTo"}},
                              {"properties", {{"conformsTo", {{"type", "array"}, {"items", {{"type", "string"}}}}}}}};
    schemas["collection"] = {{"type", "object"},
                             {"required", {"id", "links"}},
                             {"properties",
                              {{"id", {{"type", "string"}}},
                               {"title", {{"type", "string"}}},
                               {"description", {{"type", "string"}}},
                               {"links", links},
                               {"extent", {{"type", "object"}}},
                               {"itemType", {{"type", "string"}}},
                               {"crs", {{"type", "array"}, {"items", {{"type", "string"}}}}}}}};
    schemas["collections"] = {
        {"type", "object"},
        {"required", {"links", "collections"}},
        {"properties",
         {{"links", links}, {"collections", {{"type", "array"}, {"items", component_ref("schemas/collection")}}}}}};
    schemas["featureGeoJSON"] = {{"type", "object"},
                                 {"required", {"type", "geometry", "properties"}},
                                 {"properties",
                                  {{"type", {{"type", "string"}, {"enum", {"Feature"}}}},
                                   {"id", {{"oneOf", {{{"type", "string"}}, {{"type", "integer"}}}}}},
                                   {"geometry", {{"type", "object"}, {"nullable", true}}},
                                   {"properties", {{"type", "object"}, {"nullable", true}}},
                                   {"links", links}}}};
    schemas["featureCollectionGeoJSON"] = {
        {"type", "object"},
        {"required", {"type", "features"}},
        {"properties",
         {{"type", {{"type", "string"}, {"enum", {"FeatureCollection"}}}},
          {"features", {{"type", "array"}, {"items", component_ref("schemas/featureGeoJSON")}}},
          {"links", links},
          {"timeStamp", {{"type", "string"}, {"format", "date-time"}}},
          {"numberMatched", {{"type", "integer"}, {"minimum", 0}}},
          {"numberReturned", {{"type", "integer"}, {"minimum", 0}}}}}};

    json responses;
    responses["exception"] = {{"description", "What was wrong, in one sentence."},
                              {"content", {{"application/json", {{"schema", component_ref("schemas/exception")}}}}}};
    return {{"parameters", std::move(params)}, {"schemas", std::move(schemas)}, {"responses", std::move(responses)}};
}

} // namespace

Document FeatureApi::api_definition(Format f) const
{
    json doc;
    doc["openapi"] = "3.0.3";
    doc["info"] = {{"title", "sahelmap OGC API - Features"},
                   {"version", "1.0.0"},
                   {"description",
                    "Borders, regions, military sites and supply corridors of the Sahel, each with its dates, "
                    "source and confidence; the influence collection holds each region's scores at a date."}};
    doc["servers"] = json::array({{{"url", m_base}}});
    auto const param = [](char const* name) { return component_ref(std::string("parameters/") + name); };
    json paths;
    paths["/"] =
        get_operation("getLandingPage", "Landing page", "application/json", component_ref("schemas/landingPage"),
                      json::array(), "Links to the API definition, the conformance classes and the data.");
    paths["/api"] = get_operation("getApiDefinition", "This API definition", kOpenApiType, {{"type", "object"}},
                                  json::array(), "The OpenAPI document.");
    paths["/conformance"] =
        get_operation("getConformanceClasses", "Conformance classes", "application/json",
                      component_ref("schemas/confClasses"), json::array(), "The classes implemented.");
    paths["/collections"] =
        get_operation("getCollections", "The collections", "application/json", component_ref("schemas/collections"),
                      json::array(), "Every collection with its spatial and temporal extent.");
    paths["/collections/{collectionId}"] =
        get_operation("describeCollection", "One collection", "application/json", component_ref("schemas/collection"),
                      json::array({param("collectionId")}), "The collection with its extents and links.");
    paths["/collections/{collectionId}/items"] = get_operation(
        "getFeatures", "Features of a collection", "application/geo+json",
        component_ref("schemas/featureCollectionGeoJSON"),
        json::array({param("collectionId"), param("bbox"), param("datetime"), param("limit"), param("offset")}),
        "A page of features, with next and prev links.");
    paths["/collections/{collectionId}/items/{featureId}"] =
        get_operation("getFeature", "One feature", "application/geo+json", component_ref("schemas/featureGeoJSON"),
                      json::array({param("collectionId"), param("featureId")}), "The feature.");
    doc["paths"] = std::move(paths);
    doc["components"] = components(collection_ids());
    if (f == Format::html) return {detail::html_page("API definition", doc), "text/html"};
    return {doc.dump(-1, ' ', false, json::error_handler_t::replace), kOpenApiType};
}

} // namespace sahelmap::features

// OGC API - Features under /ogc: thin over sahelmap::features. Errors are
// the API's JSON exceptions ({"code": ..., "description": ...}), not the
// REST paths' {"error": ...}. Items documents (up to 10 000 features with
// their geometry) are built on the render pool; the small documents inline.
#include "handlers.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/features/api.hpp"
#include "sahelmap/server/errors.hpp"

#include <nlohmann/json.hpp>

namespace sahelmap::server::detail {

namespace {

Response ogc_exception(std::exception_ptr const& error)
{
    auto const status = status_of(error);
    std::string description;
    try {
        std::rethrow_exception(error);
    } catch (std::exception const& e) {
        description = e.what();
    } catch (...) {
        description = "unknown error";
    }
    char const* code = status == http::status::bad_request ? "InvalidParameterValue"
                       : status == http::status::not_found ? "NotFound"
                                                           : "ServerError";
    if (status == http::status::internal_server_error && description.rfind("internal error", 0) != 0)
        description = "internal error: " + description;
    nlohmann::json body = {{"code", code}, {"description", description}};
    auto res = make_response(status, "application/json",
                             body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    res.set(http::field::cache_control, "no-store");
    return res;
}

features::Format format_of(Request const& request, std::vector<std::pair<std::string, std::string>> const& params)
{
    for (auto const& [key, value] : params) {
        if (key != "f") continue;
        if (value == "json" || value == "geojson") return features::Format::json;
        if (value == "html") return features::Format::html;
        throw BadRequest("f '" + value.substr(0, 32) + "' is not one of json, html");
    }
    // Browsers ask for text/html first; GDAL, OWSLib and curl do not.
    auto const accept = to_std(request[http::field::accept]);
    auto const html = accept.find("text/html");
    auto const json = std::min(accept.find("json"), accept.size());
    return html != std::string_view::npos && html < json ? features::Format::html : features::Format::json;
}

Response send(Request const& request, RouteContext const& context, features::Document doc)
{
    std::string type = doc.content_type == "text/html" ? "text/html; charset=utf-8" : doc.content_type;
    auto res = cacheable(request, type, std::move(doc.body), context.options->max_age, true);
    if (res.find(http::field::vary) != res.end()) res.set(http::field::vary, "Accept-Encoding, Accept");
    return res;
}

Handled dispatch(Request const& request, RouteContext const& context, std::string_view path, std::string_view query)
{
    auto const params = features::parse_query(query);
    auto const format = format_of(request, params);
    auto const base = base_url(request, context) + "/ogc";
    auto const& service = *context.snapshot->service;
    features::FeatureApi const api(service, base);

    auto rest = path.substr(4); // after "/ogc"
    if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
    if (rest.empty()) {
        features::check_no_other_params(params);
        return send(request, context, api.landing(format));
    }
    if (rest == "/api") {
        features::check_no_other_params(params);
        return send(request, context, api.api_definition(format));
    }
    if (rest == "/conformance") {
        features::check_no_other_params(params);
        return send(request, context, api.conformance(format));
    }
    if (auto tiles = handle_ogc_tiles(request, context, rest, query, format)) return std::move(*tiles);
    if (rest == "/collections") {
        features::check_no_other_params(params);
        return send(request, context, api.collections(format));
    }
    constexpr std::string_view kCollections = "/collections/";
    if (rest.substr(0, kCollections.size()) != kCollections)
        throw NotFound("no such resource '" + std::string(path.substr(0, 128)) + "' (start at /ogc)");
    rest.remove_prefix(kCollections.size());
    auto const slash = rest.find('/');
    std::string const id(rest.substr(0, slash));
    if (slash == std::string_view::npos) {
        features::check_no_other_params(params);
        return send(request, context, api.collection(id, format));
    }
    rest.remove_prefix(slash);
    if (rest == "/items") {
        auto const q = features::parse_items_query(params);
        if (!api.has_collection(id)) throw NotFound("no collection '" + id.substr(0, 64) + "' (see /ogc/collections)");
        return WorkJob(JobKind::medium, [request, context, id, q, format, base] {
            try {
                features::FeatureApi const job_api(*context.snapshot->service, base);
                return send(request, context, job_api.items(id, q, format));
            } catch (...) {
                return ogc_exception(std::current_exception());
            }
        });
    }
    constexpr std::string_view kItems = "/items/";
    if (rest.substr(0, kItems.size()) == kItems && rest.size() > kItems.size() &&
        rest.find('/', kItems.size()) == std::string_view::npos) {
        features::check_no_other_params(params);
        return send(request, context, api.item(id, rest.substr(kItems.size()), format));
    }
    throw NotFound("no such resource '" + std::string(path.substr(0, 128)) + "' (start at /ogc)");
}

} // namespace

Handled handle_ogc(Request const& request, RouteContext const& context, std::string_view path, std::string_view query)
{
    try {
        return dispatch(request, context, path, query);
    } catch (...) {
        return ogc_exception(std::current_exception());
    }
}

} // namespace sahelmap::server::detail

#include "sahelmap/server/router.hpp"

#include "access.hpp"
#include "handlers.hpp"
#include "sahelmap/core/uri.hpp"
#include "sahelmap/server/errors.hpp"

namespace sahelmap::server {

namespace detail {

std::optional<std::string> query_param(std::string_view query, std::string_view name)
{
    return QueryString(query).get(name);
}

std::optional<std::vector<std::string_view>> path_segments(std::string_view path, std::size_t count,
                                                           std::string_view extension)
{
    std::vector<std::string_view> parts;
    while (parts.size() < count) {
        auto const slash = path.find('/');
        parts.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) {
            path = {};
            break;
        }
        path.remove_prefix(slash + 1);
    }
    if (parts.size() != count || !path.empty() || !parts.back().ends_with(extension)) return std::nullopt;
    parts.back().remove_suffix(extension.size());
    return parts;
}

Response cacheable(Request const& request, std::string_view content_type, std::string body, int max_age,
                   bool compressible)
{
    bool const gzipped = compressible && accepts_gzip(to_std(request[http::field::accept_encoding]));
    auto const etag = make_etag(Hasher().text(body).digest(), gzipped);
    Response res;
    if (etag_matches(to_std(request[http::field::if_none_match]), etag)) {
        res = Response{http::status::not_modified, 11};
    } else {
        res = make_response(http::status::ok, content_type, gzipped ? gzip(body) : std::move(body));
        if (gzipped) res.set(http::field::content_encoding, "gzip");
    }
    res.set(http::field::etag, etag);
    res.set(http::field::cache_control,
            max_age < 0 ? std::string("no-cache") : "public, max-age=" + std::to_string(max_age));
    if (compressible) res.set(http::field::vary, "Accept-Encoding");
    return res;
}

} // namespace detail

namespace {

using namespace detail;

constexpr std::string_view kAllowed = "GET, HEAD, OPTIONS";

Response preflight()
{
    Response res{http::status::no_content, 11};
    res.set(http::field::allow, to_beast(kAllowed));
    res.set(http::field::access_control_allow_methods, to_beast(kAllowed));
    res.set(http::field::access_control_allow_headers, "*");
    res.set(http::field::access_control_max_age, "86400");
    return res;
}

bool starts_with(std::string_view s, std::string_view prefix) noexcept
{
    return s.substr(0, prefix.size()) == prefix;
}
bool ends_with(std::string_view s, std::string_view suffix) noexcept
{
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

/// Matches the path and calls its handler; throws for unknown paths.
Handled dispatch(Request const& request, RouteContext const& context, Route& route)
{
    auto const target = to_std(request.target());
    auto const question = target.find('?');
    auto const raw_path = target.substr(0, question);
    auto const query = question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
    // Decoded once, here, for every handler; a segment that would escape its
    // directory once decoded ("..", "%2e%2e", an encoded slash) names nothing.
    percent_decode(raw_path, UriPart::path); // a malformed escape is 400, not 404
    auto const decoded = decode_path(raw_path);
    if (!decoded) throw NotFound("no such path '" + std::string(raw_path.substr(0, 128)) + "'");
    std::string_view const path = *decoded;

    if (path == "/healthz") {
        route = Route::healthz;
        return handle_healthz();
    }
    if (path == "/readyz") {
        route = Route::readyz;
        return handle_readyz(context);
    }
    if (path == "/metrics") {
        route = Route::metrics;
        return handle_metrics(context);
    }
    if (path == "/styles") {
        route = Route::styles;
        return handle_style_list(request, context);
    }
    if (starts_with(path, "/styles/")) {
        auto const rest = path.substr(8);
        if (ends_with(rest, ".json") && rest.size() > 5 && rest.find('/') == std::string_view::npos) {
            route = Route::style;
            return handle_style(request, context, rest.substr(0, rest.size() - 5));
        }
    }
    if (starts_with(path, "/tiles/vector/")) {
        route = Route::vector;
        return handle_vector_tile(request, context, path.substr(14), query);
    }
    if (starts_with(path, "/tiles/")) {
        auto const rest = path.substr(7);
        if (rest.find('/') == std::string_view::npos) {
            if (ends_with(rest, ".json") && rest.size() > 5) {
                route = Route::tilejson;
                return handle_tilejson(request, context, rest.substr(0, rest.size() - 5), query);
            }
        } else {
            route = Route::tiles;
            return handle_tile(request, context, rest, query);
        }
    }
    if (path == "/data.json") {
        route = Route::data;
        return handle_data(request, context);
    }
    if (path == "/events.json") {
        route = Route::events;
        return handle_events(request, context);
    }
    if (path == "/influence") {
        route = Route::influence;
        return handle_influence(request, context, query);
    }
    if (path == "/wms") {
        route = Route::wms;
        return handle_wms(request, context, query);
    }
    if (path == "/wmts" || starts_with(path, "/wmts/")) {
        route = Route::wmts;
        return handle_wmts(request, context, path, query);
    }
    if (path == "/ogc" || starts_with(path, "/ogc/")) {
        route = Route::ogc;
        return handle_ogc(request, context, path, query);
    }
    if (path == "/print") {
        route = Route::print;
        return handle_print(request, context, query);
    }
    if (starts_with(path, "/fonts/")) {
        route = Route::maplibre;
        return handle_fonts(request, context, path.substr(7));
    }
    if (starts_with(path, "/sprites/") && path.find('/', 9) == std::string_view::npos) {
        route = Route::maplibre;
        return handle_sprite(request, context, path.substr(9));
    }
    if (starts_with(path, "/legend/")) {
        route = Route::legend;
        return handle_legend(request, context, path.substr(8), query);
    }
    if (starts_with(path, "/download/")) {
        route = Route::download;
        return handle_download(request, context, path.substr(10), query);
    }
    if (path == "/") {
        route = Route::web;
        return handle_web(request, context, "index.html");
    }
    if (starts_with(path, "/static/")) {
        route = Route::web;
        return handle_web(request, context, path.substr(8));
    }
    throw NotFound("no such path '" + std::string(path.substr(0, 128)) + "'");
}

} // namespace

Routed route(Request const& original, RouteContext const& base_context)
{
    Routed out;
    // The key's view of the service; the request without its `key` parameter.
    Access access{base_context, std::nullopt};
    try {
        access = resolve_access(original, base_context);
    } catch (...) {
        out.result = error_response(std::current_exception());
        auto& res = std::get<Response>(out.result);
        mark_key_dependent(res, *base_context.snapshot, true);
        return out;
    }
    Request const& request = access.request ? *access.request : original;
    RouteContext const& context = access.context;
    bool const key_given = !context.access_key.empty();
    try {
        auto const method = request.method();
        if (request.target().size() > context.options->url_limit)
            throw UriTooLong("the request target is longer than " + std::to_string(context.options->url_limit) +
                             " bytes");
        if (method == http::verb::options) {
            out.result = preflight();
        } else if (method != http::verb::get && method != http::verb::head) {
            throw MethodNotAllowed("method " + std::string(to_std(request.method_string()).substr(0, 32)) +
                                   " is not allowed (allowed: GET, HEAD, OPTIONS)");
        } else {
            out.result = dispatch(request, context, out.route);
        }
    } catch (...) {
        out.result = error_response(std::current_exception());
    }
    // Answers whose links may come from the client's Host or forwarded headers.
    bool const links = out.route == Route::style || out.route == Route::tilejson || out.route == Route::wms ||
                       out.route == Route::wmts || out.route == Route::ogc;
    if (auto* res = std::get_if<Response>(&out.result)) {
        if (links) keep_links_private(*res, request, context);
        mark_key_dependent(*res, *context.snapshot, key_given);
    } else if (auto* job = std::get_if<WorkJob>(&out.result); job && (links || context.snapshot->access)) {
        job->run = [run = std::move(job->run), request, context, links, key_given] {
            auto answer = run();
            if (links) keep_links_private(answer, request, context);
            mark_key_dependent(answer, *context.snapshot, key_given);
            return answer;
        };
    }
    return out;
}

} // namespace sahelmap::server

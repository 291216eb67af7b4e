// Protected layers (config "access"): which view of the service a request
// sees, by the key it carries, and the headers that keep key-dependent
// answers out of shared caches. Keys are never kept, logged or echoed.
#include "access.hpp"

#include "sahelmap/core/uri.hpp"
#include "sahelmap/server/errors.hpp"

#include <algorithm>

namespace sahelmap::server::detail {

namespace {

bool iequals(std::string_view a, std::string_view b) noexcept
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

/// Whether one item of a query string ("name=value") is a `key` parameter.
bool is_key_item(std::string_view item)
{
    auto const name = item.substr(0, item.find('='));
    return iequals(name, "key");
}

/// Calls `each` for every '&'-separated item of `query`.
template <class F> void for_each_item(std::string_view query, F each)
{
    while (!query.empty()) {
        auto const amp = query.find('&');
        each(query.substr(0, amp));
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
}

/// The key of the request: the Authorization header's Bearer token, else
/// the `key` query parameter; nullopt when there is none.
std::optional<std::string> request_key(Request const& request, std::string_view query)
{
    if (auto const it = request.find(http::field::authorization); it != request.end()) {
        auto value = to_std(it->value());
        if (value.size() > 7 && iequals(value.substr(0, 7), "bearer ")) {
            value.remove_prefix(7);
            while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
            while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
            if (!value.empty()) return std::string(value);
        }
    }
    std::optional<std::string> key;
    for_each_item(query, [&](std::string_view item) {
        if (key || !is_key_item(item)) return;
        auto const eq = item.find('=');
        key = percent_decode(eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1), UriPart::query);
    });
    if (key && key->empty()) return std::nullopt;
    return key;
}

/// `target` without its `key` query parameters.
std::string without_key(std::string_view target)
{
    auto const question = target.find('?');
    std::string out(target.substr(0, question));
    std::string query;
    for_each_item(target.substr(question + 1), [&](std::string_view item) {
        if (is_key_item(item)) return;
        query += (query.empty() ? "" : "&") + std::string(item);
    });
    if (!query.empty()) out += "?" + query;
    return out;
}

} // namespace

Access resolve_access(Request const& request, RouteContext const& context)
{
    Access out{context, std::nullopt};
    if (!context.snapshot || !context.snapshot->access) return out;
    auto const target = to_std(request.target());
    auto const question = target.find('?');
    auto const query = question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
    auto const key = request_key(request, query);
    bool has_key_param = false;
    for_each_item(query, [&](std::string_view item) { has_key_param = has_key_param || is_key_item(item); });
    if (has_key_param) {
        // Handlers never see the key: OGC API refuses parameters it does not know.
        out.request.emplace(request);
        out.request->target(without_key(target));
    }
    if (!key) return out;
    auto const name = context.snapshot->service->config().access.key_name(*key);
    if (!name) throw Unauthorized("the key is not valid (send a valid key, or none for the public layers)");
    out.context.access_key = *name;
    auto const& views = context.snapshot->views;
    if (auto it = views.find(*name); it != views.end() && it->second) out.context.snapshot = it->second;
    return out;
}

void mark_key_dependent(Response& response, Snapshot const& snapshot, bool key_given)
{
    if (!snapshot.access) return;
    // The same URL answers differently with another key: shared caches must
    // key on Authorization, and never keep an answer a key unlocked.
    auto vary = std::string(to_std(response[http::field::vary]));
    if (vary.find("Authorization") == std::string::npos) {
        vary += vary.empty() ? "Authorization" : ", Authorization";
        response.set(http::field::vary, vary);
    }
    if (!snapshot.keyed && !key_given) return;
    auto cache_control = std::string(to_std(response[http::field::cache_control]));
    if (cache_control.rfind("public", 0) == 0)
        cache_control.replace(0, 6, "private");
    else if (cache_control.empty())
        cache_control = "private";
    else if (cache_control.find("no-store") == std::string::npos && cache_control.find("private") == std::string::npos)
        cache_control = "private, " + cache_control;
    response.set(http::field::cache_control, cache_control);
}

std::string redact_keys(std::string_view target)
{
    auto const question = target.find('?');
    if (question == std::string_view::npos) return std::string(target);
    std::string out(target.substr(0, question + 1));
    bool first = true;
    for_each_item(target.substr(question + 1), [&](std::string_view item) {
        if (!first) out += '&';
        first = false;
        out += is_key_item(item) ? std::string(item.substr(0, item.find('='))) + "=REDACTED" : std::string(item);
    });
    return out;
}

} // namespace sahelmap::server::detail

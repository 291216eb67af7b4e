#include "sahelmap/server/http.hpp"

#include "sahelmap/core/error.hpp"

#include <charconv>
#include <optional>
#include <stdexcept>

namespace sahelmap::server {

namespace {

std::string_view trim(std::string_view s) noexcept
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool iequals(std::string_view a, std::string_view b) noexcept
{
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

/// Calls f on each comma-separated element, trimmed.
template <class F> void for_each_element(std::string_view list, F&& f)
{
    while (!list.empty()) {
        auto const comma = list.find(',');
        auto const item = trim(list.substr(0, comma));
        if (!item.empty()) f(item);
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
}

/// Client text in a message: at most 64 bytes of it.
std::string quoted(std::string_view s)
{
    return "'" + std::string(s.substr(0, 64)) + (s.size() > 64 ? "...'" : "'");
}

} // namespace

void check_request(Request& request)
{
    auto const hosts = request.count(http::field::host);
    if (hosts > 1) throw BadRequest("the request has " + std::to_string(hosts) + " Host headers; one is allowed");
    auto target = to_std(request.target());
    auto const colon = target.find("://");
    if (!target.empty() && target.front() != '/' && colon != std::string_view::npos) {
        auto const scheme = target.substr(0, colon);
        if (!iequals(scheme, "http") && !iequals(scheme, "https"))
            throw BadRequest("the request target " + quoted(target) + " is neither a path nor an http(s) URL");
        auto rest = target.substr(colon + 3);
        auto const end = rest.find_first_of("/?#");
        auto const authority = rest.substr(0, end);
        if (authority.empty() || authority.find('@') != std::string_view::npos)
            throw BadRequest("the request target " + quoted(target) + " has no plain host (user info is not accepted)");
        std::string path(end == std::string_view::npos ? std::string_view() : rest.substr(end));
        if (path.empty() || path.front() != '/') path.insert(0, "/");
        // §3.2.2: the target's authority replaces any Host the client sent.
        std::string const host(authority);
        request.target(path);
        request.set(http::field::host, host);
        return;
    }
    if (hosts == 0 && request.version() >= 11) throw BadRequest("the HTTP/1.1 request has no Host header");
}

Response make_response(http::status status, std::string_view content_type, SharedBytes body)
{
    Response res{status, 11};
    res.set(http::field::content_type, to_beast(content_type));
    res.body() = std::move(body);
    return res;
}

Response make_response(http::status status, std::string_view content_type, std::string body)
{
    return make_response(status, content_type, std::make_shared<std::string const>(std::move(body)));
}

void finish(Response& response, Request const& request)
{
    response.version(request.version());
    response.keep_alive(request.keep_alive());
    response.set(http::field::server, "sahelmap");
    response.set(http::field::access_control_allow_origin, "*");
    auto const status = response.result();
    bool const bodiless = status == http::status::no_content || status == http::status::not_modified ||
                          http::to_status_class(status) == http::status_class::informational;
    if (bodiless) {
        response.body() = nullptr;
        response.erase(http::field::content_length);
        return;
    }
    // Set by hand rather than prepare_payload(): a HEAD answer keeps the
    // length of the body it does not send.
    response.content_length(SharedBody::size(response.body()));
    if (request.method() == http::verb::head) response.body() = nullptr;
}

bool accepts_gzip(std::string_view accept_encoding) noexcept
{
    // An explicit gzip entry decides; else `*` does; else no.
    std::optional<bool> gzip_entry;
    bool star = false;
    for_each_element(accept_encoding, [&](std::string_view item) {
        auto const semi = item.find(';');
        auto const coding = trim(item.substr(0, semi));
        if (!iequals(coding, "gzip") && coding != "*") return;
        double q = 1;
        if (semi != std::string_view::npos) {
            auto params = trim(item.substr(semi + 1));
            if (params.size() > 2 && (params[0] == 'q' || params[0] == 'Q') && params[1] == '=') {
                auto const value = params.substr(2);
                auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), q);
                if (ec != std::errc()) q = 0; // unreadable weight: do not guess
                (void)end;
            }
        }
        if (coding == "*")
            star = q > 0;
        else
            gzip_entry = q > 0;
    });
    return gzip_entry.value_or(star);
}

std::string make_etag(std::uint64_t hash, bool gzipped)
{
    static constexpr char kHex[] = "0123456789abcdef";
    std::string tag = "\"";
    for (int shift = 60; shift >= 0; shift -= 4) tag += kHex[(hash >> shift) & 0xf];
    if (gzipped) tag += "-gz";
    tag += '"';
    return tag;
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) noexcept
{
    bool match = false;
    for_each_element(if_none_match, [&](std::string_view item) {
        if (item == "*") match = true;
        if (item.substr(0, 2) == "W/") item.remove_prefix(2);
        if (item == etag) match = true;
    });
    return match;
}

} // namespace sahelmap::server

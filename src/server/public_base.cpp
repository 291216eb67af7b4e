// The base of the absolute links the service writes (TileJSON, styles,
// WMS/WMTS capabilities, OGC API): --public-url, else the headers of a
// trusted proxy (X-Forwarded-*, RFC 7239 Forwarded), else the Host header.
// A base taken from a request header is the client's choice, so the answers
// carrying it must not be kept by shared caches (cache poisoning).
#include "handlers.hpp"

#include "sahelmap/core/error.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>

#include <algorithm>
#include <cctype>

namespace sahelmap::server {

namespace {

namespace ip = boost::asio::ip;

/// An address or network ("10.0.0.1", "10.0.0.0/8", "::1", "fd00::/8");
/// nullopt when the text is neither.
std::optional<std::pair<ip::address, int>> parse_network(std::string_view text)
{
    auto const slash = text.find('/');
    boost::system::error_code ec;
    auto const address = ip::make_address(std::string(text.substr(0, slash)), ec);
    if (ec) return std::nullopt;
    int const max_bits = address.is_v4() ? 32 : 128;
    int bits = max_bits;
    if (slash != std::string_view::npos) {
        auto const digits = text.substr(slash + 1);
        if (digits.empty() || digits.size() > 3 ||
            !std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c); }))
            return std::nullopt;
        bits = std::stoi(std::string(digits));
        if (bits > max_bits) return std::nullopt;
    }
    return std::pair{address, bits};
}

bool in_network(ip::address const& peer, ip::address const& net, int bits)
{
    // An IPv4 peer may arrive as ::ffff:a.b.c.d on a dual-stack socket.
    ip::address p = peer;
    if (p.is_v6() && p.to_v6().is_v4_mapped() && net.is_v4()) p = ip::make_address_v4(ip::v4_mapped, p.to_v6());
    if (p.is_v4() != net.is_v4()) return false;
    if (p.is_v4())
        return ip::network_v4(net.to_v4(), static_cast<unsigned short>(bits)).network() ==
               ip::network_v4(p.to_v4(), static_cast<unsigned short>(bits)).network();
    return ip::network_v6(net.to_v6(), static_cast<unsigned short>(bits)).network() ==
           ip::network_v6(p.to_v6(), static_cast<unsigned short>(bits)).network();
}

bool trusted_peer(RouteContext const& context)
{
    if (context.options->trusted_proxies.empty() || context.peer_address.empty()) return false;
    boost::system::error_code ec;
    auto const peer = ip::make_address(context.peer_address, ec);
    if (ec) return false;
    for (auto const& entry : context.options->trusted_proxies)
        if (auto const net = parse_network(entry); net && in_network(peer, net->first, net->second)) return true;
    return false;
}

bool plain_host(std::string_view host) noexcept
{
    return !host.empty() && host.size() <= 255 &&
           host.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-:[]") ==
               std::string_view::npos;
}

std::string_view trim(std::string_view s) noexcept
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

/// The last of a comma-separated list: the value the nearest proxy added.
std::string_view last_value(std::string_view list) noexcept
{
    auto const comma = list.rfind(',');
    return trim(comma == std::string_view::npos ? list : list.substr(comma + 1));
}

/// proto= or host= of the last element of an RFC 7239 Forwarded header.
std::string forwarded_param(std::string_view header, std::string_view name)
{
    auto element = last_value(header);
    while (!element.empty()) {
        auto const semi = element.find(';');
        auto const pair = trim(element.substr(0, semi));
        element = semi == std::string_view::npos ? std::string_view() : element.substr(semi + 1);
        auto const eq = pair.find('=');
        if (eq == std::string_view::npos) continue;
        auto key = std::string(trim(pair.substr(0, eq)));
        std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
        if (key != name) continue;
        auto value = trim(pair.substr(eq + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
        return std::string(value);
    }
    return {};
}

/// "/base" from X-Forwarded-Prefix when it is a plain path, else "".
std::string plain_prefix(std::string_view prefix)
{
    prefix = trim(prefix);
    while (!prefix.empty() && prefix.back() == '/') prefix.remove_suffix(1);
    if (prefix.empty() || prefix.front() != '/' || prefix.size() > 200) return {};
    if (prefix.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~-/") !=
            std::string_view::npos ||
        prefix.find("//") != std::string_view::npos || prefix.find("/.") != std::string_view::npos)
        return {};
    return std::string(prefix);
}

enum class BaseSource { configured, server, client };

struct LinkBase {
    std::string url;
    BaseSource source;
};

LinkBase link_base(Request const& request, RouteContext const& context)
{
    if (!context.options->public_url.empty()) return {context.options->public_url, BaseSource::configured};
    auto const host = detail::host_for_urls(request, context);
    BaseSource const from_host = host == context.default_host ? BaseSource::server : BaseSource::client;
    if (!trusted_peer(context)) return {"http://" + host, from_host};

    std::string proto, fwd_host;
    if (auto const forwarded = to_std(request[http::field::forwarded]); !forwarded.empty()) {
        proto = forwarded_param(forwarded, "proto");
        fwd_host = forwarded_param(forwarded, "host");
    } else {
        proto = std::string(last_value(to_std(request["X-Forwarded-Proto"])));
        fwd_host = std::string(last_value(to_std(request["X-Forwarded-Host"])));
    }
    std::transform(proto.begin(), proto.end(), proto.begin(), [](unsigned char c) { return std::tolower(c); });
    if (proto != "http" && proto != "https") proto.clear();
    if (!plain_host(fwd_host)) fwd_host.clear();
    auto const prefix = plain_prefix(to_std(request["X-Forwarded-Prefix"]));
    if (proto.empty() && fwd_host.empty() && prefix.empty()) return {"http://" + host, from_host};
    return {(proto.empty() ? std::string("http") : proto) + "://" + (fwd_host.empty() ? host : fwd_host) + prefix,
            BaseSource::client};
}

} // namespace

bool valid_trusted_proxy(std::string_view text)
{
    return parse_network(text).has_value();
}

namespace detail {

/// The Host header when it is a plain host[:port], else the server's own
/// address: the value goes into URLs we hand out, so nothing odd may pass.
std::string host_for_urls(Request const& request, RouteContext const& context)
{
    auto const host = to_std(request[http::field::host]);
    return plain_host(host) ? std::string(host) : context.default_host;
}

std::string base_url(Request const& request, RouteContext const& context)
{
    return link_base(request, context).url;
}

void keep_links_private(Response& response, Request const& request, RouteContext const& context)
{
    if (link_base(request, context).source != BaseSource::client) return;
    // no-cache answers may be stored too (and revalidated): private as well;
    // errors are no-store already.
    auto const cache_control = std::string(to_std(response[http::field::cache_control]));
    if (cache_control.rfind("public", 0) == 0)
        response.set(http::field::cache_control, "private" + cache_control.substr(6));
    else if (cache_control == "no-cache")
        response.set(http::field::cache_control, "private, no-cache");
}

} // namespace detail

} // namespace sahelmap::server

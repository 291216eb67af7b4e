#include "sahelmap/core/uri.hpp"

#include "sahelmap/core/error.hpp"

namespace sahelmap {

namespace {

int hex_digit(char c) noexcept
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/// Quotes client text in a message: at most 64 bytes of it.
std::string quoted(std::string_view s)
{
    return "'" + std::string(s.substr(0, 64)) + (s.size() > 64 ? "...'" : "'");
}

/// The decoded text, or nullopt at the first malformed escape.
std::optional<std::string> decode(std::string_view text, UriPart part)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char const c = text[i];
        if (c == '+' && part == UriPart::query) {
            out += ' ';
        } else if (c == '%') {
            int const hi = i + 2 < text.size() ? hex_digit(text[i + 1]) : -1;
            int const lo = hi >= 0 ? hex_digit(text[i + 2]) : -1;
            if (lo < 0) return std::nullopt;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace

std::string percent_decode(std::string_view text, UriPart part)
{
    auto out = decode(text, part);
    if (!out) throw BadRequest("malformed percent escape in " + quoted(text) + " (expected %XX with two hex digits)");
    return std::move(*out);
}

QueryString::QueryString(std::string_view raw)
{
    while (!raw.empty()) {
        auto const amp = raw.find('&');
        auto const pair = raw.substr(0, amp);
        if (!pair.empty()) {
            auto const eq = pair.find('=');
            m_pairs.emplace_back(percent_decode(pair.substr(0, eq), UriPart::query),
                                 eq == std::string_view::npos ? std::string()
                                                              : percent_decode(pair.substr(eq + 1), UriPart::query));
        }
        if (amp == std::string_view::npos) break;
        raw.remove_prefix(amp + 1);
    }
}

std::optional<std::string> QueryString::get(std::string_view name) const
{
    for (auto const& [n, v] : m_pairs)
        if (n == name) return v;
    return std::nullopt;
}

std::optional<std::string> decode_path(std::string_view path)
{
    std::string out;
    out.reserve(path.size());
    for (;;) {
        auto const slash = path.find('/');
        auto segment = decode(path.substr(0, slash), UriPart::path);
        if (!segment || *segment == "." || *segment == ".." ||
            segment->find_first_of(std::string_view("/\\\0", 3)) != std::string::npos)
            return std::nullopt;
        out += *segment;
        if (slash == std::string_view::npos) break;
        out += '/';
        path.remove_prefix(slash + 1);
    }
    return out;
}

} // namespace sahelmap

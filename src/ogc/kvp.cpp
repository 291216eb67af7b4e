#include "sahelmap/ogc/kvp.hpp"

namespace sahelmap::ogc {

namespace {

int hex_digit(char c) noexcept
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

} // namespace

std::string percent_decode(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char const c = text[i];
        if (c == '+') {
            out += ' ';
        } else if (c == '%' && i + 2 < text.size()) {
            int const hi = hex_digit(text[i + 1]);
            int const lo = hex_digit(text[i + 2]);
            if (hi < 0 || lo < 0) {
                out += c;
                continue;
            }
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

std::string upper(std::string_view text)
{
    std::string out(text);
    for (auto& c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return out;
}

Kvp::Kvp(std::string_view query)
{
    while (!query.empty()) {
        auto const amp = query.find('&');
        auto const pair = query.substr(0, amp);
        if (!pair.empty()) {
            auto const eq = pair.find('=');
            auto name = upper(percent_decode(pair.substr(0, eq)));
            auto value = eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1));
            m_values.try_emplace(std::move(name), std::move(value));
        }
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
}

std::optional<std::string> Kvp::get(std::string_view name) const
{
    auto it = m_values.find(name);
    if (it == m_values.end()) return std::nullopt;
    return it->second;
}

std::string const& Kvp::required(std::string_view name) const
{
    auto it = m_values.find(name);
    if (it == m_values.end() || it->second.empty())
        throw ServiceException("MissingParameterValue", "the parameter " + std::string(name) + " is missing",
                               std::string(name));
    return it->second;
}

} // namespace sahelmap::ogc

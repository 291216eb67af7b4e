#include "sahelmap/ogc/kvp.hpp"

#include "sahelmap/core/uri.hpp"

namespace sahelmap::ogc {

std::string upper(std::string_view text)
{
    std::string out(text);
    for (auto& c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return out;
}

Kvp::Kvp(std::string_view query)
{
    // A malformed escape throws BadRequest: the services answer it as an
    // exception report (InvalidParameterValue, 400).
    QueryString const decoded(query);
    for (auto const& [name, value] : decoded.pairs()) m_values.try_emplace(upper(name), value);
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

#pragma once
/// OGC key-value-pair requests (WMS, WMTS): case-insensitive names,
/// percent-decoded values, and the exception every OGC answer can become.
#include "sahelmap/core/error.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace sahelmap::ogc {

/// What a client did wrong (or what failed), with the OGC exception code
/// (`InvalidCRS`, `LayerNotDefined`, ...) and the parameter at fault as
/// locator. Services turn it into their exception report, whose status
/// comes from the code (ogc/failure.cpp); one escaping a service is a bad
/// request.
class ServiceException : public BadRequest {
public:
    ServiceException(std::string code, std::string message, std::string locator = {})
        : BadRequest(std::move(message)), m_code(std::move(code)), m_locator(std::move(locator))
    {
    }
    std::string const& code() const noexcept { return m_code; }
    std::string const& locator() const noexcept { return m_locator; }

private:
    std::string m_code;
    std::string m_locator;
};

/// The parameters of a query string (a core QueryString, decoded once),
/// names upper-cased. The first of a repeated name wins. Throws BadRequest
/// for a malformed escape.
class Kvp {
public:
    explicit Kvp(std::string_view query);

    /// The value or nullopt (an empty value is a value).
    std::optional<std::string> get(std::string_view name) const;
    /// The value; throws MissingParameterValue naming it when absent or empty.
    std::string const& required(std::string_view name) const;
    bool has(std::string_view name) const { return get(name).has_value(); }

private:
    std::map<std::string, std::string, std::less<>> m_values;
};

/// ASCII upper-case copy.
std::string upper(std::string_view text);

} // namespace sahelmap::ogc

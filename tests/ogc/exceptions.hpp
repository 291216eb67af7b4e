#pragma once
// Shared by the WMS and WMTS tests: reading an exception document's code,
// and checking a table of bad requests against the codes they must answer.
#include "server/client.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sahelmap::test {

/// An exception document's dialect: its root element and the attribute
/// holding the code.
struct ExceptionFormat {
    std::string_view root;
    std::string_view attribute;
};
/// WMS: <ServiceExceptionReport><ServiceException code="...">.
inline constexpr ExceptionFormat kWmsExceptions{"ServiceExceptionReport", "code"};
/// OWS (WMTS): <ows:ExceptionReport><ows:Exception exceptionCode="...">.
inline constexpr ExceptionFormat kOwsExceptions{"<ows:ExceptionReport", "exceptionCode"};

/// The first exception's code when `xml` is such a document, else empty.
inline std::string exception_code(std::string const& xml, ExceptionFormat format)
{
    std::string const key = std::string(format.attribute) + "=\"";
    auto const at = xml.find(key);
    if (at == std::string::npos || xml.find(format.root) == std::string::npos) return {};
    auto const from = at + key.size();
    return xml.substr(from, xml.find('"', from) - from);
}

/// A bad request and what it must answer.
struct ExpectedException {
    std::string target;
    unsigned status;
    std::string code;
};

/// GETs each target: its status, a text/xml exception document of the
/// format, and its code.
inline void check_exceptions(std::uint16_t port, std::vector<ExpectedException> const& cases, ExceptionFormat format,
                             std::string_view must_contain = {})
{
    for (auto const& c : cases) {
        INFO(c.target);
        auto r = http_get(port, c.target);
        CHECK(r.status == c.status);
        CHECK(r.header("content-type") == "text/xml");
        CHECK(exception_code(r.body, format) == c.code);
        CHECK(r.body.find(must_contain) != std::string::npos);
    }
}

} // namespace sahelmap::test

// WMS exception reports: the one place WMS failures become answers.
#include "failure.hpp"
#include "wms_internal.hpp"

#include "sahelmap/ogc/xml.hpp"

namespace sahelmap::ogc::detail {

/// The one place WMS exceptions become answers, with the status of their
/// code (http_status).
OgcResponse exception_report(Version version, std::string code, std::string const& message, std::string locator)
{
    int const status = http_status({code, message, locator, true}, false);
    if (!version.v130) {
        if (code == "InvalidCRS") code = "InvalidSRS";
        if (locator == "CRS") locator = "SRS";
    }
    XmlWriter xml;
    if (version.v130) {
        xml.open("ServiceExceptionReport")
            .attr("version", "1.3.0")
            .attr("xmlns", "http://www.opengis.net/ogc")
            .attr("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")
            .attr("xsi:schemaLocation",
                  "http://www.opengis.net/ogc http://schemas.opengis.net/wms/1.3.0/exceptions_1_3_0.xsd");
        xml.open("ServiceException").attr("code", code);
        if (!locator.empty()) xml.attr("locator", locator);
    } else {
        xml.raw("<!DOCTYPE ServiceExceptionReport SYSTEM "
                "\"http://schemas.opengis.net/wms/1.1.1/exception_1_1_1.dtd\">\n");
        xml.open("ServiceExceptionReport").attr("version", "1.1.1");
        xml.open("ServiceException").attr("code", code);
    }
    xml.raw(xml_escape(message));
    xml.close();
    return {status, version.v130 ? "text/xml" : "application/vnd.ogc.se_xml", xml.finish()};
}

OgcResponse report(Version version, std::exception_ptr error)
{
    auto const failure = failure_of(error);
    return exception_report(version, failure.code, failure.message, failure.locator);
}

} // namespace sahelmap::ogc::detail

// WMS exception reports: the one place WMS failures become answers.
#include "wms_internal.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/ogc/xml.hpp"

namespace sahelmap::ogc::detail {

/// The one place WMS exceptions become answers. Statuses: 400 for what the
/// client sent, 501 for an operation we do not offer, 500 for our failures
/// (WMS 1.x allows 200 too; a status lets HTTP tools see the failure).
OgcResponse exception_report(Version version, std::string code, std::string const& message, std::string locator)
{
    int status = 400;
    if (code == "OperationNotSupported")
        status = 501;
    else if (code == "NoApplicableCode")
        status = 500;
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

/// The WMS code and the sentence of a failure.
std::pair<std::string, std::string> describe(std::exception_ptr error)
{
    try {
        std::rethrow_exception(error);
    } catch (ServiceException const& e) {
        return {e.code(), e.what()};
    } catch (BadRequest const& e) {
        return {"InvalidParameterValue", e.what()};
    } catch (std::exception const& e) {
        return {"NoApplicableCode", std::string("internal error: ") + e.what()};
    } catch (...) {
        return {"NoApplicableCode", "internal error"};
    }
}

OgcResponse report(Version version, std::exception_ptr error)
{
    try {
        std::rethrow_exception(error);
    } catch (ServiceException const& e) {
        return exception_report(version, e.code(), e.what(), e.locator());
    } catch (...) {
        auto const [code, message] = describe(std::current_exception());
        return exception_report(version, code, message, {});
    }
}

} // namespace sahelmap::ogc::detail

#pragma once
/// Internal to src/ogc: what a failure is in OGC terms, one reading for the
/// WMS and WMTS exception reports and WMS's image exceptions.
#include <exception>
#include <string>

namespace sahelmap::ogc::detail {

/// A failure as an exception report names it.
struct Failure {
    std::string code;    ///< e.g. InvalidParameterValue, NoApplicableCode
    std::string message; ///< the sentence for the client
    std::string locator; ///< the parameter at fault, or empty
    /// Whether a ServiceException named the code: only those can say that a
    /// RESTful resource does not exist (WMTS answers them 404).
    bool named = false;
};

/// A ServiceException as thrown; a BadRequest as InvalidParameterValue;
/// anything else NoApplicableCode, "internal error: " and its what().
Failure failure_of(std::exception_ptr error);

/// The one place OGC exceptions get their HTTP status, for WMS and WMTS:
/// 501 for an operation not offered, 500 for our failures, 404 in a
/// RESTful `resource_path` for a resource that does not exist (a layer,
/// style, matrix set, or a tile outside the matrix; only codes a
/// ServiceException named: a bad value is never a missing resource), else
/// 400 for what the client sent. WMS 1.x allows 200 too; a status lets
/// HTTP tools see the failure.
int http_status(Failure const& failure, bool resource_path);

} // namespace sahelmap::ogc::detail

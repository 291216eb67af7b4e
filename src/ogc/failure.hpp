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

} // namespace sahelmap::ogc::detail

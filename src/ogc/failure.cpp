#include "failure.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/ogc/kvp.hpp"

namespace sahelmap::ogc::detail {

Failure failure_of(std::exception_ptr error)
{
    try {
        std::rethrow_exception(error);
    } catch (ServiceException const& e) {
        return {e.code(), e.what(), e.locator(), true};
    } catch (BadRequest const& e) {
        return {"InvalidParameterValue", e.what(), {}, false};
    } catch (std::exception const& e) {
        return {"NoApplicableCode", std::string("internal error: ") + e.what(), {}, false};
    } catch (...) {
        return {"NoApplicableCode", "internal error", {}, false};
    }
}

int http_status(Failure const& failure, bool resource_path)
{
    if (failure.code == "OperationNotSupported") return 501;
    if (failure.code == "NoApplicableCode") return 500;
    if (resource_path && failure.named && (failure.code == "TileOutOfRange" || failure.code == "InvalidParameterValue"))
        return 404;
    return 400;
}

} // namespace sahelmap::ogc::detail

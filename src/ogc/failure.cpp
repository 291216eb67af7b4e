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

} // namespace sahelmap::ogc::detail

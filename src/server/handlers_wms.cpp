// WMS 1.3.0 and 1.1.1 (issue #5): to be written.
#include "handlers.hpp"

#include "sahelmap/core/error.hpp"

namespace sahelmap::server::detail {

Handled handle_wms(Request const&, RouteContext const&, std::string_view)
{
    throw NotFound("WMS is not available yet in this build");
}

} // namespace sahelmap::server::detail

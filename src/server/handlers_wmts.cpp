// WMTS 1.0.0 (issue #5): to be written.
#include "handlers.hpp"

#include "sahelmap/core/error.hpp"

namespace sahelmap::server::detail {

Handled handle_wmts(Request const&, RouteContext const&, std::string_view, std::string_view)
{
    throw NotFound("WMTS is not available yet in this build");
}

} // namespace sahelmap::server::detail

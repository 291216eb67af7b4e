// OGC API - Features (issue #5): to be written.
#include "handlers.hpp"

#include "sahelmap/core/error.hpp"

namespace sahelmap::server::detail {

Handled handle_ogc(Request const&, RouteContext const&, std::string_view, std::string_view)
{
    throw NotFound("OGC API - Features is not available yet in this build");
}

} // namespace sahelmap::server::detail

// Vector tiles (issue #5): to be written.
#include "handlers.hpp"

#include "sahelmap/core/error.hpp"

namespace sahelmap::server::detail {

Handled handle_vector_tile(Request const&, RouteContext const&, std::string_view, std::string_view)
{
    throw NotFound("vector tiles are not available yet in this build");
}

} // namespace sahelmap::server::detail

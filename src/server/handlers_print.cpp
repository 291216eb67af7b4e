// GET /print (issue #6): to be written.
#include "handlers.hpp"

#include "sahelmap/core/error.hpp"

namespace sahelmap::server::detail {

Handled handle_print(Request const&, RouteContext const&, std::string_view)
{
    throw NotFound("printing is not available yet in this build");
}

} // namespace sahelmap::server::detail

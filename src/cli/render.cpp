#include "sahelmap/cli/render.hpp"

#include "sahelmap/cli/args.hpp"

namespace sahelmap::cli {

int cmd_render(std::vector<std::string> const&, std::ostream&)
{
    throw UsageError("sahelmap render is not available yet in this build");
}

} // namespace sahelmap::cli

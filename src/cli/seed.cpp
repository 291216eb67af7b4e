#include "sahelmap/cli/seed.hpp"

#include "sahelmap/cli/args.hpp"

namespace sahelmap::cli {

int cmd_seed(std::vector<std::string> const&, std::ostream&)
{
    throw UsageError("sahelmap seed is not available yet in this build");
}

} // namespace sahelmap::cli

#include "sahelmap/cli/export.hpp"

#include "sahelmap/cli/args.hpp"

namespace sahelmap::cli {

int cmd_export(std::vector<std::string> const&, std::ostream&)
{
    throw UsageError("sahelmap export is not available yet in this build");
}

} // namespace sahelmap::cli

#pragma once
/// `sahelmap seed`: MBTiles pyramid (issue #5).
#include <iosfwd>
#include <string>
#include <vector>

namespace sahelmap::cli {

/// Runs `sahelmap seed <argv...>`; throws UsageError or BadRequest for a bad
/// command line, DataError or RenderError for a failure (run() maps them).
int cmd_seed(std::vector<std::string> const& argv, std::ostream& out);

} // namespace sahelmap::cli

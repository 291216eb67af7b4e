#pragma once
/// `sahelmap seed`: MBTiles or PMTiles pyramid (issue #5), in shards;
/// `sahelmap merge`: joining the shards (issue 16).
#include <iosfwd>
#include <string>
#include <vector>

namespace sahelmap::cli {

/// Runs `sahelmap seed <argv...>`; throws UsageError or BadRequest for a bad
/// command line, DataError or RenderError for a failure (run() maps them).
int cmd_seed(std::vector<std::string> const& argv, std::ostream& out);

/// Runs `sahelmap merge <argv...>`: the parts of a sharded seed into one file.
int cmd_merge(std::vector<std::string> const& argv, std::ostream& out);

} // namespace sahelmap::cli

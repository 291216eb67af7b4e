#pragma once
/// `sahelmap export`: styled GeoPackage (issue #5).
#include <iosfwd>
#include <string>
#include <vector>

namespace sahelmap::cli {

/// Runs `sahelmap export <argv...>`; throws UsageError or BadRequest for a bad
/// command line, DataError or RenderError for a failure (run() maps them).
int cmd_export(std::vector<std::string> const& argv, std::ostream& out);

} // namespace sahelmap::cli

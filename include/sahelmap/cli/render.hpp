#pragma once
/// `sahelmap render`: printable map (issue #6).
#include <iosfwd>
#include <string>
#include <vector>

namespace sahelmap::cli {

/// Runs `sahelmap render <argv...>`; throws UsageError or BadRequest for a bad
/// command line, DataError or RenderError for a failure (run() maps them).
int cmd_render(std::vector<std::string> const& argv, std::ostream& out);

} // namespace sahelmap::cli

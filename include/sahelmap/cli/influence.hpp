#pragma once
/// `sahelmap influence`: per-region influence scores at a date.
#include <iosfwd>
#include <string>
#include <vector>

namespace sahelmap::cli {

/// Runs `sahelmap influence <argv...>`; throws UsageError or BadRequest for a
/// bad command line, DataError for bad data or params (run() maps them).
int cmd_influence(std::vector<std::string> const& argv, std::ostream& out);

} // namespace sahelmap::cli

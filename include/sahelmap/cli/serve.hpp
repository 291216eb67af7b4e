#pragma once
/// `sahelmap serve`: the HTTP tile service, in the foreground until SIGINT or SIGTERM.
#include <iosfwd>
#include <string>
#include <vector>

namespace sahelmap::cli {

/// Parses the serve options, prints `listening on http://HOST:PORT` on `out`
/// once bound, serves until stopped; returns 0 after a graceful stop.
/// Throws UsageError for a bad command line and sahelmap errors for a bad
/// config or an address that cannot be bound.
int cmd_serve(std::vector<std::string> const& argv, std::ostream& out);

} // namespace sahelmap::cli

#pragma once
/// The `sahelmap` commands, thin over the library.
#include <iosfwd>
#include <string>
#include <vector>

namespace sahelmap::cli {

/// Runs `sahelmap <args...>`; returns the process exit code: 0 success,
/// 1 a data, style or render problem, 2 a bad command line or argument.
int run(std::vector<std::string> const& args, std::ostream& out, std::ostream& err);

} // namespace sahelmap::cli

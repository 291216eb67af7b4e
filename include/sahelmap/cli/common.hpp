#pragma once
/// What the commands share: loading the service from --config, whole-number
/// options, and writing an output file atomically.
#include "sahelmap/cli/args.hpp"
#include "sahelmap/service/map_service.hpp"

#include <iosfwd>
#include <memory>
#include <string>

namespace sahelmap::cli {

/// The service from `--config FILE`, or the embedded defaults.
std::shared_ptr<service::MapService const> load_service(Args const& args);

/// `text` as an int; throws UsageError naming `what` otherwise.
int parse_int(std::string const& text, char const* what);

/// Writes `bytes` to `path` through a temporary file renamed into place, so
/// a failed run leaves any existing file untouched; "-" writes to `out`.
/// Throws DataError naming the path.
void write_output(std::string const& path, std::string const& bytes, std::ostream& out);

} // namespace sahelmap::cli

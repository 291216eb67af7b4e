#pragma once
/// Default data and styles linked into the binary, so it runs with no files.
#include <string>
#include <string_view>
#include <vector>

namespace sahelmap::source {

/// The GDAL virtual path under which the embedded GeoPackage is readable.
std::string const& embedded_geodata_path();
/// Ids of the embedded styles (default, overlay, print).
std::vector<std::string> embedded_style_ids();
/// The embedded style text; empty if there is no such id.
std::string_view embedded_style(std::string_view id);

} // namespace sahelmap::source

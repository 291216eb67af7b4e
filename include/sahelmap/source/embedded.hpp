#pragma once
/// Default data and styles linked into the binary, so it runs with no files.
#include <string>
#include <string_view>
#include <vector>

namespace sahelmap::source {

/// The GDAL virtual path under which the embedded GeoPackage is readable.
std::string const& embedded_geodata_path();
/// Ids of the embedded styles (default, overlay, print, influence).
std::vector<std::string> embedded_style_ids();
/// The embedded style text; empty if there is no such id.
std::string_view embedded_style(std::string_view id);
/// The style of change maps (render --compare, /print?compare=, the change
/// tiles): drawn over the layers service::change_store() makes, so it is not
/// one of the configurable styles.
std::string_view embedded_change_style();

} // namespace sahelmap::source

#pragma once
/// The styled GeoPackage download, the map of one date: every data layer in
/// lon/lat (EPSG:4326) with its attributes (a dated layer with the features
/// valid that day), the influence layer as of that date, and a QGIS style
/// per layer in the `layer_styles` table (QML and SLD, useAsDefault), so
/// QGIS opens the file already styled.
#include "sahelmap/core/date.hpp"
#include "sahelmap/service/map_service.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace sahelmap::exports {

struct GeoPackageOptions {
    std::filesystem::path out;     ///< the .gpkg to create (replaced if it exists)
    std::string style = "default"; ///< the MapLibre style the QGIS styles come from
    Date time = Date::today();     ///< the date: features valid then, influence then
};

struct GeoPackageResult {
    std::vector<std::string> layers; ///< written, in order
    std::vector<std::string> notes;  ///< "layer: what the QGIS style approximates"
};

/// Writes the GeoPackage atomically (a temporary file beside `out`, renamed
/// at the end). Throws NotFound for an unknown style, DataError naming the
/// file when GDAL cannot write it.
GeoPackageResult write_geopackage(service::MapService const& service, GeoPackageOptions const& options);

} // namespace sahelmap::exports

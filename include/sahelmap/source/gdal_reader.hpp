#pragma once
/// Reads data layers through GDAL/OGR into the in-memory feature store.
#include "sahelmap/core/feature.hpp"
#include "sahelmap/source/config.hpp"

#include <memory>

namespace sahelmap::source {

/// Reads one layer, reprojected to EPSG:4326 lon/lat. Throws DataError
/// naming the source and layer ("layer sites in geodata/x.gpkg: ...").
FeatureLayer read_layer(LayerSource const& src);

/// Reads every layer of a config.
std::shared_ptr<FeatureStore const> load_store(Config const& config);

} // namespace sahelmap::source

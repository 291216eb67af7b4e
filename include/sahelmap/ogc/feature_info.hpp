#pragma once
/// WMS GetFeatureInfo: the features of some data layers at a map point.
#include "sahelmap/core/date.hpp"
#include "sahelmap/core/value.hpp"
#include "sahelmap/render/map_data.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace sahelmap::ogc {

struct FoundFeature {
    std::string layer;
    std::int64_t fid = 0;
    double distance = 0; ///< map units from the point (0 inside a polygon)
    std::vector<std::pair<std::string, Value>> attributes;
};

/// Features of `layers` valid at `time` at (x, y) in the data's CRS:
/// polygons holding the point, lines and points within `tolerance` map
/// units; nearest first, at most `max_per_layer` per layer. Attributes are
/// those of the date (a region's influence scores at `time`).
std::vector<FoundFeature> features_at(render::MapData const& data, std::vector<std::string> const& layers, double x,
                                      double y, double tolerance, Date time, int max_per_layer);

/// The INFO_FORMATs offered.
std::vector<std::string> const& info_formats();

/// Formats features as text/plain, application/json (GeoJSON FeatureCollection
/// without geometry, each feature with its "layer") or text/html.
std::string format_features(std::vector<FoundFeature> const& features, std::string const& info_format);

} // namespace sahelmap::ogc

#pragma once
/// The influence layer as text: CSV, JSON and GeoJSON, for the CLI and the
/// HTTP handlers alike.
#include "sahelmap/core/date.hpp"
#include "sahelmap/core/feature.hpp"

#include <optional>
#include <string>

namespace sahelmap::influence {

/// Attributes only, one row per feature, the schema's fields as header
/// (RFC 4180 quoting); numbers rounded to 4 decimals.
std::string to_csv(FeatureLayer const& layer);

/// {"time", "compare" (when given), "blocs", "regions": [{field: value, ...}]}.
std::string to_json(FeatureLayer const& layer, std::vector<std::string> const& blocs, Date time,
                    std::optional<Date> compare);

/// A GeoJSON FeatureCollection (RFC 7946): lon/lat geometry to 6 decimals,
/// every field as a property, numbers rounded to 4 decimals.
std::string to_geojson(FeatureLayer const& layer);

} // namespace sahelmap::influence

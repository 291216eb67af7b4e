#pragma once
/// QGIS styles (QML and SLD) generated from a MapLibre style, for the
/// GeoPackage export's `layer_styles` table.
///
/// What translates: a style layer's filter and paint are evaluated with the
/// real expression engine on the data itself. A data layer whose style
/// layers all filter on `["==", ["get", F], V]`, or whose colours `match` on
/// a field F, gets a categorized renderer on F (one category per value in
/// the data); otherwise a single symbol. Each category's symbol stacks the
/// style layers that draw its most common feature (e.g. casing + line),
/// evaluated on that feature. Zoom-dependent values (`interpolate`/`step`
/// on `["zoom"]`) take their value at `zoom`. Marker shape and size driven
/// by data (`icon-image` match, `icon-size` interpolate) become QGIS
/// data-defined properties. The first symbol layer with a `text-field`
/// gives the labels (expression translated into a QGIS expression when
/// possible, else its first `get`). Approximated: other data-driven values
/// (opacity by score, per-feature halos) take the value of the category's
/// representative feature; zoom ranges and `"sahelmap:time": "ended"`
/// layers are ignored; symbol placement details (anchor, offset) are
/// reduced to QGIS's point/line placement.
#include "sahelmap/core/feature.hpp"
#include "sahelmap/style/style.hpp"

#include <string>
#include <vector>

namespace sahelmap::exports {

/// One data layer's QGIS style.
struct QgisLayerStyle {
    std::string layer;              ///< data layer name
    std::string renderer;           ///< QGIS renderer type: "categorizedSymbol" or "singleSymbol"
    std::string field;              ///< the categorized field; empty for a single symbol
    std::string qml;                ///< a complete QGIS .qml document
    std::string sld;                ///< a complete SLD 1.1 / SE document
    std::vector<std::string> notes; ///< what was approximated
};

/// The style of `layer` (its values decide the categories) under `style`.
QgisLayerStyle qgis_style(style::Style const& style, FeatureLayer const& layer, double zoom = 6);

} // namespace sahelmap::exports

#pragma once
/// QGIS styles (QML and SLD) generated from a MapLibre style, for the
/// GeoPackage export's `layer_styles` table.
///
/// What translates: a style layer's filter and paint are evaluated with the
/// real expression engine on the data itself. A data layer whose style
/// layers all filter on `["==", ["get", F], V]`, or whose colours `match` on
/// a field F, gets a categorized renderer on F (one category per value in
/// the data, labelled in the style's own words for it, else the value in
/// title case); otherwise a single symbol. Each category's symbol stacks
/// every style layer that draws one of its features (e.g. casing + line,
/// claimed dots), evaluated on the first such feature and switched on per
/// feature by the style layer's filter and zoom range (QGIS data-defined
/// "enabled", zoom as map scale); SLD keeps the most common combination.
/// Zoom-dependent values (`interpolate`/`step` on `["zoom"]`) take their
/// value at `zoom`. Marker shape, size, fill, outline and
/// opacity driven by data become QGIS data-defined properties. Every symbol
/// layer with a `text-field` gives a rule of rule-based labeling (its
/// filter, zoom range, text colour by data, priority by style order).
/// Approximated: fill opacity by data in SLD, `"sahelmap:time": "ended"`
/// layers (left out), symbol placement details (anchor, offset) reduced to
/// QGIS's point/line/polygon placement.
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

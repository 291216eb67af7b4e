#pragma once
// The QGIS style of one data layer as plain data, between the MapLibre
// style (qgis_model.cpp) and the QML and SLD writers.
#include "sahelmap/core/color.hpp"
#include "sahelmap/core/feature.hpp"
#include "sahelmap/core/geometry.hpp"
#include "sahelmap/core/markup.hpp"
#include "sahelmap/style/style.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sahelmap::exports::detail {

enum class SymbolKind { fill, line, marker };

/// One QGIS symbol layer (SimpleFill, SimpleLine, SimpleMarker); sizes in px.
struct SymbolLayerSpec {
    SymbolKind kind = SymbolKind::fill;
    Color color;                  ///< fill, or the line's colour
    Color stroke;                 ///< outline of fills and markers
    double stroke_width = 0;      ///< 0 = no outline
    double width = 1;             ///< line width
    std::vector<double> dash;     ///< line dash pattern in px; empty = solid
    std::string cap = "flat";     ///< flat, square, round
    std::string join = "miter";   ///< bevel, miter, round
    std::string shape = "circle"; ///< QGIS marker name
    double angle = 0;
    double size = 10;                    ///< marker diameter
    std::string shape_expression;        ///< data-defined marker name (QGIS expression) or empty
    std::string size_expression;         ///< data-defined marker size (px) or empty
    std::string fill_color_expression;   ///< data-defined fill colour (opacity by data) or empty
    std::string stroke_color_expression; ///< data-defined outline colour or empty
    std::string stroke_width_expression; ///< data-defined outline width (px) or empty
    std::string enabled_expression;      ///< data-defined "enabled": the style layer's filter and zoom range
    bool in_common = true;               ///< part of its category's most common combination (what SLD draws)
};

struct SymbolSpec {
    std::vector<SymbolLayerSpec> layers; ///< bottom to top
};

struct CategorySpec {
    std::string value;
    std::string label;  ///< what the legend shows: people's words for the value
    bool render = true; ///< false when no style layer draws these features
    SymbolSpec symbol;
};

/// One style layer's labels: a rule of QGIS's rule-based labeling.
struct LabelSpec {
    std::string id;         ///< the style layer's id (the rule's description)
    std::string filter;     ///< QGIS expression of the style layer's filter; empty = every feature
    double min_zoom = 0;    ///< shown from this zoom…
    double max_zoom = 24;   ///< …up to (not including) this one
    int priority = 5;       ///< QGIS label priority 0–10: the style's topmost text layer 10
    std::string field;      ///< a plain field, or
    std::string expression; ///< a QGIS expression (when not a plain field)
    std::string sld_field;  ///< the field SLD shows: `field`, or the first the expression names
    double size = 12;       ///< px
    Color color{0, 0, 0, 1};
    std::string color_expression; ///< data-defined text colour or empty
    Color halo{1, 1, 1, 1};
    double halo_width = 0; ///< px
    std::string font = "Noto Sans";
    bool bold = false;
    bool italic = false;
    bool on_line = false;
};

struct LayerModel {
    std::string layer;
    GeometryKind geometry = GeometryKind::polygon;
    std::string field; ///< categorized on it; empty = single symbol
    bool numeric_field = false;
    std::vector<CategorySpec> categories;
    SymbolSpec single;
    std::vector<LabelSpec> labels; ///< one per style layer with text, in style order
    std::vector<std::string> notes;
};

/// The QGIS expression for a parsed MapLibre expression, with zoom fixed;
/// `literal_map` rewrites string outputs (icon names → QGIS marker names).
/// Throws std::invalid_argument for what has no QGIS counterpart.
std::string qgis_expression(style::Expression const& expr, double zoom,
                            std::string (*literal_map)(std::string const&) = nullptr);

/// A QGIS string literal: `text` quoted.
std::string qgis_string(std::string const& text);

/// People's words for a field's values: the style's own text for a value
/// where a text-field spells it out (a `match` on the field: the style
/// writes "Africa Corps" for russia_africa_corps), else the value in title
/// case ("Syrian Auxiliaries", "AES External").
class CategoryWords {
public:
    explicit CategoryWords(style::Style const& style);
    std::string words(std::string const& field, std::string const& value) const;

private:
    std::map<std::string, std::map<std::string, std::string>> m_words; ///< field → value → words
};

/// One data layer as one style reads it: what the parts of its QGIS model
/// (qgis_model.cpp, qgis_symbols.cpp, qgis_labels.cpp) share. Holds
/// references: `style` and `layer` outlive it.
class LayerReading {
public:
    LayerReading(FeatureLayer const& layer, double zoom) : m_layer(layer), m_zoom(zoom) {}

    FeatureLayer const& layer() const noexcept { return m_layer; }
    double zoom() const noexcept { return m_zoom; }
    /// Whether the style layer's filter lets feature `feature` of the layer through.
    bool passes(style::StyleLayer const& l, std::size_t feature) const;
    /// Adds a note on what was approximated, unless it is there already.
    void note_once(std::string const& text);
    std::vector<std::string>& notes() noexcept { return m_notes; }

private:
    FeatureLayer const& m_layer;
    double m_zoom;
    std::vector<std::string> m_notes;
};

/// The symbol layers a style layer draws for feature `feature`, added to `s`.
void add_symbol_layers(LayerReading& reading, style::StyleLayer const& l, std::size_t feature, SymbolSpec& s);

/// `c` with its alpha multiplied by `opacity` (clamped to 0–1).
Color with_opacity(Color c, double opacity);

/// The QGIS expression of a colour property times an opacity one (`colour`
/// and `opacity`: their values for the feature at hand), or empty when
/// neither depends on the feature. Throws std::invalid_argument for what
/// QGIS cannot express.
std::string colour_expression(style::Property<Color> const& colour_property, Color colour,
                              style::Property<double> const& opacity_property, double opacity, double zoom);

/// The plain grey symbol that stands in when the style draws nothing for a layer.
SymbolLayerSpec default_symbol(GeometryKind kind);

/// The labels of a symbol layer with text, as a rule of QGIS's rule-based
/// labeling of `priority` (0–10); nullopt when its text translates to nothing.
std::optional<LabelSpec> label_rule(LayerReading& reading, style::StyleLayer const& l, int priority);

/// A colour literal (CSS, as styles write them) as QGIS expressions read
/// colours, "r,g,b,a"; other strings unchanged.
std::string qgis_color_literal(std::string const& text);

/// QGIS scale denominator of a web map zoom level (96 dpi, as QGIS
/// computes scales; zoom 0 is 1:591 657 528).
double scale_of_zoom(double zoom);

/// QGIS marker name for one of our icon names.
std::string qgis_marker(std::string const& icon);

std::string write_qml(LayerModel const& model);
std::string write_sld(LayerModel const& model);

/// "r,g,b,a" with 0–255 components, as QML writes colours.
std::string qml_color(Color c);
/// "#rrggbb", as SLD writes colours (alpha goes to *-opacity).
std::string hex_color(Color c);
/// A number in at most 6 significant digits, as both documents write them.
std::string num(double v);
using sahelmap::xml_escape; // core/markup.hpp

} // namespace sahelmap::exports::detail

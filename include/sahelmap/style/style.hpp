#pragma once
/// A validated, immutable map style in the MapLibre Style Specification
/// format, shared by all threads as std::shared_ptr<const Style>.
#include "sahelmap/style/property.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace sahelmap::style {

struct BackgroundLayer {
    Property<Color> color{Color{0, 0, 0, 1}};
    Property<double> opacity{1.0};
};

struct FillLayer {
    Property<Color> color{Color{0, 0, 0, 1}};
    Property<double> opacity{1.0};
    bool has_outline = false; ///< fill-outline-color was given
    Property<Color> outline_color{Color{0, 0, 0, 1}};
};

struct LineLayer {
    Property<Color> color{Color{0, 0, 0, 1}};
    Property<double> width{1.0};
    Property<double> opacity{1.0};
    Property<std::vector<double>> dasharray; ///< in line widths; empty = solid
    Property<double> offset{0.0};
    Property<LineCap> cap{LineCap::butt};
    Property<LineJoin> join{LineJoin::miter};
};

struct CircleLayer {
    Property<double> radius{5.0};
    Property<Color> color{Color{0, 0, 0, 1}};
    Property<double> opacity{1.0};
    Property<Color> stroke_color{Color{0, 0, 0, 1}};
    Property<double> stroke_width{0.0};
    Property<double> stroke_opacity{1.0};
};

struct SymbolLayer {
    // layout
    Property<std::string> text_field; ///< empty = no text
    Property<std::vector<std::string>> text_font{std::vector<std::string>{"DejaVu Sans Book"}};
    Property<double> text_size{16.0};
    Property<std::vector<double>> text_offset{std::vector<double>{0.0, 0.0}}; ///< ems
    Property<TextAnchor> text_anchor{TextAnchor::center};
    Property<TextTransform> text_transform{TextTransform::none};
    Property<double> text_max_width{10.0};     ///< ems
    Property<double> text_letter_spacing{0.0}; ///< ems
    Property<double> text_padding{2.0};        ///< px around the label box for collisions
    Property<bool> text_allow_overlap{false};
    Property<bool> text_optional{false};
    Property<SymbolPlacement> placement{SymbolPlacement::point};
    Property<double> spacing{250.0}; ///< px between repeated line labels
    Property<double> sort_key{0.0};
    bool has_sort_key = false;
    Property<std::string> icon_image; ///< built-in shape name; empty = no icon
    Property<double> icon_size{1.0};
    Property<bool> icon_allow_overlap{false};
    Property<std::vector<double>> icon_offset{std::vector<double>{0.0, 0.0}};
    // paint
    Property<Color> text_color{Color{0, 0, 0, 1}};
    Property<Color> text_halo_color{Color{0, 0, 0, 0}};
    Property<double> text_halo_width{0.0};
    Property<double> text_opacity{1.0};
    Property<Color> icon_color{Color{0, 0, 0, 1}};
    Property<Color> icon_halo_color{Color{0, 0, 0, 0}};
    Property<double> icon_halo_width{0.0};
    Property<double> icon_opacity{1.0};
};

/// A continuous field drawn as a raster (MapLibre's heatmap layer type): the
/// field named by layer metadata `"sahelmap:field"` (an influence bloc) is
/// sampled over the view and coloured by `heatmap-color`, an expression of
/// ["heatmap-density"] (the field value, 0…1).
struct HeatmapLayer {
    Property<Color> color{Color{0, 0, 0, 0}};
    Property<double> opacity{1.0};
    std::string field;
};

enum class LayerType { background, fill, line, circle, symbol, heatmap };

/// Which features a layer shows at the map's date: those valid then (the
/// default), or those whose validity ended before it — layer metadata
/// `"sahelmap:time": "ended"`, for drawing withdrawn bases as ghosts.
enum class TimeMode { present, ended };
std::string_view to_string(LayerType t) noexcept;

struct StyleLayer {
    std::string id;
    LayerType type = LayerType::background;
    std::string source;       ///< key into the style's "sources"
    std::string source_layer; ///< name of a sahelmap data layer; empty for background
    ExpressionPtr filter;     ///< null = every feature
    double minzoom = 0;       ///< visible when minzoom <= zoom < maxzoom
    double maxzoom = 24;
    bool visible = true;
    TimeMode time_mode = TimeMode::present;
    std::variant<BackgroundLayer, FillLayer, LineLayer, CircleLayer, SymbolLayer, HeatmapLayer> props;

    bool visible_at(double zoom) const noexcept { return visible && zoom >= minzoom && zoom < maxzoom; }
};

class Style {
public:
    /// Parses and validates a style document. `data_layers` are the names a
    /// `source-layer` may take. Throws StyleError listing every problem with
    /// its JSON path, e.g. `layers[3].paint.line-width: expected number, got string`.
    static std::shared_ptr<Style const> parse(std::string id, std::string_view json_text,
                                              std::vector<std::string> const& data_layers);

    std::string const& id() const noexcept { return m_id; }     ///< file stem, used in URLs
    std::string const& name() const noexcept { return m_name; } ///< the document's "name"
    /// The document as given; a subset's is the document it was cut from.
    std::string const& json() const noexcept { return m_json; }
    std::vector<StyleLayer> const& layers() const noexcept { return m_layers; }
    /// Every font family named by any text-font (constant or in an expression literal).
    std::vector<std::string> const& fonts() const noexcept { return m_fonts; }
    /// This style with only the layers `keep` accepts, in their order (WMS
    /// maps of one data layer, with or without the background); null when
    /// no layer is kept. Its json() stays the whole document.
    std::shared_ptr<Style const> subset(std::function<bool(StyleLayer const&)> const& keep) const;

    /// "metadata"."sahelmap:attribution" or empty.
    std::string const& attribution() const noexcept { return m_attribution; }

private:
    std::string m_id;
    std::string m_name;
    std::string m_json;
    std::vector<StyleLayer> m_layers;
    std::vector<std::string> m_fonts;
    std::string m_attribution;
};

} // namespace sahelmap::style

// The `layout` and `paint` properties of each layer type: their names, the
// expression type each is parsed as, and how a value is stored (constants
// evaluated once, expressions kept for the renderer).
#include "style_walk.hpp"

#include "sahelmap/style/introspection.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <span>

namespace sahelmap::style::detail {

namespace {

std::string describe(Value const& v)
{
    if (auto s = v.as_string()) return "\"" + *s + "\"";
    return v.is_null() ? "null" : v.to_string();
}

/// The expression type a property's C++ type is parsed as, and how the
/// expected value reads in messages.
template <class T> struct Kind;
template <> struct Kind<double> {
    static constexpr ExprType type = ExprType::number;
    static constexpr std::string_view expected = "number";
};
template <> struct Kind<bool> {
    static constexpr ExprType type = ExprType::boolean;
    static constexpr std::string_view expected = "boolean";
};
template <> struct Kind<Color> {
    static constexpr ExprType type = ExprType::color;
    static constexpr std::string_view expected = "color";
};
template <> struct Kind<std::string> {
    static constexpr ExprType type = ExprType::string;
    static constexpr std::string_view expected = "string";
};
template <> struct Kind<std::vector<double>> {
    static constexpr ExprType type = ExprType::array;
    static constexpr std::string_view expected = "array of numbers";
};
template <> struct Kind<std::vector<std::string>> {
    static constexpr ExprType type = ExprType::array;
    static constexpr std::string_view expected = "array of strings";
};
template <> struct Kind<LineCap> {
    static constexpr ExprType type = ExprType::string;
    static constexpr std::string_view expected = "one of butt, round, square";
};
template <> struct Kind<LineJoin> {
    static constexpr ExprType type = ExprType::string;
    static constexpr std::string_view expected = "one of bevel, round, miter";
};
template <> struct Kind<TextAnchor> {
    static constexpr ExprType type = ExprType::string;
    static constexpr std::string_view expected =
        "one of center, left, right, top, bottom, top-left, top-right, bottom-left, bottom-right";
};
template <> struct Kind<TextTransform> {
    static constexpr ExprType type = ExprType::string;
    static constexpr std::string_view expected = "one of none, uppercase, lowercase";
};
template <> struct Kind<SymbolPlacement> {
    static constexpr ExprType type = ExprType::string;
    static constexpr std::string_view expected = "one of point, line, line-center";
};

/// A JSON array whose head names an operator; anything else in an
/// array-typed property is a constant such as `[2, 1]` or `["DejaVu Sans Book"]`.
bool is_expression(Json const& node)
{
    return node.is_array() && !node.empty() && node[0].is_string() &&
           detail::is_expression_operator(node[0].get_ref<std::string const&>());
}

/// Stores a parsed expression; one that reads neither zoom nor feature is
/// evaluated now, so the renderer sees a plain constant and bad constants
/// (e.g. an unknown enum word) are reported at load time.
template <class T> void finish_property(Property<T>& prop, ExpressionPtr e, std::string const& path, Context& ctx)
{
    if (e->uses_zoom() || e->uses_feature()) {
        prop.set_expression(std::move(e));
        return;
    }
    try {
        Value v = e->evaluate(EvalContext{});
        T out;
        if (convert_value(v, out))
            prop.set_constant(std::move(out));
        else
            ctx.error(path, "expected " + std::string(Kind<T>::expected) + ", got " + describe(v));
    } catch (EvaluationError const& err) {
        ctx.error(path, err.what());
    }
}

template <class T> void set_property(Property<T>& prop, Json const& node, std::string const& path, Context& ctx)
{
    if constexpr (Kind<T>::type == ExprType::array) {
        // MapLibre takes array constants without ["literal", ...] in array-typed properties.
        if (node.is_array() && !is_expression(node)) {
            auto v = detail::json_to_value(node);
            T out;
            if (v && convert_value(*v, out))
                prop.set_constant(std::move(out));
            else
                ctx.error(path, "expected " + std::string(Kind<T>::expected) + ", got " + brief(node));
            return;
        }
    }
    if (auto e = detail::parse_expression_node(node, Kind<T>::type, path, ctx.errors))
        finish_property(prop, std::move(e), path, ctx);
}

/// MapLibre's legacy `{field}` tokens in a text-field string, as the
/// equivalent expression; nullopt when the string has no token.
std::optional<Json> expand_tokens(std::string const& text)
{
    Json parts = Json::array({"concat"});
    std::size_t literal_from = 0;
    std::size_t pos = 0;
    while (true) {
        auto open = text.find('{', pos);
        auto close = open == std::string::npos ? open : text.find('}', open + 1);
        if (close == std::string::npos) break;
        // A token is the innermost non-empty {...}; "{}" and the outer "{" of "{a{b}" stay text.
        if (auto inner = text.find('{', open + 1); inner < close) {
            pos = inner;
            continue;
        }
        if (close == open + 1) {
            pos = close + 1;
            continue;
        }
        if (open > literal_from) parts.push_back(text.substr(literal_from, open - literal_from));
        parts.push_back(Json::array({"get", text.substr(open + 1, close - open - 1)}));
        literal_from = pos = close + 1;
    }
    if (literal_from == 0) return std::nullopt;
    if (literal_from < text.size()) parts.push_back(text.substr(literal_from));
    if (parts.size() == 2) return Json::array({"to-string", parts[1]});
    return parts;
}

void apply_text_field(SymbolLayer& layer, Json const& node, std::string const& path, Context& ctx)
{
    Json expanded;
    Json const* expr = &node;
    if (node.is_string())
        if (auto e = expand_tokens(node.get_ref<std::string const&>())) {
            expanded = std::move(*e);
            expr = &expanded;
        }
    // Parsed as `value` and converted to text afterwards, so a number
    // attribute labels as "1200" instead of failing a string check.
    auto e = detail::parse_expression_node(*expr, ExprType::value, path, ctx.errors);
    if (!e) return;
    if (e->type() == ExprType::color || e->type() == ExprType::array) {
        ctx.error(path, "expected string, got " + std::string(to_string(e->type())));
        return;
    }
    finish_property(layer.text_field, std::move(e), path, ctx);
}

/// Font names in a text-font value: every string of a constant array, and
/// of each ["literal", [...]] inside an expression.
void collect_fonts(Json const& node, Context& ctx, bool constant, int depth = 0)
{
    // The expression parser reports (and stops at) absurd nesting; no need to walk it here.
    if (!node.is_array() || depth > 100) return;
    if (constant || (node.size() == 2 && node[0] == "literal" && node[1].is_array())) {
        for (auto const& item : constant ? node : node[1])
            if (item.is_string()) ctx.add_font(item.get<std::string>());
        return;
    }
    for (auto const& item : node) collect_fonts(item, ctx, false, depth + 1);
}

void apply_text_font(SymbolLayer& layer, Json const& node, std::string const& path, Context& ctx)
{
    collect_fonts(node, ctx, !is_expression(node));
    set_property(layer.text_font, node, path, ctx);
}

void apply_fill_outline(FillLayer& layer, Json const& node, std::string const& path, Context& ctx)
{
    layer.has_outline = true;
    set_property(layer.outline_color, node, path, ctx);
}

void apply_sort_key(SymbolLayer& layer, Json const& node, std::string const& path, Context& ctx)
{
    layer.has_sort_key = true;
    set_property(layer.sort_key, node, path, ctx);
}

template <class> struct MemberOf;
template <class L, class P> struct MemberOf<P L::*> {
    using Layer = L;
};

template <auto Member>
void apply(typename MemberOf<decltype(Member)>::Layer& layer, Json const& node, std::string const& path, Context& ctx)
{
    set_property(layer.*Member, node, path, ctx);
}

template <auto Member> ExpressionPtr const& expression_of(typename MemberOf<decltype(Member)>::Layer const& layer)
{
    return (layer.*Member).expression();
}

template <class L> struct PropertyDef {
    std::string_view name;
    Section section;
    void (*apply)(L&, Json const&, std::string const&, Context&);
    ExpressionPtr const& (*expression)(L const&); ///< null when the property is a constant
};

constexpr auto layout = Section::layout;
constexpr auto paint = Section::paint;

constexpr PropertyDef<BackgroundLayer> k_background_props[] = {
    {"background-color", paint, apply<&BackgroundLayer::color>, expression_of<&BackgroundLayer::color>},
    {"background-opacity", paint, apply<&BackgroundLayer::opacity>, expression_of<&BackgroundLayer::opacity>},
};

constexpr PropertyDef<FillLayer> k_fill_props[] = {
    {"fill-color", paint, apply<&FillLayer::color>, expression_of<&FillLayer::color>},
    {"fill-opacity", paint, apply<&FillLayer::opacity>, expression_of<&FillLayer::opacity>},
    {"fill-outline-color", paint, apply_fill_outline, expression_of<&FillLayer::outline_color>},
};

constexpr PropertyDef<LineLayer> k_line_props[] = {
    {"line-color", paint, apply<&LineLayer::color>, expression_of<&LineLayer::color>},
    {"line-width", paint, apply<&LineLayer::width>, expression_of<&LineLayer::width>},
    {"line-opacity", paint, apply<&LineLayer::opacity>, expression_of<&LineLayer::opacity>},
    {"line-dasharray", paint, apply<&LineLayer::dasharray>, expression_of<&LineLayer::dasharray>},
    {"line-offset", paint, apply<&LineLayer::offset>, expression_of<&LineLayer::offset>},
    {"line-cap", layout, apply<&LineLayer::cap>, expression_of<&LineLayer::cap>},
    {"line-join", layout, apply<&LineLayer::join>, expression_of<&LineLayer::join>},
};

constexpr PropertyDef<CircleLayer> k_circle_props[] = {
    {"circle-radius", paint, apply<&CircleLayer::radius>, expression_of<&CircleLayer::radius>},
    {"circle-color", paint, apply<&CircleLayer::color>, expression_of<&CircleLayer::color>},
    {"circle-opacity", paint, apply<&CircleLayer::opacity>, expression_of<&CircleLayer::opacity>},
    {"circle-stroke-color", paint, apply<&CircleLayer::stroke_color>, expression_of<&CircleLayer::stroke_color>},
    {"circle-stroke-width", paint, apply<&CircleLayer::stroke_width>, expression_of<&CircleLayer::stroke_width>},
    {"circle-stroke-opacity", paint, apply<&CircleLayer::stroke_opacity>, expression_of<&CircleLayer::stroke_opacity>},
};

constexpr PropertyDef<SymbolLayer> k_symbol_props[] = {
    {"text-field", layout, apply_text_field, expression_of<&SymbolLayer::text_field>},
    {"text-font", layout, apply_text_font, expression_of<&SymbolLayer::text_font>},
    {"text-size", layout, apply<&SymbolLayer::text_size>, expression_of<&SymbolLayer::text_size>},
    {"text-offset", layout, apply<&SymbolLayer::text_offset>, expression_of<&SymbolLayer::text_offset>},
    {"text-anchor", layout, apply<&SymbolLayer::text_anchor>, expression_of<&SymbolLayer::text_anchor>},
    {"text-transform", layout, apply<&SymbolLayer::text_transform>, expression_of<&SymbolLayer::text_transform>},
    {"text-max-width", layout, apply<&SymbolLayer::text_max_width>, expression_of<&SymbolLayer::text_max_width>},
    {"text-letter-spacing", layout, apply<&SymbolLayer::text_letter_spacing>,
     expression_of<&SymbolLayer::text_letter_spacing>},
    {"text-padding", layout, apply<&SymbolLayer::text_padding>, expression_of<&SymbolLayer::text_padding>},
    {"text-allow-overlap", layout, apply<&SymbolLayer::text_allow_overlap>,
     expression_of<&SymbolLayer::text_allow_overlap>},
    {"text-optional", layout, apply<&SymbolLayer::text_optional>, expression_of<&SymbolLayer::text_optional>},
    {"symbol-placement", layout, apply<&SymbolLayer::placement>, expression_of<&SymbolLayer::placement>},
    {"symbol-spacing", layout, apply<&SymbolLayer::spacing>, expression_of<&SymbolLayer::spacing>},
    {"symbol-sort-key", layout, apply_sort_key, expression_of<&SymbolLayer::sort_key>},
    {"icon-image", layout, apply<&SymbolLayer::icon_image>, expression_of<&SymbolLayer::icon_image>},
    {"icon-size", layout, apply<&SymbolLayer::icon_size>, expression_of<&SymbolLayer::icon_size>},
    {"icon-allow-overlap", layout, apply<&SymbolLayer::icon_allow_overlap>,
     expression_of<&SymbolLayer::icon_allow_overlap>},
    {"icon-offset", layout, apply<&SymbolLayer::icon_offset>, expression_of<&SymbolLayer::icon_offset>},
    {"text-color", paint, apply<&SymbolLayer::text_color>, expression_of<&SymbolLayer::text_color>},
    {"text-halo-color", paint, apply<&SymbolLayer::text_halo_color>, expression_of<&SymbolLayer::text_halo_color>},
    {"text-halo-width", paint, apply<&SymbolLayer::text_halo_width>, expression_of<&SymbolLayer::text_halo_width>},
    {"text-opacity", paint, apply<&SymbolLayer::text_opacity>, expression_of<&SymbolLayer::text_opacity>},
    {"icon-color", paint, apply<&SymbolLayer::icon_color>, expression_of<&SymbolLayer::icon_color>},
    {"icon-halo-color", paint, apply<&SymbolLayer::icon_halo_color>, expression_of<&SymbolLayer::icon_halo_color>},
    {"icon-halo-width", paint, apply<&SymbolLayer::icon_halo_width>, expression_of<&SymbolLayer::icon_halo_width>},
    {"icon-opacity", paint, apply<&SymbolLayer::icon_opacity>, expression_of<&SymbolLayer::icon_opacity>},
};

constexpr PropertyDef<HeatmapLayer> k_heatmap_props[] = {
    {"heatmap-color", paint, apply<&HeatmapLayer::color>, expression_of<&HeatmapLayer::color>},
    {"heatmap-opacity", paint, apply<&HeatmapLayer::opacity>, expression_of<&HeatmapLayer::opacity>},
};

template <class L> std::span<PropertyDef<L> const> properties_of();
template <> std::span<PropertyDef<BackgroundLayer> const> properties_of() { return k_background_props; }
template <> std::span<PropertyDef<FillLayer> const> properties_of() { return k_fill_props; }
template <> std::span<PropertyDef<LineLayer> const> properties_of() { return k_line_props; }
template <> std::span<PropertyDef<CircleLayer> const> properties_of() { return k_circle_props; }
template <> std::span<PropertyDef<SymbolLayer> const> properties_of() { return k_symbol_props; }
template <> std::span<PropertyDef<HeatmapLayer> const> properties_of() { return k_heatmap_props; }

/// Applies every key of one `layout` or `paint` object to the layer's properties.
template <class L>
void apply_section(L& props, LayerType type, Json const& object, Section section, std::string const& path,
                   StyleLayer& layer, Context& ctx)
{
    for (auto const& item : object.items()) {
        // Not a structured binding: older Clang cannot capture those in the lambda below.
        std::string const& key = item.key();
        Json const& node = item.value();
        std::string key_path = path + "." + key;
        if (section == Section::layout && key == "visibility") {
            if (node == "visible" || node == "none")
                layer.visible = node == "visible";
            else
                ctx.error(key_path, "expected \"visible\" or \"none\", got " + brief(node));
            continue;
        }
        // Transitions animate in a browser; a rendered tile has nothing to animate.
        if (section == Section::paint && key.ends_with("-transition")) continue;
        auto defs = properties_of<L>();
        auto def = std::find_if(defs.begin(), defs.end(), [&](auto const& d) { return d.name == key; });
        if (def == defs.end())
            ctx.error(key_path, "unknown property for a " + std::string(to_string(type)) + " layer");
        else if (def->section != section)
            ctx.error(key_path, "is a " + std::string(to_string(def->section)) + " property, not a " +
                                    std::string(to_string(section)) + " property");
        else
            def->apply(props, node, key_path, ctx);
    }
}

} // namespace

void apply_section(StyleLayer& layer, LayerType type, Json const& object, Section section, std::string const& path,
                   Context& ctx)
{
    std::visit([&](auto& props) { apply_section(props, type, object, section, path, layer, ctx); }, layer.props);
}

} // namespace sahelmap::style::detail

namespace sahelmap::style {

std::vector<PropertyExpression> property_expressions(StyleLayer const& layer)
{
    std::vector<PropertyExpression> out;
    std::visit(
        [&](auto const& props) {
            using L = std::decay_t<decltype(props)>;
            for (auto const& def : detail::properties_of<L>())
                if (auto const& e = def.expression(props))
                    out.push_back(
                        {def.name,
                         def.section == detail::Section::layout ? PropertySection::layout : PropertySection::paint, e});
        },
        layer.props);
    return out;
}

} // namespace sahelmap::style

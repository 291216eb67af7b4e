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

/// The row of a property stored as is in `Member`.
template <auto Member>
constexpr PropertyDef<typename MemberOf<decltype(Member)>::Layer> member(std::string_view name, Section section)
{
    return {name, section, apply<Member>, expression_of<Member>};
}

constexpr PropertyDef<BackgroundLayer> k_background_props[] = {
    member<&BackgroundLayer::color>("background-color", paint),
    member<&BackgroundLayer::opacity>("background-opacity", paint),
};

constexpr PropertyDef<FillLayer> k_fill_props[] = {
    member<&FillLayer::color>("fill-color", paint),
    member<&FillLayer::opacity>("fill-opacity", paint),
    {"fill-outline-color", paint, apply_fill_outline, expression_of<&FillLayer::outline_color>},
};

constexpr PropertyDef<LineLayer> k_line_props[] = {
    member<&LineLayer::color>("line-color", paint),     member<&LineLayer::width>("line-width", paint),
    member<&LineLayer::opacity>("line-opacity", paint), member<&LineLayer::dasharray>("line-dasharray", paint),
    member<&LineLayer::offset>("line-offset", paint),   member<&LineLayer::cap>("line-cap", layout),
    member<&LineLayer::join>("line-join", layout),
};

constexpr PropertyDef<CircleLayer> k_circle_props[] = {
    member<&CircleLayer::radius>("circle-radius", paint),
    member<&CircleLayer::color>("circle-color", paint),
    member<&CircleLayer::opacity>("circle-opacity", paint),
    member<&CircleLayer::stroke_color>("circle-stroke-color", paint),
    member<&CircleLayer::stroke_width>("circle-stroke-width", paint),
    member<&CircleLayer::stroke_opacity>("circle-stroke-opacity", paint),
};

constexpr PropertyDef<SymbolLayer> k_symbol_props[] = {
    {"text-field", layout, apply_text_field, expression_of<&SymbolLayer::text_field>},
    {"text-font", layout, apply_text_font, expression_of<&SymbolLayer::text_font>},
    member<&SymbolLayer::text_size>("text-size", layout),
    member<&SymbolLayer::text_offset>("text-offset", layout),
    member<&SymbolLayer::text_anchor>("text-anchor", layout),
    member<&SymbolLayer::text_transform>("text-transform", layout),
    member<&SymbolLayer::text_max_width>("text-max-width", layout),
    member<&SymbolLayer::text_letter_spacing>("text-letter-spacing", layout),
    member<&SymbolLayer::text_padding>("text-padding", layout),
    member<&SymbolLayer::text_allow_overlap>("text-allow-overlap", layout),
    member<&SymbolLayer::text_optional>("text-optional", layout),
    member<&SymbolLayer::placement>("symbol-placement", layout),
    member<&SymbolLayer::spacing>("symbol-spacing", layout),
    {"symbol-sort-key", layout, apply_sort_key, expression_of<&SymbolLayer::sort_key>},
    member<&SymbolLayer::icon_image>("icon-image", layout),
    member<&SymbolLayer::icon_size>("icon-size", layout),
    member<&SymbolLayer::icon_allow_overlap>("icon-allow-overlap", layout),
    member<&SymbolLayer::icon_offset>("icon-offset", layout),
    member<&SymbolLayer::text_color>("text-color", paint),
    member<&SymbolLayer::text_halo_color>("text-halo-color", paint),
    member<&SymbolLayer::text_halo_width>("text-halo-width", paint),
    member<&SymbolLayer::text_opacity>("text-opacity", paint),
    member<&SymbolLayer::icon_color>("icon-color", paint),
    member<&SymbolLayer::icon_halo_color>("icon-halo-color", paint),
    member<&SymbolLayer::icon_halo_width>("icon-halo-width", paint),
    member<&SymbolLayer::icon_opacity>("icon-opacity", paint),
};

constexpr PropertyDef<HeatmapLayer> k_heatmap_props[] = {
    member<&HeatmapLayer::color>("heatmap-color", paint),
    member<&HeatmapLayer::opacity>("heatmap-opacity", paint),
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

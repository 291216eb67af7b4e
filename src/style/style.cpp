// Style document validation: walks the whole document once, collecting every
// problem with its JSON path before deciding, so a style author sees all
// mistakes in one go.
#include "sahelmap/style/style.hpp"

#include "expression_parser.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <span>
#include <string_view>

namespace sahelmap::style {

std::string_view to_string(LayerType t) noexcept
{
    switch (t) {
    case LayerType::background: return "background";
    case LayerType::fill: return "fill";
    case LayerType::line: return "line";
    case LayerType::circle: return "circle";
    case LayerType::symbol: return "symbol";
    case LayerType::heatmap: return "heatmap";
    }
    return "background";
}

namespace {

using detail::Json;

/// What the walk accumulates besides the layers themselves.
struct Context {
    std::vector<std::string> errors;
    std::vector<std::string> fonts;

    void error(std::string const& path, std::string const& message) { errors.push_back(path + ": " + message); }
    void add_font(std::string const& font)
    {
        if (std::find(fonts.begin(), fonts.end(), font) == fonts.end()) fonts.push_back(font);
    }
};

std::string got(Json const& node) { return std::string(node.type_name()); }

/// A JSON value for a message: itself when short and flat, else its type.
std::string brief(Json const& node)
{
    bool flat = !node.is_structured() ||
                (node.is_array() && node.size() <= 16 &&
                 std::none_of(node.begin(), node.end(), [](Json const& item) { return item.is_structured(); }));
    return flat ? node.dump() : got(node);
}

std::string describe(Value const& v)
{
    if (auto s = v.as_string()) return "\"" + *s + "\"";
    return v.is_null() ? "null" : v.to_string();
}

std::string join(std::vector<std::string> const& items)
{
    std::string out;
    for (auto const& item : items) out += (out.empty() ? "" : ", ") + item;
    return out.empty() ? "none" : out;
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

enum class Section { layout, paint };

constexpr std::string_view to_string(Section s) noexcept { return s == Section::layout ? "layout" : "paint"; }

template <class L> struct PropertyDef {
    std::string_view name;
    Section section;
    void (*apply)(L&, Json const&, std::string const&, Context&);
};

constexpr auto layout = Section::layout;
constexpr auto paint = Section::paint;

constexpr PropertyDef<BackgroundLayer> k_background_props[] = {
    {"background-color", paint, apply<&BackgroundLayer::color>},
    {"background-opacity", paint, apply<&BackgroundLayer::opacity>},
};

constexpr PropertyDef<FillLayer> k_fill_props[] = {
    {"fill-color", paint, apply<&FillLayer::color>},
    {"fill-opacity", paint, apply<&FillLayer::opacity>},
    {"fill-outline-color", paint, apply_fill_outline},
};

constexpr PropertyDef<LineLayer> k_line_props[] = {
    {"line-color", paint, apply<&LineLayer::color>},     {"line-width", paint, apply<&LineLayer::width>},
    {"line-opacity", paint, apply<&LineLayer::opacity>}, {"line-dasharray", paint, apply<&LineLayer::dasharray>},
    {"line-offset", paint, apply<&LineLayer::offset>},   {"line-cap", layout, apply<&LineLayer::cap>},
    {"line-join", layout, apply<&LineLayer::join>},
};

constexpr PropertyDef<CircleLayer> k_circle_props[] = {
    {"circle-radius", paint, apply<&CircleLayer::radius>},
    {"circle-color", paint, apply<&CircleLayer::color>},
    {"circle-opacity", paint, apply<&CircleLayer::opacity>},
    {"circle-stroke-color", paint, apply<&CircleLayer::stroke_color>},
    {"circle-stroke-width", paint, apply<&CircleLayer::stroke_width>},
    {"circle-stroke-opacity", paint, apply<&CircleLayer::stroke_opacity>},
};

constexpr PropertyDef<SymbolLayer> k_symbol_props[] = {
    {"text-field", layout, apply_text_field},
    {"text-font", layout, apply_text_font},
    {"text-size", layout, apply<&SymbolLayer::text_size>},
    {"text-offset", layout, apply<&SymbolLayer::text_offset>},
    {"text-anchor", layout, apply<&SymbolLayer::text_anchor>},
    {"text-transform", layout, apply<&SymbolLayer::text_transform>},
    {"text-max-width", layout, apply<&SymbolLayer::text_max_width>},
    {"text-letter-spacing", layout, apply<&SymbolLayer::text_letter_spacing>},
    {"text-padding", layout, apply<&SymbolLayer::text_padding>},
    {"text-allow-overlap", layout, apply<&SymbolLayer::text_allow_overlap>},
    {"text-optional", layout, apply<&SymbolLayer::text_optional>},
    {"symbol-placement", layout, apply<&SymbolLayer::placement>},
    {"symbol-spacing", layout, apply<&SymbolLayer::spacing>},
    {"symbol-sort-key", layout, apply_sort_key},
    {"icon-image", layout, apply<&SymbolLayer::icon_image>},
    {"icon-size", layout, apply<&SymbolLayer::icon_size>},
    {"icon-allow-overlap", layout, apply<&SymbolLayer::icon_allow_overlap>},
    {"icon-offset", layout, apply<&SymbolLayer::icon_offset>},
    {"text-color", paint, apply<&SymbolLayer::text_color>},
    {"text-halo-color", paint, apply<&SymbolLayer::text_halo_color>},
    {"text-halo-width", paint, apply<&SymbolLayer::text_halo_width>},
    {"text-opacity", paint, apply<&SymbolLayer::text_opacity>},
    {"icon-color", paint, apply<&SymbolLayer::icon_color>},
    {"icon-halo-color", paint, apply<&SymbolLayer::icon_halo_color>},
    {"icon-halo-width", paint, apply<&SymbolLayer::icon_halo_width>},
    {"icon-opacity", paint, apply<&SymbolLayer::icon_opacity>},
};

constexpr PropertyDef<HeatmapLayer> k_heatmap_props[] = {
    {"heatmap-color", paint, apply<&HeatmapLayer::color>},
    {"heatmap-opacity", paint, apply<&HeatmapLayer::opacity>},
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

std::optional<LayerType> layer_type_named(std::string_view name) noexcept
{
    for (auto t : {LayerType::background, LayerType::fill, LayerType::line, LayerType::circle, LayerType::symbol,
                   LayerType::heatmap})
        if (to_string(t) == name) return t;
    return std::nullopt;
}

/// A string member that must be present; nullptr (after reporting) otherwise.
std::string const* required_string(Json const& object, char const* key, std::string const& path, Context& ctx)
{
    auto it = object.find(key);
    if (it == object.end()) {
        ctx.error(path + "." + key, "missing");
        return nullptr;
    }
    if (!it->is_string()) {
        ctx.error(path + "." + key, "expected string, got " + got(*it));
        return nullptr;
    }
    return &it->get_ref<std::string const&>();
}

/// A pre-expression filter such as ["==", "class", "river"]. Read as an
/// expression it compares two constant strings and silently hides every
/// feature, so it is refused with the modern spelling instead.
bool is_legacy_filter(Json const& f)
{
    if (!f.is_array() || f.size() < 3 || !f[0].is_string() || !f[1].is_string()) return false;
    if (std::any_of(f.begin() + 2, f.end(), [](Json const& v) { return v.is_structured(); })) return false;
    auto const& op = f[0].get_ref<std::string const&>();
    if (op == "in") return true;
    return f.size() == 3 && (op == "==" || op == "!=" || op == "<" || op == "<=" || op == ">" || op == ">=");
}

std::string modern_filter(Json const& f)
{
    auto const& key = f[1].get_ref<std::string const&>();
    Json lookup = key == "$type" ? Json::array({"geometry-type"})
                  : key == "$id" ? Json::array({"id"})
                                 : Json::array({"get", key});
    if (f[0] != "in") return Json::array({f[0], lookup, f[2]}).dump();
    Json values = Json::array();
    for (std::size_t i = 2; i < f.size(); ++i) values.push_back(f[i]);
    return Json::array({"in", lookup, Json::array({"literal", values})}).dump();
}

/// Reports legacy filters, also inside all/any; true if there was one.
bool report_legacy_filters(Json const& f, std::string const& path, Context& ctx, int depth = 0)
{
    if (depth > 100) return false; // the expression parser reports such nesting
    if (is_legacy_filter(f)) {
        ctx.error(path, "legacy filter syntax is not supported; write " + modern_filter(f));
        return true;
    }
    bool found = false;
    if (f.is_array() && !f.empty() && (f[0] == "all" || f[0] == "any"))
        for (std::size_t i = 1; i < f.size(); ++i)
            found = report_legacy_filters(f[i], path + "[" + std::to_string(i) + "]", ctx, depth + 1) || found;
    return found;
}

struct Document {
    std::vector<std::string> sources;
    std::vector<std::string> const& data_layers;
    std::vector<std::string> layer_ids;
};

constexpr std::string_view k_layer_keys[] = {"id",      "type",    "source", "source-layer", "filter",
                                             "minzoom", "maxzoom", "layout", "paint",        "metadata"};

void parse_layer(Json const& node, std::string const& path, Document& doc, StyleLayer& layer, Context& ctx)
{
    if (!node.is_object()) {
        ctx.error(path, "expected object, got " + got(node));
        return;
    }
    for (auto const& [key, value] : node.items())
        if (std::find(std::begin(k_layer_keys), std::end(k_layer_keys), key) == std::end(k_layer_keys))
            ctx.error(path + "." + key, "unknown layer key");

    if (auto id = required_string(node, "id", path, ctx)) {
        if (std::find(doc.layer_ids.begin(), doc.layer_ids.end(), *id) != doc.layer_ids.end())
            ctx.error(path + ".id", "duplicate layer id \"" + *id + "\"");
        doc.layer_ids.push_back(*id);
        layer.id = *id;
    }

    std::optional<LayerType> type;
    if (auto name = required_string(node, "type", path, ctx)) {
        type = layer_type_named(*name);
        if (!type) ctx.error(path + ".type", "unsupported layer type \"" + *name + "\"");
    }

    if (type && *type != LayerType::background) {
        if (auto source = required_string(node, "source", path, ctx)) {
            if (std::find(doc.sources.begin(), doc.sources.end(), *source) == doc.sources.end())
                ctx.error(path + ".source", "unknown source \"" + *source + "\"");
            layer.source = *source;
        }
        if (auto data_layer = required_string(node, "source-layer", path, ctx)) {
            if (std::find(doc.data_layers.begin(), doc.data_layers.end(), *data_layer) == doc.data_layers.end())
                ctx.error(path + ".source-layer",
                          "unknown data layer \"" + *data_layer + "\" (known: " + join(doc.data_layers) + ")");
            layer.source_layer = *data_layer;
        }
    }

    if (auto it = node.find("filter"); it != node.end() && !report_legacy_filters(*it, path + ".filter", ctx))
        layer.filter = detail::parse_expression_node(*it, ExprType::boolean, path + ".filter", ctx.errors);

    auto zoom_limit = [&](char const* key, double& out) {
        auto it = node.find(key);
        if (it == node.end()) return;
        if (it->is_number() && it->get<double>() >= 0 && it->get<double>() <= 24)
            out = it->get<double>();
        else
            ctx.error(path + "." + key, "expected a number between 0 and 24, got " + brief(*it));
    };
    if (auto it = node.find("metadata"); it != node.end()) {
        if (!it->is_object()) {
            ctx.error(path + ".metadata", "expected object, got " + got(*it));
        } else if (auto t = it->find("sahelmap:time"); t != it->end()) {
            if (t->is_string() && t->get<std::string>() == "ended") layer.time_mode = TimeMode::ended;
            else if (!(t->is_string() && t->get<std::string>() == "present"))
                ctx.error(path + ".metadata.sahelmap:time", "expected \"present\" or \"ended\", got " + brief(*t));
        }
    }

    zoom_limit("minzoom", layer.minzoom);
    zoom_limit("maxzoom", layer.maxzoom);

    if (!type) return; // which properties are valid depends on the type
    layer.type = *type;
    switch (*type) {
    case LayerType::background: layer.props = BackgroundLayer{}; break;
    case LayerType::fill: layer.props = FillLayer{}; break;
    case LayerType::line: layer.props = LineLayer{}; break;
    case LayerType::circle: layer.props = CircleLayer{}; break;
    case LayerType::symbol: layer.props = SymbolLayer{}; break;
    case LayerType::heatmap: layer.props = HeatmapLayer{}; break;
    }
    for (auto section : {Section::layout, Section::paint}) {
        auto it = node.find(std::string(to_string(section)));
        if (it == node.end()) continue;
        std::string section_path = path + "." + std::string(to_string(section));
        if (!it->is_object()) {
            ctx.error(section_path, "expected object, got " + got(*it));
            continue;
        }
        std::visit([&](auto& props) { apply_section(props, *type, *it, section, section_path, layer, ctx); },
                   layer.props);
    }
    if (auto* heatmap = std::get_if<HeatmapLayer>(&layer.props)) {
        // Which field to draw; the service checks the name against the blocs it knows.
        auto meta = node.find("metadata");
        auto field = meta != node.end() && meta->is_object() ? meta->find("sahelmap:field") : Json::const_iterator{};
        if (meta == node.end() || !meta->is_object() || field == meta->end() || !field->is_string() ||
            field->get<std::string>().empty())
            ctx.error(path + ".metadata.sahelmap:field", "a heatmap layer needs the name of the field to draw");
        else
            heatmap->field = field->get<std::string>();
    }
}

constexpr std::string_view k_root_keys[] = {"version", "name",    "metadata", "center", "zoom",
                                            "bearing", "pitch",   "glyphs",   "sprite", "light",
                                            "transition", "sources", "layers"};

std::vector<std::string> parse_sources(Json const& root, Context& ctx)
{
    std::vector<std::string> names;
    auto it = root.find("sources");
    if (it == root.end()) {
        ctx.error("sources", "missing");
        return names;
    }
    if (!it->is_object()) {
        ctx.error("sources", "expected object, got " + got(*it));
        return names;
    }
    for (auto const& [name, source] : it->items()) {
        // Recorded even when invalid, so layers naming it get no second, misleading error.
        names.push_back(name);
        std::string path = "sources." + name;
        if (!source.is_object()) {
            ctx.error(path, "expected object, got " + got(source));
            continue;
        }
        if (auto type = required_string(source, "type", path, ctx); type && *type != "vector" && *type != "geojson")
            ctx.error(path + ".type", "unsupported source type \"" + *type + "\" (expected vector or geojson)");
    }
    return names;
}

} // namespace

std::shared_ptr<Style const> Style::parse(std::string id, std::string_view json_text,
                                          std::vector<std::string> const& data_layers)
{
    Json root;
    std::string syntax_error;
    if (!detail::parse_json(json_text, root, syntax_error)) throw StyleError(id, {syntax_error});
    if (!root.is_object()) throw StyleError(id, {"style: expected a JSON object, got " + got(root)});

    Context ctx;
    auto style = std::make_shared<Style>();
    style->m_id = id;
    style->m_json = std::string(json_text);

    for (auto const& [key, value] : root.items())
        if (std::find(std::begin(k_root_keys), std::end(k_root_keys), key) == std::end(k_root_keys))
            ctx.error(key, "unknown top-level key");

    if (auto it = root.find("version"); it == root.end())
        ctx.error("version", "missing (expected 8)");
    else if (!(it->is_number() && it->get<double>() == 8))
        ctx.error("version", "expected 8, got " + brief(*it));

    if (auto it = root.find("name"); it != root.end()) {
        if (it->is_string())
            style->m_name = it->get<std::string>();
        else
            ctx.error("name", "expected string, got " + got(*it));
    }

    if (auto it = root.find("metadata"); it != root.end()) {
        if (!it->is_object()) {
            ctx.error("metadata", "expected object, got " + got(*it));
        } else if (auto a = it->find("sahelmap:attribution"); a != it->end()) {
            if (a->is_string())
                style->m_attribution = a->get<std::string>();
            else
                ctx.error("metadata.sahelmap:attribution", "expected string, got " + got(*a));
        }
    }

    Document doc{parse_sources(root, ctx), data_layers, {}};

    if (auto it = root.find("layers"); it == root.end()) {
        ctx.error("layers", "missing");
    } else if (!it->is_array()) {
        ctx.error("layers", "expected array, got " + got(*it));
    } else {
        style->m_layers.resize(it->size());
        for (std::size_t i = 0; i < it->size(); ++i)
            parse_layer((*it)[i], "layers[" + std::to_string(i) + "]", doc, style->m_layers[i], ctx);
    }

    if (!ctx.errors.empty()) throw StyleError(id, std::move(ctx.errors));
    style->m_fonts = std::move(ctx.fonts);
    return style;
}

} // namespace sahelmap::style

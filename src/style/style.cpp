// Style document validation: walks the whole document once, collecting every
// problem with its JSON path before deciding, so a style author sees all
// mistakes in one go.
#include "sahelmap/style/style.hpp"

#include "style_walk.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iterator>
#include <string_view>

namespace sahelmap::style {

std::string_view to_string(LayerType t) noexcept
{
    switch (t) {
    case LayerType::background:
        return "background";
    case LayerType::fill:
        return "fill";
    case LayerType::line:
        return "line";
    case LayerType::circle:
        return "circle";
    case LayerType::symbol:
        return "symbol";
    case LayerType::heatmap:
        return "heatmap";
    }
    return "background";
}

namespace detail {

std::string got(Json const& node)
{
    return std::string(node.type_name());
}

/// A JSON value for a message: itself when short and flat, else its type.
std::string brief(Json const& node)
{
    bool flat = !node.is_structured() ||
                (node.is_array() && node.size() <= 16 &&
                 std::none_of(node.begin(), node.end(), [](Json const& item) { return item.is_structured(); }));
    return flat ? node.dump() : got(node);
}

} // namespace detail

namespace {

using detail::brief;
using detail::Context;
using detail::got;
using detail::Json;
using detail::Section;

std::string join(std::vector<std::string> const& items)
{
    std::string out;
    for (auto const& item : items) out += (out.empty() ? "" : ", ") + item;
    return out.empty() ? "none" : out;
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
            if (t->is_string() && t->get<std::string>() == "ended")
                layer.time_mode = TimeMode::ended;
            else if (!(t->is_string() && t->get<std::string>() == "present"))
                ctx.error(path + ".metadata.sahelmap:time", "expected \"present\" or \"ended\", got " + brief(*t));
        }
    }

    zoom_limit("minzoom", layer.minzoom);
    zoom_limit("maxzoom", layer.maxzoom);

    if (!type) return; // which properties are valid depends on the type
    layer.type = *type;
    switch (*type) {
    case LayerType::background:
        layer.props = BackgroundLayer{};
        break;
    case LayerType::fill:
        layer.props = FillLayer{};
        break;
    case LayerType::line:
        layer.props = LineLayer{};
        break;
    case LayerType::circle:
        layer.props = CircleLayer{};
        break;
    case LayerType::symbol:
        layer.props = SymbolLayer{};
        break;
    case LayerType::heatmap:
        layer.props = HeatmapLayer{};
        break;
    }
    for (auto section : {Section::layout, Section::paint}) {
        auto it = node.find(std::string(to_string(section)));
        if (it == node.end()) continue;
        std::string section_path = path + "." + std::string(to_string(section));
        if (!it->is_object()) {
            ctx.error(section_path, "expected object, got " + got(*it));
            continue;
        }
        detail::apply_section(layer, *type, *it, section, section_path, ctx);
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

constexpr std::string_view k_root_keys[] = {"version",    "name",    "metadata", "center", "zoom",
                                            "bearing",    "pitch",   "glyphs",   "sprite", "light",
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

std::shared_ptr<Style const> Style::subset(std::function<bool(StyleLayer const&)> const& keep) const
{
    auto out = std::make_shared<Style>(*this);
    out->m_layers.clear();
    // The layers are immutable values sharing their expressions; no reader
    // of a style needs its JSON to match its layers, so the document stays.
    std::copy_if(m_layers.begin(), m_layers.end(), std::back_inserter(out->m_layers), keep);
    if (out->m_layers.empty()) return nullptr;
    return out;
}

} // namespace sahelmap::style

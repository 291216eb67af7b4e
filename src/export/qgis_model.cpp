// From a MapLibre style and a data layer to the QGIS style model: which
// field categorizes, which style layers draw each category, their values.
#include "qgis_model.hpp"

#include "sahelmap/export/qgis_style.hpp"
#include "sahelmap/style/expression.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>

namespace sahelmap::exports {

namespace {

using detail::CategorySpec;
using detail::LabelSpec;
using detail::LayerModel;
using detail::SymbolKind;
using detail::SymbolLayerSpec;
using detail::SymbolSpec;
using nlohmann::json;

constexpr std::size_t kMaxCategories = 64;
constexpr std::size_t kMaxStyleLayers = 64; ///< per data layer; more are ignored
constexpr double kIconBasePx = 16;          ///< our icons' diameter at icon-size 1 (render/labels.cpp)

bool has_text(style::SymbolLayer const& s)
{
    return !(s.text_field.is_constant() && s.text_field.constant().empty());
}
bool has_icon(style::SymbolLayer const& s)
{
    return !(s.icon_image.is_constant() && s.icon_image.constant().empty());
}

Color with_opacity(Color c, double opacity)
{
    c.a = static_cast<float>(std::clamp(c.a * opacity, 0.0, 1.0));
    return c;
}

/// F when `filter` is ["==", ["get", F], value].
std::string equality_field(json const& filter)
{
    if (filter.is_array() && filter.size() == 3 && filter[0] == "==" && filter[1].is_array() && filter[1].size() == 2 &&
        filter[1][0] == "get" && filter[1][1].is_string() && !filter[2].is_array())
        return filter[1][1].get<std::string>();
    return {};
}

/// The field of the first ["match", ["get", F], ...] inside `e`.
std::string first_match_field(json const& e, Schema const& schema)
{
    if (e.is_object()) {
        for (auto const& [k, v] : e.items())
            if (auto f = first_match_field(v, schema); !f.empty()) return f;
        return {};
    }
    if (!e.is_array() || e.empty()) return {};
    if (e[0] == "match" && e.size() > 2 && e[1].is_array() && e[1].size() == 2 && e[1][0] == "get" &&
        e[1][1].is_string() && schema.index_of(e[1][1].get<std::string>()) >= 0)
        return e[1][1].get<std::string>();
    for (auto const& item : e)
        if (auto f = first_match_field(item, schema); !f.empty()) return f;
    return {};
}

/// The first field a ["get", F] names inside `e`.
std::string first_get_field(json const& e)
{
    if (!e.is_array() || e.empty()) return {};
    if (e[0] == "get" && e.size() == 2 && e[1].is_string()) return e[1].get<std::string>();
    for (auto const& item : e)
        if (auto f = first_get_field(item); !f.empty()) return f;
    return {};
}

std::string cap_name(style::LineCap c)
{
    switch (c) {
    case style::LineCap::round:
        return "round";
    case style::LineCap::square:
        return "square";
    default:
        return "flat";
    }
}

std::string join_name(style::LineJoin j)
{
    switch (j) {
    case style::LineJoin::round:
        return "round";
    case style::LineJoin::bevel:
        return "bevel";
    default:
        return "miter";
    }
}

SymbolLayerSpec default_symbol(GeometryKind kind)
{
    SymbolLayerSpec s;
    Color const grey{0.45f, 0.45f, 0.45f, 1};
    if (kind == GeometryKind::polygon) {
        s.kind = SymbolKind::fill;
        s.color = Color{0.85f, 0.85f, 0.85f, 0.6f};
        s.stroke = grey;
        s.stroke_width = 1;
    } else if (kind == GeometryKind::line) {
        s.kind = SymbolKind::line;
        s.color = grey;
        s.width = 1.5;
    } else {
        s.kind = SymbolKind::marker;
        s.color = grey;
        s.stroke = Color{1, 1, 1, 1};
        s.stroke_width = 1;
        s.size = 8;
    }
    return s;
}

class ModelBuilder {
public:
    ModelBuilder(style::Style const& st, FeatureLayer const& layer, double zoom)
        : m_style(st), m_layer(layer), m_zoom(zoom), m_doc(json::parse(st.json(), nullptr, false))
    {
        if (m_doc.is_object() && m_doc.contains("layers") && m_doc["layers"].is_array())
            for (auto const& l : m_doc["layers"])
                if (l.is_object() && l.contains("id") && l["id"].is_string()) m_json[l["id"].get<std::string>()] = &l;
        // QGIS places labels of higher priority first; MapLibre places the
        // topmost symbol layer's first: the style's last text layer gets 10.
        std::vector<std::string> text_layers;
        for (auto const& l : st.layers())
            if (l.type == style::LayerType::symbol && l.visible && l.time_mode == style::TimeMode::present &&
                has_text(std::get<style::SymbolLayer>(l.props)))
                text_layers.push_back(l.id);
        for (std::size_t k = 0; k < text_layers.size(); ++k)
            m_priority[text_layers[k]] = std::max(0, 10 - static_cast<int>(text_layers.size() - 1 - k));
    }

    LayerModel build()
    {
        LayerModel m;
        m.layer = m_layer.name;
        m.geometry = m_layer.kind;
        collect(m);
        m.field = category_field();
        if (!m.field.empty()) {
            int const index = m_layer.schema.index_of(m.field);
            std::set<std::string> values;
            for (auto const& f : m_layer.features) {
                auto const& v = f.values[static_cast<std::size_t>(index)];
                if (!v.is_null()) values.insert(v.to_string());
                m.numeric_field = v.is_number() || (m.numeric_field && v.is_null());
            }
            if (values.empty() || values.size() > kMaxCategories) {
                m.notes.push_back("field " + m.field + " has " + std::to_string(values.size()) +
                                  " values: drawn with one symbol");
                m.field.clear();
            } else {
                for (auto const& value : values) {
                    std::vector<std::size_t> members;
                    for (std::size_t i = 0; i < m_layer.features.size(); ++i)
                        if (m_layer.features[i].values[static_cast<std::size_t>(index)].to_string() == value)
                            members.push_back(i);
                    CategorySpec c;
                    c.value = value;
                    c.label = m_words.words(m.field, value);
                    c.symbol = symbol_for(members, &c.render);
                    m.categories.push_back(std::move(c));
                }
            }
        }
        if (m.field.empty()) {
            std::vector<std::size_t> all(m_layer.features.size());
            for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
            bool render = true;
            m.single = symbol_for(all, &render);
            if (!render) m.single.layers = {default_symbol(m_layer.kind)};
        }
        for (auto const* l : m_label_layers)
            if (auto lab = label(*l)) m.labels.push_back(std::move(*lab));
        for (auto& n : m_notes) m.notes.push_back(std::move(n));
        return m;
    }

private:
    json const& layer_json(style::StyleLayer const& l) const
    {
        static json const empty = json::object();
        auto it = m_json.find(l.id);
        return it == m_json.end() ? empty : *it->second;
    }

    void collect(LayerModel&)
    {
        for (auto const& l : m_style.layers()) {
            if (l.source_layer != m_layer.name || !l.visible) continue;
            if (l.time_mode == style::TimeMode::ended) {
                m_notes.push_back("style layer " + l.id + " (features whose validity ended) is left out");
                continue;
            }
            bool draws = false;
            switch (l.type) {
            case style::LayerType::fill:
                draws = m_layer.kind == GeometryKind::polygon;
                break;
            case style::LayerType::line:
                draws = m_layer.kind == GeometryKind::polygon || m_layer.kind == GeometryKind::line;
                break;
            case style::LayerType::circle:
                draws = m_layer.kind == GeometryKind::point;
                break;
            case style::LayerType::symbol: {
                auto const& s = std::get<style::SymbolLayer>(l.props);
                if (has_text(s)) m_label_layers.push_back(&l);
                draws = has_icon(s) && m_layer.kind == GeometryKind::point;
                break;
            }
            default:
                m_notes.push_back("style layer " + l.id + " (" + std::string(style::to_string(l.type)) +
                                  ") has no QGIS vector counterpart");
                break;
            }
            if (draws && m_draw.size() < kMaxStyleLayers) m_draw.push_back(&l);
        }
        if (m_draw.empty())
            m_notes.push_back("the style draws no symbol for this layer: a plain grey symbol stands in");
    }

    std::string category_field() const
    {
        if (m_draw.empty()) return {};
        std::string common;
        bool all_equal = true;
        for (auto const* l : m_draw) {
            json const& lj = layer_json(*l);
            std::string const f = lj.contains("filter") ? equality_field(lj["filter"]) : std::string();
            if (f.empty() || (!common.empty() && f != common)) {
                all_equal = false;
                break;
            }
            common = f;
        }
        if (all_equal && m_layer.schema.index_of(common) >= 0) return common;
        for (char const* part : {"paint", "layout"})
            for (auto const* l : m_draw) {
                json const& lj = layer_json(*l);
                if (lj.contains(part))
                    if (auto f = first_match_field(lj[part], m_layer.schema); !f.empty()) return f;
            }
        return {};
    }

    bool passes(style::StyleLayer const& l, std::size_t feature) const
    {
        if (!l.filter) return true;
        try {
            style::EvalContext ctx{m_zoom, m_layer.ref(feature)};
            auto const v = l.filter->evaluate(ctx);
            return v.as_bool() && *v.as_bool();
        } catch (style::EvaluationError const&) {
            return false;
        }
    }

    /// The symbol of the most common combination of style layers among `members`.
    SymbolSpec symbol_for(std::vector<std::size_t> const& members, bool* render)
    {
        std::map<std::vector<bool>, std::pair<std::size_t, std::size_t>> masks; // mask → (count, first member)
        for (auto i : members) {
            std::vector<bool> mask(m_draw.size());
            for (std::size_t k = 0; k < m_draw.size(); ++k) mask[k] = passes(*m_draw[k], i);
            auto [it, fresh] = masks.try_emplace(mask, 0, i);
            ++it->second.first;
        }
        std::vector<bool> best;
        std::size_t best_count = 0, representative = 0;
        for (auto const& [mask, cf] : masks)
            if (cf.first > best_count && std::find(mask.begin(), mask.end(), true) != mask.end()) {
                best = mask;
                best_count = cf.first;
                representative = cf.second;
            }
        SymbolSpec s;
        if (best_count == 0) {
            *render = false;
            s.layers = {default_symbol(m_layer.kind)};
            return s;
        }
        // Every style layer that draws some member, each enabled by its own
        // filter (QGIS data-defined "enabled"), so a feature gets exactly the
        // style layers it passes (a claimed corridor its dots, a confirmed
        // one its casing and line); the most common combination is what SLD,
        // which has no such switch, draws.
        std::vector<std::string> conditions(m_draw.size());
        std::vector<std::size_t> first(m_draw.size(), members.size());
        bool exact = true;
        for (std::size_t k = 0; k < m_draw.size() && exact; ++k) {
            std::size_t passing = 0;
            for (std::size_t j = 0; j < members.size(); ++j)
                if (passes(*m_draw[k], members[j])) {
                    if (first[k] == members.size()) first[k] = j;
                    ++passing;
                }
            if (passing == 0 || passing == members.size()) continue;
            try {
                conditions[k] = detail::qgis_expression(layer_json(*m_draw[k]).at("filter"), m_zoom);
            } catch (std::exception const&) {
                exact = false;
            }
        }
        if (!exact && masks.size() > 1 && m_draw.size() > 1)
            note_once("features drawn by other combinations of style layers take their category's most common one");
        for (std::size_t k = 0; k < m_draw.size(); ++k) {
            bool const common = best[k];
            if (exact ? first[k] == members.size() : !common) continue;
            std::size_t const before = s.layers.size();
            add_symbol_layers(*m_draw[k], exact ? members[first[k]] : representative, s);
            for (std::size_t n = before; n < s.layers.size(); ++n) {
                auto& spec = s.layers[n];
                spec.in_common = common;
                if (conditions[k].empty() || !exact) continue;
                spec.enabled_expression = spec.enabled_expression.empty()
                                              ? conditions[k]
                                              : "(" + conditions[k] + ") AND " + spec.enabled_expression;
            }
        }
        return s;
    }

    /// The QGIS expression of a colour paint property times an opacity
    /// one, or empty when neither depends on the feature. Throws
    /// std::invalid_argument for what QGIS cannot express.
    std::string colour_expression(json const& paint, char const* colour_key, bool colour_by_data, Color colour,
                                  char const* opacity_key, bool opacity_by_data, double opacity) const
    {
        if (!colour_by_data && !opacity_by_data) return {};
        std::string const c = colour_by_data && paint.contains(colour_key)
                                  ? detail::qgis_expression(paint[colour_key], m_zoom, detail::qgis_color_literal)
                                  : "'" + detail::qml_color(colour) + "'";
        std::string const o = opacity_by_data && paint.contains(opacity_key)
                                  ? detail::qgis_expression(paint[opacity_key], m_zoom)
                                  : detail::num(opacity);
        if (o == "1") return c;
        return "set_color_part(" + c + ", 'alpha', color_part(" + c + ", 'alpha') * (" + o + "))";
    }

    void note_once(std::string const& text)
    {
        if (std::find(m_notes.begin(), m_notes.end(), text) == m_notes.end()) m_notes.push_back(text);
    }

    void add_symbol_layers(style::StyleLayer const& l, std::size_t feature, SymbolSpec& s)
    {
        style::EvalContext ctx{m_zoom, m_layer.ref(feature)};
        SymbolLayerSpec spec;
        if (auto const* f = std::get_if<style::FillLayer>(&l.props)) {
            spec.kind = SymbolKind::fill;
            double const opacity = f->opacity.evaluate(ctx);
            spec.color = with_opacity(f->color.evaluate(ctx), opacity);
            if (f->has_outline) {
                spec.stroke = with_opacity(f->outline_color.evaluate(ctx), opacity);
                spec.stroke_width = 1;
            }
            if (f->opacity.uses_feature()) {
                json const& paint = layer_json(l).value("paint", json::object());
                try {
                    Color solid = spec.color;
                    solid.a = f->color.evaluate(ctx).a;
                    spec.fill_color_expression = "set_color_part('" + detail::qml_color(solid) + "', 'alpha', 255 * (" +
                                                 detail::qgis_expression(paint.value("fill-opacity", json(1)), m_zoom) +
                                                 "))";
                    note_once("style layer " + l.id +
                              ": fill opacity by data is data-defined in QML; the SLD "
                              "takes each category's representative feature's");
                } catch (std::invalid_argument const& e) {
                    note_once("style layer " + l.id + ": fill opacity by data not translated (" +
                              std::string(e.what()) + "), each category takes its representative feature's");
                }
            }
        } else if (auto const* ln = std::get_if<style::LineLayer>(&l.props)) {
            spec.kind = SymbolKind::line;
            spec.color = with_opacity(ln->color.evaluate(ctx), ln->opacity.evaluate(ctx));
            spec.width = ln->width.evaluate(ctx);
            for (double d : ln->dasharray.evaluate(ctx)) spec.dash.push_back(std::max(d * spec.width, 0.1));
            spec.cap = cap_name(ln->cap.evaluate(ctx));
            spec.join = join_name(ln->join.evaluate(ctx));
        } else if (auto const* c = std::get_if<style::CircleLayer>(&l.props)) {
            spec.kind = SymbolKind::marker;
            spec.shape = "circle";
            spec.size = 2 * c->radius.evaluate(ctx);
            spec.color = with_opacity(c->color.evaluate(ctx), c->opacity.evaluate(ctx));
            spec.stroke = with_opacity(c->stroke_color.evaluate(ctx), c->stroke_opacity.evaluate(ctx));
            spec.stroke_width = c->stroke_width.evaluate(ctx);
            json const& paint = layer_json(l).value("paint", json::object());
            try {
                spec.fill_color_expression =
                    colour_expression(paint, "circle-color", c->color.uses_feature(), c->color.evaluate(ctx),
                                      "circle-opacity", c->opacity.uses_feature(), c->opacity.evaluate(ctx));
                spec.stroke_color_expression = colour_expression(
                    paint, "circle-stroke-color", c->stroke_color.uses_feature(), c->stroke_color.evaluate(ctx),
                    "circle-stroke-opacity", c->stroke_opacity.uses_feature(), c->stroke_opacity.evaluate(ctx));
                if (c->stroke_width.uses_feature() && paint.contains("circle-stroke-width"))
                    spec.stroke_width_expression = detail::qgis_expression(paint["circle-stroke-width"], m_zoom);
            } catch (std::invalid_argument const& e) {
                note_once("style layer " + l.id + ": circle properties by data not translated (" + e.what() +
                          "), each category takes its representative feature's");
            }
        } else if (auto const* sym = std::get_if<style::SymbolLayer>(&l.props)) {
            spec.kind = SymbolKind::marker;
            std::string const icon = sym->icon_image.evaluate(ctx);
            spec.shape = detail::qgis_marker(icon);
            if (icon == "triangle-down") spec.angle = 180;
            double const icon_size = sym->icon_size.evaluate(ctx);
            spec.size = kIconBasePx * icon_size;
            spec.color = with_opacity(sym->icon_color.evaluate(ctx), sym->icon_opacity.evaluate(ctx));
            spec.stroke = with_opacity(sym->icon_halo_color.evaluate(ctx), sym->icon_opacity.evaluate(ctx));
            spec.stroke_width = sym->icon_halo_width.evaluate(ctx);
            json const& layout = layer_json(l).value("layout", json::object());
            json const& paint = layer_json(l).value("paint", json::object());
            try {
                if (sym->icon_image.uses_feature() && layout.contains("icon-image"))
                    spec.shape_expression =
                        detail::qgis_expression(layout["icon-image"], m_zoom, [](std::string const& icon_name) {
                            return detail::qgis_marker(icon_name);
                        });
                if (sym->icon_size.uses_feature() && layout.contains("icon-size"))
                    spec.size_expression = "16 * (" + detail::qgis_expression(layout["icon-size"], m_zoom) + ")";
                // Colours, outline and opacity by data (hollow = low
                // confidence, faded = planned, dark ring = reinforcing).
                bool const by_opacity = sym->icon_opacity.uses_feature();
                double const opacity = sym->icon_opacity.evaluate(ctx);
                spec.fill_color_expression =
                    colour_expression(paint, "icon-color", sym->icon_color.uses_feature(),
                                      sym->icon_color.evaluate(ctx), "icon-opacity", by_opacity, opacity);
                spec.stroke_color_expression =
                    colour_expression(paint, "icon-halo-color", sym->icon_halo_color.uses_feature(),
                                      sym->icon_halo_color.evaluate(ctx), "icon-opacity", by_opacity, opacity);
                if (sym->icon_halo_width.uses_feature() && paint.contains("icon-halo-width"))
                    spec.stroke_width_expression = detail::qgis_expression(paint["icon-halo-width"], m_zoom);
            } catch (std::invalid_argument const& e) {
                note_once("style layer " + l.id + ": icon properties by data not translated (" + e.what() +
                          "), each category takes its representative feature's");
            }
        } else {
            return;
        }
        // The style layer's zoom range, as the map scale QGIS draws at.
        std::string range;
        if (l.minzoom > 0) range = "@map_scale <= " + std::to_string(std::lround(detail::scale_of_zoom(l.minzoom)));
        if (l.maxzoom < 24)
            range += (range.empty() ? "" : " AND ") + std::string("@map_scale > ") +
                     std::to_string(std::lround(detail::scale_of_zoom(l.maxzoom)));
        spec.enabled_expression = range;
        s.layers.push_back(std::move(spec));
    }

    std::optional<LabelSpec> label(style::StyleLayer const& l)
    {
        auto const& sym = std::get<style::SymbolLayer>(l.props);
        std::size_t representative = 0;
        for (std::size_t i = 0; i < m_layer.features.size(); ++i)
            if (passes(l, i)) {
                representative = i;
                break;
            }
        style::EvalContext ctx{m_zoom, m_layer.features.empty() ? FeatureRef{} : m_layer.ref(representative)};
        LabelSpec lab;
        lab.id = l.id;
        lab.min_zoom = l.minzoom;
        lab.max_zoom = l.maxzoom;
        if (auto p = m_priority.find(l.id); p != m_priority.end()) lab.priority = p->second;
        if (json const& lj = layer_json(l); lj.contains("filter")) {
            try {
                lab.filter = detail::qgis_expression(lj["filter"], m_zoom);
            } catch (std::invalid_argument const& e) {
                note_once("labels of style layer " + l.id + ": filter not translated (" + std::string(e.what()) +
                          "), every feature is labelled");
            }
        }
        json const& layout = layer_json(l).value("layout", json::object());
        json const text = layout.value("text-field", json());
        if (text.is_array() && text.size() == 2 && text[0] == "get" && text[1].is_string()) {
            lab.field = text[1].get<std::string>();
        } else if (text.is_string()) {
            lab.expression = detail::qgis_expression(text, m_zoom);
        } else {
            try {
                lab.expression = detail::qgis_expression(text, m_zoom);
            } catch (std::invalid_argument const& e) {
                lab.field = first_get_field(text);
                note_once("labels of style layer " + l.id + ": text-field not translated (" + std::string(e.what()) +
                          "), showing field " + lab.field);
            }
        }
        if (lab.field.empty() && lab.expression.empty()) return std::nullopt;
        lab.sld_field = lab.field.empty() ? first_get_field(text) : lab.field;
        lab.size = sym.text_size.evaluate(ctx);
        lab.color = with_opacity(sym.text_color.evaluate(ctx), sym.text_opacity.evaluate(ctx));
        try {
            lab.color_expression =
                colour_expression(layer_json(l).value("paint", json::object()), "text-color",
                                  sym.text_color.uses_feature(), sym.text_color.evaluate(ctx), "text-opacity",
                                  sym.text_opacity.uses_feature(), sym.text_opacity.evaluate(ctx));
        } catch (std::invalid_argument const& e) {
            note_once("labels of style layer " + l.id + ": text colour by data not translated (" +
                      std::string(e.what()) + ")");
        }
        lab.halo = sym.text_halo_color.evaluate(ctx);
        lab.halo_width = sym.text_halo_width.evaluate(ctx);
        auto const fonts = sym.text_font.evaluate(ctx);
        if (!fonts.empty()) {
            std::string const& f = fonts.front();
            lab.bold = f.find("Bold") != std::string::npos;
            lab.italic = f.find("Italic") != std::string::npos;
            auto cut = f.size();
            for (char const* w : {" Bold", " Italic", " Regular"})
                if (auto p = f.find(w); p != std::string::npos) cut = std::min(cut, p);
            lab.font = f.substr(0, cut);
        }
        lab.on_line = sym.placement.evaluate(ctx) == style::SymbolPlacement::line;
        return lab;
    }

    style::Style const& m_style;
    FeatureLayer const& m_layer;
    double m_zoom;
    json m_doc;
    std::map<std::string, json const*> m_json;
    std::vector<style::StyleLayer const*> m_draw;
    std::vector<style::StyleLayer const*> m_label_layers;
    detail::CategoryWords m_words{m_doc};
    std::map<std::string, int> m_priority;
    std::vector<std::string> m_notes;
};

} // namespace

QgisLayerStyle qgis_style(style::Style const& st, FeatureLayer const& layer, double zoom)
{
    auto const model = ModelBuilder(st, layer, zoom).build();
    QgisLayerStyle out;
    out.layer = layer.name;
    out.field = model.field;
    out.renderer = model.field.empty() ? "singleSymbol" : "categorizedSymbol";
    out.qml = detail::write_qml(model);
    out.sld = detail::write_sld(model);
    out.notes = model.notes;
    return out;
}

} // namespace sahelmap::exports

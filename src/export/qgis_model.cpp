// From a MapLibre style and a data layer to the QGIS style model: which
// field categorizes, which style layers draw each category, their values.
#include "qgis_model.hpp"

#include "sahelmap/export/qgis_style.hpp"
#include "sahelmap/style/introspection.hpp"

#include <algorithm>
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

constexpr std::size_t kMaxCategories = 64;
constexpr std::size_t kMaxStyleLayers = 64; ///< per data layer; more are ignored

bool has_text(style::SymbolLayer const& s)
{
    return !(s.text_field.is_constant() && s.text_field.constant().empty());
}
bool has_icon(style::SymbolLayer const& s)
{
    return !(s.icon_image.is_constant() && s.icon_image.constant().empty());
}

/// F when every filter of `draw` is ["==", ["get", F], value].
std::string common_equality_field(std::vector<style::StyleLayer const*> const& draw)
{
    std::string common;
    for (auto const* l : draw) {
        auto const c = l->filter ? style::as_constraint(*l->filter) : std::nullopt;
        if (!c || c->relation != style::Relation::equal || (!common.empty() && c->field != common)) return {};
        common = c->field;
    }
    return common;
}

/// The field of the first `match` on a field of `schema` in the
/// properties of `draw`: paint before layout, then style layer by style
/// layer, each layer's properties by name.
std::string first_match_field(std::vector<style::StyleLayer const*> const& draw, Schema const& schema)
{
    for (auto section : {style::PropertySection::paint, style::PropertySection::layout})
        for (auto const* l : draw) {
            auto props = style::property_expressions(*l);
            // By name, as this export has always looked (it read the
            // properties from a JSON object that sorts its keys).
            std::sort(props.begin(), props.end(), [](auto const& a, auto const& b) { return a.name < b.name; });
            for (auto const& p : props)
                if (p.section == section)
                    for (auto const& m : style::field_matches(*p.expression))
                        if (schema.index_of(m.field) >= 0) return m.field;
        }
    return {};
}

class ModelBuilder {
public:
    ModelBuilder(style::Style const& st, FeatureLayer const& layer, double zoom)
        : m_style(st), m_layer(layer), m_reading(layer, zoom), m_words(st)
    {
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
            if (!render) m.single.layers = {detail::default_symbol(m_layer.kind)};
        }
        for (auto const* l : m_label_layers) {
            auto const p = m_priority.find(l->id);
            if (auto lab = detail::label_rule(m_reading, *l, p == m_priority.end() ? LabelSpec{}.priority : p->second))
                m.labels.push_back(std::move(*lab));
        }
        for (auto& n : m_reading.notes()) m.notes.push_back(std::move(n));
        return m;
    }

private:
    void collect(LayerModel&)
    {
        for (auto const& l : m_style.layers()) {
            if (l.source_layer != m_layer.name || !l.visible) continue;
            if (l.time_mode == style::TimeMode::ended) {
                m_reading.notes().push_back("style layer " + l.id + " (features whose validity ended) is left out");
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
                m_reading.notes().push_back("style layer " + l.id + " (" + std::string(style::to_string(l.type)) +
                                            ") has no QGIS vector counterpart");
                break;
            }
            if (draws && m_draw.size() < kMaxStyleLayers) m_draw.push_back(&l);
        }
        if (m_draw.empty())
            m_reading.notes().push_back("the style draws no symbol for this layer: a plain grey symbol stands in");
    }

    std::string category_field() const
    {
        if (m_draw.empty()) return {};
        if (auto f = common_equality_field(m_draw); !f.empty() && m_layer.schema.index_of(f) >= 0) return f;
        return first_match_field(m_draw, m_layer.schema);
    }

    /// The symbol of the most common combination of style layers among `members`.
    SymbolSpec symbol_for(std::vector<std::size_t> const& members, bool* render)
    {
        std::map<std::vector<bool>, std::pair<std::size_t, std::size_t>> masks; // mask → (count, first member)
        for (auto i : members) {
            std::vector<bool> mask(m_draw.size());
            for (std::size_t k = 0; k < m_draw.size(); ++k) mask[k] = m_reading.passes(*m_draw[k], i);
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
            s.layers = {detail::default_symbol(m_layer.kind)};
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
                if (m_reading.passes(*m_draw[k], members[j])) {
                    if (first[k] == members.size()) first[k] = j;
                    ++passing;
                }
            if (passing == 0 || passing == members.size()) continue;
            try {
                // A layer that passes only some features has a filter.
                conditions[k] = detail::qgis_expression(*m_draw[k]->filter, m_reading.zoom());
            } catch (std::exception const&) {
                exact = false;
            }
        }
        if (!exact && masks.size() > 1 && m_draw.size() > 1)
            m_reading.note_once(
                "features drawn by other combinations of style layers take their category's most common one");
        for (std::size_t k = 0; k < m_draw.size(); ++k) {
            bool const common = best[k];
            if (exact ? first[k] == members.size() : !common) continue;
            std::size_t const before = s.layers.size();
            detail::add_symbol_layers(m_reading, *m_draw[k], exact ? members[first[k]] : representative, s);
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

    style::Style const& m_style;
    FeatureLayer const& m_layer;
    detail::LayerReading m_reading;
    std::vector<style::StyleLayer const*> m_draw;
    std::vector<style::StyleLayer const*> m_label_layers;
    detail::CategoryWords m_words;
    std::map<std::string, int> m_priority;
};

} // namespace

namespace detail {

bool LayerReading::passes(style::StyleLayer const& l, std::size_t feature) const
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

void LayerReading::note_once(std::string const& text)
{
    if (std::find(m_notes.begin(), m_notes.end(), text) == m_notes.end()) m_notes.push_back(text);
}

} // namespace detail

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

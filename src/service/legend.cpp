#include "sahelmap/service/legend.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/service/change.hpp"
#include "sahelmap/source/words.hpp"
#include "sahelmap/style/introspection.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <set>

namespace sahelmap::service {

namespace {

using render::LegendRow;
using RowKind = render::LegendRowKind;
using Sample = render::LegendSample;

bool is_upper_word(std::string const& s)
{
    return std::none_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

/// "former_western_base" → "Former Western Base"; "AES" stays.
std::string humanize(std::string s)
{
    if (is_upper_word(s)) return s;
    std::replace(s.begin(), s.end(), '_', ' ');
    std::replace(s.begin(), s.end(), '-', ' ');
    std::string out;
    std::size_t start = 0;
    while (start <= s.size()) {
        auto end = s.find(' ', start);
        if (end == std::string::npos) end = s.size();
        std::string word = s.substr(start, end - start);
        if (word == "aes" || word == "us" || word == "un" || word == "ecowas")
            for (auto& c : word) c = static_cast<char>(c - 'a' + 'A');
        else if (!word.empty() && word[0] >= 'a' && word[0] <= 'z')
            word[0] = static_cast<char>(word[0] - 'a' + 'A');
        if (!word.empty()) out += (out.empty() ? "" : " ") + word;
        start = end + 1;
    }
    return out;
}

/// The reference tables' codes in words for a legend's reader ("Africa
/// Corps", not russia_africa_corps), each row starting with a capital;
/// other values are humanized.
std::string worded(std::string const& code)
{
    if (auto const words = source::code_words(code); !words.empty()) {
        std::string out(words);
        if (out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
        return out;
    }
    if (auto const change = change_words(code); !change.empty()) return std::string(change);
    return humanize(code);
}

std::string value_text(Value const& v)
{
    if (auto const* s = v.as_string()) return *s;
    if (auto const* d = v.as_number()) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g", *d);
        return buf;
    }
    if (auto const* b = v.as_bool()) return *b ? "true" : "false";
    return {};
}

using Attributes = std::vector<std::pair<std::string, Value>>;

/// The first match on a field inside a property, if it is an expression.
template <class T> std::optional<style::FieldMatch> find_match(style::Property<T> const& p)
{
    if (!p.expression()) return std::nullopt;
    auto matches = style::field_matches(*p.expression());
    if (matches.empty()) return std::nullopt;
    return std::move(matches.front());
}

/// Attribute values a filter pins down: == and in give a value, >= and <= a bound.
void filter_values(style::StyleLayer const& sl, Attributes& out, Attributes& bounds)
{
    if (!sl.filter) return;
    for (auto& c : style::constraints(*sl.filter)) {
        // A bound is a value to sample with, but no name for the row.
        bool const bound = c.relation == style::Relation::at_least || c.relation == style::Relation::at_most;
        (bound ? bounds : out).emplace_back(std::move(c.field), std::move(c.values.front()));
    }
}

/// The match on a field that colours the layer's features.
std::optional<style::FieldMatch> colour_match(style::StyleLayer const& sl)
{
    if (auto const* f = std::get_if<style::FillLayer>(&sl.props)) return find_match(f->color);
    if (auto const* l = std::get_if<style::LineLayer>(&sl.props)) return find_match(l->color);
    if (auto const* c = std::get_if<style::CircleLayer>(&sl.props)) return find_match(c->color);
    if (auto const* s = std::get_if<style::SymbolLayer>(&sl.props)) return find_match(s->icon_color);
    return std::nullopt;
}

struct Section {
    std::string name;
    std::size_t order = 0; ///< the topmost style layer drawing it
    std::vector<LegendRow> rows;
    std::vector<LegendRow> colour_key;
    std::set<std::string> colour_keys_done;
};

void add_entry(Section& s, LegendRow row)
{
    for (auto& r : s.rows)
        if (r.kind == RowKind::entry && r.label == row.label) {
            r.swatch.insert(r.swatch.end(), row.swatch.begin(), row.swatch.end());
            return;
        }
    s.rows.push_back(std::move(row));
}

Sample sample(std::size_t layer, Attributes const& attrs)
{
    Sample s{layer, {}};
    for (auto const& [k, v] : attrs) {
        bool replaced = false;
        for (auto& a : s.attributes)
            if (a.first == k) {
                a.second = v;
                replaced = true;
            }
        if (!replaced) s.attributes.emplace_back(k, v);
    }
    return s;
}

/// A row named by its layer id, without the section's name it repeats
/// ("places-towns" under Places is "Towns").
std::string id_label(std::string const& id, std::string const& section)
{
    auto const words = humanize(id), prefix = humanize(section) + " ";
    return words.size() > prefix.size() && words.compare(0, prefix.size(), prefix) == 0
               ? humanize(words.substr(prefix.size()))
               : words;
}

std::string label_for(std::string const& key, Value const& v)
{
    auto const text = worded(value_text(v));
    if (key == "confidence") return text + " confidence";
    return text;
}

/// Whether a style layer's filter lets a sample feature through.
bool sample_passes(style::StyleLayer const& sl, Attributes const& attrs, double zoom)
{
    if (!sl.filter) return true;
    Schema schema;
    std::vector<Value> values;
    for (auto const& [k, v] : attrs) {
        schema.fields.push_back(k);
        values.push_back(v);
    }
    try {
        auto const v = sl.filter->evaluate({zoom, FeatureRef{&schema, &values, 0, GeometryKind::point}});
        auto const* b = v.as_bool();
        return b && *b;
    } catch (style::EvaluationError const&) {
        return false;
    }
}

/// A row that shows how the style draws one attribute of a site (its
/// confidence, status or strength): a typical site as every present-time
/// symbol layer of the sites draws it, at each value. Drawn by the style's
/// own properties, so a style that does not encode the attribute shows
/// equal swatches, and the legend cannot claim what the map does not draw.
std::optional<LegendRow> site_variants(style::Style const& style, std::optional<double> zoom, std::string label,
                                       std::string const& key, std::vector<std::pair<Value, std::string>> const& values)
{
    Attributes const typical = {{"kind", "forward_base"}, {"actor", "russia_africa_corps"}, {"status", "active"},
                                {"strength", 3},          {"confidence", "high"},           {"in_model", "yes"}};
    LegendRow row;
    row.kind = RowKind::variants;
    row.label = std::move(label);
    auto const& layers = style.layers();
    for (auto const& [value, caption] : values) {
        auto attrs = typical;
        for (auto& a : attrs)
            if (a.first == key) a.second = value;
        std::vector<Sample> swatch;
        for (std::size_t i = 0; i < layers.size(); ++i) {
            auto const& sl = layers[i];
            auto const* sym = std::get_if<style::SymbolLayer>(&sl.props);
            bool const symbol = std::holds_alternative<style::CircleLayer>(sl.props) ||
                                (sym && !(sym->icon_image.is_constant() && sym->icon_image.constant().empty()));
            if (sl.source_layer != "sites" || sl.time_mode != style::TimeMode::present || !symbol || !sl.visible ||
                (zoom && !sl.visible_at(*zoom)))
                continue;
            if (sample_passes(sl, attrs, zoom.value_or(6))) swatch.push_back(sample(i, attrs));
        }
        if (swatch.empty()) return std::nullopt;
        row.classes.push_back(std::move(swatch));
        row.class_labels.push_back(caption);
    }
    return row;
}

} // namespace

std::vector<render::LegendRow> legend_rows(style::Style const& style, std::optional<std::string> const& only,
                                           std::optional<double> zoom)
{
    auto const& layers = style.layers();
    std::map<std::string, Section> sections;

    for (std::size_t i = 0; i < layers.size(); ++i) {
        auto const& sl = layers[i];
        if (sl.type == style::LayerType::background || sl.source_layer.empty() || !sl.visible) continue;
        if (zoom && !sl.visible_at(*zoom)) continue;
        if (only && *only != sl.source_layer && *only != sl.id) continue;
        auto const* sym = std::get_if<style::SymbolLayer>(&sl.props);
        if (sym && sym->icon_image.is_constant() && sym->icon_image.constant().empty()) continue; // labels only

        auto& sec = sections[sl.source_layer];
        sec.name = sl.source_layer;
        sec.order = i;

        if (sl.type == style::LayerType::heatmap) {
            auto const& heat = std::get<style::HeatmapLayer>(sl.props);
            LegendRow r;
            r.kind = RowKind::ramp;
            r.label = humanize(heat.field) + " presence (0 to 1)";
            r.ramp_layer = i;
            sec.rows.push_back(std::move(r));
            continue;
        }

        Attributes fixed, bounds;
        filter_values(sl, fixed, bounds);
        std::optional<style::FieldMatch> shape;
        if (sym) shape = find_match(sym->icon_image);
        auto colour = colour_match(sl);
        if (colour && shape && colour->field == shape->field) colour.reset();
        std::string const suffix = sl.time_mode == style::TimeMode::ended ? " (withdrawn)" : "";

        auto colour_key = [&](style::FieldMatch const& m) {
            if (!sec.colour_keys_done.insert(m.field).second) return;
            LegendRow head;
            head.kind = RowKind::subheading;
            head.label = "Colour: " + humanize(m.field);
            sec.colour_key.push_back(head);
            for (auto const& v : m.labels()) {
                LegendRow r;
                r.label = worded(value_text(v));
                r.swatch.push_back(sample(i, {{m.field, v}}));
                sec.colour_key.push_back(std::move(r));
            }
        };

        if (shape) {
            std::vector<Value> values = shape->labels();
            for (auto const& [k, v] : fixed)
                if (k == shape->field) values = {v};
            if (values.size() > 1) {
                LegendRow head;
                head.kind = RowKind::subheading;
                head.label = "Shape: " + humanize(shape->field);
                sec.rows.push_back(head);
            }
            for (auto const& v : values) {
                auto attrs = fixed;
                attrs.emplace_back(shape->field, v);
                LegendRow r;
                r.label = worded(value_text(v)) + suffix;
                r.swatch.push_back(sample(i, attrs));
                add_entry(sec, std::move(r));
            }
            if (colour) colour_key(*colour);
            continue;
        }

        // Classes: a colour by category with an opacity interpolated over a
        // feature value (the influence layer: dominant bloc × score).
        std::vector<double> stops;
        std::vector<std::string> stop_keys;
        if (auto const* fill = std::get_if<style::FillLayer>(&sl.props); fill && fill->opacity.expression())
            if (auto ramp = style::as_ramp(*fill->opacity.expression())) {
                stop_keys = style::fields_read(*ramp->input);
                stops = ramp->stops;
            }
        if (colour && fixed.empty() && !stop_keys.empty() && stops.size() >= 2) {
            LegendRow head;
            head.kind = RowKind::classes_header;
            head.label = humanize(colour->field);
            for (double s : stops) {
                char buf[32];
                std::snprintf(buf, sizeof buf, "%g", s);
                head.class_labels.emplace_back(buf);
            }
            sec.rows.push_back(head);
            for (auto const& v : colour->labels()) {
                LegendRow r;
                r.kind = RowKind::classes;
                r.label = humanize(value_text(v));
                for (double s : stops) {
                    Attributes attrs{{colour->field, v}};
                    for (auto const& k : stop_keys) attrs.emplace_back(k, s);
                    r.classes.push_back({sample(i, attrs)});
                }
                sec.rows.push_back(std::move(r));
            }
            continue;
        }
        if (colour && fixed.empty()) {
            for (auto const& v : colour->labels()) {
                LegendRow r;
                r.label = worded(value_text(v)) + suffix;
                r.swatch.push_back(sample(i, {{colour->field, v}}));
                add_entry(sec, std::move(r));
            }
            continue;
        }
        LegendRow r;
        r.label =
            (fixed.empty() ? id_label(sl.id, sl.source_layer) : label_for(fixed.front().first, fixed.front().second)) +
            suffix;
        auto attrs = fixed;
        attrs.insert(attrs.end(), bounds.begin(), bounds.end());
        r.swatch.push_back(sample(i, attrs));
        add_entry(sec, std::move(r));
        if (colour) colour_key(*colour);
    }

    // "Former Western base" beside "Former Western base (withdrawn)" says
    // one thing twice: the withdrawn row stays.
    for (auto& [name, sec] : sections) {
        std::set<std::string> labels;
        for (auto const& r : sec.rows)
            if (r.kind == RowKind::entry) labels.insert(r.label);
        std::erase_if(sec.rows, [&](LegendRow const& r) {
            return r.kind == RowKind::entry && labels.count(r.label + " (withdrawn)") > 0;
        });
    }

    // A site's confidence, status and strength, each on one row.
    if (auto it = sections.find("sites"); it != sections.end()) {
        for (auto& row : {site_variants(style, zoom, "Confidence", "confidence",
                                        {{"high", "high"}, {"medium", "medium"}, {"low", "low"}}),
                          site_variants(style, zoom, "Status", "status",
                                        {{"active", "active"}, {"reinforcing", "reinf."}, {"planned", "planned"}}),
                          site_variants(style, zoom, "Strength", "strength", {{1, "1"}, {3, "3"}, {5, "5"}})})
            if (row) it->second.rows.push_back(*row);
    }

    std::vector<Section*> ordered;
    for (auto& [name, s] : sections)
        if (!s.rows.empty() || !s.colour_key.empty()) ordered.push_back(&s);
    std::sort(ordered.begin(), ordered.end(), [](Section const* a, Section const* b) { return a->order > b->order; });
    std::vector<LegendRow> out;
    std::set<std::string> emitted_keys;
    for (auto* s : ordered) {
        LegendRow head;
        head.kind = RowKind::heading;
        head.label = humanize(s->name);
        head.section = s->name;
        out.push_back(head);
        for (auto& r : s->rows) {
            r.section = s->name;
            out.push_back(std::move(r));
        }
        // A colour key shared by several layers (actor: sites and corridors)
        // is shown once, in the first section that has it.
        bool skip = false;
        for (auto& r : s->colour_key) {
            if (r.kind == RowKind::subheading) skip = !emitted_keys.insert(r.label).second;
            if (skip) continue;
            r.section = s->name;
            out.push_back(std::move(r));
        }
    }
    return out;
}

Image legend_image(style::Style const& style, std::optional<std::string> const& layer, double scale)
{
    auto const rows = legend_rows(style, layer, std::nullopt);
    if (rows.empty()) {
        if (layer) throw NotFound("style '" + style.id() + "' draws no layer '" + layer->substr(0, 64) + "'");
        throw NotFound("style '" + style.id() + "' has nothing to put in a legend");
    }
    return render::legend_image(style, rows, scale);
}

} // namespace sahelmap::service

#include "sahelmap/service/change.hpp"

#include "sahelmap/core/error.hpp"

#include <array>
#include <utility>

namespace sahelmap::service {

namespace {

/// Appends fields to a copied layer: every feature gets a value per new field.
void add_fields(FeatureLayer& layer, std::initializer_list<char const*> names)
{
    for (char const* n : names) layer.schema.fields.emplace_back(n);
}

FeatureLayer region_changes(influence::InfluenceModel const& model, ChangeSpan span)
{
    auto const before = model.compute(span.from);
    auto const now = model.compute(span.to);
    auto const& regions = model.grid().regions();
    FeatureLayer layer;
    layer.name = "regions";
    layer.source = "influence model over " + model.grid().layer_source() + ", " + span.from.to_string() + " and " +
                   span.to.to_string();
    layer.kind = GeometryKind::polygon;
    layer.has_validity = true;
    add_fields(layer, {"name", "iso3", "code", "before", "now", "change", "was", "certainty"});
    for (std::size_t r = 0; r < regions.size() && r < now->regions.size() && r < before->regions.size(); ++r) {
        auto const& info = regions[r];
        // The regions as the later date knows them: a layout that came in
        // between is compared with the same ground's earlier scores.
        if (!info.validity.contains(span.to)) continue;
        auto const& was = before->regions[r].dominant;
        auto const& is = now->regions[r].dominant;
        bool const changed = was != is;
        Feature f;
        f.fid = static_cast<std::int64_t>(r);
        f.geometry = info.geometry;
        f.bbox = info.bbox;
        f.validity = info.validity;
        f.values = {Value(info.name),
                    Value(info.iso3),
                    Value(info.code),
                    Value(was),
                    Value(is),
                    Value(changed ? "to_" + is : std::string("unchanged")),
                    Value(changed ? "was " + was : std::string()),
                    Value(now->regions[r].certainty)};
        layer.extent.expand(f.bbox);
        layer.features.push_back(std::move(f));
    }
    return layer;
}

FeatureLayer site_changes(FeatureLayer const& sites, ChangeSpan span)
{
    FeatureLayer layer;
    layer.name = sites.name;
    layer.source = sites.source;
    layer.kind = sites.kind;
    layer.schema = sites.schema;
    layer.has_validity = false;
    add_fields(layer, {"change", "change_note"});
    for (auto const& s : sites.features) {
        bool const then = s.validity.contains(span.from), now = s.validity.contains(span.to);
        if (!then && !now) continue;
        Feature f = s;
        // Drawn whatever its dates: the change is the point of the map.
        f.validity = {};
        if (then && now) {
            f.values.emplace_back("kept");
            f.values.emplace_back("");
        } else if (now) {
            f.values.emplace_back("opened");
            f.values.emplace_back(s.validity.from ? "opened " + s.validity.from->to_string() : std::string("opened"));
        } else {
            f.values.emplace_back("closed");
            f.values.emplace_back(s.validity.to ? "left " + s.validity.to->to_string() : std::string("left"));
        }
        layer.extent.expand(f.bbox);
        layer.features.push_back(std::move(f));
    }
    return layer;
}

} // namespace

ChangeSpan change_span(Date time, Date compare)
{
    if (time == compare)
        throw BadRequest("the compare date " + compare.to_string() +
                         " is the map's own date: a change map needs two different days");
    return time < compare ? ChangeSpan{time, compare} : ChangeSpan{compare, time};
}

std::string_view change_words(std::string_view value) noexcept
{
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 9> words = {{
        {"unchanged", "Dominant bloc unchanged"},
        {"to_russia", "Now Russia"},
        {"to_western", "Now Western"},
        {"to_turkey", "Now Turkey"},
        {"to_contested", "Now contested"},
        {"to_none", "Now no dominant bloc"},
        {"opened", "Opened"},
        {"closed", "Closed or left"},
        {"kept", "In place at both dates"},
    }};
    for (auto const& [code, text] : words)
        if (code == value) return text;
    return {};
}

std::shared_ptr<FeatureStore const> change_store(FeatureStore const& store, influence::InfluenceModel const* model,
                                                 ChangeSpan span)
{
    auto out = std::make_shared<FeatureStore>();
    for (char const* name : {"countries", "borders", "places"})
        if (auto const* l = store.find(name)) out->layers.push_back(*l);
    if (model) out->layers.push_back(region_changes(*model, span));
    if (auto const* sites = store.find("sites")) out->layers.push_back(site_changes(*sites, span));
    return out;
}

} // namespace sahelmap::service

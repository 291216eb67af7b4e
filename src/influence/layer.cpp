#include "sahelmap/influence/layer.hpp"

namespace sahelmap::influence {

namespace {

Value date_value(std::optional<Date> const& d)
{
    return d ? Value(d->to_string()) : Value();
}

/// "Gao · Africa Corps; Tessalit · Africa Corps": the few sites that make a
/// region's score, largest expected presence first.
std::string contributors_text(RegionInfluence const& r, std::vector<std::string> const& blocs)
{
    constexpr std::size_t kShown = 3;
    std::string text;
    for (std::size_t i = 0; i < r.contributors.size() && i < kShown; ++i)
        text += (text.empty() ? "" : "; ") + r.contributors[i].label + " (" + blocs[r.contributors[i].bloc] + ")";
    return text;
}

} // namespace

FeatureLayer make_layer(RegionGrid const& grid, InfluenceResult const& result, InfluenceResult const* baseline,
                        std::optional<Date> in_force_at)
{
    FeatureLayer layer;
    layer.name = kLayerName;
    layer.source = "influence model over " + grid.layer_source();
    layer.kind = GeometryKind::polygon;
    layer.schema.fields = {"iso3", "name", "code", "layout"};
    for (char const* measure : {"score_", "low_", "high_", "p_"})
        for (auto const& b : result.blocs) layer.schema.fields.push_back(measure + b);
    for (char const* field : {"p_contested", "p_none", "dominant", "certainty", "contributors", "valid_from", "valid_to"})
        layer.schema.fields.emplace_back(field);
    if (baseline)
        for (auto const& b : result.blocs) layer.schema.fields.push_back("change_" + b);

    auto const& regions = grid.regions();
    layer.features.reserve(regions.size());
    for (std::size_t r = 0; r < regions.size() && r < result.regions.size(); ++r) {
        auto const& info = regions[r];
        auto const& scores = result.regions[r];
        if (in_force_at && !info.validity.contains(*in_force_at)) continue;
        Feature f;
        f.fid = static_cast<std::int64_t>(r);
        f.geometry = info.geometry;
        f.bbox = info.bbox;
        f.validity = info.validity;
        f.values.reserve(layer.schema.fields.size());
        f.values.emplace_back(info.iso3);
        f.values.emplace_back(info.name);
        f.values.emplace_back(info.code);
        f.values.emplace_back(info.layout.empty() ? Value() : Value(info.layout));
        for (auto const& s : scores.blocs) f.values.emplace_back(s.score);
        for (auto const& s : scores.blocs) f.values.emplace_back(s.low);
        for (auto const& s : scores.blocs) f.values.emplace_back(s.high);
        for (auto const& s : scores.blocs) f.values.emplace_back(s.p);
        f.values.emplace_back(scores.p_contested);
        f.values.emplace_back(scores.p_none);
        f.values.emplace_back(scores.dominant);
        f.values.emplace_back(scores.certainty);
        f.values.emplace_back(contributors_text(scores, result.blocs));
        f.values.push_back(date_value(info.validity.from));
        f.values.push_back(date_value(info.validity.to));
        if (baseline)
            for (std::size_t b = 0; b < scores.blocs.size(); ++b)
                f.values.emplace_back(scores.blocs[b].score - baseline->regions[r].blocs[b].score);
        layer.extent.expand(f.bbox);
        layer.features.push_back(std::move(f));
    }
    return layer;
}

FeatureLayer make_layer(InfluenceModel const& model, Date t, std::optional<Date> baseline)
{
    auto const at = model.compute(t);
    if (!baseline) return make_layer(model.grid(), *at, nullptr, t);
    auto const before = model.compute(*baseline);
    return make_layer(model.grid(), *at, before.get(), t);
}

} // namespace sahelmap::influence

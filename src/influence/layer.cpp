#include "sahelmap/influence/layer.hpp"

namespace sahelmap::influence {

FeatureLayer make_layer(RegionGrid const& grid, InfluenceResult const& result, InfluenceResult const* baseline)
{
    FeatureLayer layer;
    layer.name = kLayerName;
    layer.source = "influence model over " + grid.layer_source();
    layer.kind = GeometryKind::polygon;
    layer.schema.fields = {"iso3", "name", "region", "code"};
    for (char const* measure : {"score_", "max_", "share_"})
        for (auto const& b : result.blocs) layer.schema.fields.push_back(measure + b);
    layer.schema.fields.push_back("dominant");
    if (baseline)
        for (auto const& b : result.blocs) layer.schema.fields.push_back("change_" + b);

    auto const& regions = grid.regions();
    layer.features.reserve(regions.size());
    for (std::size_t r = 0; r < regions.size() && r < result.regions.size(); ++r) {
        auto const& info = regions[r];
        auto const& scores = result.regions[r];
        Feature f;
        f.fid = static_cast<std::int64_t>(r);
        f.geometry = info.geometry;
        f.bbox = info.bbox;
        f.values.reserve(layer.schema.fields.size());
        f.values.emplace_back(info.iso3);
        f.values.emplace_back(info.name);
        f.values.emplace_back(info.region.empty() ? Value() : Value(info.region));
        f.values.emplace_back(info.code);
        for (auto const& s : scores.blocs) f.values.emplace_back(s.score);
        for (auto const& s : scores.blocs) f.values.emplace_back(s.max);
        for (auto const& s : scores.blocs) f.values.emplace_back(s.share);
        f.values.emplace_back(scores.dominant);
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
    if (!baseline) return make_layer(model.grid(), *at);
    auto const before = model.compute(*baseline);
    return make_layer(model.grid(), *at, before.get());
}

} // namespace sahelmap::influence

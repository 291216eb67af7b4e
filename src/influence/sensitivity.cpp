#include "sahelmap/influence/sensitivity.hpp"

#include "draws.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/influence/model.hpp"

#include <algorithm>
#include <cmath>

namespace sahelmap::influence {

Sensitivity sensitivity(FeatureStore const& store, Params const& params, Date t)
{
    auto const base = InfluenceModel::build(store, params);
    auto const reference = base->compute(t);
    auto const& grid_regions = base->grid().regions();
    Sensitivity out;
    out.time = t;
    out.runs = params.sensitivity.runs;
    std::vector<std::size_t> in_force;
    for (std::size_t r = 0; r < grid_regions.size(); ++r) {
        if (!grid_regions[r].validity.contains(t)) continue;
        in_force.push_back(r);
        auto const& ref = reference->regions[r];
        out.regions.push_back({ref.iso3, ref.code, ref.name, ref.dominant, 0, {}, grid_regions[r].geometry,
                               grid_regions[r].bbox});
    }
    auto const& sp = params.sensitivity;
    detail::SplitMix draws{sp.seed};
    for (int run = 0; run < sp.runs; ++run) {
        Params varied = params;
        for (auto const& knob : tunables(varied)) {
            double const u = draws.symmetric();
            switch (knob.kind) {
            case Tunable::Kind::scale: *knob.value *= std::exp(u * std::log(sp.scale)); break;
            case Tunable::Kind::probability:
                *knob.value = std::clamp(*knob.value + u * sp.probability_shift, 0.01, 0.99);
                break;
            case Tunable::Kind::threshold: *knob.value *= std::exp(u * std::log(sp.min_score_scale)); break;
            }
        }
        // Same regions and grid settings: reuse the rasterised cells.
        auto const model = InfluenceModel::build(store, varied, base->grid_ptr());
        auto const result = model->compute(t);
        for (std::size_t i = 0; i < in_force.size(); ++i) {
            auto const& dominant = result->regions[in_force[i]].dominant;
            auto& region = out.regions[i];
            ++region.outcomes[dominant];
            if (dominant != region.dominant) ++region.changed;
        }
    }
    return out;
}

FeatureLayer sensitivity_layer(Sensitivity const& s)
{
    FeatureLayer layer;
    layer.name = "sensitivity";
    layer.source = "influence --sensitivity on " + s.time.to_string();
    layer.kind = GeometryKind::polygon;
    layer.schema.fields = {"iso3", "code", "name", "dominant", "changed", "runs", "changed_share", "outcomes"};
    std::int64_t fid = 0;
    for (auto const& r : s.regions) {
        Feature f;
        f.fid = fid++;
        f.geometry = r.geometry;
        f.bbox = r.bbox;
        std::string outcomes;
        for (auto const& [name, n] : r.outcomes) outcomes += (outcomes.empty() ? "" : "; ") + name + " " + std::to_string(n);
        f.values = {Value(r.iso3), Value(r.code), Value(r.name), Value(r.dominant), Value(r.changed), Value(s.runs),
                    Value(s.runs > 0 ? static_cast<double>(r.changed) / s.runs : 0.0), Value(outcomes)};
        layer.extent.expand(f.bbox);
        layer.features.push_back(std::move(f));
    }
    return layer;
}

} // namespace sahelmap::influence

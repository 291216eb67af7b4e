#include "sahelmap/influence/sensitivity.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/influence/model.hpp"

namespace sahelmap::influence {

std::vector<SensitivityRow> sensitivity(FeatureStore const& store, Params const& params, Date t)
{
    auto const base = InfluenceModel::build(store, params);
    auto const reference = base->compute(t);
    Params varied = params;
    auto const knobs = tunables(varied);
    std::vector<SensitivityRow> rows;
    rows.reserve(knobs.size() * 2);
    for (auto const& knob : knobs) {
        double const original = *knob.value;
        for (double factor : {0.5, 2.0}) {
            *knob.value = original * factor;
            // Same regions and grid settings: reuse the rasterised cells.
            auto const model = InfluenceModel::build(store, varied, base->grid_ptr());
            auto const result = model->compute(t);
            SensitivityRow row{knob.path, original, factor, {}};
            for (std::size_t r = 0; r < result->regions.size(); ++r) {
                auto const& before = reference->regions[r];
                auto const& after = result->regions[r];
                if (before.dominant != after.dominant)
                    row.changes.push_back({before.code, before.name, before.dominant, after.dominant});
            }
            rows.push_back(std::move(row));
        }
        *knob.value = original;
    }
    return rows;
}

} // namespace sahelmap::influence

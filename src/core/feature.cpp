#include "sahelmap/core/feature.hpp"

#include <algorithm>

namespace sahelmap {

std::vector<Date> FeatureStore::change_dates() const
{
    std::vector<Date> dates;
    for (auto const& layer : layers)
        for (auto const& f : layer.features) {
            if (f.validity.from) dates.push_back(*f.validity.from);
            if (f.validity.to) dates.push_back(*f.validity.to);
        }
    std::sort(dates.begin(), dates.end());
    dates.erase(std::unique(dates.begin(), dates.end()), dates.end());
    return dates;
}

} // namespace sahelmap

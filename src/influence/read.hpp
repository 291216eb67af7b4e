#pragma once
// Internal to src/influence: reading the attributes the model needs.
#include "sahelmap/core/error.hpp"
#include "sahelmap/core/feature.hpp"

#include <string>

namespace sahelmap::influence::detail {

/// Index of a field the model cannot do without; DataError naming the layer otherwise.
inline std::size_t require_field(FeatureLayer const& layer, char const* name)
{
    int const i = layer.schema.index_of(name);
    if (i < 0)
        throw DataError("influence: layer " + layer.name + " (" + layer.source + ") has no field '" + name + "'");
    return static_cast<std::size_t>(i);
}

/// A field as text; null is the empty string.
inline std::string text_of(Feature const& f, std::size_t field)
{
    Value const& v = f.values[field];
    if (auto const* s = v.as_string()) return *s;
    return v.is_null() ? std::string() : v.to_string();
}

/// The sample-set bucket side for region cells and field queries: a few
/// cells across at the default cell size, and well under the shortest reach.
inline constexpr double kBucketMetres = 40'000;

} // namespace sahelmap::influence::detail

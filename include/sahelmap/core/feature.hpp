#pragma once
/// In-memory features: what a data layer holds once read.
#include "sahelmap/core/date.hpp"
#include "sahelmap/core/geometry.hpp"
#include "sahelmap/core/value.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sahelmap {

/// Attribute names of a layer, shared by all its features.
struct Schema {
    std::vector<std::string> fields;

    /// Index of a field, or -1.
    int index_of(std::string_view name) const noexcept
    {
        for (std::size_t i = 0; i < fields.size(); ++i)
            if (fields[i] == name) return static_cast<int>(i);
        return -1;
    }
};

struct Feature {
    std::int64_t fid = 0;
    std::vector<Value> values; ///< parallel to Schema::fields
    Geometry<LonLat> geometry;
    BBox bbox;                 ///< lon/lat
    Validity validity;         ///< from valid_from / valid_to when the layer has them
};

/// Read-only view of one feature's attributes, what expressions evaluate against.
/// Valid while the layer it points into lives.
struct FeatureRef {
    Schema const* schema = nullptr;
    std::vector<Value> const* values = nullptr;
    std::int64_t fid = 0;
    GeometryKind kind = GeometryKind::none;

    Value const* get(std::string_view name) const noexcept
    {
        if (!schema) return nullptr;
        int i = schema->index_of(name);
        return i < 0 ? nullptr : &(*values)[static_cast<std::size_t>(i)];
    }
};

/// One named data layer (countries, regions, sites, ...), in lon/lat.
struct FeatureLayer {
    std::string name;
    std::string source; ///< where it was read from, for messages and `check`
    Schema schema;
    GeometryKind kind = GeometryKind::none;
    std::vector<Feature> features;
    BBox extent;
    bool has_validity = false;

    FeatureRef ref(std::size_t i) const noexcept
    {
        return {&schema, &features[i].values, features[i].fid, kind};
    }
};

/// All data layers, immutable once loaded; shared between threads.
struct FeatureStore {
    std::vector<FeatureLayer> layers;

    FeatureLayer const* find(std::string_view name) const noexcept
    {
        for (auto const& l : layers)
            if (l.name == name) return &l;
        return nullptr;
    }
    /// Every date at which some feature appears or disappears, sorted, unique.
    std::vector<Date> change_dates() const;
};

} // namespace sahelmap

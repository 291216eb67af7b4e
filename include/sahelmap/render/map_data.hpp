#pragma once
/// Data layers made ready for drawing in one CRS: projected once, reduced
/// per zoom level on first use, indexed, with label anchors precomputed.
/// Immutable for readers; the per-level caches fill in thread-safely.
#include "sahelmap/core/date.hpp"
#include "sahelmap/core/feature.hpp"
#include "sahelmap/core/spatial_index.hpp"

#include <array>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

namespace sahelmap::render {

inline constexpr int kLevels = 25;

/// Attributes of a layer whose values change with the date but whose
/// geometry does not (the influence layer: region polygons, scores per date).
/// Returns a layer with the same features, in the same order.
using AttributeProvider = std::function<std::shared_ptr<FeatureLayer const>(Date)>;

/// Values of a continuous field (an influence bloc's presence, 0…1) at lon/lat
/// points on a date; `out` has one value per point. Throws NotFound for an
/// unknown field.
using FieldSampler =
    std::function<void(std::string const& field, Date t, std::span<LonLat const> points, std::span<float> out)>;

/// A layer computed from the others, handed to MapData::build.
struct DynamicLayer {
    FeatureLayer layer;           ///< geometry and schema; values of any date
    AttributeProvider attributes; ///< the values at a date
};

/// One data layer in the map's CRS.
class ProjectedLayer {
public:
    /// The layer as read (for a dynamic layer: its geometry and schema).
    FeatureLayer const& source() const noexcept { return *m_source; }
    /// The attributes to style with at date t: the layer itself, or for a
    /// dynamic layer the values computed for that date.
    std::shared_ptr<FeatureLayer const> attributes(Date t) const
    {
        if (m_provider) return m_provider(t);
        return {std::shared_ptr<FeatureLayer const>(), m_source}; // non-owning: lives as long as the MapData
    }
    std::size_t size() const noexcept { return m_geometry.size(); }
    Geometry<Projected> const& geometry(std::size_t i) const noexcept { return m_geometry[i]; }
    BBox const& bbox(std::size_t i) const noexcept { return m_bboxes[i]; }
    /// Where a point or polygon label goes (polygon: the interior point
    /// farthest from the outline; line: its middle vertex).
    Projected anchor(std::size_t i) const noexcept { return m_anchors[i]; }
    /// Features sharing the exact location of feature i (itself included,
    /// in data order); a single entry when it stands alone.
    std::vector<std::uint32_t> const& colocated(std::size_t i) const noexcept
    {
        return m_colocated[m_colocation_group[i]];
    }
    /// Features whose box meets `query`, in data order.
    void query(BBox const& query, std::vector<std::uint32_t>& out) const { m_index.query(query, out); }
    /// Geometry reduced for a level (grid of a quarter pixel); computed on first use.
    std::vector<Geometry<Projected>> const& at_level(int level) const;

private:
    friend class MapData;
    FeatureLayer const* m_source = nullptr;
    AttributeProvider m_provider;
    std::vector<Geometry<Projected>> m_geometry;
    std::vector<BBox> m_bboxes;
    std::vector<Projected> m_anchors;
    std::vector<std::uint32_t> m_colocation_group;
    std::vector<std::vector<std::uint32_t>> m_colocated;
    SpatialIndex m_index;
    double m_level0_cell = 1;
    mutable std::array<std::once_flag, kLevels> m_level_once;
    mutable std::array<std::vector<Geometry<Projected>>, kLevels> m_levels;
};

class MapData {
public:
    /// Projects every layer of `store` into `crs` through PROJ. For Web
    /// Mercator, level L is zoom L; other CRSs use the same ladder starting
    /// from the data's extent spread over 256 px.
    static std::shared_ptr<MapData const> build(std::shared_ptr<FeatureStore const> store,
                                                std::string crs = "EPSG:3857", std::vector<DynamicLayer> dynamic = {},
                                                FieldSampler fields = {});

    std::string const& crs() const noexcept { return m_crs; }
    /// Samples a continuous field (heatmap layers); empty when there is none.
    FieldSampler const& fields() const noexcept { return m_fields; }
    FeatureStore const& store() const noexcept { return *m_store; }
    ProjectedLayer const* layer(std::string_view name) const noexcept;
    /// Extent of all data in the CRS.
    BBox const& extent() const noexcept { return m_extent; }
    /// Map units per pixel at level 0.
    double level0_resolution() const noexcept { return m_level0_resolution; }
    /// The level whose reduction suits drawing at `units_per_pixel`.
    int level_for(double units_per_pixel) const noexcept;

    /// Dates at which the visible feature set changes; `epoch_of(t)` numbers
    /// the interval holding t, so two dates with the same epoch draw the same map.
    std::vector<Date> const& change_dates() const noexcept { return m_change_dates; }
    int epoch_of(Date t) const noexcept;

private:
    std::shared_ptr<FeatureStore const> m_store;
    std::vector<std::unique_ptr<FeatureLayer const>> m_dynamic_layers;
    std::string m_crs;
    FieldSampler m_fields;
    std::vector<std::unique_ptr<ProjectedLayer>> m_layers;
    BBox m_extent;
    double m_level0_resolution = 1;
    std::vector<Date> m_change_dates;
};

} // namespace sahelmap::render

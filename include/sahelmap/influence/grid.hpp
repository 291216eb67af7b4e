#pragma once
/// Equal-area sample cells of each region, found once (point-in-polygon)
/// and shared by every model built on the same regions and grid settings.
#include "sahelmap/core/feature.hpp"
#include "sahelmap/geo/projection.hpp"
#include "sahelmap/influence/field.hpp"
#include "sahelmap/influence/params.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sahelmap::influence {

/// One region of the regions layer, with what the influence layer copies.
struct RegionInfo {
    std::string iso3;
    std::string name;
    std::string code;
    std::string region;        ///< a larger unit the region belongs to (optional field `region`); may be empty
    std::string layout;        ///< the admin layout (optional field `layout`); may be empty
    Validity validity;         ///< when the unit is in force (valid_from / valid_to)
    Geometry<LonLat> geometry; ///< copied from the regions layer
    BBox bbox;                 ///< lon/lat
    double area_km2 = 0;       ///< in the equal-area CRS
    double cell_km = 0;        ///< side of this region's cells
    std::uint32_t cell_count = 0;
};

/// Cell centres of all regions in the grid CRS. Each region is covered by
/// square cells of one size on a lattice anchored at the CRS origin; a cell
/// belongs to the region holding its centre. Because the CRS is equal-area,
/// all cells of a region weigh the same, and a region's area-weighted mean
/// is the plain mean over its cells.
class RegionGrid {
public:
    /// Throws DataError naming the params (bad grid.crs) or the layer
    /// (no polygons, missing fields).
    static std::shared_ptr<RegionGrid const> build(FeatureLayer const& regions, Params const& params);

    std::vector<RegionInfo> const& regions() const noexcept { return m_regions; }
    GridParams const& params() const noexcept { return m_params; }
    /// lon/lat → grid CRS.
    geo::Transform const& transform() const noexcept { return m_transform; }
    std::string const& layer_source() const noexcept { return m_layer_source; }

    /// All cells, sorted into buckets; cell_region() is parallel to it.
    detail::SampleSet const& cells() const noexcept { return m_cells; }
    std::vector<std::uint32_t> const& cell_region() const noexcept { return m_cell_region; }

private:
    RegionGrid(GridParams params, geo::Transform transform)
        : m_params(std::move(params)), m_transform(std::move(transform))
    {
    }

    GridParams m_params;
    geo::Transform m_transform;
    std::string m_layer_source;
    std::vector<RegionInfo> m_regions;
    detail::SampleSet m_cells;
    std::vector<std::uint32_t> m_cell_region;
};

} // namespace sahelmap::influence

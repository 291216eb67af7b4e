#pragma once
/// The per-region influence model (docs/influence.md): each bloc's presence
/// field, a probabilistic union of Gaussian kernels around its active sites
/// and corridors, averaged over each region on an equal-area grid.
#include "sahelmap/core/date.hpp"
#include "sahelmap/core/feature.hpp"
#include "sahelmap/influence/field.hpp"
#include "sahelmap/influence/grid.hpp"
#include "sahelmap/influence/params.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sahelmap::influence {

/// One bloc's presence over one region.
struct BlocScore {
    double score = 0; ///< area-weighted mean of the field over the region, in [0, 1]
    double max = 0;   ///< highest field value in the region
    double share = 0; ///< share of the region's area where the field ≥ share_level
};

/// One region's scores; `blocs` is parallel to InfluenceResult::blocs.
struct RegionInfluence {
    std::string iso3;
    std::string name;
    std::string code;
    std::string region;
    std::vector<BlocScore> blocs;
    std::string dominant;                     ///< a bloc name, "contested" or "none"
    std::optional<std::size_t> dominant_bloc; ///< set when `dominant` names a bloc
};

/// Scores of every region at one date (shared by all dates with the same
/// active features). Immutable once computed.
struct InfluenceResult {
    std::vector<std::string> blocs;
    std::vector<RegionInfluence> regions; ///< in the order of the regions layer
    std::size_t active_features = 0;      ///< sites and corridors of some bloc active at the date

    /// The region with this code, or nullptr.
    RegionInfluence const* find(std::string_view code) const noexcept;
};

/// Two dates' results; change = scores at `at` minus scores at `baseline`.
struct InfluenceComparison {
    std::shared_ptr<InfluenceResult const> at;
    std::shared_ptr<InfluenceResult const> baseline;

    double change(std::size_t region, std::size_t bloc) const
    {
        return at->regions[region].blocs[bloc].score - baseline->regions[region].blocs[bloc].score;
    }
};

/// Built once from the data and params, then queried from any thread.
/// Regions are rasterised and features projected at build; compute() only
/// spreads the features active at a date, and caches the result.
class InfluenceModel {
public:
    /// Reads the layers `regions` (required), `sites` and `corridors`
    /// (optional). Throws DataError naming the layer, feature and field, or
    /// the params key, at fault (a kind the params do not weigh, ...).
    static std::shared_ptr<InfluenceModel const> build(FeatureStore const& store, Params params);
    /// The same on an existing grid (e.g. for sensitivity runs); the grid
    /// must come from the same regions and grid params.
    static std::shared_ptr<InfluenceModel const> build(FeatureStore const& store, Params params,
                                                       std::shared_ptr<RegionGrid const> grid);

    Params const& params() const noexcept { return m_params; }
    RegionGrid const& grid() const noexcept { return *m_grid; }
    std::shared_ptr<RegionGrid const> const& grid_ptr() const noexcept { return m_grid; }
    /// Bloc names, in the order of every per-bloc vector.
    std::vector<std::string> const& blocs() const noexcept { return m_blocs; }
    /// Throws NotFound naming the bloc and the ones that exist.
    std::size_t bloc_index(std::string_view name) const;
    /// Dates at which a feature the model uses appears or disappears, sorted.
    std::vector<Date> const& change_dates() const noexcept { return m_change_dates; }

    /// Scores of every region at `t`. Thread-safe; dates with the same
    /// active features share one result.
    std::shared_ptr<InfluenceResult const> compute(Date t) const;
    /// Scores at `at` and at `baseline`.
    InfluenceComparison compare(Date at, Date baseline) const;

    /// The bloc's field at lon/lat points (for a heatmap raster); points the
    /// grid CRS cannot project get 0. `out` has one value per point.
    void sample_field(Date t, std::size_t bloc, std::span<LonLat const> points, std::span<float> out) const;

private:
    InfluenceModel() = default;
    std::vector<std::uint32_t> active_at(Date t) const;
    std::shared_ptr<InfluenceResult const> evaluate(std::vector<std::uint32_t> const& active) const;

    Params m_params;
    std::shared_ptr<RegionGrid const> m_grid;
    std::vector<std::string> m_blocs;
    std::vector<detail::Source> m_sources;
    std::vector<Date> m_change_dates;

    // The cache changes nothing observable (results are pure functions of
    // the active set), hence mutable in a const, shared model. It holds at
    // most one entry per interval between change dates.
    mutable std::mutex m_mutex;
    mutable std::map<std::vector<std::uint32_t>, std::shared_ptr<InfluenceResult const>> m_cache;
};

} // namespace sahelmap::influence

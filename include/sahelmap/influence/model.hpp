#pragma once
/// The per-region influence model (docs/influence.md): each row of the
/// record is present with a probability set by its confidence; a bloc's
/// presence at a point is the probabilistic union of Gaussian kernels around
/// its present sites and corridors; a region's score is the strongest
/// presence at any point of it, with its expectation, interval and the
/// probability of each dominant outcome propagated exactly.
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

/// One bloc's presence over one region. Each row of the record is present
/// with its probability (docs/influence.md); the score is the strongest
/// presence of the bloc at any point of the region, and these are its
/// expected value, its interval and the chance that the bloc dominates.
struct BlocScore {
    double score = 0; ///< expected score, in [0, 1]
    double low = 0;   ///< lower end of the central interval (Params::uncertainty.interval), ≤ score
    double high = 0;  ///< upper end, ≥ score
    double p = 0;     ///< probability that the bloc is the region's dominant bloc
};

/// A site or corridor reaching a region, for people ("which rows make this").
struct Contributor {
    std::string label;       ///< the row's label or name
    std::size_t bloc = 0;    ///< index into InfluenceResult::blocs
    double presence = 0;     ///< its presence at its nearest point of the region, if real
    double probability = 0;  ///< that it is real
};

/// One region's scores; `blocs` is parallel to InfluenceResult::blocs.
struct RegionInfluence {
    std::string iso3;
    std::string name;
    std::string code;
    std::string region;                       ///< a larger unit the region belongs to (user data); may be empty
    std::string layout;                       ///< the admin layout the unit belongs to; may be empty
    Validity validity;                        ///< when the unit is in force
    std::vector<BlocScore> blocs;
    double p_contested = 0;                   ///< probability that the top two blocs are within the margin
    double p_none = 0;                        ///< probability that no bloc reaches the threshold
    double certainty = 0;                     ///< probability of `dominant`: the largest of the p's
    std::string dominant;                     ///< the most probable outcome: a bloc name, "contested" or "none"
    std::optional<std::size_t> dominant_bloc; ///< set when `dominant` names a bloc
    std::vector<Contributor> contributors;    ///< the sites reaching the region, largest expected presence first
};

/// Scores of every region at one date (shared by all dates with the same
/// active features). Immutable once computed. Regions of every admin layout
/// are scored; RegionInfluence::validity says which are in force at a date.
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

    /// How many rows continue an earlier same-bloc row at the same place
    /// (the Wagner → Africa Corps relabelling) and keep its presence.
    std::size_t continuations() const noexcept { return m_continuations; }

private:
    /// A source reaching a region: the region cell nearest to it.
    struct RegionReach {
        std::uint32_t source = 0;
        std::uint32_t anchor = 0; ///< index into the grid's cells
        double presence = 0;      ///< the source's a_f at that cell
    };

    InfluenceModel() = default;
    std::vector<std::uint32_t> active_at(Date t) const;
    std::shared_ptr<InfluenceResult const> evaluate(std::vector<std::uint32_t> const& active) const;
    void score_region(std::size_t region, std::vector<char> const& is_active, RegionInfluence& out) const;

    Params m_params;
    std::shared_ptr<RegionGrid const> m_grid;
    std::vector<std::string> m_blocs;
    std::vector<detail::Source> m_sources;
    std::vector<std::vector<RegionReach>> m_reach; ///< per region
    std::vector<Date> m_change_dates;
    std::size_t m_continuations = 0;

    // The cache changes nothing observable (results are pure functions of
    // the active set), hence mutable in a const, shared model. It holds at
    // most one entry per interval between change dates.
    mutable std::mutex m_mutex;
    mutable std::map<std::vector<std::uint32_t>, std::shared_ptr<InfluenceResult const>> m_cache;
};

} // namespace sahelmap::influence

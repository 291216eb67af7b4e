#pragma once
/// Parameters of the influence model, read from JSON (config/influence.json
/// is embedded as the default). Every number the model uses lives here, none
/// in code; docs/influence.md explains each one.
#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace sahelmap::influence {

/// Actors whose presences add up into one field (`russia` = Africa Corps,
/// Wagner, Redut, the Russian state). An actor belongs to at most one bloc;
/// actors in none (local forces, UN missions) do not count.
struct Bloc {
    std::string name; ///< lower-case letters, digits and '_': it becomes a field name (score_<bloc>)
    std::vector<std::string> actors;
};

/// A value of a data field (status, confidence) and the number it maps to.
struct Weighted {
    std::string name;
    double weight = 0;
};

/// A kind of site or mode of corridor: its weight and its reach λ (the
/// kernel's standard deviation).
struct Reach {
    std::string name;
    double weight = 0;
    double radius_km = 0;
};

/// How region cells are laid out: an equal-area projection and cell sizes.
struct GridParams {
    std::string crs;              ///< an equal-area CRS in metres (PROJ string)
    double cell_km = 0;           ///< cell side for large regions
    int min_cells_per_region = 0; ///< small regions get smaller cells, so each has about this many
    double cutoff_sigmas = 0;     ///< a feature is ignored beyond cutoff_sigmas · λ (the kernel is ~0 there)
};

/// How the presence probabilities are propagated to the region scores.
struct UncertaintyParams {
    double interval = 0.9;        ///< central probability of the [low, high] interval
    int max_exact_features = 0;   ///< up to this many features of a bloc reaching a region: every combination
    int samples = 0;              ///< beyond it: this many fixed-seed draws
    std::uint64_t seed = 0;       ///< of those draws
    double min_contribution = 0;  ///< a feature reaching a region with less than this is left out there
    int max_rows_per_region = 0;  ///< at most this many of a bloc's strongest rows are weighed per region
};

/// How `influence --sensitivity` varies the parameters, all together.
struct SensitivityParams {
    int runs = 0;                 ///< parameter sets drawn
    std::uint64_t seed = 0;       ///< of the draws
    double scale = 1;             ///< each weight and λ is multiplied by a factor in [1/scale, scale] (log-uniform)
    double probability_shift = 0; ///< each presence probability moves by up to ± this (clamped to [0.01, 0.99])
    double min_score_scale = 1;   ///< dominance.min_score is multiplied by a factor in [1/x, x]
};

struct Params {
    std::string source; ///< "embedded config/influence.json" or the file, for messages

    std::vector<Bloc> blocs;
    std::array<double, 5> strength{};  ///< site weight for strength 1 … 5
    std::vector<Reach> site_kinds;     ///< by site `kind`
    std::vector<Reach> corridor_modes; ///< by corridor `mode`
    std::vector<Weighted> confidence;  ///< probability that a row's presence is real, by `confidence`
    std::vector<Weighted> site_status; ///< factor on that probability, by site `status` (a plan may not happen)
    double continuity_m = 0;           ///< a row starting where and when a same-bloc row ends continues it

    double min_score = 0;        ///< a bloc below this score dominates nowhere
    double contested_margin = 0; ///< contested when (top − second) < margin · top
    UncertaintyParams uncertainty;
    SensitivityParams sensitivity;
    GridParams grid;

    /// The shipped parameters (config/influence.json, linked into the binary).
    static Params embedded();
    /// Reads a params file; throws DataError "influence params FILE: key ... ".
    static Params load(std::filesystem::path const& file);
    /// Parses params text; `name` is used in messages.
    static Params parse(std::string_view json, std::string const& name);

    /// Index of the bloc an actor belongs to, or -1.
    int bloc_of(std::string_view actor) const noexcept;
};

/// One tunable number of a Params, named by its JSON path
/// ("sites.kind.airbase.radius_km"), for sensitivity analysis.
struct Tunable {
    enum class Kind { scale, probability, threshold };
    std::string path;
    double* value;
    Kind kind = Kind::scale;
};

/// Every weight, λ and presence probability of `p`, and the dominance
/// threshold (not the margin or grid settings); the pointers are valid while
/// `p` lives and is not resized.
std::vector<Tunable> tunables(Params& p);

} // namespace sahelmap::influence

#include "sahelmap/influence/model.hpp"

#include "draws.hpp"
#include "read.hpp"
#include "record.hpp"
#include "sahelmap/core/error.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace sahelmap::influence {

namespace {

/// One possible state of one bloc in one region: which of its rows are real.
struct Outcome {
    double score = 0;      ///< strongest presence at any anchor
    bool eligible = false; ///< a site of the bloc is among the present rows
    double probability = 0;
};

/// Probability that a bloc's score is at most x (outcomes sorted by score).
double at_most(std::vector<Outcome> const& sorted, double x)
{
    double p = 0;
    for (auto const& o : sorted) {
        if (o.score > x + 1e-12) break;
        p += o.probability;
    }
    return p;
}

} // namespace

RegionInfluence const* InfluenceResult::find(std::string_view code) const noexcept
{
    for (auto const& r : regions)
        if (r.code == code) return &r;
    return nullptr;
}

std::shared_ptr<InfluenceModel const> InfluenceModel::build(FeatureStore const& store, Params params)
{
    auto const* regions = store.find("regions");
    if (!regions) throw DataError("influence: the data has no layer 'regions'");
    auto grid = RegionGrid::build(*regions, params);
    return build(store, std::move(params), std::move(grid));
}

std::shared_ptr<InfluenceModel const> InfluenceModel::build(FeatureStore const& store, Params params,
                                                            std::shared_ptr<RegionGrid const> grid)
{
    std::shared_ptr<InfluenceModel> m(new InfluenceModel());
    m->m_params = std::move(params);
    m->m_grid = std::move(grid);
    for (auto const& b : m->m_params.blocs) m->m_blocs.push_back(b.name);
    auto const& tr = m->m_grid->transform();
    if (auto const* sites = store.find("sites")) detail::read_sites(*sites, m->m_params, tr, m->m_sources);
    if (auto const* corridors = store.find("corridors"))
        detail::read_corridors(*corridors, m->m_params, tr, m->m_sources);
    m->m_continuations = detail::apply_continuity(m->m_sources, m->m_params.continuity_m);

    // Where each source reaches each region: the region's cell nearest to it.
    auto const& cells = m->m_grid->cells();
    auto const& cell_region = m->m_grid->cell_region();
    std::size_t const nregions = m->m_grid->regions().size();
    m->m_reach.assign(nregions, {});
    double const cutoff = m->m_params.grid.cutoff_sigmas;
    std::vector<double> best(nregions);
    std::vector<std::uint32_t> best_cell(nregions);
    for (std::size_t s = 0; s < m->m_sources.size(); ++s) {
        auto const& src = m->m_sources[s];
        std::fill(best.begin(), best.end(), std::numeric_limits<double>::infinity());
        detail::for_each_in_reach(cells, src, cutoff, [&](std::uint32_t i, double d2) {
            auto const r = cell_region[i];
            if (d2 < best[r]) {
                best[r] = d2;
                best_cell[r] = i;
            }
        });
        for (std::size_t r = 0; r < nregions; ++r) {
            if (!std::isfinite(best[r])) continue;
            // A foreign force is hosted by one state: a site's presence stops at its host country's
            // border (docs/influence.md, "Host country"). Corridors count wherever they run.
            if (!src.country.empty() && src.country != m->m_grid->regions()[r].iso3) continue;
            double const a = src.presence_at(cells.x[best_cell[r]], cells.y[best_cell[r]], cutoff);
            if (a >= m->m_params.uncertainty.min_contribution)
                m->m_reach[r].push_back({static_cast<std::uint32_t>(s), best_cell[r], a});
        }
    }

    for (auto const& s : m->m_sources) {
        if (s.validity.from) m->m_change_dates.push_back(*s.validity.from);
        if (s.validity.to) m->m_change_dates.push_back(*s.validity.to);
    }
    for (auto const& r : m->m_grid->regions()) {
        if (r.validity.from) m->m_change_dates.push_back(*r.validity.from);
        if (r.validity.to) m->m_change_dates.push_back(*r.validity.to);
    }
    std::sort(m->m_change_dates.begin(), m->m_change_dates.end());
    m->m_change_dates.erase(std::unique(m->m_change_dates.begin(), m->m_change_dates.end()), m->m_change_dates.end());
    return m;
}

std::size_t InfluenceModel::bloc_index(std::string_view name) const
{
    std::string list;
    for (std::size_t i = 0; i < m_blocs.size(); ++i) {
        if (m_blocs[i] == name) return i;
        list += (list.empty() ? "" : ", ") + m_blocs[i];
    }
    throw NotFound("unknown influence bloc '" + std::string(name) + "' (blocs: " + list + ")");
}

std::vector<std::uint32_t> InfluenceModel::active_at(Date t) const
{
    std::vector<std::uint32_t> active;
    for (std::size_t i = 0; i < m_sources.size(); ++i)
        if (m_sources[i].validity.contains(t)) active.push_back(static_cast<std::uint32_t>(i));
    return active;
}

std::shared_ptr<InfluenceResult const> InfluenceModel::compute(Date t) const
{
    auto active = active_at(t);
    {
        std::lock_guard lock(m_mutex);
        if (auto it = m_cache.find(active); it != m_cache.end()) return it->second;
    }
    // Computed outside the lock so other dates are not held up; two threads
    // racing on one new date both compute it and the first insert wins.
    auto result = evaluate(active);
    std::lock_guard lock(m_mutex);
    return m_cache.emplace(std::move(active), std::move(result)).first->second;
}

std::shared_ptr<InfluenceResult const> InfluenceModel::evaluate(std::vector<std::uint32_t> const& active) const
{
    auto const& regions = m_grid->regions();
    std::vector<char> is_active(m_sources.size(), 0);
    for (auto i : active) is_active[i] = 1;

    auto result = std::make_shared<InfluenceResult>();
    result->blocs = m_blocs;
    result->active_features = active.size();
    result->regions.resize(regions.size());
    for (std::size_t r = 0; r < regions.size(); ++r) {
        auto& out = result->regions[r];
        out.iso3 = regions[r].iso3;
        out.name = regions[r].name;
        out.code = regions[r].code;
        out.region = regions[r].region;
        out.layout = regions[r].layout;
        out.validity = regions[r].validity;
        score_region(r, is_active, out);
    }
    return result;
}

void InfluenceModel::score_region(std::size_t region, std::vector<char> const& is_active, RegionInfluence& out) const
{
    auto const& cells = m_grid->cells();
    double const cutoff = m_params.grid.cutoff_sigmas;
    std::size_t const nb = m_blocs.size();

    // The rows of each bloc that reach the region at this date, and the
    // anchors: the region's cell nearest to each of them. A bloc's strongest
    // presence in the region is taken at its rows' anchors, where each row's
    // own presence peaks (docs/influence.md, "The measure").
    std::vector<RegionReach const*> reach;
    for (auto const& rr : m_reach[region])
        if (is_active[rr.source]) reach.push_back(&rr);
    // Many rows reaching one region (a synthetic 100× record): the strongest
    // `max_rows_per_region` of each bloc decide its strongest presence; the
    // rest, weaker than all of them, are left out, which keeps the cost per
    // region bounded and the whole computation linear in the rows.
    auto const max_rows = static_cast<std::size_t>(m_params.uncertainty.max_rows_per_region);
    if (reach.size() > max_rows) {
        auto expected = [&](RegionReach const* r) { return r->presence * m_sources[r->source].probability; };
        std::stable_sort(reach.begin(), reach.end(),
                         [&](RegionReach const* a, RegionReach const* b) { return expected(a) > expected(b); });
        std::vector<std::size_t> kept(nb, 0);
        std::erase_if(reach, [&](RegionReach const* r) { return ++kept[m_sources[r->source].bloc] > max_rows; });
    }

    std::vector<std::vector<Outcome>> outcomes(nb);
    out.blocs.assign(nb, {});
    for (std::size_t b = 0; b < nb; ++b) {
        // A bloc's field peaks near its own rows: its anchors are theirs.
        std::vector<detail::Source const*> rows;
        std::vector<std::uint32_t> anchors;
        for (auto const* rr : reach) {
            if (m_sources[rr->source].bloc != b) continue;
            rows.push_back(&m_sources[rr->source]);
            if (std::find(anchors.begin(), anchors.end(), rr->anchor) == anchors.end()) anchors.push_back(rr->anchor);
        }
        std::size_t const k = rows.size();
        // absent[f][j] = 1 − a_f at anchor j.
        std::vector<double> absent(k * anchors.size());
        for (std::size_t f = 0; f < k; ++f)
            for (std::size_t j = 0; j < anchors.size(); ++j)
                absent[f * anchors.size() + j] =
                    1 - rows[f]->presence_at(cells.x[anchors[j]], cells.y[anchors[j]], cutoff);
        std::vector<double> prod(anchors.size());
        auto outcome_of = [&](auto&& present) {
            std::fill(prod.begin(), prod.end(), 1.0);
            Outcome o;
            for (std::size_t f = 0; f < k; ++f) {
                if (!present(f)) continue;
                o.eligible = o.eligible || rows[f]->site;
                for (std::size_t j = 0; j < anchors.size(); ++j) prod[j] *= absent[f * anchors.size() + j];
            }
            for (double p : prod) o.score = std::max(o.score, 1 - p);
            return o;
        };

        auto& dist = outcomes[b];
        if (k <= static_cast<std::size_t>(m_params.uncertainty.max_exact_features)) {
            // Every combination of the rows being real or not, with its probability.
            for (std::uint32_t mask = 0; mask < (1u << k); ++mask) {
                double p = 1;
                for (std::size_t f = 0; f < k; ++f)
                    p *= (mask >> f & 1u) ? rows[f]->probability : 1 - rows[f]->probability;
                if (p <= 0) continue;
                Outcome o = outcome_of([&](std::size_t f) { return (mask >> f & 1u) != 0; });
                o.probability = p;
                dist.push_back(o);
            }
        } else {
            // Too many to enumerate: fixed-seed draws, the same for every run.
            detail::SplitMix rng{m_params.uncertainty.seed ^ (region * 0x100000001b3ull) ^ (b << 48)};
            int const n = m_params.uncertainty.samples;
            std::vector<char> present(k);
            for (int i = 0; i < n; ++i) {
                for (std::size_t f = 0; f < k; ++f) present[f] = rng.uniform() < rows[f]->probability;
                Outcome o = outcome_of([&](std::size_t f) { return present[f] != 0; });
                o.probability = 1.0 / n;
                dist.push_back(o);
            }
        }
        if (dist.empty()) dist.push_back({0, false, 1});
        std::sort(dist.begin(), dist.end(), [](Outcome const& a, Outcome const& c) { return a.score < c.score; });

        auto& s = out.blocs[b];
        double const tail = (1 - m_params.uncertainty.interval) / 2;
        double cumulative = 0;
        bool have_low = false;
        s.high = dist.back().score;
        for (auto const& o : dist) {
            cumulative += o.probability;
            if (!have_low && cumulative > tail - 1e-12) {
                s.low = o.score;
                have_low = true;
            }
            if (cumulative >= 1 - tail - 1e-12) {
                s.high = o.score;
                break;
            }
        }
        for (auto const& o : dist) s.score += o.probability * o.score;
        // A lumpy distribution (one row, real or not) can put its mean outside
        // the quantiles; the interval is widened to hold it.
        s.low = std::min(s.low, s.score);
        s.high = std::max(s.high, s.score);
    }

    // Outcomes: bloc b dominates when one of its sites is present, its score
    // reaches the threshold and every other bloc's is at most (1 − margin) of
    // it; none when no bloc with a present site reaches the threshold;
    // contested otherwise. Blocs are independent (no row is in two blocs).
    double const margin = m_params.contested_margin;
    double p_none = 1;
    double p_blocs = 0;
    for (std::size_t b = 0; b < nb; ++b) {
        double below = 0;
        double p = 0;
        for (auto const& o : outcomes[b]) {
            double const d = o.eligible ? o.score : 0;
            if (d < m_params.min_score) {
                below += o.probability;
                continue;
            }
            double others = 1;
            for (std::size_t c = 0; c < nb && others > 0; ++c)
                if (c != b) others *= at_most(outcomes[c], (1 - margin) * d);
            p += o.probability * others;
        }
        out.blocs[b].p = std::clamp(p, 0.0, 1.0);
        p_blocs += out.blocs[b].p;
        p_none *= std::clamp(below, 0.0, 1.0);
    }
    out.p_none = p_none;
    out.p_contested = std::max(0.0, 1 - p_blocs - p_none);

    out.dominant = "none";
    out.certainty = out.p_none;
    for (std::size_t b = 0; b < nb; ++b)
        if (out.blocs[b].p > out.certainty + 1e-12) {
            out.certainty = out.blocs[b].p;
            out.dominant = m_blocs[b];
            out.dominant_bloc = b;
        }
    if (out.p_contested > out.certainty + 1e-12) {
        out.certainty = out.p_contested;
        out.dominant = "contested";
        out.dominant_bloc.reset();
    }

    for (auto const* rr : reach) {
        auto const& src = m_sources[rr->source];
        if (src.site) out.contributors.push_back({src.label, src.bloc, rr->presence, src.probability});
    }
    std::stable_sort(out.contributors.begin(), out.contributors.end(), [](Contributor const& a, Contributor const& c) {
        return a.presence * a.probability > c.presence * c.probability;
    });
}

InfluenceComparison InfluenceModel::compare(Date at, Date baseline) const
{
    return {compute(at), compute(baseline)};
}

void InfluenceModel::sample_field(Date t, std::size_t bloc, std::span<LonLat const> points, std::span<float> out) const
{
    if (out.size() != points.size()) throw std::invalid_argument("sample_field: out must have one value per point");
    if (bloc >= m_blocs.size()) throw NotFound("influence bloc index " + std::to_string(bloc) + " does not exist");
    std::vector<double> xs(points.size());
    std::vector<double> ys(points.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
        xs[i] = points[i].lon;
        ys[i] = points[i].lat;
    }
    m_grid->transform().apply(xs.data(), ys.data(), points.size());
    std::vector<std::uint32_t> order;
    auto const set = detail::SampleSet::make(xs, ys, detail::kBucketMetres, order);
    // The expected field: independent presences multiply their expected absences.
    std::vector<double> prod(set.size(), 1.0);
    for (auto const& src : m_sources)
        if (src.bloc == bloc && src.validity.contains(t))
            detail::accumulate(set, src, m_params.grid.cutoff_sigmas, prod);
    std::fill(out.begin(), out.end(), 0.0f);
    for (std::size_t i = 0; i < order.size(); ++i) out[order[i]] = static_cast<float>(1 - prod[i]);
}

} // namespace sahelmap::influence

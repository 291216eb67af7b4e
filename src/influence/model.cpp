#include "sahelmap/influence/model.hpp"

#include "read.hpp"
#include "sahelmap/core/error.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace sahelmap::influence {

namespace {

std::string feature_name(FeatureLayer const& layer, Feature const& f)
{
    return "feature " + std::to_string(f.fid) + " of layer " + layer.name + " (" + layer.source + ")";
}

template <class T> T const& lookup(std::vector<T> const& table, std::string const& value, FeatureLayer const& layer,
                                   Feature const& f, char const* field, Params const& p, char const* key)
{
    for (auto const& t : table)
        if (t.name == value) return t;
    throw DataError("influence: " + feature_name(layer, f) + " has " + field + " '" + value +
                    "', which influence params " + p.source + " do not weigh (key " + key + ")");
}

/// Projects lon/lat vertices to the grid CRS and appends them as segments of
/// one source; a lone point becomes a segment of length 0. Straight segments
/// in the equal-area plane stand in for geodesics (docs/influence.md, Distances).
void add_path(std::vector<LonLat> const& path, geo::Transform const& tr, detail::Source& src, bool connect)
{
    std::vector<double> xs(path.size());
    std::vector<double> ys(path.size());
    for (std::size_t i = 0; i < path.size(); ++i) {
        xs[i] = path[i].lon;
        ys[i] = path[i].lat;
    }
    tr.apply(xs.data(), ys.data(), path.size());
    auto finite = [&](std::size_t i) { return std::isfinite(xs[i]) && std::isfinite(ys[i]); };
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (!finite(i)) continue;
        bool const to_next = connect && i + 1 < path.size() && finite(i + 1);
        if (to_next)
            src.segments.push_back(detail::Segment::make(xs[i], ys[i], xs[i + 1], ys[i + 1]));
        else if (!connect || path.size() == 1)
            src.segments.push_back(detail::Segment::make(xs[i], ys[i], xs[i], ys[i]));
    }
    for (auto const& s : src.segments) src.box.expand(s.box);
}

void read_sites(FeatureLayer const& layer, Params const& p, geo::Transform const& tr, std::vector<detail::Source>& out)
{
    std::size_t const f_kind = detail::require_field(layer, "kind");
    std::size_t const f_actor = detail::require_field(layer, "actor");
    std::size_t const f_status = detail::require_field(layer, "status");
    std::size_t const f_strength = detail::require_field(layer, "strength");
    std::size_t const f_conf = detail::require_field(layer, "confidence");
    for (auto const& f : layer.features) {
        int const bloc = p.bloc_of(detail::text_of(f, f_actor));
        if (bloc < 0) continue; // actors of no bloc (local forces) do not count
        auto const* points = std::get_if<MultiPoint<LonLat>>(&f.geometry);
        if (!points) throw DataError("influence: " + feature_name(layer, f) + " must be a point");
        double const* strength = f.values[f_strength].as_number();
        if (!strength || *strength != std::floor(*strength) || *strength < 1 || *strength > 5)
            throw DataError("influence: " + feature_name(layer, f) + " needs a strength from 1 to 5");
        auto const& kind = lookup(p.site_kinds, detail::text_of(f, f_kind), layer, f, "kind", p, "sites.kind");
        auto const& status = lookup(p.site_status, detail::text_of(f, f_status), layer, f, "status", p, "sites.status");
        auto const& conf = lookup(p.confidence, detail::text_of(f, f_conf), layer, f, "confidence", p, "confidence");
        detail::Source src;
        src.bloc = static_cast<std::uint32_t>(bloc);
        src.weight = p.strength[static_cast<std::size_t>(*strength) - 1] * kind.weight * status.weight * conf.weight;
        src.radius_m = kind.radius_km * 1000;
        src.validity = f.validity;
        add_path(points->points, tr, src, false);
        out.push_back(std::move(src));
    }
}

void read_corridors(FeatureLayer const& layer, Params const& p, geo::Transform const& tr,
                    std::vector<detail::Source>& out)
{
    std::size_t const f_mode = detail::require_field(layer, "mode");
    std::size_t const f_actor = detail::require_field(layer, "actor");
    std::size_t const f_conf = detail::require_field(layer, "confidence");
    for (auto const& f : layer.features) {
        int const bloc = p.bloc_of(detail::text_of(f, f_actor));
        if (bloc < 0) continue;
        auto const* lines = std::get_if<MultiLineString<LonLat>>(&f.geometry);
        if (!lines) throw DataError("influence: " + feature_name(layer, f) + " must be a line");
        auto const& mode = lookup(p.corridor_modes, detail::text_of(f, f_mode), layer, f, "mode", p, "corridors.mode");
        auto const& conf = lookup(p.confidence, detail::text_of(f, f_conf), layer, f, "confidence", p, "confidence");
        detail::Source src;
        src.bloc = static_cast<std::uint32_t>(bloc);
        src.weight = mode.weight * conf.weight;
        src.radius_m = mode.radius_km * 1000;
        src.validity = f.validity;
        for (auto const& line : lines->lines) add_path(line, tr, src, true);
        out.push_back(std::move(src));
    }
}

void set_dominant(RegionInfluence& r, std::vector<std::string> const& blocs, Params const& p)
{
    std::vector<std::size_t> order(blocs.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return r.blocs[a].score > r.blocs[b].score; });
    double const top = r.blocs[order[0]].score;
    if (top < p.min_score || top <= 0) {
        r.dominant = "none";
    } else if (order.size() > 1 && top - r.blocs[order[1]].score < p.contested_margin * top) {
        r.dominant = "contested";
    } else {
        r.dominant = blocs[order[0]];
        r.dominant_bloc = order[0];
    }
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
    if (auto const* sites = store.find("sites")) read_sites(*sites, m->m_params, tr, m->m_sources);
    if (auto const* corridors = store.find("corridors")) read_corridors(*corridors, m->m_params, tr, m->m_sources);
    for (auto const& s : m->m_sources) {
        if (s.validity.from) m->m_change_dates.push_back(*s.validity.from);
        if (s.validity.to) m->m_change_dates.push_back(*s.validity.to);
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
    auto const& cells = m_grid->cells();
    auto const& cell_region = m_grid->cell_region();
    auto const& regions = m_grid->regions();
    std::size_t const nb = m_blocs.size();
    std::size_t const n = cells.size();

    // prod[b·n + i] = Π (1 − a_f) over bloc b's active features at cell i.
    std::vector<double> prod(nb * n, 1.0);
    for (auto i : active) {
        auto const& src = m_sources[i];
        detail::accumulate(cells, src, m_params.grid.cutoff_sigmas, std::span(prod).subspan(src.bloc * n, n));
    }

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
        out.blocs.assign(nb, {});
    }
    for (std::size_t b = 0; b < nb; ++b) {
        double const* p = prod.data() + b * n;
        for (std::size_t i = 0; i < n; ++i) {
            double const field = 1 - p[i];
            auto& s = result->regions[cell_region[i]].blocs[b];
            s.score += field;
            s.max = std::max(s.max, field);
            if (field >= m_params.share_level) s.share += 1;
        }
    }
    for (std::size_t r = 0; r < regions.size(); ++r) {
        auto& out = result->regions[r];
        double const count = regions[r].cell_count;
        for (auto& s : out.blocs) {
            // All cells of a region have the same area, so the area-weighted
            // mean is the plain mean.
            s.score = count > 0 ? s.score / count : 0;
            s.share = count > 0 ? s.share / count : 0;
        }
        set_dominant(out, m_blocs, m_params);
    }
    return result;
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
    std::vector<double> prod(set.size(), 1.0);
    for (auto const& src : m_sources)
        if (src.bloc == bloc && src.validity.contains(t))
            detail::accumulate(set, src, m_params.grid.cutoff_sigmas, prod);
    std::fill(out.begin(), out.end(), 0.0f);
    for (std::size_t i = 0; i < order.size(); ++i) out[order[i]] = static_cast<float>(1 - prod[i]);
}

} // namespace sahelmap::influence

// Times the influence model on one core: the shipped data (grid build,
// model build, one uncached compute, a cached one, a 512×512 heatmap), then
// compute time for 10, 100, 1 000 and 10 000 synthetic sites spread over the
// three countries, all active, with the shipped regions and params. Also
// measures what docs/influence.md reports: the grid's convergence (cell
// halved and doubled) and the error of plane distances against geodesics.
//
//   build/bench/bench/influence_bench [--passes 5]
#include "sahelmap/core/allocator.hpp"
#include "sahelmap/geo/geodesic.hpp"
#include "sahelmap/influence/model.hpp"
#include "sahelmap/source/config.hpp"
#include "sahelmap/source/gdal_reader.hpp"
#include "support.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using namespace sahelmap;
using namespace sahelmap::bench;

namespace {

/// The shipped store with its sites replaced by `n` random ones (fixed seed).
FeatureStore synthetic(FeatureStore const& shipped, influence::Params const& params, std::size_t n)
{
    FeatureStore store;
    store.layers.push_back(*shipped.find("regions"));
    FeatureLayer sites;
    sites.name = "sites";
    sites.source = "synthetic";
    sites.kind = GeometryKind::point;
    sites.schema.fields = {"kind", "actor", "status", "strength", "confidence"};
    std::mt19937 rng(42);
    std::uniform_real_distribution<double> lon(-12.3, 16.0);
    std::uniform_real_distribution<double> lat(9.4, 25.0);
    std::uniform_int_distribution<int> strength(1, 5);
    char const* actors[] = {"russia_africa_corps", "wagner", "france", "united_states"};
    char const* confidence[] = {"high", "medium", "low"};
    for (std::size_t i = 0; i < n; ++i) {
        Feature f;
        f.fid = static_cast<std::int64_t>(i);
        LonLat const p{lon(rng), lat(rng)};
        f.geometry = MultiPoint<LonLat>{{p}};
        f.bbox = {p.lon, p.lat, p.lon, p.lat};
        auto const& kind = params.site_kinds[rng() % params.site_kinds.size()].name;
        f.values = {Value(kind), Value(actors[rng() % 4]), Value("active"), Value(strength(rng)),
                    Value(confidence[rng() % 3])};
        sites.features.push_back(std::move(f));
    }
    store.layers.push_back(std::move(sites));
    return store;
}

/// Largest |score difference| between two grids over every interval between change dates.
double grid_change(influence::InfluenceModel const& a, influence::InfluenceModel const& b, std::string& where)
{
    double worst = 0;
    for (auto const t : a.change_dates()) {
        auto const ra = a.compute(t);
        auto const rb = b.compute(t);
        for (std::size_t r = 0; r < ra->regions.size(); ++r)
            for (std::size_t k = 0; k < ra->blocs.size(); ++k) {
                double const d = std::abs(ra->regions[r].blocs[k].score - rb->regions[r].blocs[k].score);
                if (d > worst) {
                    worst = d;
                    where = t.to_string() + " " + ra->regions[r].name + " " + ra->blocs[k];
                }
            }
    }
    return worst;
}

void convergence(FeatureStore const& store, influence::Params const& params)
{
    std::printf("grid convergence: largest |score change| over all %s\n", "intervals between change dates");
    std::vector<std::shared_ptr<influence::InfluenceModel const>> models;
    for (double f : {2.0, 1.0, 0.5}) {
        auto p = params;
        p.grid.cell_km *= f;
        p.grid.min_cells_per_region = static_cast<int>(p.grid.min_cells_per_region / (f * f));
        auto t0 = Clock::now();
        models.push_back(influence::InfluenceModel::build(store, p));
        (void)models.back()->compute(*Date::parse("2025-11-01"));
        std::printf("  cell %4.1f km (>= %5d per region): %7zu cells, build + one compute %7.1f ms\n", p.grid.cell_km,
                    p.grid.min_cells_per_region, models.back()->grid().cells().size(), ms_since(t0));
    }
    for (std::size_t i = 0; i + 1 < models.size(); ++i) {
        std::string where;
        double const d = grid_change(*models[i], *models[i + 1], where);
        std::printf("  %.1f km -> %.1f km: %.4f (%s)\n", models[i]->grid().params().cell_km,
                    models[i + 1]->grid().params().cell_km, d, where.c_str());
    }
    std::printf("\n");
}

/// Plane distance in the grid CRS against the geodesic, from points on a 1°
/// lattice over the regions (and from every shipped site), at distances up
/// to the largest reach, every 15° of azimuth.
void distances(FeatureStore const& store, influence::InfluenceModel const& model)
{
    auto const& tr = model.grid().transform();
    auto error = [&](LonLat p, double d) {
        double worst = 0;
        for (int az = 0; az < 360; az += 15) {
            LonLat const q = geo::geodesic_destination(p, az, d);
            auto const a = tr.apply(p.lon, p.lat);
            auto const b = tr.apply(q.lon, q.lat);
            worst = std::max(worst, std::abs(std::hypot(a.x - b.x, a.y - b.y) / d - 1));
        }
        return worst;
    };
    std::printf("plane vs geodesic distance, largest relative error (%s)\n", model.params().grid.crs.c_str());
    std::printf("  %8s  %16s  %16s\n", "distance", "over the regions", "from any site*");
    auto const& regions = model.grid().regions();
    BBox box;
    for (auto const& r : regions) box.expand(r.bbox);
    for (double km : {10.0, 50.0, 100.0, 200.0, 480.0}) {
        double over = 0;
        for (double lon = std::ceil(box.minx); lon <= box.maxx; lon += 1)
            for (double lat = std::ceil(box.miny); lat <= box.maxy; lat += 1)
                over = std::max(over, error({lon, lat}, km * 1000));
        double sites = 0;
        for (auto const& f : store.find("sites")->features)
            for (auto const& p : std::get<MultiPoint<LonLat>>(f.geometry).points)
                sites = std::max(sites, error(p, km * 1000));
        std::printf("  %5.0f km  %15.2f%%  %15.2f%%\n", km, 100 * over, 100 * sites);
    }
    std::printf("  * the largest errors are around the Libyan sites, ~25° from the centre, whose reach\n"
                "    (4 λ) ends far from any region cell; pairs that matter start in a region\n\n");
}

} // namespace

int main(int argc, char** argv)
{
    keep_freed_memory(); // as the command line does
    int passes = 5;
    for (int i = 1; i + 1 < argc; i += 2)
        if (!std::strcmp(argv[i], "--passes")) passes = std::max(1, std::atoi(argv[i + 1]));

    auto const store = source::load_store(source::Config::defaults());
    auto const params = influence::Params::embedded();
    Date const date = *Date::parse("2025-11-01");

    auto t0 = Clock::now();
    auto const base = influence::InfluenceModel::build(*store, params);
    double const build_ms = ms_since(t0);
    std::size_t cells = base->grid().cells().size();
    std::printf("shipped data: %zu regions, %zu cells (%.1f km cells, ≥%d per region), params %s\n",
                base->grid().regions().size(), cells, params.grid.cell_km, params.grid.min_cells_per_region,
                params.source.c_str());
    std::printf("  grid + model build                %8.1f ms\n", build_ms);

    std::vector<double> compute_ms;
    std::size_t active = 0;
    for (int p = 0; p < passes; ++p) {
        // A fresh model on the same grid: compute() is not yet cached.
        auto const model = influence::InfluenceModel::build(*store, params, base->grid_ptr());
        auto c0 = Clock::now();
        active = model->compute(date)->active_features;
        compute_ms.push_back(ms_since(c0));
    }
    std::printf("  compute %s, %zu active features  %8.2f ms (median of %d, uncached)\n", date.to_string().c_str(),
                active, quantile(compute_ms, 0.5), passes);
    (void)base->compute(date);
    auto c1 = Clock::now();
    for (int i = 0; i < 1000; ++i) (void)base->compute(date);
    std::printf("  compute, cached                   %8.2f µs\n", ms_since(c1));

    std::vector<LonLat> raster;
    for (int y = 0; y < 512; ++y)
        for (int x = 0; x < 512; ++x) raster.push_back({-12.3 + 28.3 * (x + 0.5) / 512, 25.0 - 15.6 * (y + 0.5) / 512});
    std::vector<float> field(raster.size());
    {
        std::vector<double> xs(raster.size());
        std::vector<double> ys(raster.size());
        for (std::size_t i = 0; i < raster.size(); ++i) {
            xs[i] = raster[i].lon;
            ys[i] = raster[i].lat;
        }
        auto p0 = Clock::now();
        base->grid().transform().apply(xs.data(), ys.data(), xs.size());
        std::printf("  (of which projecting 512x512 points with PROJ  %6.2f ms)\n", ms_since(p0));
    }
    std::vector<double> sample_ms;
    for (int p = 0; p < passes; ++p) {
        auto s0 = Clock::now();
        base->sample_field(date, base->bloc_index("russia"), raster, field);
        sample_ms.push_back(ms_since(s0));
    }
    std::printf("  sample_field 512x512 over the area %7.2f ms (median)\n\n", quantile(sample_ms, 0.5));

    convergence(*store, params);
    distances(*store, *base);

    std::printf("synthetic sites (all active, random kind/strength/confidence/actor), %d passes\n", passes);
    std::printf("  %8s  %12s  %12s  %14s\n", "sites", "build ms", "compute ms", "µs per site");
    for (std::size_t n : {10u, 100u, 1000u, 10000u}) {
        auto const syn = synthetic(*store, params, n);
        std::vector<double> bms;
        std::vector<double> cms;
        for (int p = 0; p < passes; ++p) {
            auto b0 = Clock::now();
            auto const model = influence::InfluenceModel::build(syn, params, base->grid_ptr());
            bms.push_back(ms_since(b0));
            auto c0 = Clock::now();
            (void)model->compute(date);
            cms.push_back(ms_since(c0));
        }
        std::printf("  %8zu  %12.2f  %12.2f  %14.1f\n", n, quantile(bms, 0.5), quantile(cms, 0.5),
                    1000 * quantile(cms, 0.5) / static_cast<double>(n));
    }
    return 0;
}

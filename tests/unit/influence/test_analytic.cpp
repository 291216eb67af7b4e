// Checks against closed forms: the Gaussian kernel's mean over a disc, its
// profile across a straight corridor, and the union's bounds.
#include "support.hpp"

#include "sahelmap/geo/geodesic.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <random>

using namespace sahelmap;
using namespace sahelmap::test::influence;
using sahelmap::influence::InfluenceModel;

namespace {


/// Mean of w·exp(−r²/2λ²) over a disc of radius R centred on the site.
double disc_mean(double w, double lambda, double radius)
{
    double const q = radius * radius / (2 * lambda * lambda);
    return w * (1 - std::exp(-q)) / q;
}

} // namespace

TEST_CASE("influence: a site at the centre of a disc gives the kernel's closed-form mean", "[influence]")
{
    double const radius_m = 100'000;
    double const lambda_km = 50;
    for (int strength : {5, 3}) {
        auto const store =
            store_of({regions_layer({disc(kCentre, radius_m)}), sites_layer({{.at = kCentre, .strength = strength}})});
        auto const model = InfluenceModel::build(store, simple_params(lambda_km));
        auto const r = model->compute(day("2024-01-01"));
        double const w = strength / 5.0;
        auto const& red = r->regions[0].blocs[model->bloc_index("red")];
        INFO("strength " << strength << ": score " << red.score);
        CHECK(red.score == Approx(disc_mean(w, lambda_km * 1000, radius_m)).margin(0.004));
        CHECK(red.max == Approx(w).margin(0.002));
        // The field is ≥ ½ within λ·√(2 ln 2w) of the site.
        double const r_half = w >= 0.5 ? lambda_km * 1000 * std::sqrt(2 * std::log(2 * w)) : 0;
        CHECK(red.share == Approx(r_half * r_half / (radius_m * radius_m)).margin(0.01));
        CHECK(r->regions[0].blocs[model->bloc_index("blue")].score == 0);
    }
}

TEST_CASE("influence: moving a site away lowers the score monotonically", "[influence]")
{
    auto const regions = regions_layer({disc(kCentre, 100'000)});
    double previous = 2;
    for (int km = 0; km <= 450; km += 25) {
        LonLat const at = geo::geodesic_destination(kCentre, 90, km * 1000.0);
        auto const model = InfluenceModel::build(store_of({regions, sites_layer({{.at = at}})}), simple_params(50));
        double const score = model->compute(day("2024-01-01"))->regions[0].blocs[0].score;
        INFO(km << " km: " << score);
        if (previous > 1e-9)
            CHECK(score < previous);
        else
            CHECK(score <= previous);
        previous = score;
    }
    CHECK(previous == 0); // beyond the cutoff (6λ from the disc's edge)
}

TEST_CASE("influence: a withdrawn base counts before its valid_to and not after", "[influence]")
{
    SiteSpec base{.at = kCentre, .status = "withdrawn", .validity = {day("2010-01-01"), day("2020-01-01")}};
    auto const store = store_of({regions_layer({disc(kCentre, 100'000)}), sites_layer({base})});
    auto const model = InfluenceModel::build(store, simple_params(50));
    CHECK(model->compute(day("2009-12-31"))->regions[0].blocs[0].score == 0);
    CHECK(model->compute(day("2010-01-01"))->regions[0].blocs[0].score > 0.4);
    CHECK(model->compute(day("2019-12-31"))->regions[0].blocs[0].score > 0.4);
    CHECK(model->compute(day("2020-01-01"))->regions[0].blocs[0].score == 0);
    CHECK(model->compute(day("2020-01-01"))->active_features == 0);
    CHECK(model->change_dates() == std::vector<Date>{day("2010-01-01"), day("2020-01-01")});
}

TEST_CASE("influence: the union stays in [0, 1] with many overlapping sites", "[influence]")
{
    auto params = simple_params(50);
    params.site_kinds[0].weight = 3; // w·K > 1 near each site: clamped before the union
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> offset(0, 60'000);
    std::uniform_real_distribution<double> bearing(0, 360);
    std::vector<SiteSpec> sites;
    for (int i = 0; i < 300; ++i)
        sites.push_back({.at = geo::geodesic_destination(kCentre, bearing(rng), offset(rng)), .strength = 1 + i % 5});
    auto const store = store_of({regions_layer({disc(kCentre, 100'000), disc({4, 15}, 50'000)}), sites_layer(sites)});
    auto const model = InfluenceModel::build(store, params);
    auto const r = model->compute(day("2024-01-01"));
    for (auto const& reg : r->regions)
        for (auto const& s : reg.blocs) {
            CHECK(s.score >= 0);
            CHECK(s.score <= 1);
            CHECK(s.max <= 1);
            CHECK(s.share <= 1);
        }
    CHECK(r->regions[0].blocs[0].max == 1);
    std::vector<LonLat> points;
    for (double lon = 0; lon <= 4; lon += 0.05)
        for (double lat = 13; lat <= 17; lat += 0.05) points.push_back({lon, lat});
    std::vector<float> field(points.size());
    model->sample_field(day("2024-01-01"), 0, points, field);
    for (float v : field) {
        REQUIRE(v >= 0);
        REQUIRE(v <= 1);
    }
}

TEST_CASE("influence: a corridor's field across a straight road follows the kernel profile", "[influence]")
{
    // A road along the meridian through the grid's centre, w = 0.5, λ = 25 km.
    CorridorSpec road{.path = {{2, 13}, {2, 17}}};
    auto const store = store_of({regions_layer({disc(kCentre, 100'000)}), corridors_layer({road})});
    auto const model = InfluenceModel::build(store, simple_params(50));
    double const lambda = 25'000;
    std::vector<LonLat> points;
    std::vector<double> expected;
    for (int km = 0; km <= 120; km += 10) {
        double const d = km * 1000.0;
        double const k = 0.5 * std::exp(-d * d / (2 * lambda * lambda));
        points.push_back(geo::geodesic_destination(kCentre, 90, d)); // across the middle
        expected.push_back(k);
        points.push_back(geo::geodesic_destination({2, 17}, 0, d)); // beyond the end: distance to the end point
        expected.push_back(k);
    }
    std::vector<float> field(points.size());
    model->sample_field(day("2024-01-01"), model->bloc_index("red"), points, field);
    for (std::size_t i = 0; i < points.size(); ++i) {
        INFO("point " << points[i].lon << "," << points[i].lat);
        CHECK(field[i] == Approx(expected[i]).epsilon(0.03).margin(0.002));
    }
}

TEST_CASE("influence: equal-area plane distances stay within 1.5% of geodesic ones over the area", "[influence]")
{
    // The model measures distance in the grid's equal-area plane; this is the
    // error it accepts (docs/influence.md, Distances), for every distance
    // within reach (4 · the largest λ) from anywhere over the three countries.
    auto const model = InfluenceModel::build(store_of({regions_layer({disc(kCentre, 50'000)})}),
                                             sahelmap::influence::Params::embedded());
    auto const& tr = model->grid().transform();
    double worst = 0;
    for (double lon = -12; lon <= 16; lon += 2)
        for (double lat = 10; lat <= 24; lat += 2)
            for (double km : {10, 100, 400})
                for (int az = 0; az < 360; az += 30) {
                    LonLat const p{lon, lat};
                    LonLat const q = geo::geodesic_destination(p, az, km * 1000);
                    auto const a = tr.apply(p.lon, p.lat);
                    auto const b = tr.apply(q.lon, q.lat);
                    double const plane = std::hypot(a.x - b.x, a.y - b.y);
                    worst = std::max(worst, std::abs(plane / (km * 1000) - 1));
                }
    INFO("worst relative error " << worst);
    CHECK(worst < 0.015);
}

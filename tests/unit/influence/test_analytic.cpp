// Checks against closed forms: one site or two independent sites (the
// probability propagation), a site outside a region, the corridor profile,
// and the structural rules (schematic links, in_model, host country,
// continuity, splitting a region).
#include "support.hpp"

#include "sahelmap/geo/geodesic.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <random>

using namespace sahelmap;
using namespace sahelmap::test::influence;
using sahelmap::influence::InfluenceModel;
using sahelmap::influence::RegionInfluence;

namespace {

double kernel(double d, double lambda)
{
    return std::exp(-d * d / (2 * lambda * lambda));
}

/// The p's of a region sum to 1 (bloc outcomes, contested, none); each is in [0, 1].
void check_probabilities(RegionInfluence const& r)
{
    double sum = r.p_contested + r.p_none;
    for (auto const& b : r.blocs) {
        CHECK(b.p >= 0);
        CHECK(b.p <= 1);
        CHECK(b.low <= b.score + 1e-12);
        CHECK(b.score <= b.high + 1e-12);
        sum += b.p;
    }
    CHECK(sum == Approx(1).margin(1e-9));
}

} // namespace

TEST_CASE("influence: one site present with probability q gives score q·w and p = q", "[influence]")
{
    // A base inside a region: if real, the region's strongest presence is w (at the site);
    // if not, 0. Expected score q·w; interval [0, w] when q is neither ~0 nor ~1; p_red = q.
    auto const regions = regions_layer({disc(kCentre, 100'000)});
    for (auto [confidence, q] : {std::pair{"high", 1.0}, {"medium", 0.5}, {"low", 0.1}})
        for (int strength : {5, 2}) {
            double const w = strength / 5.0;
            auto const model = InfluenceModel::build(
                store_of({regions, sites_layer({{.at = kCentre, .strength = strength, .confidence = confidence}})}),
                simple_params(50));
            auto const& r = model->compute(day("2024-01-01"))->regions[0];
            auto const& red = r.blocs[model->bloc_index("red")];
            INFO(confidence << " strength " << strength);
            CHECK(red.score == Approx(q * w).margin(0.003));
            CHECK(red.p == Approx(q).margin(1e-9));
            CHECK(r.p_none == Approx(1 - q).margin(1e-9));
            CHECK(red.high == Approx(w).margin(0.003));
            CHECK(red.low == Approx(q == 1.0 ? w : 0).margin(0.003));
            CHECK(r.blocs[model->bloc_index("blue")].score == 0);
            CHECK(r.dominant == (q > 0.5 ? "red" : (q == 0.5 ? "none" : "none")));
            check_probabilities(r);
        }
}

TEST_CASE("influence: two independent sites combine by the closed form", "[influence]")
{
    // Two red bases at one point with q1 = 0.5 (medium), q2 = 0.1 (low), w1 = 1, w2 = 0.4:
    // S = 1 − (1 − w1)(1 − w2) = 1 if both, w1 or w2 if one, 0 if none.
    auto const regions = regions_layer({disc(kCentre, 100'000)});
    auto const model = InfluenceModel::build(
        store_of({regions, sites_layer({{.at = kCentre, .strength = 5, .confidence = "medium"},
                                         {.at = kCentre, .strength = 2, .confidence = "low"}})}),
        simple_params(50));
    auto const& r = model->compute(day("2024-01-01"))->regions[0];
    double const q1 = 0.5, q2 = 0.1, w1 = 1.0, w2 = 0.4;
    double const expected = q1 * q2 * 1.0 + q1 * (1 - q2) * w1 + (1 - q1) * q2 * w2;
    CHECK(r.blocs[0].score == Approx(expected).margin(0.003));
    CHECK(r.blocs[0].p == Approx(1 - (1 - q1) * (1 - q2)).margin(1e-9));
    CHECK(r.p_none == Approx((1 - q1) * (1 - q2)).margin(1e-9));
    check_probabilities(r);

    // A red and a blue base of equal weight at one point: both real is contested.
    auto const rivals = InfluenceModel::build(
        store_of({regions, sites_layer({{.at = kCentre, .confidence = "medium"},
                                         {.at = kCentre, .actor = "blue_actor", .confidence = "low"}})}),
        simple_params(50));
    auto const& c = rivals->compute(day("2024-01-01"))->regions[0];
    CHECK(c.blocs[0].p == Approx(0.5 * 0.9).margin(1e-9));
    CHECK(c.blocs[1].p == Approx(0.5 * 0.1).margin(1e-9));
    CHECK(c.p_contested == Approx(0.5 * 0.1).margin(1e-9));
    CHECK(c.p_none == Approx(0.5 * 0.9).margin(1e-9));
    check_probabilities(c);
}

TEST_CASE("influence: a site outside a region reaches it by the kernel at the nearest point", "[influence]")
{
    // Region: a disc of 50 km; the base 50 + d km from its centre. The strongest presence in the
    // region is at its nearest cell, about d from the base: score = w·K(d/λ) (high confidence).
    double const lambda = 40'000;
    for (double d_km : {10.0, 40.0, 80.0}) {
        LonLat const at = geo::geodesic_destination(kCentre, 90, (50 + d_km) * 1000);
        auto const model =
            InfluenceModel::build(store_of({regions_layer({disc(kCentre, 50'000)}), sites_layer({{.at = at}})}),
                                  simple_params(lambda / 1000, 1));
        double const score = model->compute(day("2024-01-01"))->regions[0].blocs[0].score;
        INFO(d_km << " km: " << score);
        // Cells are 1 km: the nearest centre lies up to ~0.7 km further than the edge.
        CHECK(score <= kernel(d_km * 1000 - 300, lambda) + 1e-6);
        CHECK(score >= kernel(d_km * 1000 + 1000, lambda) - 1e-6);
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
        // Inside the disc the nearest cell moves by up to half a cell: a 1e-3 wobble at the peak.
        if (previous > 1e-9)
            CHECK(score <= previous + 1e-3);
        else
            CHECK(score == 0);
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
    CHECK(model->compute(day("2010-01-01"))->regions[0].blocs[0].score > 0.9);
    CHECK(model->compute(day("2019-12-31"))->regions[0].blocs[0].score > 0.9);
    CHECK(model->compute(day("2020-01-01"))->regions[0].blocs[0].score == 0);
    CHECK(model->compute(day("2020-01-01"))->active_features == 0);
    CHECK(model->change_dates() == std::vector<Date>{day("2010-01-01"), day("2020-01-01")});
}

TEST_CASE("influence: a relabelled contingent keeps its presence", "[influence]")
{
    // The Wagner → Africa Corps pattern: a high-confidence row ends on D at a place, a low-confidence
    // row of the same bloc starts there on D with a smaller strength. The presence is the same
    // contingent's: the score does not move across D. A row of another bloc, or elsewhere, does not
    // inherit.
    Date const d = day("2025-06-06");
    auto const store = store_of(
        {regions_layer({disc(kCentre, 50'000), disc({6, 15}, 50'000)}),
         sites_layer({{.at = kCentre, .strength = 4, .validity = {day("2022-01-01"), d}},
                      {.at = kCentre, .strength = 2, .confidence = "low", .validity = {d, std::nullopt}},
                      {.at = {6, 15}, .validity = {day("2022-01-01"), d}},
                      {.at = {6, 15}, .actor = "blue_actor", .confidence = "low", .validity = {d, std::nullopt}}})});
    auto const model = InfluenceModel::build(store, simple_params(50));
    CHECK(model->continuations() == 1);
    auto const before = model->compute(day("2025-06-05"));
    auto const after = model->compute(day("2025-06-07"));
    CHECK(after->regions[0].blocs[0].score == Approx(before->regions[0].blocs[0].score).margin(1e-9));
    CHECK(after->regions[0].blocs[0].score == Approx(0.8).margin(0.003));
    // Another bloc's row is a new presence with its own, low, probability.
    CHECK(after->regions[1].blocs[1].score == Approx(0.1).margin(0.003));
    CHECK(after->regions[1].blocs[0].score == 0);
}

TEST_CASE("influence: schematic links, in_model=no rows and corridors alone make no presence", "[influence]")
{
    auto const regions = regions_layer({disc(kCentre, 100'000)});
    auto const params = simple_params(50);
    Date const t = day("2024-01-01");
    // A schematic air link across the region is a connection, not a route.
    CorridorSpec link{.path = {{0, 15}, {4, 15}}, .schematic = "yes"};
    auto const m1 = InfluenceModel::build(store_of({regions, corridors_layer({link})}), params);
    CHECK(m1->compute(t)->regions[0].blocs[0].score == 0);
    // The same line, not schematic (or without the field), is a road: it adds presence...
    for (std::string schematic : {"no", ""}) {
        CorridorSpec road{.path = {{0, 15}, {4, 15}}, .schematic = schematic};
        auto const m2 = InfluenceModel::build(store_of({regions, corridors_layer({road})}), params);
        auto const& r = m2->compute(t)->regions[0];
        CHECK(r.blocs[0].score == Approx(0.5).margin(0.003));
        // ... but no bloc dominates a region where none of its sites reaches.
        CHECK(r.dominant == "none");
        CHECK(r.blocs[0].p == 0);
    }
    // in_model=no: drawn on the map, counted elsewhere; a layer without the field counts every row.
    auto const m3 = InfluenceModel::build(store_of({regions, sites_layer({{.at = kCentre, .in_model = "no"}})}), params);
    CHECK(m3->compute(t)->regions[0].blocs[0].score == 0);
    auto const m4 = InfluenceModel::build(store_of({regions, sites_layer({{.at = kCentre}})}), params);
    CHECK(m4->compute(t)->regions[0].blocs[0].score == Approx(1).margin(0.003));
}

TEST_CASE("influence: a site's presence stops at its host country's border", "[influence]")
{
    // Two neighbouring discs in different countries; a base in the first, near the shared edge.
    LonLat const c2 = geo::geodesic_destination(kCentre, 90, 100'000);
    LonLat const near_edge = geo::geodesic_destination(kCentre, 90, 45'000);
    auto const regions = regions_layer({disc(kCentre, 50'000), disc(c2, 50'000)}, {"AAA", "BBB"});
    auto const hosted = InfluenceModel::build(
        store_of({regions, sites_layer({{.at = near_edge, .country = "AAA"}})}), simple_params(50));
    auto const r = hosted->compute(day("2024-01-01"));
    CHECK(r->regions[0].blocs[0].score > 0.9);
    CHECK(r->regions[1].blocs[0].score == 0);
    // Without a host country the kernel crosses the edge.
    auto const free = InfluenceModel::build(store_of({regions, sites_layer({{.at = near_edge}})}), simple_params(50));
    CHECK(free->compute(day("2024-01-01"))->regions[1].blocs[0].score > 0.5);
}

TEST_CASE("influence: splitting a region keeps each half's dominant bloc when sites are far from the cut",
          "[influence]")
{
    // A 4° × 2° box with a red base and a weaker blue one in each half, 1.5° from the cut:
    // the whole and each half read red, whatever the halves' size.
    auto box = [](double w, double e) {
        return MultiPolygon<LonLat>{{Polygon<LonLat>{{{w, 14}, {e, 14}, {e, 16}, {w, 16}, {w, 14}}}}};
    };
    auto const sites = sites_layer({{.at = {0.5, 15}, .strength = 4},
                                    {.at = {0.5, 15.5}, .actor = "blue_actor", .strength = 2},
                                    {.at = {3.5, 15}, .strength = 3},
                                    {.at = {3.5, 14.5}, .actor = "blue_actor", .strength = 1}});
    auto const params = simple_params(30, 5);
    auto const whole = InfluenceModel::build(store_of({regions_layer({box(0, 4)}), sites}), params);
    auto const halves = InfluenceModel::build(store_of({regions_layer({box(0, 2), box(2, 4)}), sites}), params);
    auto const w = whole->compute(day("2024-01-01"));
    auto const h = halves->compute(day("2024-01-01"));
    CHECK(w->regions[0].dominant == "red");
    CHECK(h->regions[0].dominant == "red");
    CHECK(h->regions[1].dominant == "red");
    // The half holding the stronger base has the whole's score of it.
    CHECK(h->regions[0].blocs[0].high == Approx(w->regions[0].blocs[0].high).margin(0.01));
}

TEST_CASE("influence: sampling beyond max_exact_features is close to exact and repeatable", "[influence]")
{
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> offset(0, 60'000);
    std::uniform_real_distribution<double> bearing(0, 360);
    std::vector<SiteSpec> sites;
    for (int i = 0; i < 10; ++i)
        sites.push_back({.at = geo::geodesic_destination(kCentre, bearing(rng), offset(rng)),
                         .actor = i % 3 ? "red_actor" : "blue_actor",
                         .strength = 1 + i % 5,
                         .confidence = i % 2 ? "medium" : "low"});
    auto const store = store_of({regions_layer({disc(kCentre, 100'000)}), sites_layer(sites)});
    auto exact_params = simple_params(30);
    auto sampled_params = exact_params;
    sampled_params.uncertainty.max_exact_features = 0;
    auto const exact = InfluenceModel::build(store, exact_params)->compute(day("2024-01-01"));
    auto const sampled = InfluenceModel::build(store, sampled_params)->compute(day("2024-01-01"));
    auto const again = InfluenceModel::build(store, sampled_params)->compute(day("2024-01-01"));
    for (std::size_t b = 0; b < 2; ++b) {
        CHECK(sampled->regions[0].blocs[b].score == Approx(exact->regions[0].blocs[b].score).margin(0.01));
        CHECK(sampled->regions[0].blocs[b].p == Approx(exact->regions[0].blocs[b].p).margin(0.02));
        CHECK(again->regions[0].blocs[b].score == sampled->regions[0].blocs[b].score);
    }
    check_probabilities(exact->regions[0]);
    check_probabilities(sampled->regions[0]);
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
        sites.push_back({.at = geo::geodesic_destination(kCentre, bearing(rng), offset(rng)),
                         .strength = 1 + i % 5,
                         .confidence = i % 2 ? "medium" : "high"});
    auto const store = store_of({regions_layer({disc(kCentre, 100'000), disc({4, 15}, 50'000)}), sites_layer(sites)});
    auto const model = InfluenceModel::build(store, params);
    auto const r = model->compute(day("2024-01-01"));
    for (auto const& reg : r->regions) {
        for (auto const& s : reg.blocs) {
            CHECK(s.score >= 0);
            CHECK(s.score <= 1);
            CHECK(s.high <= 1);
        }
        check_probabilities(reg);
    }
    CHECK(r->regions[0].blocs[0].score == Approx(1).margin(1e-6));
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

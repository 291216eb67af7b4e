// The model's API: caching per active set, threads, dominance, the layer,
// comparisons, field sampling and exports.
#include "support.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/geo/geodesic.hpp"
#include "sahelmap/influence/export.hpp"
#include "sahelmap/influence/layer.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <thread>

using namespace sahelmap;
using namespace sahelmap::test::influence;
using sahelmap::influence::InfluenceModel;

namespace {


/// Three discs: R0 with a red base, R1 with a red and a blue base side by
/// side (contested), R2 far from everything but a low-confidence red claim.
/// The blue base leaves on 2020-01-01.
FeatureStore three_regions()
{
    LonLat const c1{4, 15};
    LonLat const c2{0, 13};
    return store_of({regions_layer({disc(kCentre, 60'000), disc(c1, 60'000), disc(c2, 60'000)}),
                     sites_layer({{.at = kCentre},
                                  {.at = c1},
                                  {.at = c1, .actor = "blue_actor", .validity = {std::nullopt, day("2020-01-01")}},
                                  {.at = c2, .strength = 1, .confidence = "low"}})});
}

} // namespace

TEST_CASE("influence: dates with the same active features share one cached result", "[influence]")
{
    auto const model = InfluenceModel::build(three_regions(), simple_params(40));
    auto const a = model->compute(day("2019-01-01"));
    auto const b = model->compute(day("2019-12-31"));
    auto const c = model->compute(day("2020-01-01"));
    CHECK(a == b);
    CHECK(a != c);
    CHECK(a->active_features == 4);
    CHECK(c->active_features == 3);
}

TEST_CASE("influence: concurrent compute calls agree", "[influence]")
{
    auto const model = InfluenceModel::build(three_regions(), simple_params(40));
    std::vector<std::shared_ptr<sahelmap::influence::InfluenceResult const>> got(8);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < got.size(); ++i)
        threads.emplace_back([&, i] { got[i] = model->compute(day(i % 2 ? "2019-06-01" : "2021-06-01")); });
    for (auto& t : threads) t.join();
    for (std::size_t i = 2; i < got.size(); ++i) CHECK(got[i] == got[i % 2]);
}

TEST_CASE("influence: dominant is a bloc, contested when close, none when all are low", "[influence]")
{
    auto const model = InfluenceModel::build(three_regions(), simple_params(40));
    auto const before = model->compute(day("2019-01-01"));
    CHECK(before->regions[0].dominant == "red");
    CHECK(before->regions[0].dominant_bloc == model->bloc_index("red"));
    CHECK(before->regions[1].dominant == "contested");
    CHECK_FALSE(before->regions[1].dominant_bloc);
    CHECK(before->regions[2].blocs[model->bloc_index("red")].score > 0);
    CHECK(before->regions[2].dominant == "none"); // a lone low-confidence claim dominates nothing
    auto const after = model->compute(day("2020-06-01"));
    CHECK(after->regions[1].dominant == "red");
    CHECK(after->find("R1") == &after->regions[1]);
    CHECK(after->find("nope") == nullptr);
}

TEST_CASE("influence: compare gives the per-bloc change between dates", "[influence]")
{
    auto const model = InfluenceModel::build(three_regions(), simple_params(40));
    auto const cmp = model->compare(day("2020-06-01"), day("2019-06-01"));
    std::size_t const blue = model->bloc_index("blue");
    CHECK(cmp.change(1, blue) == Approx(-cmp.baseline->regions[1].blocs[blue].score));
    CHECK(cmp.change(1, blue) < -0.3);
    CHECK(cmp.change(0, model->bloc_index("red")) == 0);
}

TEST_CASE("influence: the layer copies region geometry and has the score, interval and probability fields",
          "[influence]")
{
    auto const store = three_regions();
    auto const model = InfluenceModel::build(store, simple_params(40));
    auto const layer = sahelmap::influence::make_layer(*model, day("2020-06-01"), day("2019-06-01"));
    CHECK(layer.name == "influence");
    CHECK(layer.kind == GeometryKind::polygon);
    std::vector<std::string> const fields = {
        "iso3",   "name",        "code",   "layout",   "score_red",    "score_blue", "low_red",
        "low_blue", "high_red",  "high_blue", "p_red", "p_blue",       "p_contested", "p_none",
        "dominant", "certainty", "contributors", "valid_from", "valid_to", "change_red", "change_blue"};
    CHECK(layer.schema.fields == fields);
    REQUIRE(layer.features.size() == 3);
    auto const& regions = *store.find("regions");
    for (std::size_t i = 0; i < 3; ++i) {
        auto const& f = layer.features[i];
        CHECK(f.values.size() == fields.size());
        CHECK(std::get<MultiPolygon<LonLat>>(f.geometry).polygons ==
              std::get<MultiPolygon<LonLat>>(regions.features[i].geometry).polygons);
        CHECK(f.bbox == regions.features[i].bbox);
    }
    auto const ref = layer.ref(1);
    CHECK(*ref.get("dominant")->as_string() == "red");
    CHECK(*ref.get("change_blue")->as_number() < -0.3);
    CHECK(ref.get("layout")->is_null());
    CHECK(*ref.get("certainty")->as_number() == Approx(1));
    // R1's own base first; R0's reaches it from 216 km.
    CHECK(ref.get("contributors")->as_string()->rfind("S1 (red)", 0) == 0);
    CHECK(ref.get("valid_from")->is_null());
    auto const plain = sahelmap::influence::make_layer(*model, day("2020-06-01"));
    CHECK(plain.schema.index_of("change_red") < 0);
}

TEST_CASE("influence: sample_field gives each site's weight on it and 0 far away", "[influence]")
{
    auto const model = InfluenceModel::build(three_regions(), simple_params(40));
    std::vector<LonLat> const points = {
        kCentre, {0, 13}, geo::geodesic_destination(kCentre, 0, 40'000), {2, 89.999}, {-178, -15}};
    std::vector<float> field(points.size());
    model->sample_field(day("2020-06-01"), model->bloc_index("red"), points, field);
    CHECK(field[0] == Approx(1).margin(1e-6));
    CHECK(field[1] == Approx(0.2 * 0.1).margin(1e-6)); // strength 1, low confidence
    CHECK(field[2] == Approx(std::exp(-0.5)).margin(0.01));
    CHECK(field[3] == 0);
    CHECK(field[4] == 0);
    CHECK_THROWS_AS(model->bloc_index("green"), NotFound);
}

TEST_CASE("influence: the layer exports as csv, json and geojson", "[influence]")
{
    auto const model = InfluenceModel::build(three_regions(), simple_params(40));
    auto const layer = sahelmap::influence::make_layer(*model, day("2019-06-01"));
    auto const csv = sahelmap::influence::to_csv(layer);
    CHECK(csv.rfind("iso3,name,code,layout,score_red,score_blue,low_red,low_blue,high_red,high_blue,p_red,p_blue,", 0) ==
          0);
    CHECK(std::count(csv.begin(), csv.end(), '\n') == 4);
    auto const json = nlohmann::json::parse(
        sahelmap::influence::to_json(layer, model->blocs(), day("2019-06-01"), day("2018-01-01")));
    CHECK(json["time"] == "2019-06-01");
    CHECK(json["compare"] == "2018-01-01");
    CHECK(json["regions"].size() == 3);
    CHECK(json["regions"][1]["dominant"] == "contested");
    auto const geo = nlohmann::json::parse(sahelmap::influence::to_geojson(layer));
    CHECK(geo["type"] == "FeatureCollection");
    REQUIRE(geo["features"].size() == 3);
    auto const& g = geo["features"][0]["geometry"];
    CHECK(g["type"] == "MultiPolygon");
    double const lon = g["coordinates"][0][0][0][0];
    CHECK(lon == Approx(2).margin(1));
    CHECK(geo["features"][0]["properties"]["code"] == "R0");
}

// Params: the shipped file loads; every mistake names the file and key.
#include "support.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/influence/params.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

using namespace sahelmap;
using sahelmap::influence::Params;

namespace {

std::string shipped_text()
{
    std::ifstream in(std::string(SAHELMAP_SOURCE_DIR) + "/config/influence.json");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string error_of(std::string const& text)
{
    try {
        (void)Params::parse(text, "p.json");
    } catch (DataError const& e) {
        return e.what();
    }
    return "(no error)";
}

} // namespace

TEST_CASE("influence: the embedded params are config/influence.json", "[influence]")
{
    auto const p = Params::embedded();
    auto const file = Params::parse(shipped_text(), "file");
    REQUIRE(p.blocs.size() == 3);
    CHECK(p.blocs[0].name == "russia");
    CHECK(p.blocs[0].actors ==
          std::vector<std::string>{"russia_africa_corps", "wagner", "russia_redut", "russia_state"});
    CHECK(p.blocs[1].name == "western");
    // The record's blocs: Italy and Germany are western; the Syrians were recruited by Turkey's SADAT.
    CHECK(p.bloc_of("italy") == 1);
    CHECK(p.bloc_of("germany") == 1);
    CHECK(p.blocs[2].name == "turkey");
    CHECK(p.bloc_of("syrian_auxiliaries") == 2);
    CHECK(p.bloc_of("sadat_turkey") == 2);
    CHECK(p.bloc_of("local_forces") == -1);
    CHECK(p.bloc_of("united_nations") == -1);
    CHECK(p.strength == file.strength);
    CHECK(p.site_kinds.size() == file.site_kinds.size());
    CHECK(p.grid.crs == file.grid.crs);
    auto copy = p;
    auto const knobs = sahelmap::influence::tunables(copy);
    // 5 strengths, weight and λ of 7 kinds and 3 modes, 3 confidences, 4 statuses, the threshold
    CHECK(knobs.size() == 5 + 14 + 6 + 3 + 4 + 1);
    *knobs.front().value = 42;
    CHECK(copy.strength[0] == 42);
}

TEST_CASE("influence: params mistakes name the file and the key", "[influence]")
{
    auto const good = nlohmann::json::parse(shipped_text());
    struct Case {
        std::string says;
        std::function<void(nlohmann::json&)> edit;
    };
    std::vector<Case> const cases = {
        {"key blocs is missing", [](auto& j) { j.erase("blocs"); }},
        {"key colour is unknown", [](auto& j) { j["colour"] = 1; }},
        {"key sites.kind.airbase.radius_km must be a number in (0, 5000]",
         [](auto& j) { j["sites"]["kind"]["airbase"]["radius_km"] = 0; }},
        {"key sites.kind.town.weight must be a number", [](auto& j) { j["sites"]["kind"]["town"]["weight"] = "1"; }},
        {"key sites.kind.town.colour is unknown", [](auto& j) { j["sites"]["kind"]["town"]["colour"] = 1; }},
        {"key sites.strength must be an array of 5",
         [](auto& j) {
             j["sites"]["strength"] = {1, 2};
         }},
        {"key sites.strength[2] must be a number", [](auto& j) { j["sites"]["strength"][2] = -1; }},
        {"key presence.confidence.low must be a number", [](auto& j) { j["presence"]["confidence"]["low"] = nullptr; }},
        {"key presence.confidence.high must be a probability in [0, 1]",
         [](auto& j) { j["presence"]["confidence"]["high"] = 1.5; }},
        {"key presence.status is missing", [](auto& j) { j["presence"].erase("status"); }},
        {"key blocs.western lists actor 'wagner'", [](auto& j) { j["blocs"]["western"].push_back("wagner"); }},
        {"key blocs.None is not a valid bloc name", [](auto& j) { j["blocs"]["None"] = {"x"}; }},
        {"key blocs.contested is not a valid bloc name", [](auto& j) { j["blocs"]["contested"] = {"x"}; }},
        {"key dominance.min_score must be a number in (0, 1]", [](auto& j) { j["dominance"]["min_score"] = 2; }},
        {"key dominance.contested_margin must be a number in (0, 1]",
         [](auto& j) { j["dominance"]["contested_margin"] = 0; }},
        {"key uncertainty.max_exact_features must be a whole number",
         [](auto& j) { j["uncertainty"]["max_exact_features"] = 2.5; }},
        {"key sensitivity.runs must be a number in [1, 10000]", [](auto& j) { j["sensitivity"]["runs"] = 0; }},
        {"key grid.cutoff_sigmas must be a number in [2, 10]", [](auto& j) { j["grid"]["cutoff_sigmas"] = 1; }},
        {"key grid.min_cells_per_region must be a whole number",
         [](auto& j) { j["grid"]["min_cells_per_region"] = 2.5; }},
        {"key corridors.mode must be an object", [](auto& j) { j["corridors"]["mode"] = 3; }},
    };
    for (auto const& c : cases) {
        auto doc = good;
        c.edit(doc);
        auto const msg = error_of(doc.dump());
        INFO(msg);
        CHECK(msg.rfind("influence params p.json: ", 0) == 0);
        CHECK(msg.find(c.says) != std::string::npos);
    }
    CHECK(error_of("{") == "influence params p.json is not valid JSON (at byte 2)");
    CHECK(error_of("[]") == "influence params p.json must be a JSON object");
    CHECK_THROWS_WITH(Params::load("/nonexistent/p.json"), "influence params /nonexistent/p.json cannot be read");
    auto doc = good;
    doc["$comment"] = "comments are allowed anywhere";
    doc["sites"]["kind"]["$comment"] = "even among kinds";
    CHECK(error_of(doc.dump()) == "(no error)");
}

TEST_CASE("influence: data the params do not weigh is refused naming the feature", "[influence]")
{
    using namespace sahelmap::test::influence;
    auto const regions = regions_layer({disc(kCentre, 50'000)});
    auto const refused = [&](FeatureLayer const& sites) -> std::string {
        try {
            (void)sahelmap::influence::InfluenceModel::build(store_of({regions, sites}), simple_params());
        } catch (DataError const& e) {
            return e.what();
        }
        return "(no error)";
    };
    CHECK(refused(sites_layer({{.at = kCentre, .kind = "castle"}})) ==
          "influence: feature 0 of layer sites (test) has kind 'castle', which influence params test params do not "
          "weigh (key sites.kind)");
    CHECK(refused(sites_layer({{.at = kCentre, .in_model = "maybe"}})) ==
          "influence: feature 0 of layer sites (test) has in_model 'maybe' (expected yes or no)");
    CHECK(refused(sites_layer({{.at = kCentre, .strength = 7}})) ==
          "influence: feature 0 of layer sites (test) needs a strength from 1 to 5");
    CHECK(refused(sites_layer({{.at = kCentre, .confidence = "maybe"}})).find("confidence 'maybe'") !=
          std::string::npos);
    // Actors of no bloc are not weighed at all, whatever their kind.
    CHECK(refused(sites_layer({{.at = kCentre, .kind = "castle", .actor = "local_forces"}})) == "(no error)");
    auto no_field = sites_layer({{.at = kCentre}});
    no_field.schema.fields[3] = "size";
    CHECK(refused(no_field) == "influence: layer sites (test) has no field 'strength'");
    CHECK_THROWS_WITH(sahelmap::influence::InfluenceModel::build(store_of({}), simple_params()),
                      "influence: the data has no layer 'regions'");
    auto bad_crs = simple_params();
    bad_crs.grid.crs = "EPSG:999999";
    CHECK_THROWS_WITH(sahelmap::influence::InfluenceModel::build(store_of({regions}), bad_crs),
                      Catch::StartsWith("influence params test params: key grid.crs: "));
}

// `sahelmap influence`, run as a process: formats, exit codes, messages.
#include "support/files.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>

using namespace sahelmap::test;

namespace {
std::string influence(std::string const& args)
{
    return std::string(SAHELMAP_BINARY) + " influence " + args;
}
} // namespace

TEST_CASE("influence: the CLI prints a table of every region, bloc and dominant", "[influence]")
{
    auto const r = run_command(influence("--time 2023-01-01"));
    INFO(r.out);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("region") != std::string::npos);
    CHECK(r.out.find("russia") != std::string::npos);
    CHECK(r.out.find("western") != std::string::npos);
    CHECK(r.out.find("Niamey") != std::string::npos);
    CHECK(r.out.find("turkey") != std::string::npos);
    // The units in force: Mali 9, Niger 8, Burkina Faso's 13 regions of 2001-2025.
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 3 + 30);
    CHECK(r.out.find("Boucle du Mouhoun") != std::string::npos);
    CHECK(r.out.find("Bankui") == std::string::npos);
    auto const cmp = run_command(influence("--time 2025-06-01 --compare 2023-01-01"));
    REQUIRE(cmp.exit_code == 0);
    CHECK(cmp.out.find("Δwestern") != std::string::npos);
}

TEST_CASE("influence: the CLI writes csv, json and geojson", "[influence]")
{
    auto const csv = run_command(influence("--time 2025-11-01 --format csv"));
    REQUIRE(csv.exit_code == 0);
    CHECK(csv.out.rfind("iso3,name,code,layout,score_russia,score_western,score_turkey,low_russia", 0) == 0);
    // Burkina Faso's 17 regions of 2025.
    CHECK(std::count(csv.out.begin(), csv.out.end(), '\n') == 1 + 34);
    CHECK(csv.out.find("Bankui") != std::string::npos);

    auto const js = run_command(influence("--time 2025-11-01 --compare 2023-01-01 --format json"));
    REQUIRE(js.exit_code == 0);
    auto const doc = nlohmann::json::parse(js.out);
    CHECK(doc["time"] == "2025-11-01");
    CHECK(doc["regions"].size() == 34);
    CHECK(doc["regions"][0].contains("certainty"));
    CHECK(doc["regions"][0].contains("p_turkey"));
    CHECK(doc["regions"][0].contains("change_western"));

    auto const gj = run_command(influence("--time 2025-11-01 --format=geojson"));
    REQUIRE(gj.exit_code == 0);
    auto const fc = nlohmann::json::parse(gj.out);
    CHECK(fc["type"] == "FeatureCollection");
    REQUIRE(fc["features"].size() == 34);
    for (auto const& f : fc["features"]) {
        CHECK(f["geometry"]["type"] == "MultiPolygon");
        double const lon = f["geometry"]["coordinates"][0][0][0][0];
        double const lat = f["geometry"]["coordinates"][0][0][0][1];
        CHECK(lon > -13);
        CHECK(lon < 17);
        CHECK(lat > 9);
        CHECK(lat < 26);
    }
}

TEST_CASE("influence: bad influence arguments give one sentence and exit 2", "[influence]")
{
    struct Case {
        std::string args;
        std::string says;
    };
    Case const cases[] = {
        {"--time 2025-02-30", "time '2025-02-30'"},
        {"--compare yesterday", "'yesterday'"},
        {"--format xml", "--format must be table, csv, json or geojson"},
        {"--sensitivity --compare 2023-01-01", "--sensitivity takes no --compare"},
        {"--bloc russia", "unknown option '--bloc'"},
        {"Niamey", "takes no arguments"},
    };
    for (auto const& c : cases) {
        auto const r = run_command(influence(c.args));
        INFO(c.args << ": " << r.out);
        CHECK(r.exit_code == 2);
        CHECK(r.out.find(c.says) != std::string::npos);
        CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
    }
    auto const missing = run_command(influence("--params /nonexistent/influence.json"));
    CHECK(missing.exit_code == 1);
    CHECK(missing.out == "sahelmap: influence params /nonexistent/influence.json cannot be read\n");
    auto const help = run_command(influence("--help"));
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("--sensitivity") != std::string::npos);
}

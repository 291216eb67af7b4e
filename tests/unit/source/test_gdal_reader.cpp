#include "sahelmap/core/error.hpp"
#include "sahelmap/source/config.hpp"
#include "sahelmap/source/gdal_reader.hpp"
#include "support/files.hpp"
#include "support/golden.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace sahelmap;
using namespace sahelmap::test;

namespace {
constexpr char kSitesGeoJson[] = R"({"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"id":"a","name":"Ségou camp","strength":3,"valid_from":"2022-01-01","valid_to":null},
  "geometry":{"type":"Point","coordinates":[-6.26,13.43]}},
 {"type":"Feature","properties":{"id":"b","name":"Tillabéri","strength":2,"valid_from":null,"valid_to":"2024-05-01"},
  "geometry":{"type":"Point","coordinates":[1.45,14.21]}}]})";

source::LayerSource layer_at(std::filesystem::path const& p, std::string const& layer)
{
    return {"sites", p.string(), layer, "", false};
}
} // namespace

TEST_CASE("source: the embedded default data has every layer", "[source]")
{
    auto store = source::load_store(source::Config::defaults());
    struct Expect {
        char const* name;
        GeometryKind kind;
        std::size_t count;
    };
    // The reference tables as re-reviewed (shared/reference/README.md): 44 sites, 12 corridors, 54 events.
    // Countries: 31, the three AES states with one row per period of bloc membership (4 each); borders:
    // 60 pairs, the 17 touching an AES state dated before and after the charter; regions: Mali 9, Niger 8,
    // Burkina Faso 13 (2001-2025) + 17 (2025); its 45 provinces.
    for (auto e : {Expect{"countries", GeometryKind::polygon, 31 + 3 * 3}, Expect{"borders", GeometryKind::line, 60 + 17},
                   Expect{"regions", GeometryKind::polygon, 9 + 8 + 13 + 17}, Expect{"provinces", GeometryKind::polygon, 45},
                   Expect{"sites", GeometryKind::point, 44}, Expect{"corridors", GeometryKind::line, 12},
                   Expect{"events", GeometryKind::none, 54}}) {
        INFO(e.name);
        auto const* l = store->find(e.name);
        REQUIRE(l);
        CHECK(l->kind == e.kind);
        CHECK(l->features.size() == e.count);
    }
    auto const* sites = store->find("sites");
    CHECK(sites->has_validity);
    // Every reference attribute is kept.
    for (char const* f : {"id", "name", "country_iso3", "kind", "actor", "status", "valid_from", "valid_to", "strength",
                          "confidence", "seed_mention", "source", "in_model", "actor_name"})
        CHECK(sites->schema.index_of(f) >= 0);
    for (char const* f : {"schematic", "actor_name", "geometry_note"}) CHECK(store->find("corridors")->schema.index_of(f) >= 0);
    CHECK(store->find("regions")->has_validity);
    CHECK(store->find("countries")->has_validity);
    // The Wagner row at Bamako ends the day the Africa Corps row starts.
    int id = sites->schema.index_of("id");
    bool found = false;
    for (auto const& f : sites->features)
        if (*f.values[static_cast<std::size_t>(id)].as_string() == "mli_bamako_ab101_wagner") {
            found = true;
            CHECK(f.validity.from == Date::parse("2021-12-01"));
            CHECK(f.validity.to == Date::parse("2025-06-06"));
        }
    CHECK(found);
    CHECK(store->find("places")->features.size() >= 50);
}

TEST_CASE("source: GeoJSON, Shapefile, FlatGeobuf and a reprojected GeoPackage read alike", "[source]")
{
    ScratchDir dir("ogr-formats");
    write_text(dir / "sites.geojson", kSitesGeoJson);
    auto const geojson = source::read_layer(layer_at(dir / "sites.geojson", "sites"));
    REQUIRE(geojson.features.size() == 2);
    CHECK(*geojson.features[0].values[static_cast<std::size_t>(geojson.schema.index_of("name"))].as_string() ==
          "Ségou camp");
    CHECK(geojson.features[0].validity.from == Date::parse("2022-01-01"));
    CHECK_FALSE(geojson.features[0].validity.to.has_value());
    CHECK(geojson.features[1].validity.to == Date::parse("2024-05-01"));

    auto const convert = [&](char const* fmt, char const* out, char const* extra) {
        auto r = run_command(std::string("ogr2ogr -f \"") + fmt + "\" " + extra + " " + (dir / out).string() + " " +
                             (dir / "sites.geojson").string());
        INFO(r.out);
        REQUIRE(r.exit_code == 0);
    };
    convert("ESRI Shapefile", "sites.shp", "");
    convert("FlatGeobuf", "sites.fgb", "");
    convert("GPKG", "sites_utm.gpkg", "-t_srs EPSG:32631 -nln sites");
    for (auto const& [file, layer] : {std::pair{"sites.shp", "sites"}, std::pair{"sites.fgb", "sites"},
                                      std::pair{"sites_utm.gpkg", "sites"}}) {
        INFO(file);
        auto l = source::read_layer(layer_at(dir / file, layer));
        REQUIRE(l.features.size() == 2);
        // FlatGeobuf stores features in spatial-index order: find "b" by id.
        auto const id = static_cast<std::size_t>(l.schema.index_of("id"));
        auto const& b = *std::find_if(l.features.begin(), l.features.end(),
                                      [&](Feature const& f) { return *f.values[id].as_string() == "b"; });
        auto const& p = std::get<MultiPoint<LonLat>>(b.geometry).points.at(0);
        CHECK(p.lon == Approx(1.45).margin(1e-6)); // back in lon/lat whatever the source CRS
        CHECK(p.lat == Approx(14.21).margin(1e-6));
        CHECK(b.validity.to == Date::parse("2024-05-01"));
    }
}

TEST_CASE("source: broken sources give one clear DataError naming file and layer", "[source]")
{
    ScratchDir dir("ogr-broken");
    write_text(dir / "broken.geojson", "{ \"type\": \"FeatureCollection\", \"features\": [ {");
    CHECK_THROWS_AS(source::read_layer(layer_at(dir / "broken.geojson", "broken")), DataError);
    CHECK_THROWS_WITH(source::read_layer(layer_at(dir / "broken.geojson", "broken")),
                      Catch::Contains("layer sites in") && Catch::Contains("broken.geojson"));
    CHECK_THROWS_WITH(source::read_layer(layer_at(dir / "missing.gpkg", "x")), Catch::Contains("cannot open"));

    write_text(dir / "sites.geojson", kSitesGeoJson);
    CHECK_THROWS_WITH(source::read_layer(layer_at(dir / "sites.geojson", "nope")),
                      Catch::Contains("no layer named 'nope'") && Catch::Contains("it has: sites"));

    std::string bad_date = kSitesGeoJson;
    bad_date.replace(bad_date.find("2022-01-01"), 10, "2022-13-45");
    write_text(dir / "bad_date.geojson", bad_date);
    CHECK_THROWS_WITH(source::read_layer(layer_at(dir / "bad_date.geojson", "bad_date")),
                      Catch::Contains("valid_from") && Catch::Contains("2022-13-45"));
}

TEST_CASE("source: a password in a connection string never appears in messages", "[source]")
{
    // Nothing listens on port 1: the connection fails at once.
    source::LayerSource const pg{"sites", "PG:host=127.0.0.1 port=1 dbname=x user=u password=s3cret", "sites", "", false};
    try {
        source::read_layer(pg);
        FAIL("a refused connection must throw");
    } catch (DataError const& e) {
        std::string const msg = e.what();
        CHECK(msg.find("s3cret") == std::string::npos);
        CHECK(msg.find("password=***") != std::string::npos);
    }
}

TEST_CASE("source: a config points any layer at any OGR source", "[source][config]")
{
    ScratchDir dir("config");
    write_text(dir / "sites.geojson", kSitesGeoJson);
    write_text(dir / "sahelmap.json", R"({"layers": {"sites": {"source": "sites.geojson", "layer": "sites"}}})");
    auto cfg = source::Config::load(dir / "sahelmap.json");
    auto store = source::load_store(cfg);
    CHECK(store->find("sites")->features.size() == 2);       // from the config
    CHECK(store->find("countries")->features.size() == 40);  // the rest from the embedded defaults
    CHECK(cfg.styles.size() == 4);

    write_text(dir / "typo.json", R"({"layers": {"sites": {"src": "sites.geojson"}}})");
    CHECK_THROWS_WITH(source::Config::load(dir / "typo.json"), Catch::Contains("unknown key 'src'"));
    write_text(dir / "notjson.json", "{layers: }");
    CHECK_THROWS_WITH(source::Config::load(dir / "notjson.json"), Catch::Contains("not valid JSON"));
    CHECK_THROWS_WITH(source::Config::load(dir / "absent.json"), Catch::Contains("cannot be read"));
}

// Real clients on loopback: GDAL's OAPIF driver (ogrinfo, ogr2ogr) reading
// our OGC API, and GDAL's MVT driver reading our vector tiles.
#include "features/mvt_decode.hpp"
#include "sahelmap/geo/projection.hpp"
#include "sahelmap/geo/tile_math.hpp"
#include "server/client.hpp"
#include "support/files.hpp"
#include "support/fixture.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <regex>

using namespace sahelmap;
using namespace sahelmap::test;
using nlohmann::json;

namespace {

InProcessServer& client_server()
{
    static InProcessServer server;
    return server;
}

std::string oapif_url()
{
    return "OAPIF:http://127.0.0.1:" + std::to_string(client_server().port()) + "/ogc";
}

/// Layer name → feature count from `ogrinfo -so -al` output.
std::map<std::string, long> layer_counts(std::string const& ogrinfo_out)
{
    std::map<std::string, long> out;
    std::regex const layer_re("Layer name: (\\S+)"), count_re("Feature Count: (\\d+)");
    std::string current;
    std::istringstream in(ogrinfo_out);
    for (std::string line; std::getline(in, line);) {
        std::smatch m;
        if (std::regex_search(line, m, layer_re))
            current = m[1];
        else if (std::regex_search(line, m, count_re))
            out[current] = std::stol(m[1]);
    }
    return out;
}

/// The value a client should see for an attribute: JSON null, a number or text.
json expected_value(Value const& v)
{
    if (v.is_null()) return nullptr;
    if (auto const* n = v.as_number()) return *n;
    return v.to_string();
}

bool same_value(json const& got, json const& want)
{
    if (want.is_number()) return got.is_number() && got.get<double>() == want.get<double>();
    // GDAL writes a column it typed as Date as YYYY/MM/DD (it types a column from the values it sees
    // first, so a column that starts with nulls may be typed later): the same day.
    if (got.is_string() && want.is_string()) {
        std::string g = got.get<std::string>();
        if (g.size() == 10 && g[4] == '/' && g[7] == '/') g[4] = g[7] = '-';
        return g == want.get<std::string>();
    }
    return got == want;
}

/// All coordinates of a GeoJSON geometry, flattened.
void flatten(json const& coords, std::vector<double>& out)
{
    if (coords.is_number()) {
        out.push_back(coords.get<double>());
        return;
    }
    for (auto const& c : coords) flatten(c, out);
}

std::vector<double> flat_coordinates(Geometry<LonLat> const& g)
{
    std::vector<double> out;
    std::visit(
        [&](auto const& geom) {
            using T = std::decay_t<decltype(geom)>;
            auto ring = [&](std::vector<LonLat> const& r, bool close) {
                for (auto const& p : r) out.insert(out.end(), {p.lon, p.lat});
                if (close && !r.empty() && !(r.front() == r.back())) out.insert(out.end(), {r[0].lon, r[0].lat});
            };
            if constexpr (std::is_same_v<T, MultiPoint<LonLat>>)
                ring(geom.points, false);
            else if constexpr (std::is_same_v<T, MultiLineString<LonLat>>)
                for (auto const& l : geom.lines) ring(l, false);
            else
                for (auto const& p : geom.polygons)
                    for (auto const& r : p) ring(r, true);
        },
        g);
    return out;
}

/// Compares a layer written by ogr2ogr (GeoJSON) with the store, feature by
/// feature in data order: attributes and coordinates.
void compare_with_store(json const& doc, FeatureLayer const& layer)
{
    REQUIRE(doc["features"].size() == layer.features.size());
    for (std::size_t i = 0; i < layer.features.size(); ++i) {
        auto const& got = doc["features"][i];
        auto const& want = layer.features[i];
        INFO("feature " << i << " fid " << want.fid);
        for (std::size_t f = 0; f < layer.schema.fields.size(); ++f) {
            INFO("field " << layer.schema.fields[f]);
            CHECK(same_value(got["properties"][layer.schema.fields[f]], expected_value(want.values[f])));
        }
        std::vector<double> got_coords;
        flatten(got["geometry"]["coordinates"], got_coords);
        auto const want_coords = flat_coordinates(want.geometry);
        REQUIRE(got_coords.size() == want_coords.size());
        double worst = 0;
        for (std::size_t k = 0; k < got_coords.size(); ++k)
            worst = std::max(worst, std::abs(got_coords[k] - want_coords[k]));
        CHECK(worst < 1e-9);
    }
}

int count_of(std::string const& text, std::string const& what)
{
    int n = 0;
    for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
    return n;
}

} // namespace

TEST_CASE("clients: ogrinfo lists every collection with the source's feature count", "[clients][ogc-api]")
{
    auto const r = run_command("ogrinfo -ro -so -al '" + oapif_url() + "'");
    INFO(r.out);
    REQUIRE(r.exit_code == 0);
    auto const counts = layer_counts(r.out);
    auto const& store = default_service().store();
    for (auto const& layer : store.layers) CHECK(counts.at(layer.name) == static_cast<long>(layer.features.size()));
    CHECK(counts.at("influence") == static_cast<long>(store.find("regions")->features.size()));
    CHECK(r.out.find("Geometry: Point") != std::string::npos);
}

TEST_CASE("clients: ogr2ogr pages through sites and regions with geometry and attributes intact", "[clients][ogc-api]")
{
    ScratchDir dir("clients-oapif");
    auto const& store = default_service().store();
    for (char const* name : {"sites", "regions", "corridors"}) {
        auto const out = (dir / (std::string(name) + ".json")).string();
        // A page size that does not divide the counts, so the last page is partial.
        auto const r = run_command("ogr2ogr --debug on -f GeoJSON '" + out + "' '" + oapif_url() + "' " + name +
                                   " -oo PAGE_SIZE=7");
        INFO(r.out.substr(0, 4000));
        REQUIRE(r.exit_code == 0);
        auto const& layer = *store.find(name);
        // Every page was fetched through our next links.
        CHECK(count_of(r.out, "/ogc/collections/" + std::string(name) + "/items?") >=
              static_cast<int>((layer.features.size() + 6) / 7));
        compare_with_store(json::parse(read_bytes(out)), layer);
    }
}

TEST_CASE("clients: GDAL's MVT driver reads our vector tiles", "[clients][vector]")
{
    ScratchDir dir("clients-mvt");
    auto const& svc = default_service();
    auto const tile = geo::tile_at(geo::to_mercator({2.1836, 13.4815}), 6); // Niamey
    auto const target =
        "/tiles/vector/6/" + std::to_string(tile.x()) + "/" + std::to_string(tile.y()) + ".mvt?time=2023-01-01";
    auto const res = http_get(client_server().port(), target);
    REQUIRE(res.status == 200);
    CHECK(res.header("content-type") == "application/vnd.mapbox-vector-tile");
    auto const file = dir / "tile.mvt";
    write_text(file, res.body);
    std::string const oo = " -oo X=" + std::to_string(tile.x()) + " -oo Y=" + std::to_string(tile.y()) + " -oo Z=6";

    // Layers and counts as our own decoder sees them.
    auto const info = run_command("ogrinfo -ro -so -al '" + file.string() + "'" + oo);
    INFO(info.out);
    REQUIRE(info.exit_code == 0);
    auto const counts = layer_counts(info.out);
    auto const decoded = decode_tile(res.body);
    REQUIRE(counts.size() == decoded.size());
    for (auto const& layer : decoded) CHECK(counts.at(layer.name) == static_cast<long>(layer.features.size()));

    // Sites: the ones valid that day in the tile, with their attributes, where they are.
    auto const sites_json = (dir / "sites.json").string();
    REQUIRE(run_command("ogr2ogr -f GeoJSON '" + sites_json + "' '" + file.string() + "' sites" + oo).exit_code == 0);
    auto const sites = json::parse(read_bytes(sites_json));
    auto const& store_sites = *svc.store().find("sites");
    auto const b = geo::tile_bounds(tile);
    Date const day = *Date::parse("2023-01-01");
    std::size_t expected = 0;
    for (auto const& f : store_sites.features) {
        auto const p = geo::to_mercator(std::get<MultiPoint<LonLat>>(f.geometry).points.at(0));
        expected += f.validity.contains(day) && b.contains(p.x, p.y);
    }
    CHECK(sites["features"].size() == expected);
    bool found = false;
    int const id_field = store_sites.schema.index_of("id");
    for (auto const& f : sites["features"]) {
        if (f["properties"]["id"] != "ner_niamey_bap_fr") continue;
        found = true;
        for (auto const& want : store_sites.features) {
            if (want.values[static_cast<std::size_t>(id_field)].to_string() != "ner_niamey_bap_fr") continue;
            for (std::size_t k = 0; k < store_sites.schema.fields.size(); ++k) {
                auto const& name = store_sites.schema.fields[k];
                INFO(name);
                if (want.values[k].is_null())
                    CHECK(!f["properties"].contains(name));
                else
                    CHECK(same_value(f["properties"][name], expected_value(want.values[k])));
            }
        }
        auto const m = geo::to_mercator({2.1836, 13.4815});
        double const unit = b.width() / 4096;
        CHECK(std::abs(f["geometry"]["coordinates"][0].get<double>() - m.x) <= unit);
        CHECK(std::abs(f["geometry"]["coordinates"][1].get<double>() - m.y) <= unit);
    }
    CHECK(found);

    // Regions: a region wholly inside the tile has its area (winding read right by GDAL).
    auto const regions_json = (dir / "regions.json").string();
    REQUIRE(run_command("ogr2ogr -f GeoJSON '" + regions_json + "' '" + file.string() + "' regions" + oo).exit_code ==
            0);
    auto const regions = json::parse(read_bytes(regions_json));
    auto const& projected = *svc.data().layer("regions");
    auto area_of_rings = [](json const& polygon) {
        double total = 0;
        bool first = true;
        for (auto const& ring : polygon) {
            double a = 0;
            for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++)
                a += (ring[j][0].get<double>() - ring[i][0].get<double>()) *
                     (ring[j][1].get<double>() + ring[i][1].get<double>());
            total += first ? std::abs(a) / 2 : -std::abs(a) / 2;
            first = false;
        }
        return total;
    };
    int checked = 0;
    for (auto const& f : regions["features"]) {
        auto const fid = f["properties"]["mvt_id"].get<std::int64_t>();
        std::size_t index = 0;
        while (index < projected.size() && projected.source().features[index].fid != fid) ++index;
        REQUIRE(index < projected.size());
        auto const& box = projected.bbox(index);
        if (!(b.contains(box.minx, box.miny) && b.contains(box.maxx, box.maxy))) continue;
        double want = 0;
        for (auto const& poly : std::get<MultiPolygon<Projected>>(projected.geometry(index)).polygons) {
            bool first = true;
            for (auto const& ring : poly) {
                double a = 0;
                for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++)
                    a += (ring[j].x - ring[i].x) * (ring[j].y + ring[i].y);
                want += first ? std::abs(a) / 2 : -std::abs(a) / 2;
                first = false;
            }
        }
        double got = 0;
        if (f["geometry"]["type"] == "Polygon")
            got = area_of_rings(f["geometry"]["coordinates"]);
        else
            for (auto const& poly : f["geometry"]["coordinates"]) got += area_of_rings(poly);
        INFO("region fid " << fid);
        CHECK(got == Approx(want).epsilon(0.02));
        ++checked;
    }
    CHECK(checked > 0);
}

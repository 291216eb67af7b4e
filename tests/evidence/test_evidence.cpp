// The evidence cut-off (issue 13): the latest dated item of the record, what
// GET /data.json reports, and the default date of every map, tile, query
// and command.
//
// The shipped data's cut-off is in the past, where it shares an epoch with
// today (no feature changes between them), so a default of "today" would
// draw the same tiles. The fixture below adds one site that starts in 2099:
// its cut-off is in the future, and a tile of a date before it (today, or
// the fixed kBeforeSite the tests ask for, in one epoch with today) leaves
// the site out while the tile of the cut-off draws it, so every
// default-date check here fails if a path still defaults to today.
#include "../server/client.hpp"
#include "sahelmap/service/map_service.hpp"
#include "support/files.hpp"
#include "support/fixture.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <set>

using namespace sahelmap;
using namespace sahelmap::test;

namespace {

constexpr char kFutureDate[] = "2099-01-01";

/// A fixed date 400 days before the cut-off: no site yet, like today (every
/// date before 2099 is one epoch of the fixture), but the tests that compare
/// with it do not depend on the calendar.
std::string const kBeforeSite = Date::from_days(Date::parse(kFutureDate)->days() - 400).to_string();

/// A sites layer of one site in Niamey that starts in 2099 (strength 5,
/// high confidence: drawn large at every zoom).
constexpr char kFutureSites[] = R"({"type": "FeatureCollection", "name": "sites", "features": [
 {"type": "Feature", "geometry": {"type": "Point", "coordinates": [2.1836, 13.4815]},
  "properties": {"id": "ner_test_future", "name": "Test site", "label": "Test site", "country_iso3": "NER",
                 "kind": "airbase", "actor": "russia_africa_corps", "status": "active",
                 "valid_from": "2099-01-01", "valid_to": null, "strength": 5, "confidence": "high",
                 "seed_mention": "no", "in_model": "yes",
                 "source": "https://example.org/a (Test wire, 2098-12-31); https://example.org/b (Other, 2099-01-01); seed document"}}]})";

/// The scratch folder holds sites.geojson and config.json reading it; one
/// folder per test case, since ctest runs them at once.
struct FutureData {
    ScratchDir dir;
    std::filesystem::path config = dir / "config.json";
    explicit FutureData(std::string const& name) : dir("evidence-" + name)
    {
        write_text(dir / "sites.geojson", kFutureSites);
        write_text(config, R"({"layers": {"sites": {"source": "sites.geojson"}}})");
    }
};

Feature feature_with(std::vector<Value> values, Validity validity = {})
{
    Feature f;
    f.values = std::move(values);
    f.validity = validity;
    return f;
}

std::string bin()
{
    return SAHELMAP_BINARY;
}

std::string quoted(std::filesystem::path const& p)
{
    return "'" + p.string() + "'";
}

} // namespace

TEST_CASE("evidence: the cut-off is the latest date in any validity or date field", "[evidence]")
{
    FeatureStore store;
    FeatureLayer sites;
    sites.name = "sites";
    sites.schema.fields = {"name", "valid_from", "valid_to", "source"};
    sites.features.push_back(
        feature_with({"Gao", "2022-08-15", "2025-06-06", "https://a.example (AFP); https://b.example (AP)"},
                     {Date::parse("2022-08-15"), Date::parse("2025-06-06")}));
    sites.features.push_back(feature_with({"Kidal", "2023-11-14", nullptr, "https://a.example (AFP)"},
                                          {Date::parse("2023-11-14"), std::nullopt}));
    // A name that happens to look like a date does not make its field a date field.
    sites.features.push_back(feature_with({"2031-01-01", "", "", ""}));
    store.layers.push_back(sites);
    REQUIRE(service::latest_dated_item(store) == Date::parse("2025-06-06"));

    FeatureLayer events;
    events.name = "events";
    events.schema.fields = {"date", "event", "source"};
    events.features.push_back(feature_with({"2026-01-29", "attack on Niamey air base", "https://c.example (Reuters)"}));
    events.features.push_back(feature_with({"2026-02-02T10:00:00", "a date-time counts by its day", nullptr}));
    store.layers.push_back(events);
    CHECK(service::latest_dated_item(store) == Date::parse("2026-02-02"));
    CHECK(service::default_time(store) == *Date::parse("2026-02-02"));

    // Distinct items of `source`, split on "; ".
    CHECK(service::count_sources(store.layers[0]) == 2);
    CHECK(service::count_sources(store.layers[1]) == 1);
    FeatureLayer no_source;
    no_source.schema.fields = {"name"};
    no_source.features.push_back(feature_with({"x"}));
    CHECK(service::count_sources(no_source) == 0);

    // Nothing dated: today, the one date here that is the calendar's (the
    // behaviour under test). Read on both sides, so midnight passing in
    // between cannot fail it.
    FeatureStore undated;
    undated.layers.push_back(no_source);
    CHECK_FALSE(service::latest_dated_item(undated));
    auto const day_before = Date::today();
    auto const undated_default = service::default_time(undated);
    auto const day_after = Date::today();
    CHECK((undated_default == day_before || undated_default == day_after));
}

TEST_CASE("evidence: GET /data.json over HTTP reports the cut-off, change dates and layers", "[evidence][server]")
{
    InProcessServer srv;
    auto const r = http_get(srv.port(), "/data.json");
    REQUIRE(r.status == 200);
    CHECK(r.header("content-type") == "application/json");
    auto const doc = nlohmann::json::parse(r.body);
    auto const& svc = default_service();

    // The shipped record: the latest of the events' dates and the sites' and
    // corridors' validity, all in the past.
    auto const until = doc.at("evidence_until").get<std::string>();
    REQUIRE(Date::parse(until));
    CHECK(until == svc.evidence_until().to_string());
    CHECK(*Date::parse(until) < Date::today()); // a record of the past: stays true as the calendar moves on
    std::string latest_event;
    auto const* events = svc.store().find("events");
    REQUIRE(events);
    int const date_field = events->schema.index_of("date");
    REQUIRE(date_field >= 0);
    for (auto const& f : events->features)
        latest_event = std::max(latest_event, f.values[static_cast<std::size_t>(date_field)].to_string());
    CHECK(until >= latest_event);
    for (auto const& d : svc.store().change_dates()) CHECK(d <= *Date::parse(until));

    auto const& dates = doc.at("change_dates");
    REQUIRE(dates.is_array());
    REQUIRE(dates.size() == svc.store().change_dates().size());
    CHECK(std::is_sorted(dates.begin(), dates.end()));
    CHECK(dates.back().get<std::string>() <= until);

    auto const& layers = doc.at("layers");
    for (auto const& layer : svc.store().layers) {
        INFO(layer.name);
        REQUIRE(layers.contains(layer.name));
        CHECK(layers[layer.name].at("features") == layer.features.size());
    }
    // Every site cites at least one source, and some cite several.
    auto const sources = layers.at("sites").at("sources").get<std::size_t>();
    CHECK(sources >= svc.store().find("sites")->features.size() / 2);
    CHECK(layers.at("countries").at("sources") == 0);
}

TEST_CASE("evidence: tiles, WMS, WMTS, OGC API and influence default to the cut-off, not today", "[evidence][server]")
{
    FutureData data("http");
    auto options = InProcessServer::test_options();
    options.config_file = data.config;
    options.log_level = server::LogLevel::error;
    InProcessServer srv(options);
    HttpClient client(srv.port());

    auto const doc = nlohmann::json::parse(client.get("/data.json").body);
    REQUIRE(doc.at("evidence_until") == kFutureDate);
    CHECK(doc.at("layers").at("sites").at("features") == 1);
    CHECK(doc.at("layers").at("sites").at("sources") == 3); // two URLs and the seed document

    // The raster tile over Niamey: without time= it is the cut-off's tile,
    // which draws the 2099 site, and differs from one of a date before it.
    std::string const tile = "/tiles/default/6/32/29.png";
    auto const dateless = client.get(tile);
    auto const at_cutoff = client.get(tile + "?time=" + kFutureDate);
    auto const before_site = client.get(tile + "?time=" + kBeforeSite);
    REQUIRE(dateless.status == 200);
    REQUIRE(at_cutoff.status == 200);
    REQUIRE(before_site.status == 200);
    CHECK(dateless.body == at_cutoff.body);
    CHECK(dateless.body != before_site.body);

    // Vector tiles: the same choice.
    auto const mvt = client.get("/tiles/vector/6/32/29.mvt");
    REQUIRE(mvt.status == 200);
    CHECK(mvt.body == client.get(std::string("/tiles/vector/6/32/29.mvt?time=") + kFutureDate).body);
    CHECK(mvt.body != client.get("/tiles/vector/6/32/29.mvt?time=" + kBeforeSite).body);

    // WMTS: a tile without a Time is the XYZ default; the capabilities say so.
    auto const wmts = client.get("/wmts/1.0.0/default/default/WebMercatorQuad/6/29/32.png");
    REQUIRE(wmts.status == 200);
    CHECK(wmts.body == at_cutoff.body);
    auto const wmts_caps = client.get("/wmts/1.0.0/WMTSCapabilities.xml").body;
    CHECK(wmts_caps.find(std::string("<Default>") + kFutureDate + "</Default>") != std::string::npos);

    // WMS: the capabilities' TIME default, and GetMap without TIME.
    auto const caps = client.get("/wms?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.3.0").body;
    CHECK(caps.find(std::string("default=\"") + kFutureDate + "\"") != std::string::npos);
    // An absence, so true on any day but the one a today-default would name.
    CHECK(caps.find("default=\"" + Date::today().to_string() + "\"") == std::string::npos);
    std::string const getmap = "/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=sites&STYLES=&CRS=CRS:84"
                               "&BBOX=1.5,13,3,14&WIDTH=200&HEIGHT=150&FORMAT=image/png&TRANSPARENT=TRUE";
    auto const map_default = client.get(getmap);
    REQUIRE(map_default.status == 200);
    CHECK(map_default.body == client.get(getmap + "&TIME=" + kFutureDate).body);
    CHECK(map_default.body != client.get(getmap + "&TIME=" + kBeforeSite).body);
    // GetFeatureInfo without TIME finds the 2099 site (the middle of pixel 50
    // is the site), with a TIME before the site's start not.
    std::string const info = "/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&LAYERS=sites&QUERY_LAYERS=sites"
                             "&STYLES=&CRS=CRS:84&BBOX=2.0836,13.3815,2.2836,13.5815&WIDTH=101&HEIGHT=101&I=50&J=50"
                             "&INFO_FORMAT=application/json&FORMAT=image/png";
    auto const found = nlohmann::json::parse(client.get(info).body);
    REQUIRE(found.at("features").size() == 1);
    CHECK(found["features"][0]["properties"]["id"] == "ner_test_future");
    CHECK(nlohmann::json::parse(client.get(info + "&TIME=" + kBeforeSite).body).at("features").empty());

    // OGC API: the influence collection's scores are those of the cut-off.
    auto features = [&](std::string const& query) {
        auto const r = client.get("/ogc/collections/influence/items?limit=100" + query);
        REQUIRE(r.status == 200);
        return nlohmann::json::parse(r.body).at("features"); // links and timeStamp differ by request
    };
    auto const influence = features("");
    CHECK(influence == features(std::string("&datetime=") + kFutureDate));
    CHECK(influence != features("&datetime=" + kBeforeSite));

    // /influence answers for the cut-off.
    auto const scores = nlohmann::json::parse(client.get("/influence?format=json").body);
    CHECK(scores.at("time") == kFutureDate);
}

TEST_CASE("evidence: a date after the cut-off says 'no reporting after' in the TileJSON attribution",
          "[evidence][server]")
{
    InProcessServer srv;
    HttpClient client(srv.port());
    auto const until = default_service().evidence_until();
    auto const after = Date::from_days(until.days() + 30).to_string();

    auto const later = nlohmann::json::parse(client.get("/tiles/default.json?time=" + after).body);
    auto const attribution = later.at("attribution").get<std::string>();
    CHECK(attribution.find("No reporting after " + until.to_string() + ".") != std::string::npos);
    CHECK(attribution.find(default_service().renderer("default").style().attribution()) == 0);
    auto const vector = nlohmann::json::parse(client.get("/tiles/vector.json?time=" + after).body);
    CHECK(vector.at("attribution").get<std::string>().find("No reporting after " + until.to_string()) !=
          std::string::npos);

    // Up to the cut-off, and without a date, the attribution alone.
    for (auto const& query : {std::string(), "?time=" + until.to_string(), std::string("?time=2024-01-01")}) {
        INFO(query);
        auto const doc = nlohmann::json::parse(client.get("/tiles/default.json" + query).body);
        CHECK(doc.at("attribution") == default_service().renderer("default").style().attribution());
    }
}

TEST_CASE("evidence: every command defaults to the cut-off", "[evidence][cli]")
{
    FutureData data("cli");
    auto const cfg = " --config " + quoted(data.config);

    auto check = run_command(bin() + " check" + cfg);
    INFO(check.out);
    REQUIRE(check.exit_code == 0);
    CHECK(check.out.find(std::string("evidence until: ") + kFutureDate) != std::string::npos);

    // tile: no --time is --time <cut-off>, not today.
    auto tile = [&](std::string const& extra, std::string const& name) {
        auto const r = run_command(bin() + " tile 6 32 29" + cfg + extra + " -o " + quoted(data.dir / name));
        INFO(r.out);
        REQUIRE(r.exit_code == 0);
        return read_bytes(data.dir / name);
    };
    auto const dateless = tile("", "a.png");
    CHECK(dateless == tile(std::string(" --time ") + kFutureDate, "b.png"));
    CHECK(dateless != tile(" --time " + kBeforeSite, "c.png"));

    // influence: the scores of the cut-off.
    auto const influence = run_command(bin() + " influence --format json" + cfg);
    REQUIRE(influence.exit_code == 0);
    CHECK(nlohmann::json::parse(influence.out).at("time") == kFutureDate);

    // export and seed report or store the date they used.
    auto const exported = run_command(bin() + " export" + cfg + " --out " + quoted(data.dir / "x.gpkg"));
    INFO(exported.out);
    REQUIRE(exported.exit_code == 0);
    CHECK(exported.out.find(std::string("influence as of ") + kFutureDate) != std::string::npos);

    auto const seeded = run_command(bin() + " seed --zoom 6 --bbox 2,13,2.4,13.8" + cfg + " --threads 1 --out " +
                                    quoted(data.dir / "s.mbtiles"));
    INFO(seeded.out);
    REQUIRE(seeded.exit_code == 0);
    auto const stored =
        run_command("sqlite3 " + quoted(data.dir / "s.mbtiles") +
                    " \"select hex(tile_data) from tiles where zoom_level=6 and tile_column=32 and tile_row=34\"");
    REQUIRE(stored.exit_code == 0);
    std::string hex;
    for (unsigned char c : dateless) {
        char buf[3];
        std::snprintf(buf, sizeof buf, "%02X", c);
        hex += buf;
    }
    CHECK(stored.out.substr(0, stored.out.find('\n')) == hex);

    // The help texts say what the default is.
    for (auto const* cmd : {"tile", "render", "seed", "export", "influence"}) {
        INFO(cmd);
        auto const help = run_command(bin() + " " + cmd + " --help");
        CHECK(help.out.find("evidence") != std::string::npos);
        CHECK(help.out.find("(default: today)") == std::string::npos);
    }
}

TEST_CASE("evidence: a print defaults to the cut-off and says 'no reporting after' past it", "[evidence][print]")
{
    INFO("needs pdftotext (poppler-utils)");
    REQUIRE(run_command("command -v pdftotext").exit_code == 0);
    FutureData data("print");
    auto const cfg = " --config " + quoted(data.config);
    auto text_of = [&](std::string const& extra) {
        auto const pdf = data.dir / "map.pdf";
        auto const r = run_command(bin() + " render --area niger --dpi 36" + cfg + extra + " -o " + quoted(pdf));
        INFO(r.out);
        REQUIRE(r.exit_code == 0);
        auto const text = run_command("pdftotext " + quoted(pdf) + " -");
        REQUIRE(text.exit_code == 0);
        return text.out;
    };
    auto const dateless = text_of("");
    CHECK(dateless.find("Situation on 1 January 2099") != std::string::npos);
    CHECK(dateless.find("No reporting after") == std::string::npos);

    // The shipped data, a month past its cut-off: the subtitle and the footer say so.
    auto const until = default_service().evidence_until();
    auto const after = Date::from_days(until.days() + 31);
    auto const pdf = data.dir / "later.pdf";
    auto const r =
        run_command(bin() + " render --area mali --dpi 36 --time " + after.to_string() + " -o " + quoted(pdf));
    INFO(r.out);
    REQUIRE(r.exit_code == 0);
    auto const later = run_command("pdftotext " + quoted(pdf) + " -").out;
    CHECK(later.find("no reporting after " + until.to_string()) != std::string::npos);
    CHECK(later.find("No reporting after " + until.to_string() + ": the map shows the last reported situation") !=
          std::string::npos);
}

// OGC API - Features over real HTTP on loopback: documents, paging, filters
// and the JSON exceptions of every bad parameter.
#include "sahelmap/core/error.hpp"
#include "sahelmap/features/query.hpp"
#include "server/client.hpp"
#include "support/files.hpp"
#include "support/fixture.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <set>

using namespace sahelmap;
using namespace sahelmap::test;
using nlohmann::json;

namespace {

InProcessServer& ogc_server()
{
    static InProcessServer server;
    return server;
}

json get_json(HttpClient& client, std::string const& target, unsigned status = 200)
{
    auto const r = client.get(target);
    INFO(target << " -> " << r.status << " " << r.body.substr(0, 300));
    REQUIRE(r.status == status);
    return json::parse(r.body);
}

std::string link_of(json const& doc, std::string const& rel)
{
    for (auto const& l : doc["links"])
        if (l["rel"] == rel) return l["href"];
    return {};
}

/// The path and query of one of our absolute URLs.
std::string target_of(std::string const& url)
{
    auto const p = url.find('/', std::string("http://").size());
    return url.substr(p);
}

std::string site_id(json const& feature)
{
    return feature["properties"]["id"];
}

} // namespace

TEST_CASE("ogc api: query parameters are parsed and checked at the boundary", "[ogc-api]")
{
    using namespace features;
    auto t = parse_datetime("2024-03-01");
    CHECK(t.instant);
    CHECK(*t.start == *Date::parse("2024-03-01"));
    t = parse_datetime("2024-03-01T10:20:30Z");
    CHECK(*t.start == *Date::parse("2024-03-01"));
    t = parse_datetime("../2024-03-01");
    CHECK((!t.start && *t.end == *Date::parse("2024-03-01")));
    t = parse_datetime("2024-03-01/..");
    CHECK((*t.start == *Date::parse("2024-03-01") && !t.end));
    t = parse_datetime("2024-01-01/2024-03-01");
    CHECK((!t.instant && t.start && t.end));

    // Interval overlap against [valid_from, valid_to): the end day is excluded.
    Validity const v{Date::parse("2024-02-01"), Date::parse("2024-03-01")};
    CHECK(parse_datetime("2024-02-15").matches(v));
    CHECK_FALSE(parse_datetime("2024-03-01").matches(v));
    CHECK(parse_datetime("2024-01-01/2024-02-01").matches(v));
    CHECK_FALSE(parse_datetime("2024-03-01/..").matches(v));
    CHECK(parse_datetime("../2024-02-01").matches(v));
    CHECK_FALSE(parse_datetime("../2024-01-31").matches(v));

    for (char const* bad : {"", "..", "2024-13-01", "2024-02-30", "yesterday", "2024-03-01/2024-01-01", "a/b/c",
                            "2024-03-01T25", "2024-03-01 10:00"})
        CHECK_THROWS_AS(parse_datetime(bad), BadRequest);

    auto b = parse_bbox("-1.5,10,3,15.25");
    CHECK((b.west == -1.5 && b.south == 10 && b.east == 3 && b.north == 15.25));
    b = parse_bbox("0,1,-100,2,3,100"); // with heights
    CHECK((b.west == 0 && b.south == 1 && b.east == 2 && b.north == 3));
    for (char const* bad : {"", "1,2,3", "1,2,3,4,5", "a,b,c,d", "0,10,5,5", "0,-91,5,5", "0,0,181,5", "1,2,3,nan"})
        CHECK_THROWS_AS(parse_bbox(bad), BadRequest);

    auto q = parse_items_query(parse_query("limit=20000&offset=5&bbox=0%2C0%2C1%2C1"));
    CHECK(q.limit == kMaxLimit); // above the maximum: lowered, not refused
    CHECK(q.offset == 5);
    CHECK(q.bbox->east == 1);
    CHECK_THROWS_AS(parse_items_query(parse_query("limit=0")), BadRequest);
    CHECK_THROWS_AS(parse_items_query(parse_query("offset=-3")), BadRequest);
    CHECK_THROWS_AS(parse_items_query(parse_query("color=red")), BadRequest);
    CHECK_THROWS_AS(parse_query("bbox=%zz"), BadRequest);
}

TEST_CASE("ogc api: datetime is validated field by field with a sentence naming the value", "[ogc-api]")
{
    using namespace features;
    for (char const* good : {"2024-03-01T00:00:00Z", "2024-03-01T23:59:60Z", "2024-03-01T10:20:30.125+01:00",
                             "2024-02-29T10:20:30-05:30", "2024-03-01t10:20:30z"}) {
        INFO(good);
        CHECK(*parse_datetime(good).start == *Date::parse(std::string_view(good).substr(0, 10)));
    }
    struct Bad {
        char const* text;
        char const* says;
    };
    for (auto const& bad : {Bad{"2024-03-01T25:00:00Z", "hour 25"}, Bad{"2024-03-01T10:61:00Z", "minute 61"},
                            Bad{"2024-03-01T10:00:61Z", "second 61"}, Bad{"2024-13-01", "month 13"},
                            Bad{"2024-01-32", "day 32"}, Bad{"2023-02-29", "day 29"},
                            Bad{"2024-03-01T10:00:00+24:00", "offset hour 24"},
                            Bad{"2024-03-01T10:00:00", "is not a date"}, Bad{"2024-03-01T10:00:00.Z", "is not a date"},
                            Bad{"../2024-03-01T24:00:00Z", "hour 24"}}) {
        INFO(bad.text);
        try {
            parse_datetime(bad.text);
            FAIL("accepted");
        } catch (BadRequest const& e) {
            std::string const message = e.what();
            CHECK(message.find(bad.says) != std::string::npos);
            CHECK(message.find(std::string(bad.text).substr(bad.text[0] == '.' ? 3 : 0)) != std::string::npos);
        }
    }
}

TEST_CASE("ogc api: landing page, conformance and collections with extents", "[ogc-api]")
{
    HttpClient client(ogc_server().port());
    auto const landing = get_json(client, "/ogc");
    CHECK(target_of(link_of(landing, "conformance")) == "/ogc/conformance");
    CHECK(target_of(link_of(landing, "data")) == "/ogc/collections");

    auto const conf = get_json(client, "/ogc/conformance");
    std::set<std::string> classes(conf["conformsTo"].begin(), conf["conformsTo"].end());
    CHECK(classes.count("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core") == 1);
    CHECK(classes.count("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson") == 1);
    CHECK(classes.count("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30") == 1);

    auto const cols = get_json(client, "/ogc/collections");
    std::set<std::string> ids;
    for (auto const& c : cols["collections"]) ids.insert(c["id"].get<std::string>());
    for (char const* id : {"countries", "borders", "regions", "sites", "corridors", "influence"})
        CHECK(ids.count(id) == 1);

    auto const sites = get_json(client, "/ogc/collections/sites");
    auto const bbox = sites["extent"]["spatial"]["bbox"][0];
    auto const& extent = default_service().store().find("sites")->extent;
    CHECK(bbox[0].get<double>() == Approx(extent.minx));
    CHECK(bbox[3].get<double>() == Approx(extent.maxy));
    // Some sites have no start date: the interval is open at the start, closed at the end only if all end.
    auto const interval = sites["extent"]["temporal"]["interval"][0];
    CHECK(interval[0].is_null());
    CHECK(target_of(link_of(sites, "items")).rfind("/ogc/collections/sites/items", 0) == 0);

    // A browser gets HTML.
    auto const html = client.get("/ogc/collections", {{"Accept", "text/html,application/xhtml+xml"}});
    CHECK(html.status == 200);
    CHECK(html.header("content-type") == "text/html; charset=utf-8");
    CHECK(html.body.find("<a href=\"collections/sites?f=html\">sites</a>") != std::string::npos);
}

TEST_CASE("ogc api: the landing page links an OpenAPI 3.0 definition that validates", "[ogc-api]")
{
    HttpClient client(ogc_server().port());
    auto const landing = get_json(client, "/ogc");
    REQUIRE(target_of(link_of(landing, "service-desc")) == "/ogc/api");
    CHECK(target_of(link_of(landing, "service-doc")) == "/ogc/api?f=html");

    auto const r = client.get("/ogc/api");
    REQUIRE(r.status == 200);
    CHECK(r.header("content-type") == "application/vnd.oai.openapi+json;version=3.0");
    auto const api = json::parse(r.body);
    CHECK(api["openapi"] == "3.0.3");
    for (char const* path : {"/", "/api", "/conformance", "/collections", "/collections/{collectionId}",
                             "/collections/{collectionId}/items", "/collections/{collectionId}/items/{featureId}"})
        CHECK(api["paths"].contains(path));
    // The collection ids it lists are those the server serves.
    std::set<std::string> listed, served;
    for (auto const& id : api["components"]["parameters"]["collectionId"]["schema"]["enum"]) listed.insert(id);
    auto const collections = get_json(client, "/ogc/collections");
    for (auto const& c : collections["collections"]) served.insert(c["id"]);
    CHECK(listed == served);
    CHECK(api["components"]["parameters"]["limit"]["schema"]["maximum"] == features::kMaxLimit);

    // swagger-parser (npm) checks it against the OpenAPI 3.0 schema and
    // resolves every $ref; a document without "info" must fail it.
    ScratchDir dir("openapi");
    auto const validate = [&](std::string const& name, std::string const& text) {
        write_text(dir / name, text);
        return run_command("node " + std::string(SAHELMAP_SOURCE_DIR) + "/tests/features/openapi_validate.mjs " +
                           (dir / name).string() + " 2>&1");
    };
    auto const valid = validate("api.json", r.body);
    INFO(valid.out);
    CHECK(valid.exit_code == 0);
    auto broken = api;
    broken.erase("info");
    auto const invalid = validate("broken.json", broken.dump());
    INFO(invalid.out);
    CHECK(invalid.exit_code == 1);

    // People get the paths and parameters as a page; stray parameters are refused.
    // A new connection: the two node runs may outlast the test server's 3 s
    // idle timeout, which then closes the first one.
    HttpClient again(ogc_server().port());
    auto const html = again.get("/ogc/api?f=html");
    CHECK(html.status == 200);
    CHECK(html.header("content-type") == "text/html; charset=utf-8");
    CHECK(html.body.find("/collections/{collectionId}/items</code>") != std::string::npos);
    CHECK(html.body.find("<code>datetime</code> (query)") != std::string::npos);
    CHECK(again.get("/ogc/api?limit=5").status == 400);
}

TEST_CASE("ogc api: next links walk every feature once", "[ogc-api]")
{
    HttpClient client(ogc_server().port());
    auto const& store = *default_service().store().find("places");
    std::string target = "/ogc/collections/places/items?limit=17";
    std::set<std::int64_t> seen;
    std::size_t pages = 0, returned = 0;
    while (!target.empty() && pages < 100) {
        auto const page = get_json(client, target);
        CHECK(page["type"] == "FeatureCollection");
        CHECK(page["numberMatched"] == store.features.size());
        CHECK(page["numberReturned"] == page["features"].size());
        CHECK(!page["timeStamp"].get<std::string>().empty());
        returned += page["features"].size();
        for (auto const& f : page["features"]) seen.insert(f["id"].get<std::int64_t>());
        auto const next = link_of(page, "next");
        if (pages > 0) CHECK(!link_of(page, "prev").empty());
        target = next.empty() ? std::string() : target_of(next);
        ++pages;
    }
    CHECK(pages == (store.features.size() + 16) / 17);
    CHECK(returned == store.features.size());
    CHECK(seen.size() == store.features.size());
    CHECK(client.get("/ogc/collections/places/items?offset=100000").status == 200);
}

TEST_CASE("ogc api: datetime keeps the features valid at an instant or during an interval", "[ogc-api]")
{
    HttpClient client(ogc_server().port());
    auto const& sites = *default_service().store().find("sites");
    // The expected counts, written out independently of the server's filter.
    auto count = [&](std::optional<Date> a, std::optional<Date> b) {
        std::size_t n = 0;
        for (auto const& f : sites.features) {
            bool const starts_in_time = !b || !f.validity.from || *f.validity.from <= *b;
            bool const ends_in_time = !a || !f.validity.to || *a < *f.validity.to;
            n += starts_in_time && ends_in_time;
        }
        return n;
    };
    auto matched = [&](std::string const& dt) {
        return get_json(client, "/ogc/collections/sites/items?limit=1&datetime=" + dt)["numberMatched"]
            .get<std::size_t>();
    };
    auto const d = [](char const* s) { return *Date::parse(s); };
    CHECK(matched("2023-01-01") == count(d("2023-01-01"), d("2023-01-01")));
    CHECK(matched("2025-06-01T12:00:00Z") == count(d("2025-06-01"), d("2025-06-01")));
    CHECK(matched("2022-01-01/2023-06-30") == count(d("2022-01-01"), d("2023-06-30")));
    CHECK(matched("../2021-01-01") == count(std::nullopt, d("2021-01-01")));
    CHECK(matched("2025-01-01/..") == count(d("2025-01-01"), std::nullopt));
    CHECK(matched("2023-01-01") != matched("2025-06-01"));

    // The French base at Niamey: there on 2023-12-21, gone on 2023-12-22 (valid_to is exclusive).
    auto ids = [&](std::string const& dt) {
        std::set<std::string> out;
        auto const doc = get_json(client, "/ogc/collections/sites/items?limit=1000&datetime=" + dt);
        for (auto const& f : doc["features"]) out.insert(site_id(f));
        return out;
    };
    CHECK(ids("2023-12-21").count("ner_niamey_bap_fr") == 1);
    CHECK(ids("2023-12-22").count("ner_niamey_bap_fr") == 0);
    CHECK(ids("2023-12-01%2F2024-01-01").count("ner_niamey_bap_fr") == 1);

    // The influence collection's scores are those of the datetime.
    auto const early = get_json(client, "/ogc/collections/influence/items?limit=1000&datetime=2021-01-01");
    auto const late = get_json(client, "/ogc/collections/influence/items?limit=1000&datetime=2025-06-01");
    REQUIRE(early["features"].size() == late["features"].size());
    CHECK(early["features"] != late["features"]);
    auto const model = default_service().data().layer("influence")->attributes(d("2025-06-01"));
    int const dominant = model->schema.index_of("dominant");
    REQUIRE(dominant >= 0);
    for (std::size_t i = 0; i < model->features.size(); ++i)
        CHECK(late["features"][i]["properties"]["dominant"] ==
              model->features[i].values[static_cast<std::size_t>(dominant)].to_string());
}

TEST_CASE("ogc api: bbox keeps the features that meet the box, single items by id", "[ogc-api]")
{
    HttpClient client(ogc_server().port());
    // Around Niamey.
    auto const doc = get_json(client, "/ogc/collections/sites/items?bbox=1.9,13.3,2.3,13.7&limit=100");
    std::size_t expected = 0;
    for (auto const& f : default_service().store().find("sites")->features) {
        auto const& p = std::get<MultiPoint<LonLat>>(f.geometry).points.at(0);
        expected += p.lon >= 1.9 && p.lon <= 2.3 && p.lat >= 13.3 && p.lat <= 13.7;
    }
    CHECK(doc["numberMatched"] == expected);
    CHECK(expected >= 3);
    for (auto const& f : doc["features"]) {
        auto const c = f["geometry"]["coordinates"];
        CHECK((c[0] >= 1.9 && c[0] <= 2.3 && c[1] >= 13.3 && c[1] <= 13.7));
    }
    // A box inside Niger, touching no border: the country polygon meets it, its neighbours do not.
    // Countries carry their bloc by period: one row of Niger is valid on the day.
    auto const inner = get_json(client, "/ogc/collections/countries/items?bbox=8,16,8.1,16.1&datetime=2025-11-01");
    REQUIRE(inner["numberMatched"] == 1);
    CHECK(inner["features"][0]["properties"]["iso3"] == "NER");
    // Across the antimeridian: nothing of ours there.
    CHECK(get_json(client, "/ogc/collections/countries/items?bbox=170,-10,-170,10")["numberMatched"] == 0);

    // The French air base at Niamey, by the fid the store gave it.
    auto const& sites = *default_service().store().find("sites");
    std::int64_t fid = -1;
    for (std::size_t i = 0; i < sites.features.size(); ++i)
        if (auto const* v = sites.ref(i).get("id"); v && v->as_string() && *v->as_string() == "ner_niamey_bap_fr")
            fid = sites.features[i].fid;
    REQUIRE(fid >= 0);
    auto const item_path = "/ogc/collections/sites/items/" + std::to_string(fid);
    auto const item = get_json(client, item_path);
    CHECK(item["type"] == "Feature");
    CHECK(item["id"] == fid);
    CHECK(site_id(item) == "ner_niamey_bap_fr");
    CHECK(item["properties"]["valid_from"].is_null());
    CHECK(item["properties"]["strength"] == 5);
    CHECK(item["geometry"] == json::parse(R"({"type": "Point", "coordinates": [2.1836, 13.4815]})"));
    CHECK(client.get(item_path).header("content-type") == "application/geo+json");
}

TEST_CASE("ogc api: every bad request answers the API's JSON exception", "[ogc-api]")
{
    HttpClient client(ogc_server().port());
    struct Case {
        char const* target;
        unsigned status;
        char const* code;
        char const* names; ///< what the description must name
    };
    Case const cases[] = {
        {"/ogc/collections/sites/items?limit=abc", 400, "InvalidParameterValue", "limit"},
        {"/ogc/collections/sites/items?limit=0", 400, "InvalidParameterValue", "limit"},
        {"/ogc/collections/sites/items?limit=-5", 400, "InvalidParameterValue", "limit"},
        {"/ogc/collections/sites/items?offset=x", 400, "InvalidParameterValue", "offset"},
        {"/ogc/collections/sites/items?bbox=1,2,3", 400, "InvalidParameterValue", "bbox"},
        {"/ogc/collections/sites/items?bbox=0,10,5,5", 400, "InvalidParameterValue", "bbox"},
        {"/ogc/collections/sites/items?bbox-crs=EPSG:3857", 400, "InvalidParameterValue", "bbox-crs"},
        {"/ogc/collections/sites/items?datetime=2025-13-01", 400, "InvalidParameterValue", "datetime"},
        {"/ogc/collections/sites/items?datetime=2025-02-01/2025-01-01", 400, "InvalidParameterValue", "datetime"},
        {"/ogc/collections/sites/items?colour=red", 400, "InvalidParameterValue", "colour"},
        {"/ogc/collections/sites/items?f=xml", 400, "InvalidParameterValue", "f"},
        {"/ogc/collections/sites/items?bbox=%zz", 400, "InvalidParameterValue", "percent"},
        {"/ogc/collections?limit=3", 400, "InvalidParameterValue", "limit"},
        {"/ogc/collections/nope", 404, "NotFound", "nope"},
        {"/ogc/collections/nope/items", 404, "NotFound", "nope"},
        {"/ogc/collections/sites/items/999999", 404, "NotFound", "999999"},
        {"/ogc/collections/sites/items/abc", 404, "NotFound", "abc"},
        {"/ogc/collections/sites/things", 404, "NotFound", "things"},
        {"/ogc/whatever", 404, "NotFound", "whatever"},
    };
    for (auto const& c : cases) {
        auto const r = client.get(c.target);
        INFO(c.target << " -> " << r.status << " " << r.body);
        CHECK(r.status == c.status);
        CHECK(r.header("content-type") == "application/json");
        auto const body = json::parse(r.body);
        CHECK(body["code"] == c.code);
        auto const description = body["description"].get<std::string>();
        CHECK(description.find(c.names) != std::string::npos);
        CHECK(std::count(description.begin(), description.end(), '\n') == 0);
    }
}

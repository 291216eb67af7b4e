// Change maps: what the data says changed between two dates (service),
// the change print (legend rows and notes through pdftotext, a golden
// page), the change tiles and the legend over real HTTP.
#include "sahelmap/core/error.hpp"
#include "sahelmap/encode/png.hpp"
#include "sahelmap/print/print.hpp"
#include "sahelmap/service/change.hpp"
#include "sahelmap/service/legend.hpp"
#include "server/client.hpp"
#include "support/files.hpp"
#include "support/fixture.hpp"
#include "support/golden.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>

using namespace sahelmap;
using namespace sahelmap::test;

namespace {

Date const kBefore = Date::from_ymd(2021, 6, 1);
Date const kAfter = Date::from_ymd(2025, 11, 1);

std::string text_field(FeatureLayer const& layer, std::size_t i, std::string_view field)
{
    auto const* v = layer.ref(i).get(field);
    auto const* s = v ? v->as_string() : nullptr;
    return s ? *s : std::string();
}

/// The `change` of every feature of a layer by the value of `key`.
std::map<std::string, std::string> changes_by(FeatureLayer const& layer, std::string_view key)
{
    std::map<std::string, std::string> out;
    for (std::size_t i = 0; i < layer.features.size(); ++i)
        out[text_field(layer, i, key)] = text_field(layer, i, "change");
    return out;
}

print::PrintRequest change_request()
{
    print::PrintRequest r;
    r.area = "aes";
    r.time = kAfter;
    r.compare = kBefore;
    r.printed_at = "2026-01-01 00:00 UTC";
    r.dpi = 72;
    return r;
}

} // namespace

TEST_CASE("change: sites opened and closed and regions whose dominant bloc changed", "[change]")
{
    auto const& svc = default_service();
    auto const span = service::change_span(kAfter, kBefore); // either order
    CHECK(span.from == kBefore);
    CHECK(span.to == kAfter);
    CHECK_THROWS_AS(service::change_span(kAfter, kAfter), BadRequest);

    auto const store = service::change_store(svc.store(), svc.influence(), span);
    auto const* sites = store->find("sites");
    REQUIRE(sites);
    auto const sites_change = changes_by(*sites, "id");
    CHECK(sites_change.at("mli_gao_fr") == "closed");         // Barkhane left Gao in August 2022
    CHECK(sites_change.at("mli_gao_airport_ac") == "opened"); // Africa Corps from June 2025
    CHECK(sites_change.at("ner_niamey_ab101_it") == "kept");  // Italy stays at Niamey
    CHECK(sites_change.count("mli_moura_wagner") == 0);       // March 2022 only: at neither date
    CHECK(sites_change.count("mli_gao_airport_wagner") == 0); // Wagner came and went in between
    for (std::size_t i = 0; i < sites->features.size(); ++i) {
        CHECK(sites->features[i].validity.always()); // drawn whatever its dates
        auto const change = text_field(*sites, i, "change");
        auto const note = text_field(*sites, i, "change_note");
        if (change == "opened") CHECK(note.rfind("opened ", 0) == 0);
        if (change == "closed") CHECK(note.rfind("left ", 0) == 0);
        if (change == "kept") CHECK(note.empty());
    }

    auto const* regions = store->find("regions");
    REQUIRE(regions);
    std::size_t to_russia = 0;
    for (std::size_t i = 0; i < regions->features.size(); ++i) {
        auto const before = text_field(*regions, i, "before"), now = text_field(*regions, i, "now");
        auto const change = text_field(*regions, i, "change");
        INFO(text_field(*regions, i, "name") << ": " << before << " -> " << now);
        if (before == now) {
            CHECK(change == "unchanged");
            CHECK(text_field(*regions, i, "was").empty());
        } else {
            CHECK(change == "to_" + now);
            CHECK(text_field(*regions, i, "was") == "was " + before);
        }
        to_russia += change == "to_russia";
        CHECK(regions->features[i].validity.contains(kAfter)); // the later date's regions
    }
    CHECK(to_russia >= 3); // Gao, Tombouctou, Mopti... went from Western to Russia-dominated

    // The words the legend shows for the codes.
    CHECK(service::change_words("to_russia") == "Now Russia");
    CHECK(service::change_words("opened") == "Opened");
    CHECK(service::change_words("nonsense").empty());
}

TEST_CASE("change: the change print names both dates and its legend in words", "[change][print]")
{
    REQUIRE(run_command("command -v pdftotext").exit_code == 0);
    auto const& svc = default_service();
    auto const plan = print::plan_print(svc, change_request());
    REQUIRE(plan.change_from);
    CHECK(*plan.change_from == kBefore);
    CHECK(plan.time == kAfter);
    CHECK(plan.title == "Alliance of Sahel States: Mali, Burkina Faso and Niger \u2014 what changed");

    ScratchDir dir("change-print");
    write_text(dir / "change.pdf", print::render_print(svc, change_request()));
    auto const text = run_command("pdftotext -layout '" + (dir / "change.pdf").string() + "' -");
    REQUIRE(text.exit_code == 0);
    for (char const* expected : {"what changed", "Changes from 1 June 2021 to 1 November 2025", "Opened",
                                 "Closed or left", "In place at both dates", "Now Russia", "Dominant bloc unchanged",
                                 "sites opened or closed in between are marked"}) {
        INFO(expected);
        CHECK(text.out.find(expected) != std::string::npos);
    }
    CHECK(text.out.find("style") != std::string::npos);
    CHECK(text.out.find("'change'") != std::string::npos); // the notes name the style drawn
    // The sources page lists the sites the change map draws, with their dates.
    CHECK(text.out.find("Gao - Barkhane desert platform") != std::string::npos);
    CHECK(text.out.find("15 August 2022") != std::string::npos);

    // The same request with the dates swapped is the same map.
    auto swapped = change_request();
    std::swap(*swapped.time, *swapped.compare);
    swapped.format = print::Format::png;
    auto same = change_request();
    same.format = print::Format::png;
    CHECK(print::render_print(svc, swapped) == print::render_print(svc, same));

    auto equal = change_request();
    equal.compare = kAfter;
    CHECK_THROWS_AS(print::plan_print(svc, equal), BadRequest);
}

TEST_CASE("change: golden change map of the three countries", "[change][golden]")
{
    auto const& svc = default_service();
    auto r = change_request();
    r.format = print::Format::png;
    r.dpi = 60;
    require_golden(encode::decode_png(print::render_print(svc, r)), "print/change-aes-A4-landscape", 0.005);
}

TEST_CASE("change: change tiles and legends over HTTP", "[change][server]")
{
    InProcessServer server(InProcessServer::test_options());
    HttpClient client(server.port());
    auto const& svc = default_service();

    auto const tile = client.get("/tiles/change/5/15/14.png?time=2025-11-01&compare=2021-06-01");
    REQUIRE(tile.status == 200);
    CHECK(tile.header("content-type") == "image/png");
    CHECK(tile.body == svc.change_tile_png(*TileId::make(5, 15, 14), 1, {kBefore, kAfter}));
    // Cached and revalidated like any tile; the swapped dates are the same tile.
    auto const etag = tile.header("etag");
    CHECK(client.get("/tiles/change/5/15/14.png?time=2021-06-01&compare=2025-11-01").header("etag") == etag);
    CHECK(
        client.get("/tiles/change/5/15/14.png?time=2025-11-01&compare=2021-06-01", {{"If-None-Match", etag}}).status ==
        304);
    CHECK(client.get("/tiles/change/5/15/14.png?time=2025-11-01&compare=2023-06-01").header("etag") != etag);
    // A change map differs from the map of either date.
    CHECK(tile.body != client.get("/tiles/default/5/15/14.png?time=2025-11-01").body);

    struct Case {
        char const* target;
        unsigned status;
        char const* message;
    };
    Case const bad[] = {
        {"/tiles/change/5/15/14.png?time=2025-11-01", 400, "compare=YYYY-MM-DD"},
        {"/tiles/change/5/15/14.png?time=2025-11-01&compare=2025-11-01", 400, "two different days"},
        {"/tiles/change/5/15/14.png?compare=2025-13-01", 400, "compare '2025-13-01'"},
        {"/print?area=mali&compare=yesterday", 400, "compare 'yesterday'"},
        {"/legend/nope.png", 404, "unknown style 'nope'"},
        {"/legend/default.png?scale=3", 400, "legend scale '3'"},
    };
    for (auto const& c : bad) {
        INFO(c.target);
        auto const r = client.get(c.target);
        CHECK(r.status == c.status);
        auto const body = nlohmann::json::parse(r.body, nullptr, false);
        REQUIRE(body.is_object());
        CHECK(body["error"].get<std::string>().find(c.message) != std::string::npos);
    }

    // The viewer's legend is the print legend of the style, byte for byte.
    for (std::string const id : {"default", "influence", "change"}) {
        INFO(id);
        auto const legend = client.get("/legend/" + id + ".png");
        REQUIRE(legend.status == 200);
        auto const& style = id == "change" ? *svc.change_style() : svc.renderer(id).style();
        // Pixels, not PNG bytes: igzip's output may depend on what the
        // rendering thread compressed before.
        auto const drawn = service::legend_image(style, std::nullopt, 1);
        auto const served = encode::decode_png(legend.body);
        CHECK(served.width == drawn.width);
        CHECK(served.height == drawn.height);
        CHECK(served.pixels == drawn.pixels);
        auto const hi = encode::decode_png(client.get("/legend/" + id + ".png?scale=2").body);
        auto const lo = encode::decode_png(legend.body);
        CHECK(hi.width == 2 * static_cast<int>(lo.width));
    }
    auto const pdf = client.get("/print?area=niger&dpi=72&time=2025-11-01&compare=2023-01-01&format=png");
    CHECK(pdf.status == 200);
    CHECK(pdf.header("content-type") == "image/png");
}

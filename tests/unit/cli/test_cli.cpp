#include "sahelmap/encode/png.hpp"
#include "support/files.hpp"
#include "support/fixture.hpp"

#include <catch2/catch.hpp>

using namespace sahelmap;
using namespace sahelmap::test;

namespace {
std::string bin() { return SAHELMAP_BINARY; }
} // namespace

TEST_CASE("cli: tile writes the bytes the service renders", "[cli]")
{
    ScratchDir dir("cli-tile");
    auto const out = dir / "t.png";
    auto r = run_command(bin() + " tile 5 15 14 --time 2025-11-01 -o " + out.string());
    INFO(r.out);
    REQUIRE(r.exit_code == 0);
    auto const expected = default_service().tile_png("default", *TileId::make(5, 15, 14), 1, *Date::parse("2025-11-01"));
    CHECK(read_bytes(out) == expected);
    r = run_command(bin() + " tile 5 15 14 --scale 2 --style print --time 2025-11-01 -o " + out.string());
    REQUIRE(r.exit_code == 0);
    CHECK(encode::decode_png(read_bytes(out)).width == 512);
}

TEST_CASE("cli: bad arguments give one sentence, exit 2 and write nothing", "[cli]")
{
    ScratchDir dir("cli-bad");
    auto const out = (dir / "t.png").string();
    struct Case {
        std::string args;
        std::string says;
    };
    Case const cases[] = {
        {"tile 3 9 9 -o " + out, "outside the pyramid"},
        {"tile 21 0 0 -o " + out, "maximum zoom"},
        {"tile 3 x 1 -o " + out, "not a non-negative whole number"},
        {"tile 3 -1 1 -o " + out, "not a non-negative whole number"},
        {"tile 3 1 1", "needs -o FILE"},
        {"tile 3 1 -o " + out, "needs three numbers"},
        {"tile 3 1 1 --scale 3 -o " + out, "--scale must be 1 or 2"},
        {"tile 3 1 1 --time 2025-02-30 -o " + out, "time '2025-02-30'"},
        {"tile 3 1 1 --style nope -o " + out, "unknown style 'nope'"},
        {"tile 3 1 1 --colour red -o " + out, "unknown option '--colour'"},
        {"frobnicate", "unknown command 'frobnicate'"},
    };
    for (auto const& c : cases) {
        INFO(c.args);
        auto r = run_command(bin() + " " + c.args);
        INFO(r.out);
        CHECK(r.exit_code == 2);
        CHECK(r.out.find(c.says) != std::string::npos);
        CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
        CHECK_FALSE(std::filesystem::exists(out));
    }
}

TEST_CASE("cli: a broken data file or style fails check with exit 1 naming it", "[cli]")
{
    ScratchDir dir("cli-check");
    write_text(dir / "broken.geojson", "{\"type\": \"FeatureCollection\", \"features\": [");
    write_text(dir / "bad-data.json", R"({"layers": {"sites": {"source": "broken.geojson"}}})");
    auto r = run_command(bin() + " check --config " + (dir / "bad-data.json").string());
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("broken.geojson") != std::string::npos);

    write_text(dir / "bad.style.json", R"({"version": 8, "sources": {"s": {"type": "vector"}}, "layers": [
        {"id": "a", "type": "line", "source": "s", "source-layer": "nowhere", "paint": {"line-width": "wide"}}]})");
    write_text(dir / "bad-style.json", R"({"styles": {"mine": "bad.style.json"}})");
    r = run_command(bin() + " check --config " + (dir / "bad-style.json").string());
    INFO(r.out);
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("style mine is invalid") != std::string::npos);
    CHECK(r.out.find("layers[0].source-layer") != std::string::npos);
    CHECK(r.out.find("layers[0].paint.line-width") != std::string::npos);

    // A font the system lacks is refused at start, never silently dropped labels.
    write_text(dir / "font.style.json", R"({"version": 8, "sources": {"s": {"type": "vector"}}, "layers": [
        {"id": "a", "type": "symbol", "source": "s", "source-layer": "places",
         "layout": {"text-field": ["get", "name"], "text-font": ["Nowhere Sans Bold"]}}]})");
    write_text(dir / "font.json", R"({"styles": {"fonty": "font.style.json"}})");
    r = run_command(bin() + " check --config " + (dir / "font.json").string());
    INFO(r.out);
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("font 'Nowhere Sans Bold' named by style fonty is not installed") != std::string::npos);

    // A heatmap layer must name a field the service has (an influence bloc).
    write_text(dir / "heat.style.json", R"({"version": 8, "sources": {"s": {"type": "vector"}}, "layers": [
        {"id": "h", "type": "heatmap", "source": "s", "source-layer": "influence",
         "metadata": {"sahelmap:field": "martians"}}]})");
    write_text(dir / "heat.json", R"({"styles": {"heat": "heat.style.json"}})");
    r = run_command(bin() + " check --config " + (dir / "heat.json").string());
    INFO(r.out);
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("unknown field \"martians\" (fields: russia, western, turkey)") != std::string::npos);
}

TEST_CASE("cli: check lists layers, styles and succeeds on the defaults, and --help works everywhere", "[cli]")
{
    auto r = run_command(bin() + " check");
    INFO(r.out);
    REQUIRE(r.exit_code == 0);
    for (char const* s : {"countries", "borders", "regions", "sites", "corridors", "places", "events", "default",
                          "overlay", "print", "ok"})
        CHECK(r.out.find(s) != std::string::npos);
    for (char const* cmd : {"--help", "tile --help", "check --help"}) {
        INFO(cmd);
        auto h = run_command(bin() + " " + cmd);
        CHECK(h.exit_code == 0);
        CHECK(h.out.find("usage") != std::string::npos);
    }
}

TEST_CASE("cli: render refuses an output name whose extension it does not write", "[cli]")
{
    ScratchDir dir("cli-render-ext");
    for (char const* name : {"map.jpg", "map.jpeg", "map.tif"}) {
        INFO(name);
        auto const out = dir / name;
        auto r = run_command(bin() + " render --area mali --dpi 36 -o " + out.string());
        INFO(r.out);
        CHECK(r.exit_code == 2);
        CHECK(r.out.find(std::string("cannot write '") + out.string() + "'") != std::string::npos);
        CHECK(r.out.find("is not a format it writes") != std::string::npos);
        CHECK_FALSE(std::filesystem::exists(out));
    }
    // The extension in capitals is the same format; --format decides over any name.
    auto r = run_command(bin() + " render --area mali --dpi 36 -o " + (dir / "map.PNG").string());
    INFO(r.out);
    REQUIRE(r.exit_code == 0);
    CHECK(read_bytes(dir / "map.PNG").substr(1, 3) == "PNG");
    r = run_command(bin() + " render --area mali --dpi 36 --format png -o " + (dir / "map.jpg").string());
    REQUIRE(r.exit_code == 0);
    CHECK(read_bytes(dir / "map.jpg").substr(1, 3) == "PNG");
}

TEST_CASE("cli: check names a field the model or a style needs that a config layer lacks, and an unknown layer",
          "[cli]")
{
    ScratchDir dir("cli-check-fields");
    // One site with what the influence model reads, but no `label` (the
    // default style's site labels) and, in the second file, no `actor`.
    std::string const props = R"("id": "t1", "name": "Test", "kind": "town", "status": "active", "strength": 2,
        "confidence": "high", "valid_from": "2020-01-01", "valid_to": null, "source": "test")";
    auto const site = [&](std::string const& extra) {
        return R"({"type": "FeatureCollection", "features": [{"type": "Feature",
            "geometry": {"type": "Point", "coordinates": [-4.0, 17.0]}, "properties": {)" +
               props + extra + "}}]}";
    };
    write_text(dir / "no-label.geojson", site(R"(, "actor": "wagner")"));
    write_text(dir / "no-label.json", R"({"layers": {"sites": {"source": "no-label.geojson", "layer": "no-label"}}})");
    auto r = run_command(bin() + " check --config " + (dir / "no-label.json").string());
    INFO(r.out);
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("layer sites (") != std::string::npos);
    CHECK(r.out.find("has no field 'label', which style default needs") != std::string::npos);
    CHECK(r.out.find("'sites', layout.text-field") != std::string::npos);

    write_text(dir / "no-actor.geojson", site(R"(, "label": "Test")"));
    write_text(dir / "no-actor.json", R"({"layers": {"sites": {"source": "no-actor.geojson", "layer": "no-actor"}}})");
    r = run_command(bin() + " check --config " + (dir / "no-actor.json").string());
    INFO(r.out);
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("influence: layer sites") != std::string::npos);
    CHECK(r.out.find("has no field 'actor'") != std::string::npos);

    // With every field, the same file passes.
    write_text(dir / "good.geojson", site(R"(, "actor": "wagner", "label": "Test")"));
    write_text(dir / "good.json", R"({"layers": {"sites": {"source": "good.geojson", "layer": "good"}}})");
    r = run_command(bin() + " check --config " + (dir / "good.json").string());
    INFO(r.out);
    CHECK(r.exit_code == 0);

    write_text(dir / "unknown.json", R"({"layers": {"sitez": {"source": "good.geojson"}}})");
    r = run_command(bin() + " check --config " + (dir / "unknown.json").string());
    INFO(r.out);
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("unknown layer 'sitez' in \"layers\" (known: countries, borders") != std::string::npos);
}

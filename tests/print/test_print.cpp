// Printable maps: request validation, the map's geometry (scale bar, north
// arrow), PDF/SVG validity through poppler and librsvg, and golden layouts.
#include "sahelmap/core/error.hpp"
#include "sahelmap/encode/png.hpp"
#include "sahelmap/geo/geodesic.hpp"
#include "sahelmap/geo/projection.hpp"
#include "sahelmap/print/print.hpp"
#include "sahelmap/service/legend.hpp"
#include "support/files.hpp"
#include "support/fixture.hpp"
#include "support/golden.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>

using namespace sahelmap;
using namespace sahelmap::test;

namespace {

constexpr char kPrinted[] = "2026-01-01 00:00 UTC";

print::PrintRequest request(std::string area, print::Paper paper = print::Paper::A4,
                            print::Orientation o = print::Orientation::landscape)
{
    print::PrintRequest r;
    r.area = std::move(area);
    r.paper = paper;
    r.orientation = o;
    r.time = Date::from_ymd(2025, 11, 1);
    r.printed_at = kPrinted;
    r.dpi = 72;
    return r;
}

bool have(char const* tool)
{
    return run_command(std::string("command -v ") + tool).exit_code == 0;
}

std::string quoted(std::filesystem::path const& p)
{
    return "'" + p.string() + "'";
}

Image read_png(std::filesystem::path const& p)
{
    return encode::decode_png(read_bytes(p));
}

/// The ground distance the scale bar spans, measured across the map centre
/// east–west, with the page-to-map relation of the plan.
double measured_bar_km(print::PrintPlan const& p)
{
    double const units_per_pt = p.extent.width() / p.map.w;
    double const half = p.scale_bar_pt / 2 * units_per_pt;
    double const cx = (p.extent.minx + p.extent.maxx) / 2, cy = (p.extent.miny + p.extent.maxy) / 2;
    geo::Transform const inv(p.crs, "EPSG:4326");
    auto const a = inv.apply(cx - half, cy), b = inv.apply(cx + half, cy);
    return geo::geodesic_distance({a.x, a.y}, {b.x, b.y}) / 1000;
}

} // namespace

TEST_CASE("print: bad requests are refused with a sentence naming the fault", "[print]")
{
    auto const& svc = default_service();
    auto refused = [&](print::PrintRequest const& r, std::string const& words) {
        try {
            print::plan_print(svc, r);
            FAIL("accepted a bad request, expected: " << words);
        } catch (BadRequest const& e) {
            INFO(e.what());
            CHECK(std::string(e.what()).find(words) != std::string::npos);
        }
    };
    refused(request("atlantis"), "unknown area 'atlantis'");
    auto r = request("mali");
    r.dpi = 0;
    refused(r, "dpi must be between 36 and 1200, not 0");
    r.dpi = 10000;
    refused(r, "not 10000");
    print::PrintRequest b;
    b.bbox = BBox{-5, 10, 5, 20};
    b.crs = "EPSG:999999";
    refused(b, "EPSG:999999");
    b.crs = "EPSG:4326";
    b.projection = "NOT:A-CRS";
    refused(b, "NOT:A-CRS");
    print::PrintRequest none;
    refused(none, "bbox");

    CHECK_THROWS_WITH(print::parse_bbox("5,10,-5,20"), Catch::Contains("west") && Catch::Contains("less than east"));
    CHECK_THROWS_WITH(print::parse_bbox("-5,20,5,10"), Catch::Contains("south"));
    CHECK_THROWS_WITH(print::parse_bbox("-5,10,5"), Catch::Contains("four numbers"));
    CHECK_THROWS_WITH(print::parse_bbox("-5,10,x,20"), Catch::Contains("east 'x' is not a number"));
    CHECK_THROWS_WITH(print::parse_paper("A1"), Catch::Contains("unknown paper 'A1'"));
    CHECK_THROWS_WITH(print::parse_format("jpeg"), Catch::Contains("unknown format 'jpeg'"));
    CHECK_THROWS_WITH(print::parse_orientation("sideways"), Catch::Contains("orientation"));
    CHECK(print::parse_bbox(" -5.5, 10 ,5,20").minx == -5.5);
}

TEST_CASE("print: the CLI refuses bad requests and writes nothing", "[print]")
{
    ScratchDir dir("print-cli");
    auto const out = dir / "map.pdf";
    struct Case {
        std::string args;
        std::string message;
    };
    Case const cases[] = {
        {"--area atlantis", "unknown area 'atlantis'"},
        {"--bbox 5,10,-5,20", "west"},
        {"--bbox -5,10,5,20 --crs EPSG:999999", "EPSG:999999"},
        {"--area mali --dpi 0", "--dpi must be between 36 and 1200, not 0"},
        {"--area mali --dpi 10000", "not 10000"},
        {"--area mali --paper A1", "unknown paper 'A1'"},
        {"--area mali --format gif", "unknown format 'gif'"},
        {"--area mali --style nope", "unknown style 'nope'"},
    };
    for (auto const& c : cases) {
        INFO(c.args);
        auto const r = run_command(std::string(SAHELMAP_BINARY) + " render " + c.args + " -o " + quoted(out));
        CHECK(r.exit_code == 2);
        CHECK(r.out.find(c.message) != std::string::npos);
        // One sentence on one line (PROJ may log its own line before it).
        auto const line = r.out.substr(r.out.find("sahelmap: "));
        CHECK(line.find('\n') == line.size() - 1);
        CHECK_FALSE(std::filesystem::exists(out));
    }
    auto const help = run_command(std::string(SAHELMAP_BINARY) + " render --help");
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("--area NAME") != std::string::npos);
}

TEST_CASE("print: the scale bar's length is the geodesic distance across the map centre", "[print]")
{
    auto const& svc = default_service();
    for (auto const* area : {"mali", "burkina-faso", "niger", "aes", "liptako-gourma"})
        for (auto paper : {print::Paper::A4, print::Paper::A3}) {
            INFO(area << " " << print::to_string(paper));
            auto const p = print::plan_print(svc, request(area, paper));
            REQUIRE(p.scale_bar_km > 0);
            CHECK(p.crs.find("+proj=lcc") != std::string::npos);
            CHECK(p.projection_name.find("Lambert conformal conic") == 0);
            CHECK(measured_bar_km(p) == Approx(p.scale_bar_km).epsilon(0.01));
            // The bar is a round number and fits its column.
            double const mant = p.scale_bar_km / std::pow(10, std::floor(std::log10(p.scale_bar_km)));
            CHECK((mant == Approx(1) || mant == Approx(2) || mant == Approx(5)));
            CHECK(p.scale_bar_pt > 30);
            CHECK(p.scale_bar_pt < p.panel.w);
            // The frame holds the whole area asked for.
            BBox const shown = geo::Transform(p.crs, "EPSG:4326").apply(p.extent);
            CHECK(shown.minx <= p.area_lonlat.minx + 1e-6);
            CHECK(shown.maxx >= p.area_lonlat.maxx - 1e-6);
            CHECK(shown.miny <= p.area_lonlat.miny + 1e-6);
            CHECK(shown.maxy >= p.area_lonlat.maxy - 1e-6);
        }
    // A bbox in UTM with a UTM map projection.
    print::PrintRequest r;
    r.bbox = BBox{200000, 1300000, 900000, 1800000};
    r.crs = "EPSG:32631";
    r.projection = "EPSG:32631";
    r.printed_at = kPrinted;
    auto const p = print::plan_print(svc, r);
    CHECK(p.projection_name.find("UTM zone 31N") != std::string::npos);
    CHECK(measured_bar_km(p) == Approx(p.scale_bar_km).epsilon(0.01));
}

TEST_CASE("print: the north arrow follows the projection's convergence at the centre", "[print]")
{
    auto const& svc = default_service();
    // Centred LCC: the central meridian runs straight up the page.
    CHECK(print::plan_print(svc, request("aes")).north_deg == Approx(0).margin(0.05));
    // UTM zone 31 (central meridian 3°E) over Niger: meridians east of it lean
    // towards it going north, by γ = atan(tan(λ − λ0) · sin φ).
    for (auto const* area : {"niger", "mali"}) {
        INFO(area);
        auto r = request(area);
        r.projection = "EPSG:32631";
        auto const p = print::plan_print(svc, r);
        double const dl = (p.centre.lon - 3) * M_PI / 180;
        double const gamma = std::atan(std::tan(dl) * std::sin(p.centre.lat * M_PI / 180)) * 180 / M_PI;
        CHECK(std::fabs(gamma) > 0.5);
        CHECK(p.north_deg == Approx(-gamma).margin(0.05));
    }
}

TEST_CASE("print: legends come from the style, whole or per data layer", "[print]")
{
    auto const& svc = default_service();
    auto const& style = svc.renderer("default").style();
    auto const whole = service::legend_image(style, std::nullopt, 1);
    CHECK(whole.height > 300);
    CHECK(pixels_unlike_corner(whole) > 1000);
    for (auto const* layer : {"sites", "regions", "influence", "corridors", "borders"}) {
        INFO(layer);
        auto const img = service::legend_image(style, std::string(layer), 2);
        CHECK(img.height > 20);
        CHECK(img.height < whole.height * 2);
        CHECK(pixels_unlike_corner(img) > 50);
    }
    CHECK_THROWS_AS(service::legend_image(style, std::string("nonexistent"), 1), NotFound);
    auto const heat = service::legend_image(svc.renderer("influence").style(), std::string("influence"), 1);
    CHECK(pixels_unlike_corner(heat) > 200);
}

TEST_CASE("print: legend pictures match their references", "[print][golden]")
{
    // Sizes alone let a swatch lose its colour or a row its words: the
    // pictures are compared (the whole default legend, one data layer's at
    // 2x, the influence ramp).
    auto const& svc = default_service();
    auto const& style = svc.renderer("default").style();
    require_golden(service::legend_image(style, std::nullopt, 1), "legend_default");
    require_golden(service::legend_image(style, std::string("sites"), 2), "legend_default_sites_2x");
    require_golden(service::legend_image(svc.renderer("influence").style(), std::string("influence"), 1),
                   "legend_influence");
}

TEST_CASE("print: PDF keeps text as text, SVG parses and looks like the PNG", "[print]")
{
    // Installed by deploy/common.sh; a missing tool fails rather than passing unseen.
    INFO("needs poppler-utils, librsvg2-bin and libxml2-utils");
    REQUIRE((have("pdfinfo") && have("pdftotext") && have("rsvg-convert") && have("xmllint")));
    auto const& svc = default_service();
    ScratchDir dir("print-formats");
    auto r = request("liptako-gourma");
    r.title = "Liptako-Gourma briefing";
    r.format = print::Format::pdf;
    write_text(dir / "map.pdf", print::render_print(svc, r));
    auto const info = run_command("pdfinfo " + quoted(dir / "map.pdf"));
    REQUIRE(info.exit_code == 0);
    // The map, then the list of the features it draws (issue 13).
    CHECK(info.out.find("Pages:           1\n") == std::string::npos);
    CHECK(info.out.find("841.89 x 595.276 pts (A4)") != std::string::npos);
    auto const text = run_command("pdftotext -layout " + quoted(dir / "map.pdf") + " -");
    REQUIRE(text.exit_code == 0);
    for (auto const* want : {"Liptako-Gourma briefing", "Situation on 1 November 2025", "Airbase", "Logistics hub",
                             "Africa Corps", "AES External", "Scale at the map centre", "Lambert conformal conic",
                             "Locator: West Africa", "Natural Earth", "Printed 2026-01-01 00:00 UTC",
                             // names on the map: towns, regions and sites
                             "Dori", "Djibo", "Menaka \xC2\xB7 Africa Corps", "Tillab\xC3\xA9ri", "13°N", "2°E"}) {
        INFO(want);
        CHECK(text.out.find(want) != std::string::npos);
    }
    // The legend speaks words, not the data's codes (issue 13).
    CHECK(text.out.find("Russia Africa Corps") == std::string::npos);

    // SVG: valid XML, in points, and rendered by librsvg like our own PNG.
    r.format = print::Format::svg;
    write_text(dir / "map.svg", print::render_print(svc, r));
    CHECK(run_command("xmllint --noout " + quoted(dir / "map.svg")).exit_code == 0);
    CHECK(read_bytes(dir / "map.svg").find("width=\"841.889764pt\"") != std::string::npos);
    REQUIRE(run_command("rsvg-convert -d 72 -p 72 " + quoted(dir / "map.svg") + " -o " + quoted(dir / "svg.png"))
                .exit_code == 0);
    r.format = print::Format::png;
    auto const png = encode::decode_png(print::render_print(svc, r));
    auto const svg = read_png(dir / "svg.png");
    REQUIRE(svg.width == png.width);
    REQUIRE(svg.height == png.height);
    CHECK(png.width == 842);
    CHECK(png.height == 596);
    // Anti-aliasing and text rasterisation differ between Cairo and librsvg.
    CHECK(differing_fraction(svg, png, 64) < 0.02);
}

TEST_CASE("print: labels keep their size in points at any dpi", "[print]")
{
    auto const& svc = default_service();
    auto r = request("burkina-faso");
    r.format = print::Format::png;
    auto const lo = encode::decode_png(print::render_print(svc, r));
    r.dpi = 144;
    auto const hi = encode::decode_png(print::render_print(svc, r));
    REQUIRE(hi.width == 2 * lo.width);
    // Pages are whole pixels rounded up: compare the rows both have.
    Image lo_rows = lo;
    lo_rows.height = std::min(lo.height, hi.height / 2);
    // The 144 dpi page averaged down 2×2 is the 72 dpi page, only sharper.
    Image down = lo_rows;
    for (int y = 0; y < lo_rows.height; ++y)
        for (int x = 0; x < lo.width; ++x) {
            std::uint32_t out = 0;
            for (int c = 0; c < 32; c += 8) {
                unsigned sum = 0;
                for (int dy = 0; dy < 2; ++dy)
                    for (int dx = 0; dx < 2; ++dx) sum += (hi.pixel(2 * x + dx, 2 * y + dy) >> c) & 0xff;
                out |= ((sum + 2) / 4) << c;
            }
            *reinterpret_cast<std::uint32_t*>(down.pixels.data() + y * down.stride + x * 4) = out;
        }
    CHECK(differing_fraction(down, lo_rows, 64) < 0.02);
}

TEST_CASE("print: reference layouts through pdftoppm", "[print][golden]")
{
    INFO("needs poppler-utils (pdftoppm)");
    REQUIRE(have("pdftoppm"));
    auto const& svc = default_service();
    ScratchDir dir("print-golden");
    struct Case {
        char const* area;
        print::Paper paper;
        print::Orientation orientation;
    };
    Case const cases[] = {
        {"aes", print::Paper::A4, print::Orientation::landscape},
        {"mali", print::Paper::A4, print::Orientation::landscape},
        {"burkina-faso", print::Paper::A4, print::Orientation::landscape},
        {"niger", print::Paper::A4, print::Orientation::landscape},
        {"liptako-gourma", print::Paper::A4, print::Orientation::landscape},
        {"aes", print::Paper::A3, print::Orientation::portrait},
        {"mali", print::Paper::A3, print::Orientation::portrait},
        {"burkina-faso", print::Paper::A3, print::Orientation::portrait},
        {"niger", print::Paper::A3, print::Orientation::portrait},
        {"liptako-gourma", print::Paper::A3, print::Orientation::portrait},
    };
    for (auto const& c : cases) {
        std::string const name = std::string(c.area) + "-" + std::string(print::to_string(c.paper)) + "-" +
                                 (c.orientation == print::Orientation::landscape ? "landscape" : "portrait");
        INFO(name);
        auto r = request(c.area, c.paper, c.orientation);
        write_text(dir / (name + ".pdf"), print::render_print(svc, r));
        REQUIRE(
            run_command("pdftoppm -r 60 -png -singlefile " + quoted(dir / (name + ".pdf")) + " " + quoted(dir / name))
                .exit_code == 0);
        require_golden(read_png(dir / (name + ".png")), "print/" + name, 0.005);
    }
}

TEST_CASE("print: a box across the equator gets a projection that works", "[print]")
{
    auto const& svc = default_service();
    print::PrintRequest r;
    r.bbox = print::parse_bbox("5,-2,15,2");
    r.printed_at = kPrinted;
    r.dpi = 72;
    auto const plan = print::plan_print(svc, r);
    CHECK(plan.crs.find("+proj=merc") != std::string::npos);
    CHECK(plan.projection_name.rfind("Mercator", 0) == 0);
    CHECK(plan.scale_bar_km > 0);
    CHECK(std::fabs(plan.north_deg) < 1e-6); // Mercator's north is straight up
    CHECK(measured_bar_km(plan) == Approx(plan.scale_bar_km).epsilon(0.01));
    r.format = print::Format::png;
    CHECK(encode::decode_png(print::render_print(svc, r)).width > 0);
    // Both parallels south of the equator keep the conic.
    r.bbox = print::parse_bbox("10,-30,30,-10");
    CHECK(print::plan_print(svc, r).crs.find("+proj=lcc") != std::string::npos);

    // And the CLI exits 0 for it.
    ScratchDir dir("print-equator");
    auto const cli =
        run_command(std::string(SAHELMAP_BINARY) + " render --bbox 5,-2,15,2 --dpi 72 -o " + (dir / "eq.pdf").string());
    CHECK(cli.exit_code == 0);
}

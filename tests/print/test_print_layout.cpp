// Prints at every size: for every paper, orientation and named area, every
// element of the page (title, map frame with its graticule labels, legend
// rows, locator inset, scale bar, north arrow, notes) lies inside the page's
// margins and none overlaps another; golden pages of a subset at low dpi.
#include "sahelmap/core/error.hpp"
#include "sahelmap/encode/png.hpp"
#include "sahelmap/print/print.hpp"
#include "sahelmap/source/config.hpp"
#include "support/fixture.hpp"
#include "support/golden.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>

using namespace sahelmap;

namespace {

constexpr double kMargin = 28.35; // the layout's 10 mm

print::PrintRequest request(std::string const& area, print::Paper paper, print::Orientation o, int dpi = 72)
{
    print::PrintRequest r;
    r.area = area;
    r.paper = paper;
    r.orientation = o;
    r.time = Date::from_ymd(2025, 11, 1);
    r.printed_at = "2026-01-01 00:00 UTC";
    r.dpi = dpi;
    return r;
}

std::string name_of(std::string const& area, print::Paper paper, print::Orientation o)
{
    return area + "-" + std::string(print::to_string(paper)) + "-" +
           (o == print::Orientation::landscape ? "landscape" : "portrait");
}

double overlap_area(print::Rect const& a, print::Rect const& b)
{
    double const w = std::min(a.right(), b.right()) - std::max(a.x, b.x);
    double const h = std::min(a.bottom(), b.bottom()) - std::max(a.y, b.y);
    return w > 0 && h > 0 ? w * h : 0;
}

std::size_t count(print::PrintPlan const& p, std::string const& what)
{
    return static_cast<std::size_t>(
        std::count_if(p.items.begin(), p.items.end(), [&](auto const& it) { return it.what == what; }));
}

} // namespace

TEST_CASE("print: on every paper and orientation every element lies inside the page and none overlaps another",
          "[print][layout]")
{
    auto const& svc = test::default_service();
    for (auto paper : {print::Paper::letter, print::Paper::A4, print::Paper::A3, print::Paper::A2})
        for (auto o : {print::Orientation::landscape, print::Orientation::portrait})
            for (auto const& area : print::area_names())
                for (auto const* style : {"default", "print", "overlay", "influence"})
                    for (bool dated : {true, false}) {
                        auto const name = name_of(area, paper, o);
                        INFO(name << (dated ? " on 2025-11-01" : " at the evidence cut-off"));
                        auto r = request(area, paper, o);
                        r.style = style;
                        // Undated, the page carries the reporting notice: one more line of notes.
                        if (!dated) r.time.reset();
                        auto const p = print::plan_print(svc, r);
                        for (char const* what : {"title", "map", "inset", "scale bar", "north arrow", "notes"}) {
                            INFO(what);
                            CHECK(count(p, what) == 1);
                        }
                        // The influence style draws one layer: its legend is short.
                        std::ptrdiff_t const rows = std::string_view(style) == "influence" ? 3 : 10;
                        CHECK(std::count_if(p.items.begin(), p.items.end(), [](auto const& it) {
                                  return it.what.rfind("legend row", 0) == 0;
                              }) > rows);
                        for (auto const& it : p.items) {
                            INFO(it.what << " at " << it.at.x << "," << it.at.y << " " << it.at.w << "x" << it.at.h
                                         << " on " << p.page_w << "x" << p.page_h);
                            CHECK(it.at.w > 0);
                            CHECK(it.at.h > 0);
                            // Inside the margins (half a point for rounding).
                            CHECK(it.at.x >= kMargin - 0.5);
                            CHECK(it.at.y >= kMargin - 0.5);
                            CHECK(it.at.right() <= p.page_w - kMargin + 0.5);
                            CHECK(it.at.bottom() <= p.page_h - kMargin + 0.5);
                        }
                        for (std::size_t a = 0; a < p.items.size(); ++a)
                            for (std::size_t b = a + 1; b < p.items.size(); ++b) {
                                INFO(p.items[a].what << " and " << p.items[b].what);
                                CHECK(overlap_area(p.items[a].at, p.items[b].at) < 0.01);
                            }
                        // The map is the page's main element: at least a quarter of it.
                        CHECK(p.map.w * p.map.h > p.page_w * p.page_h / 4);
                        // The scale bar states a length that fits beside the north arrow.
                        CHECK(p.scale_bar_pt > 30);
                    }
}

TEST_CASE("print: legends of any length keep the scale bar and north arrow on the page", "[print][layout]")
{
    // The default style with a layer of n extra legend rows, for every n up
    // to a column and a half: whichever row count fills the panel's columns,
    // the last item (scale bar and north arrow) stays inside the page.
    auto config = source::Config::defaults();
    auto const base =
        std::find_if(config.styles.begin(), config.styles.end(), [](auto const& s) { return s.id == "default"; });
    REQUIRE(base != config.styles.end());
    auto const doc = nlohmann::json::parse(base->json);
    std::vector<std::string> ids;
    for (int n = 1; n <= 40; ++n) {
        auto style = doc;
        nlohmann::json colour = nlohmann::json::array({"match", nlohmann::json::array({"get", "name"})});
        for (int k = 0; k < n; ++k) {
            colour.push_back("Extra class " + std::to_string(k));
            colour.push_back(k % 2 ? "#a0a0ff" : "#ffa0a0");
        }
        colour.push_back("rgba(0,0,0,0)");
        style["layers"].push_back({{"id", "extra"},
                                   {"type", "fill"},
                                   {"source", "sahel"},
                                   {"source-layer", "provinces"},
                                   {"paint", {{"fill-color", colour}}}});
        ids.push_back("extra-" + std::to_string(n));
        config.styles.push_back({ids.back(), "", style.dump()});
    }
    auto const svc = service::MapService::load(config);
    for (auto paper : {print::Paper::letter, print::Paper::A4, print::Paper::A3})
        for (auto const& id : ids) {
            auto r = request("aes", paper, print::Orientation::landscape);
            r.style = id;
            INFO(id << " on " << print::to_string(paper));
            print::PrintPlan p;
            try {
                p = print::plan_print(*svc, r);
            } catch (BadRequest const& e) {
                // Refused with a sentence ("the paper is too small ..."): no page to check.
                CHECK(std::string(e.what()).find("too small") != std::string::npos);
                continue;
            }
            for (auto const& it : p.items) {
                INFO(it.what);
                CHECK(it.at.right() <= p.page_w - kMargin + 0.5);
                CHECK(it.at.bottom() <= p.page_h - kMargin + 0.5);
            }
            CHECK(count(p, "scale bar") == 1);
            CHECK(count(p, "north arrow") == 1);
        }
}

TEST_CASE("print: golden pages at 40 dpi for the AES on every paper and the other areas on some",
          "[print][golden][layout]")
{
    auto const& svc = test::default_service();
    struct Case {
        char const* area;
        print::Paper paper;
        print::Orientation orientation;
    };
    using P = print::Paper;
    using O = print::Orientation;
    Case const cases[] = {
        {"aes", P::letter, O::landscape},
        {"aes", P::letter, O::portrait},
        {"aes", P::A4, O::portrait},
        {"aes", P::A3, O::landscape},
        {"aes", P::A2, O::landscape},
        {"aes", P::A2, O::portrait},
        {"mali", P::A2, O::portrait},
        {"burkina-faso", P::letter, O::portrait},
        {"niger", P::letter, O::landscape},
        {"liptako-gourma", P::A2, O::landscape},
        {"liptako-gourma", P::A4, O::portrait},
    };
    for (auto const& c : cases) {
        auto const name = name_of(c.area, c.paper, c.orientation);
        INFO(name);
        auto r = request(c.area, c.paper, c.orientation, 40);
        r.format = print::Format::png;
        auto const page = encode::decode_png(print::render_print(svc, r));
        test::require_golden(page, "print/png40-" + name, 0.005);
    }
}

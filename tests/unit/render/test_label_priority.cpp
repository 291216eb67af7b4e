// Which labels win: over the AES (Mali, Burkina Faso, Niger) the three
// country names and the three capitals are placed at z5 and z6 in the tiles,
// in a WMS-like map of the area and in the AES prints, before sites, ghosts
// of withdrawn bases and minor places take their room.
#include "../../../src/render/labels.hpp"
#include "sahelmap/geo/projection.hpp"
#include "sahelmap/geo/tile_math.hpp"
#include "sahelmap/print/print.hpp"
#include "support/fixture.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

using namespace sahelmap;

namespace {

Date const kTime = *Date::parse("2025-11-01");

struct Listed {
    std::string layer;
    std::string text;
    BBox box;
};

/// Every label placed (text kept, not only an icon) whose box meets `within` (frame pixels).
std::vector<Listed> labels_of(render::detail::Placement const& placement, style::Style const& style, BBox const& within)
{
    std::vector<Listed> out;
    for (std::size_t li = 0; li < placement.layers.size(); ++li)
        for (auto const& s : placement.layers[li])
            if (s.text && s.text_box.intersects(within))
                out.push_back({style.layers()[li].id, s.text->text, s.text_box});
    return out;
}

/// A label's text on one line: long names wrap ("BURKINA\nFASO"), and
/// capitals carry a second line for an Arabic name, empty in the AES.
std::string one_line(std::string t)
{
    std::replace(t.begin(), t.end(), '\n', ' ');
    while (!t.empty() && t.back() == ' ') t.pop_back();
    return t;
}

bool has_label(std::vector<Listed> const& labels, std::string const& layer, std::string const& text)
{
    return std::any_of(labels.begin(), labels.end(),
                       [&](Listed const& l) { return l.layer == layer && one_line(l.text) == text; });
}

std::string listing(std::vector<Listed> const& labels)
{
    std::map<std::string, std::vector<std::string>> by_layer;
    for (auto const& l : labels) {
        auto t = l.text;
        std::replace(t.begin(), t.end(), '\n', '/');
        by_layer[l.layer].push_back(t);
    }
    std::ostringstream os;
    for (auto const& [layer, texts] : by_layer) {
        os << "  " << layer << " (" << texts.size() << "):";
        for (auto const& t : texts) os << " [" << t << "]";
        os << "\n";
    }
    return os.str();
}

/// The labels that matter most over the AES.
void require_aes_essentials(std::vector<Listed> const& labels)
{
    for (char const* country : {"MALI", "BURKINA FASO", "NIGER"}) {
        INFO(country);
        CHECK(has_label(labels, "country-labels", country));
    }
    for (char const* capital : {"Bamako", "Ouagadougou", "Niamey"}) {
        INFO(capital);
        CHECK(has_label(labels, "places-capitals", capital));
    }
}

/// No two placed labels overlap (placement is collision-free by design;
/// priorities must not break that).
void require_no_overlap(std::vector<Listed> const& labels)
{
    for (std::size_t a = 0; a < labels.size(); ++a)
        for (std::size_t b = a + 1; b < labels.size(); ++b) {
            // Line labels are kept as rotated boxes' bounds, which may touch their neighbours'.
            if (labels[a].layer == "corridor-labels" || labels[b].layer == "corridor-labels") continue;
            auto const& p = labels[a].box;
            auto const& q = labels[b].box;
            double const w = std::min(p.maxx, q.maxx) - std::max(p.minx, q.minx);
            double const h = std::min(p.maxy, q.maxy) - std::max(p.miny, q.miny);
            INFO(labels[a].text << " and " << labels[b].text);
            CHECK((w <= 0 || h <= 0 || w * h < 1));
        }
}

} // namespace

TEST_CASE("render: tiles over the AES place the country names and capitals first", "[render][labels]")
{
    auto const& svc = test::default_service();
    BBox const aes_ll{-12.3, 9.4, 16.0, 25.0}; // Mali, Burkina Faso and Niger
    for (auto const& style_id : {"default", "print"}) {
        auto const& renderer = svc.renderer(style_id);
        for (int z = 3; z <= 8; ++z) {
            // The placement every tile of this zoom draws from (Renderer::placement_for).
            double const res = geo::meters_per_pixel(z);
            render::detail::Frame const world{-geo::kMercatorHalfExtent, geo::kMercatorHalfExtent, res};
            auto const placement = render::detail::place_symbols(renderer.data(), renderer.style(), world,
                                                                 renderer.data().extent().buffered(256 * res), z, kTime,
                                                                 renderer.resources()->text_shaper());
            // The tiles covering the AES, in frame pixels.
            BBox const merc = geo::Transform("EPSG:4326", "EPSG:3857").apply(aes_ll);
            auto const a = world.to_px({merc.minx, merc.maxy}), b = world.to_px({merc.maxx, merc.miny});
            BBox const tiles{std::floor(a.x / 256) * 256, std::floor(a.y / 256) * 256, std::ceil(b.x / 256) * 256,
                             std::ceil(b.y / 256) * 256};
            auto const labels = labels_of(*placement, renderer.style(), tiles);
            UNSCOPED_INFO(style_id << " z" << z << ": " << labels.size() << " labels\n" << listing(labels));
            require_no_overlap(labels);
            if (z == 5 || z == 6) {
                INFO(style_id << " z" << z);
                require_aes_essentials(labels);
                auto const sites =
                    std::count_if(labels.begin(), labels.end(), [](auto const& l) { return l.layer == "sites"; });
                CHECK(sites >= 5);
            }
        }
    }
    // Shown when a check fails, and with -s: the labels placed at each zoom.
    CHECK(true);
}

TEST_CASE("render: a WMS map and the AES prints place the country names and capitals", "[render][labels][print]")
{
    auto const& svc = test::default_service();
    struct Case {
        std::string name;
        std::string style, crs;
        BBox extent;
        int width, height;
        double zoom;
        bool inside;
    };
    std::vector<Case> cases;
    // A WMS GetMap of the AES in Web Mercator, as QGIS asks it at about z5 and z6.
    BBox const merc = geo::Transform("EPSG:4326", "EPSG:3857").apply(BBox{-12.3, 9.4, 16.0, 25.0});
    for (int z : {5, 6}) {
        double const res = geo::meters_per_pixel(z);
        int const w = static_cast<int>(std::ceil(merc.width() / res)),
                  h = static_cast<int>(std::ceil(merc.height() / res));
        cases.push_back({"WMS z" + std::to_string(z), "default", "EPSG:3857",
                         BBox{merc.minx, merc.maxy - h * res, merc.minx + w * res, merc.maxy}, w, h,
                         static_cast<double>(z), false});
    }
    // The AES prints on both papers, both ways up (A3 landscape is the README's command).
    for (auto [paper, orientation, label] :
         {std::tuple{print::Paper::A3, print::Orientation::landscape, "A3 landscape"},
          std::tuple{print::Paper::A3, print::Orientation::portrait, "A3 portrait"},
          std::tuple{print::Paper::A4, print::Orientation::landscape, "A4 landscape"},
          std::tuple{print::Paper::A4, print::Orientation::portrait, "A4 portrait"}}) {
        print::PrintRequest r;
        r.area = "aes";
        r.paper = paper;
        r.orientation = orientation;
        r.time = kTime;
        r.printed_at = "2026-01-01 00:00 UTC";
        auto const plan = print::plan_print(svc, r);
        cases.push_back({std::string("print ") + label + " z" + std::to_string(plan.zoom), "default", plan.crs,
                         plan.extent, plan.map_px_w, plan.map_px_h, plan.zoom, true});
    }
    for (auto const& c : cases) {
        INFO(c.name);
        // As Renderer::placement_for places a view that is not a tile.
        auto const renderer = svc.renderer_in(c.style, c.crs);
        render::detail::Frame const frame{c.extent.minx, c.extent.maxy, c.extent.width() / c.width};
        std::optional<BBox> inside;
        if (c.inside) inside = BBox{0, 0, static_cast<double>(c.width), static_cast<double>(c.height)};
        auto const placement = render::detail::place_symbols(renderer->data(), renderer->style(), frame,
                                                             c.extent.buffered(256 * frame.res), c.zoom, kTime,
                                                             renderer->resources()->text_shaper(), inside);
        auto const labels = labels_of(*placement, renderer->style(),
                                      {0, 0, static_cast<double>(c.width), static_cast<double>(c.height)});
        UNSCOPED_INFO(c.name << ": " << labels.size() << " labels\n" << listing(labels));
        require_aes_essentials(labels);
        require_no_overlap(labels);
        if (c.zoom >= 5) {
            // The style names sites from z5 on: the map then shows their names.
            auto const sites =
                std::count_if(labels.begin(), labels.end(), [](auto const& l) { return l.layer == "sites"; });
            CHECK(sites >= 5);
        }
    }
    CHECK(true);
}

// The reference numbers beside a PDF map's sites (tied to the list on the
// pages after it) keep clear of the map's country names and capitals: on
// the A4 landscape AES print they used to cover Niamey.
#include "../../src/print/sources_page.hpp"
#include "sahelmap/render/cairo_ptr.hpp"
#include "support/fixture.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace sahelmap;

TEST_CASE("print: reference numbers keep clear of country names and capitals on every AES page", "[print][labels]")
{
    auto const& svc = test::default_service();
    render::SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1));
    render::CairoPtr measure(cairo_create(surface.get()));
    for (auto paper : {print::Paper::A4, print::Paper::A3})
        for (auto o : {print::Orientation::landscape, print::Orientation::portrait}) {
            print::PrintRequest r;
            r.area = "aes";
            r.paper = paper;
            r.orientation = o;
            r.time = Date::from_ymd(2025, 11, 1);
            r.printed_at = "2026-01-01 00:00 UTC";
            auto const L = print::detail::make_layout(svc, r, measure.get());
            auto const view = print::detail::map_view(L, r);
            auto const listed = print::detail::listed_features(L);
            auto const numbers = print::detail::place_reference_numbers(measure.get(), L.plan, listed,
                                                                        print::detail::map_symbol_boxes(L, view));
            INFO(print::to_string(paper) << (o == print::Orientation::landscape ? " landscape" : " portrait"));
            CHECK(numbers.size() >= 5);
            auto const& layers = L.renderer->style().layers();
            std::size_t names = 0;
            for (auto const& s : L.renderer->symbol_boxes(view)) {
                auto const& id = layers[s.layer].id;
                if (id != "country-labels" && id != "places-capitals") continue;
                ++names;
                BBox const page{L.plan.map.x + s.box.minx * 0.75, L.plan.map.y + s.box.miny * 0.75,
                                L.plan.map.x + s.box.maxx * 0.75, L.plan.map.y + s.box.maxy * 0.75};
                for (auto const& n : numbers) {
                    double const w = std::min(n.box.maxx, page.maxx) - std::max(n.box.minx, page.minx);
                    double const h = std::min(n.box.maxy, page.maxy) - std::max(n.box.miny, page.miny);
                    INFO("number " << n.text << " and a " << id << " label at " << page.minx << "," << page.miny
                                   << " overlap " << w << " x " << h);
                    CHECK((w <= 1 || h <= 1)); // within a halo (about 1 pt) is touching, not covering
                }
            }
            CHECK(names >= 6); // three countries and three capitals at least
        }
}

// Views placed for themselves (WMS maps, other CRSs) take label pixels from
// the process-wide raster cache: a map drawn after others must come out
// exactly as when drawn first, wherever the cache's entries came from.
#include "sahelmap/render/renderer.hpp"
#include "support/fixture.hpp"

#include <catch2/catch.hpp>

#include <cstring>

using namespace sahelmap;

namespace {

render::View utm_view(double shift_m)
{
    render::View v;
    v.extent = BBox{-700000 + shift_m, 1200000, 1500000 + shift_m, 2850000};
    v.width = 512;
    v.height = 384;
    v.zoom = 5.5;
    v.time = *Date::parse("2025-11-01");
    return v;
}

std::size_t differing_pixels(Image const& a, Image const& b)
{
    REQUIRE(a.pixels.size() == b.pixels.size());
    std::size_t n = 0;
    for (std::size_t i = 0; i < a.pixels.size(); i += 4)
        if (std::memcmp(&a.pixels[i], &b.pixels[i], 4) != 0) ++n;
    return n;
}

} // namespace

TEST_CASE("render: labels from the shared raster cache draw the same map as fresh ones", "[render][labels]")
{
    auto const renderer = test::default_service().renderer_in("default", "EPSG:32631");
    auto const view = utm_view(0);
    // A view shifted by a third of a pixel puts every label at another
    // sub-pixel phase: its rasters must not be taken for the first view's,
    // in either order.
    auto const shifted = utm_view(view.extent.width() / view.width / 3);

    render::Renderer::clear_shared_label_rasters();
    Image const first = renderer->render(view);
    Image const shifted_after = renderer->render(shifted); // the cache holds the first view's rasters
    render::Renderer::clear_shared_label_rasters();
    Image const shifted_fresh = renderer->render(shifted);
    Image const first_after = renderer->render(view); // the cache holds the shifted view's rasters

    CHECK(differing_pixels(first, first_after) == 0);
    CHECK(differing_pixels(shifted_fresh, shifted_after) == 0);
    // The labels are there: the shifted map differs from the first one.
    CHECK(differing_pixels(first, shifted_fresh) > 1000);
}

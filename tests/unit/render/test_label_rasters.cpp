// Views placed for themselves (WMS maps, other CRSs) take label pixels from
// their service's raster cache: a map drawn after others must come out
// exactly as when drawn first, wherever the cache's entries came from. Each
// service owns its caches: two services drawing at once on several threads
// draw what one draws alone.
#include "sahelmap/render/renderer.hpp"
#include "support/fixture.hpp"

#include <catch2/catch.hpp>

#include <cstring>
#include <thread>
#include <vector>

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

    renderer->resources()->clear_label_rasters();
    Image const first = renderer->render(view);
    Image const shifted_after = renderer->render(shifted); // the cache holds the first view's rasters
    renderer->resources()->clear_label_rasters();
    Image const shifted_fresh = renderer->render(shifted);
    Image const first_after = renderer->render(view); // the cache holds the shifted view's rasters

    CHECK(differing_pixels(first, first_after) == 0);
    CHECK(differing_pixels(shifted_fresh, shifted_after) == 0);
    // The labels are there: the shifted map differs from the first one.
    CHECK(differing_pixels(first, shifted_fresh) > 1000);
}

TEST_CASE("render: two services drawing at once share no cache and draw what one draws alone", "[render][labels]")
{
    // Pictures drawn first, alone, each by a service of its own.
    auto const views = std::vector<render::View>{utm_view(0), utm_view(1234.5), utm_view(-777)};
    std::vector<Image> alone;
    for (auto const& v : views)
        alone.push_back(
            service::MapService::load(source::Config::defaults())->renderer_in("default", "EPSG:32631")->render(v));
    auto const tile = render::Renderer::tile_view(*TileId::make(5, 15, 14), 2, *Date::parse("2025-11-01"));
    auto const tile_alone = service::MapService::load(source::Config::defaults())->renderer("default").render(tile);

    auto const a = service::MapService::load(source::Config::defaults());
    auto const b = service::MapService::load(source::Config::defaults());
    CHECK(&a->resources() != &b->resources());
    CHECK(a->renderer_in("default", "EPSG:32631")->resources().get() == &a->resources());

    // Four threads, two per service, each drawing every view and the tile, in
    // different orders so that shapes and rasters are made by whichever comes first.
    std::vector<std::vector<Image>> drawn(4);
    std::vector<Image> tiles(4);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            auto const& svc = t % 2 ? *b : *a;
            auto const renderer = svc.renderer_in("default", "EPSG:32631");
            drawn[t].resize(views.size());
            for (std::size_t k = 0; k < views.size(); ++k) {
                std::size_t const i = (k + t) % views.size();
                drawn[t][i] = renderer->render(views[i]);
            }
            tiles[t] = svc.renderer("default").render(tile);
        });
    for (auto& th : threads) th.join();
    for (std::size_t t = 0; t < 4; ++t) {
        for (std::size_t i = 0; i < views.size(); ++i) CHECK(differing_pixels(drawn[t][i], alone[i]) == 0);
        CHECK(differing_pixels(tiles[t], tile_alone) == 0);
    }
}

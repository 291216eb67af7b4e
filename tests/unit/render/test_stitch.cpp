#include "sahelmap/geo/projection.hpp"
#include "sahelmap/geo/tile_math.hpp"
#include "support/fixture.hpp"
#include "support/golden.hpp"

#include <catch2/catch.hpp>

#include <cstring>

using namespace sahelmap;

namespace {
/// Copies `tile` into `dst` at (ox, oy).
void blit(Image& dst, Image const& tile, int ox, int oy)
{
    for (int y = 0; y < tile.height; ++y)
        std::memcpy(dst.pixels.data() + static_cast<std::size_t>((oy + y) * dst.stride + ox * 4),
                    tile.pixels.data() + static_cast<std::size_t>(y * tile.stride), static_cast<std::size_t>(tile.width) * 4);
}
} // namespace

TEST_CASE("render: 2x2 neighbouring tiles equal one render of the area, labels included", "[render][stitch]")
{
    auto const& svc = test::default_service();
    Date const time = *Date::parse("2025-11-01");
    struct Area {
        double lon, lat;
        int z;
    };
    // Niamey and Bamako at zooms where town, site and region labels cross tile edges.
    for (auto const& style : {"default", "overlay", "print"})
        for (auto area : {Area{2.1098, 13.5128, 6}, Area{-7.95, 12.6, 7}, Area{-1.0, 14.0, 5}}) {
            SECTION(std::string(style) + " z" + std::to_string(area.z))
            {
                auto const& r = svc.renderer(style);
                auto const t0 = geo::tile_at(geo::to_mercator({area.lon, area.lat}), area.z);
                Image stitched;
                stitched.width = stitched.height = 512;
                stitched.stride = 512 * 4;
                stitched.pixels.assign(512 * 512 * 4, 0);
                BBox whole;
                for (int dy = 0; dy < 2; ++dy)
                    for (int dx = 0; dx < 2; ++dx) {
                        auto t = *TileId::make(t0.z(), t0.x() + dx, t0.y() + dy);
                        blit(stitched, r.render(render::Renderer::tile_view(t, 1, time)), dx * 256, dy * 256);
                        whole.expand(geo::tile_bounds(t));
                    }
                render::View v;
                v.extent = whole;
                v.width = v.height = 512;
                v.zoom = t0.z();
                v.time = time;
                v.label_zoom = t0.z();
                auto const one = r.render(v);
                CHECK(test::pixels_unlike_corner(one) > 1000);
                double const diff = test::differing_fraction(stitched, one);
                INFO("differing pixels " << diff * 100 << "%");
                CHECK(diff <= 0.0005);
            }
        }
}

#include "sahelmap/geo/projection.hpp"
#include "sahelmap/geo/tile_math.hpp"
#include "support/fixture.hpp"
#include "support/golden.hpp"

#include <catch2/catch.hpp>

using namespace sahelmap;

namespace {
struct GoldenCase {
    char const* style;
    double lon, lat;
    int z;
    int scale;
    char const* time;
};

std::string case_name(GoldenCase const& c, TileId const& t)
{
    return std::string(c.style) + "-" + std::to_string(t.z()) + "-" + std::to_string(t.x()) + "-" +
           std::to_string(t.y()) + (c.scale == 2 ? "@2x" : "") + "-" + c.time;
}
} // namespace

TEST_CASE("render: golden tiles across zooms, scales and styles", "[render][golden]")
{
    // Each case names its style, the place the tile holds, zoom, scale and date.
    GoldenCase const cases[] = {
        {"default", -5.0, 20.0, 2, 1, "2025-11-01"},  // West Africa overview
        {"default", -5.0, 15.0, 3, 1, "2025-11-01"},
        {"default", 2.0, 15.0, 4, 1, "2025-11-01"},   // the three countries
        {"default", -3.0, 14.0, 5, 1, "2025-11-01"},
        {"default", -3.0, 14.0, 5, 2, "2025-11-01"},  // same at @2x
        {"default", 2.1098, 13.5128, 7, 1, "2023-01-01"}, // Niamey with French and US bases
        {"default", 2.1098, 13.5128, 7, 1, "2025-06-01"}, // Niamey with the Africa Corps
        {"default", -7.95, 12.53, 8, 1, "2024-01-01"},    // Bamako air base, Wagner era
        {"default", -1.52, 12.37, 10, 1, "2025-11-01"},   // Ouagadougou
        {"overlay", 2.0, 15.0, 4, 1, "2025-11-01"},
        {"overlay", 2.1098, 13.5128, 6, 2, "2024-06-01"},
        {"print", -3.0, 14.0, 5, 1, "2025-11-01"},
        {"print", 7.99, 16.97, 6, 1, "2025-11-01"},      // Agadez: the claimed hub, drawn hollow
        {"default", 0.0, 15.0, 9, 1, "2025-11-01"},
        {"influence", 2.0, 15.0, 4, 1, "2023-01-01"},     // Western presence before the withdrawals
        {"influence", 2.0, 15.0, 5, 2, "2025-11-01"},     // and the Russian one after
    };
    auto const& svc = test::default_service();
    for (auto const& c : cases) {
        auto const tile = geo::tile_at(geo::to_mercator({c.lon, c.lat}), c.z);
        auto const name = case_name(c, tile);
        SECTION(name)
        {
            auto const img = svc.renderer(c.style).render(
                render::Renderer::tile_view(tile, c.scale, *Date::parse(c.time)));
            REQUIRE(img.width == 256 * c.scale);
            REQUIRE(test::pixels_unlike_corner(img) > 0);
            test::require_golden(img, name);
        }
    }
}

#include "sahelmap/geo/projection.hpp"
#include "sahelmap/geo/tile_math.hpp"

#include <catch2/catch.hpp>

using namespace sahelmap;
using Catch::Detail::Approx;

TEST_CASE("geo: tile bounds of known tiles", "[geo][tile]")
{
    auto b = geo::tile_bounds(*TileId::make(0, 0, 0));
    CHECK(b.minx == Approx(-20037508.342789244));
    CHECK(b.maxy == Approx(20037508.342789244));
    b = geo::tile_bounds(*TileId::make(1, 1, 0));
    CHECK(b.minx == Approx(0).margin(1e-6));
    CHECK(b.miny == Approx(0).margin(1e-6));
    CHECK(geo::meters_per_pixel(0) == Approx(156543.03392804097));
    CHECK(geo::meters_per_pixel(10) == Approx(152.87405657035));
}

TEST_CASE("geo: the tile holding a place, table-driven", "[geo][tile]")
{
    struct Case {
        double lon, lat;
        int z;
        std::uint32_t x, y;
    };
    // Reference numbers from the slippy-map formulas (OSM wiki).
    Case const cases[] = {
        {2.1098, 13.5128, 6, 32, 29},   // Niamey
        {-7.9999, 12.6392, 8, 122, 118}, // Bamako
        {-1.5197, 12.3714, 10, 507, 476}, // Ouagadougou
        {7.99, 16.97, 5, 16, 14},        // Agadez
        {0, 0, 1, 1, 1},
        {-179.99, 85, 3, 0, 0},
    };
    for (auto const& c : cases) {
        INFO(c.lon << "," << c.lat << " z" << c.z);
        auto t = geo::tile_at(geo::to_mercator({c.lon, c.lat}), c.z);
        CHECK(t.x() == c.x);
        CHECK(t.y() == c.y);
    }
}

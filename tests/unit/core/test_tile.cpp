#include "sahelmap/core/error.hpp"
#include "sahelmap/core/tile.hpp"

#include <catch2/catch.hpp>

using namespace sahelmap;

TEST_CASE("core: TileId::make accepts exactly the pyramid", "[core][tile]")
{
    struct Case {
        std::int64_t z, x, y;
        bool valid;
    };
    Case const cases[] = {
        {0, 0, 0, true},          {0, 1, 0, false},           {0, 0, 1, false},         {1, 1, 1, true},
        {1, 2, 0, false},         {20, (1 << 20) - 1, 0, true}, {20, 1 << 20, 0, false}, {21, 0, 0, false},
        {-1, 0, 0, false},        {5, -1, 3, false},          {5, 31, 31, true},        {5, 32, 31, false},
    };
    for (auto const& c : cases) {
        INFO(c.z << "/" << c.x << "/" << c.y);
        CHECK(TileId::make(c.z, c.x, c.y).has_value() == c.valid);
    }
}

TEST_CASE("core: TileId::parse rejects malformed text with BadRequest", "[core][tile]")
{
    for (char const* bad : {"", "a", "-1", "+1", "1.5", " 1", "1 ", "0x10", "12345678901", "1e3"}) {
        INFO("x = '" << bad << "'");
        CHECK_THROWS_AS(TileId::parse("3", bad, "1"), BadRequest);
    }
    CHECK(TileId::parse("3", "4", "5") == *TileId::make(3, 4, 5));
}

TEST_CASE("core: TileId::parse gives NotFound outside the pyramid", "[core][tile]")
{
    CHECK_THROWS_AS(TileId::parse("21", "0", "0"), NotFound);
    CHECK_THROWS_AS(TileId::parse("3", "8", "0"), NotFound);
    CHECK_THROWS_WITH(TileId::parse("3", "0", "9"), Catch::Contains("outside the pyramid"));
}

#include "sahelmap/core/spatial_index.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace sahelmap;

TEST_CASE("core: SpatialIndex returns exactly the intersecting boxes, in order", "[core][index]")
{
    std::mt19937 rng(42);
    std::uniform_real_distribution<double> pos(-1000, 1000), size(0, 50);
    std::vector<BBox> boxes;
    for (int i = 0; i < 2000; ++i) {
        double x = pos(rng), y = pos(rng);
        boxes.push_back({x, y, x + size(rng), y + size(rng)});
    }
    SpatialIndex const index(boxes);
    REQUIRE(index.size() == boxes.size());
    std::vector<std::uint32_t> got;
    for (int q = 0; q < 200; ++q) {
        double x = pos(rng), y = pos(rng);
        BBox const query{x, y, x + size(rng) * 4, y + size(rng) * 4};
        index.query(query, got);
        std::vector<std::uint32_t> expected;
        for (std::uint32_t i = 0; i < boxes.size(); ++i)
            if (boxes[i].intersects(query)) expected.push_back(i);
        REQUIRE(got == expected);
    }
    SpatialIndex const empty(std::vector<BBox>{});
    empty.query({0, 0, 1, 1}, got);
    CHECK(got.empty());
}

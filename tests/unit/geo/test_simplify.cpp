#include "sahelmap/geo/simplify.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

using namespace sahelmap;

TEST_CASE("geo: grid snapping keeps a shared border identical in both polygons", "[geo][simplify]")
{
    // Two squares sharing a wiggly edge given in opposite directions.
    std::vector<Projected> edge;
    for (int i = 0; i <= 100; ++i) edge.push_back({50 + 0.3 * std::sin(i * 0.7), static_cast<double>(i)});
    std::vector<Projected> left{{0, 0}};
    left.insert(left.end(), edge.begin(), edge.end());
    left.push_back({0, 100});
    left.push_back({0, 0});
    std::vector<Projected> right(edge.rbegin(), edge.rend());
    right.insert(right.end(), {{100, 0}, {100, 100}});
    right.insert(right.begin(), Projected{100, 100});
    right.push_back(right.front());

    for (double cell : {0.1, 1.0, 5.0}) {
        auto a = std::get<MultiPolygon<Projected>>(geo::snap_to_grid(MultiPolygon<Projected>{{{left}}}, cell));
        auto b = std::get<MultiPolygon<Projected>>(geo::snap_to_grid(MultiPolygon<Projected>{{{right}}}, cell));
        REQUIRE(a.polygons.size() == 1);
        REQUIRE(b.polygons.size() == 1);
        // Every snapped vertex of the shared edge in one is a vertex of the other.
        auto const& ra = a.polygons[0][0];
        auto const& rb = b.polygons[0][0];
        for (auto const& p : ra) {
            if (p.x < 40 || p.x > 60) continue;
            bool found = std::find(rb.begin(), rb.end(), p) != rb.end();
            INFO("cell " << cell << " vertex " << p.x << "," << p.y);
            CHECK(found);
        }
        CHECK(ra.size() <= left.size());
    }
}

TEST_CASE("geo: grid snapping drops collapsed rings and keeps points", "[geo][simplify]")
{
    MultiPolygon<Projected> tiny{{{{{0, 0}, {0.1, 0}, {0.1, 0.1}, {0, 0}}}}};
    CHECK(std::get<MultiPolygon<Projected>>(geo::snap_to_grid(tiny, 10)).polygons.empty());
    MultiLineString<Projected> line{{{{0, 0}, {0.2, 0.1}, {30, 0}}}};
    auto l = std::get<MultiLineString<Projected>>(geo::snap_to_grid(line, 10));
    REQUIRE(l.lines.size() == 1);
    CHECK(l.lines[0].size() == 2);
    MultiPoint<Projected> pts{{{1.234, 5.678}}};
    CHECK(std::get<MultiPoint<Projected>>(geo::snap_to_grid(pts, 10)).points[0].x == 1.234);
}

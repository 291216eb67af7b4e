#include "sahelmap/geo/clip.hpp"

#include <catch2/catch.hpp>

using namespace sahelmap;

TEST_CASE("geo: a segment clipped to a box keeps the part inside", "[geo][clip]")
{
    BBox const box{0, 0, 10, 10};
    struct Case {
        char const* what;
        double ax, ay, bx, by;
        bool meets;
        double t0, t1;
    };
    Case const cases[] = {
        {"inside", 2, 2, 8, 8, true, 0, 1},
        {"crossing left to right", -5, 5, 15, 5, true, 0.25, 0.75},
        {"crossing right to left", 15, 5, -5, 5, true, 0.25, 0.75},
        {"entering from below", 5, -10, 5, 5, true, 10.0 / 15, 1},
        {"leaving at the top", 5, 5, 5, 20, true, 0, 1.0 / 3},
        {"diagonal through two corners", -10, -10, 20, 20, true, 1.0 / 3, 2.0 / 3},
        {"on the border", 0, -5, 0, 15, true, 0.25, 0.75},
        {"touching a corner", -5, 5, 5, -5, true, 0.5, 0.5},
        {"a point inside", 3, 3, 3, 3, true, 0, 1},
        {"a point outside", 11, 3, 11, 3, false, 0, 0},
        {"parallel outside", -1, -5, -1, 15, false, 0, 0},
        {"short of the box", -10, 5, -1, 5, false, 0, 0},
        {"cutting a corner", -5, 6, 6, -5, true, 5.0 / 11, 6.0 / 11},
        {"missing a corner", -5, 3, 3, -5, false, 0, 0},
    };
    for (auto const& c : cases) {
        INFO(c.what);
        auto const r = geo::clip_segment(c.ax, c.ay, c.bx, c.by, box);
        REQUIRE(r.has_value() == c.meets);
        if (!r) continue;
        CHECK(r->t0 == Approx(c.t0));
        CHECK(r->t1 == Approx(c.t1));
        CHECK(r->t0 <= r->t1);
    }
}

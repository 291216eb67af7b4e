#pragma once
// Where a label may go when its own spot is taken: the other sides of its
// point, or other spots inside its area. Used for labels whose text the style
// requires (text-optional false), so a capital or a country keeps its name
// beside the sites fanned over it instead of losing it.
#include "sahelmap/core/geometry.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace sahelmap::render::detail {

/// Centres for a w × h text box around a point symbol at (x, y) whose text
/// first went at (first_x, first_y): above, below, beside and at the corners
/// of the point, `clear` px from it and then further out by steps of `step`
/// px (five rings, clear of the widest fan of sites at one place). The first
/// spot is not repeated.
std::vector<Projected> point_label_spots(double x, double y, double first_x, double first_y, double w, double h,
                                         double clear, double step);

/// Centres for a w × h text box in an area whose own anchor is taken, nearest
/// first, kept where the box's centre and both ends of its middle line lie
/// inside `area` (frame pixels through `to_px`).
template <class ToPx> std::vector<Projected> area_label_spots(MultiPolygon<Projected> const& area, Projected anchor_px,
                                                              double w, double h, ToPx const& to_px);

/// Even–odd test of a point against the rings of a polygon (frame pixels).
bool inside_rings(std::vector<std::vector<Projected>> const& rings_px, double x, double y);

template <class ToPx> std::vector<Projected> area_label_spots(MultiPolygon<Projected> const& area, Projected anchor_px,
                                                              double w, double h, ToPx const& to_px)
{
    std::vector<std::vector<std::vector<Projected>>> polys;
    BBox const near{anchor_px.x - 2 * w, anchor_px.y - 8 * h, anchor_px.x + 2 * w, anchor_px.y + 8 * h};
    for (auto const& poly : area.polygons) {
        std::vector<std::vector<Projected>> rings;
        BBox box;
        for (auto const& ring : poly) {
            std::vector<Projected> px;
            px.reserve(ring.size());
            for (auto const& p : ring) {
                px.push_back(to_px(p));
                box.expand(px.back().x, px.back().y);
            }
            rings.push_back(std::move(px));
        }
        if (box.intersects(near)) polys.push_back(std::move(rings));
    }
    auto inside = [&](double x, double y) {
        for (auto const& rings : polys)
            if (inside_rings(rings, x, y)) return true;
        return false;
    };
    // A grid around the anchor, w/8 by h/4 apart out to a text's width and
    // four heights, nearest first: fine enough to slip a name between a
    // capital and the sites around it in a small country.
    std::vector<Projected> out;
    for (int kx = -8; kx <= 8; ++kx)
        for (int ky = -16; ky <= 16; ++ky) {
            if (kx == 0 && ky == 0) continue;
            double const x = anchor_px.x + kx * w / 8, y = anchor_px.y + ky * h / 4;
            if (inside(x, y) && (inside(x - w / 2, y) || inside(x + w / 2, y))) out.push_back({x, y});
        }
    std::stable_sort(out.begin(), out.end(), [&](Projected const& p, Projected const& q) {
        return std::hypot(p.x - anchor_px.x, p.y - anchor_px.y) < std::hypot(q.x - anchor_px.x, q.y - anchor_px.y);
    });
    return out;
}

} // namespace sahelmap::render::detail

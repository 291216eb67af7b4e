#include "sahelmap/geo/simplify.hpp"

#include <cmath>

namespace sahelmap::geo {

namespace {

Projected snap(Projected p, double cell)
{
    return {std::round(p.x / cell) * cell, std::round(p.y / cell) * cell};
}

std::vector<Projected> snap_path(std::vector<Projected> const& in, double cell)
{
    std::vector<Projected> out;
    out.reserve(in.size());
    for (auto const& p : in) {
        auto s = snap(p, cell);
        if (out.empty() || !(out.back() == s)) out.push_back(s);
    }
    return out;
}

} // namespace

Geometry<Projected> snap_to_grid(Geometry<Projected> const& g, double cell)
{
    if (auto const* mp = std::get_if<MultiPoint<Projected>>(&g)) return *mp; // points are not reduced
    if (auto const* ml = std::get_if<MultiLineString<Projected>>(&g)) {
        MultiLineString<Projected> out;
        for (auto const& line : ml->lines) {
            auto s = snap_path(line, cell);
            if (s.size() >= 2) out.lines.push_back(std::move(s));
        }
        return out;
    }
    MultiPolygon<Projected> out;
    for (auto const& poly : std::get<MultiPolygon<Projected>>(g).polygons) {
        Polygon<Projected> p;
        for (auto const& ring : poly) {
            auto s = snap_path(ring, cell);
            // A ring needs three distinct corners plus the closing vertex.
            if (s.size() >= 4) p.push_back(std::move(s));
            else if (p.empty()) break; // exterior collapsed: the holes go with it
        }
        if (!p.empty()) out.polygons.push_back(std::move(p));
    }
    return out;
}

} // namespace sahelmap::geo

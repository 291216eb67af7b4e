// Whether a geometry meets a bbox: exact for points, lines and polygons
// (an edge crosses the box, a vertex lies in it, or the box lies inside a
// polygon), so `bbox` returns the features a map of that box would show.
#include "sahelmap/features/api.hpp"
#include "sahelmap/geo/clip.hpp"

namespace sahelmap::features {

namespace {

bool segment_meets(LonLat a, LonLat b, BBox const& box)
{
    return geo::clip_segment(a.lon, a.lat, b.lon, b.lat, box).has_value();
}

bool line_meets(std::vector<LonLat> const& line, BBox const& box)
{
    if (line.size() == 1) return box.contains(line[0].lon, line[0].lat);
    for (std::size_t i = 1; i < line.size(); ++i)
        if (segment_meets(line[i - 1], line[i], box)) return true;
    return false;
}

bool inside_polygon(double x, double y, Polygon<LonLat> const& poly)
{
    bool inside = false;
    for (auto const& ring : poly)
        for (std::size_t i = 0, j = ring.empty() ? 0 : ring.size() - 1; i < ring.size(); j = i++) {
            auto const& a = ring[i];
            auto const& b = ring[j];
            if ((a.lat > y) != (b.lat > y) && x < (b.lon - a.lon) * (y - a.lat) / (b.lat - a.lat) + a.lon)
                inside = !inside;
        }
    return inside;
}

bool meets(Geometry<LonLat> const& g, BBox const& box)
{
    if (auto const* mp = std::get_if<MultiPoint<LonLat>>(&g)) {
        for (auto const& p : mp->points)
            if (box.contains(p.lon, p.lat)) return true;
        return false;
    }
    if (auto const* ml = std::get_if<MultiLineString<LonLat>>(&g)) {
        for (auto const& l : ml->lines)
            if (line_meets(l, box)) return true;
        return false;
    }
    for (auto const& poly : std::get<MultiPolygon<LonLat>>(g).polygons) {
        for (auto const& ring : poly) {
            if (line_meets(ring, box)) return true;
            // The closing edge, when the ring is stored open.
            if (ring.size() > 1 && segment_meets(ring.back(), ring.front(), box)) return true;
        }
        if (inside_polygon((box.minx + box.maxx) / 2, (box.miny + box.maxy) / 2, poly)) return true;
    }
    return false;
}

} // namespace

bool intersects(Geometry<LonLat> const& g, BBox const& feature_bbox, LonLatBox const& box)
{
    // A box across the antimeridian is two boxes.
    BBox parts[2];
    int n = 0;
    if (box.west <= box.east) {
        parts[n++] = {box.west, box.south, box.east, box.north};
    } else {
        parts[n++] = {box.west, box.south, 180, box.north};
        parts[n++] = {-180, box.south, box.east, box.north};
    }
    for (int i = 0; i < n; ++i)
        if (feature_bbox.intersects(parts[i]) && meets(g, parts[i])) return true;
    return false;
}

} // namespace sahelmap::features

#pragma once
/// Coordinates and geometry as plain value types. Lon/lat and projected
/// coordinates are different types so one cannot be passed for the other.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <variant>
#include <vector>

namespace sahelmap {

/// WGS84 longitude/latitude in degrees (EPSG:4326 in lon/lat order).
struct LonLat {
    double lon = 0;
    double lat = 0;
    friend bool operator==(LonLat const&, LonLat const&) = default;
};

/// Web Mercator metres (EPSG:3857).
struct Mercator {
    double x = 0;
    double y = 0;
    friend bool operator==(Mercator const&, Mercator const&) = default;
};

/// A point in any projected CRS named alongside it (print maps, WMS).
struct Projected {
    double x = 0;
    double y = 0;
    friend bool operator==(Projected const&, Projected const&) = default;
};

/// Axis-aligned box in whatever CRS the context says; empty when min > max.
struct BBox {
    double minx = std::numeric_limits<double>::infinity();
    double miny = std::numeric_limits<double>::infinity();
    double maxx = -std::numeric_limits<double>::infinity();
    double maxy = -std::numeric_limits<double>::infinity();

    bool empty() const noexcept { return minx > maxx || miny > maxy; }
    double width() const noexcept { return maxx - minx; }
    double height() const noexcept { return maxy - miny; }
    void expand(double x, double y) noexcept
    {
        minx = std::min(minx, x);
        miny = std::min(miny, y);
        maxx = std::max(maxx, x);
        maxy = std::max(maxy, y);
    }
    void expand(BBox const& o) noexcept
    {
        minx = std::min(minx, o.minx);
        miny = std::min(miny, o.miny);
        maxx = std::max(maxx, o.maxx);
        maxy = std::max(maxy, o.maxy);
    }
    BBox buffered(double d) const noexcept { return {minx - d, miny - d, maxx + d, maxy + d}; }
    bool intersects(BBox const& o) const noexcept
    {
        return minx <= o.maxx && o.minx <= maxx && miny <= o.maxy && o.miny <= maxy;
    }
    bool contains(double x, double y) const noexcept
    {
        return x >= minx && x <= maxx && y >= miny && y <= maxy;
    }
    friend bool operator==(BBox const&, BBox const&) = default;
};

template <class P> struct MultiPoint {
    std::vector<P> points;
};
template <class P> using LineString = std::vector<P>;
template <class P> struct MultiLineString {
    std::vector<LineString<P>> lines;
};
/// First ring is the exterior, the others are holes.
template <class P> using Polygon = std::vector<std::vector<P>>;
template <class P> struct MultiPolygon {
    std::vector<Polygon<P>> polygons;
};

/// Any geometry a data layer holds; single parts are stored as one-part multis.
template <class P> using Geometry = std::variant<MultiPoint<P>, MultiLineString<P>, MultiPolygon<P>>;

enum class GeometryKind : std::uint8_t { none, point, line, polygon };

template <class P> GeometryKind kind_of(Geometry<P> const& g) noexcept
{
    return static_cast<GeometryKind>(g.index() + 1);
}

namespace detail {
inline void expand_xy(BBox& b, LonLat p) { b.expand(p.lon, p.lat); }
inline void expand_xy(BBox& b, Mercator p) { b.expand(p.x, p.y); }
inline void expand_xy(BBox& b, Projected p) { b.expand(p.x, p.y); }
} // namespace detail

/// Bounding box of a geometry in its own coordinates.
template <class P> BBox bbox_of(Geometry<P> const& g)
{
    BBox b;
    std::visit(
        [&](auto const& geom) {
            using T = std::decay_t<decltype(geom)>;
            if constexpr (std::is_same_v<T, MultiPoint<P>>) {
                for (auto const& p : geom.points) detail::expand_xy(b, p);
            } else if constexpr (std::is_same_v<T, MultiLineString<P>>) {
                for (auto const& l : geom.lines)
                    for (auto const& p : l) detail::expand_xy(b, p);
            } else {
                for (auto const& poly : geom.polygons)
                    if (!poly.empty())
                        for (auto const& p : poly.front()) detail::expand_xy(b, p);
            }
        },
        g);
    return b;
}

} // namespace sahelmap

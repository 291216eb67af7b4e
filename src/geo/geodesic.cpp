#include "sahelmap/geo/geodesic.hpp"

#include <geodesic.h>

#include <cmath>

namespace sahelmap::geo {

namespace {
geod_geodesic const& wgs84()
{
    static geod_geodesic const g = [] {
        geod_geodesic out;
        geod_init(&out, 6378137.0, 1 / 298.257223563);
        return out;
    }();
    return g;
}
} // namespace

double geodesic_distance(LonLat a, LonLat b)
{
    double s12 = 0, azi1 = 0, azi2 = 0;
    geod_inverse(&wgs84(), a.lat, a.lon, b.lat, b.lon, &s12, &azi1, &azi2);
    return s12;
}

double geodesic_azimuth(LonLat a, LonLat b)
{
    double s12 = 0, azi1 = 0, azi2 = 0;
    geod_inverse(&wgs84(), a.lat, a.lon, b.lat, b.lon, &s12, &azi1, &azi2);
    return azi1;
}

LonLat geodesic_destination(LonLat start, double azimuth_deg, double distance_m)
{
    double lat2 = 0, lon2 = 0, azi2 = 0;
    geod_direct(&wgs84(), start.lat, start.lon, azimuth_deg, distance_m, &lat2, &lon2, &azi2);
    return {lon2, lat2};
}

std::vector<LonLat> geodesic_path(LonLat a, LonLat b, double step_m)
{
    geod_geodesicline line;
    geod_inverseline(&line, &wgs84(), a.lat, a.lon, b.lat, b.lon, GEOD_LATITUDE | GEOD_LONGITUDE | GEOD_DISTANCE_IN);
    int const segments = std::max(1, static_cast<int>(std::ceil(line.s13 / step_m)));
    std::vector<LonLat> out;
    out.reserve(static_cast<std::size_t>(segments) + 1);
    for (int i = 0; i <= segments; ++i) {
        double lat = 0, lon = 0;
        geod_position(&line, line.s13 * i / segments, &lat, &lon, nullptr);
        out.push_back({lon, lat});
    }
    out.front() = a;
    out.back() = b;
    return out;
}

} // namespace sahelmap::geo

#pragma once
/// Geodesic computations on the WGS84 ellipsoid (PROJ's geodesic routines).
#include "sahelmap/core/geometry.hpp"

#include <vector>

namespace sahelmap::geo {

/// Shortest distance in metres between two points.
double geodesic_distance(LonLat a, LonLat b);
/// Initial azimuth in degrees clockwise from north from a to b.
double geodesic_azimuth(LonLat a, LonLat b);
/// The point reached from `start` going `distance_m` on `azimuth_deg`.
LonLat geodesic_destination(LonLat start, double azimuth_deg, double distance_m);
/// Points along the geodesic from a to b, ends included, at most `step_m` apart.
std::vector<LonLat> geodesic_path(LonLat a, LonLat b, double step_m);

} // namespace sahelmap::geo

#pragma once
/// Coordinate transforms through PROJ. Every CRS change in sahelmap goes
/// through here; each thread keeps its own PROJ context and transform
/// objects, so one Transform may be used from many threads at once.
#include "sahelmap/core/geometry.hpp"

#include <cstddef>
#include <string>

namespace sahelmap::geo {

/// A transform between two CRSs named as PROJ understands them
/// ("EPSG:4326", "EPSG:32631", "CRS:84", a PROJ string or WKT), always in
/// x = easting/longitude, y = northing/latitude order.
class Transform {
public:
    /// Throws BadRequest naming the CRS when PROJ does not know it.
    Transform(std::string source_crs, std::string target_crs);

    std::string const& source() const noexcept { return m_source; }
    std::string const& target() const noexcept { return m_target; }

    /// Transforms n points in place; points PROJ cannot transform become infinity.
    void apply(double* x, double* y, std::size_t n) const;
    Projected apply(double x, double y) const;
    /// The inverse direction, target → source.
    void apply_inverse(double* x, double* y, std::size_t n) const;
    /// The smallest box holding `box` once transformed (edges densified).
    BBox apply(BBox const& box, int densify = 21) const;

private:
    std::string m_source;
    std::string m_target;
    std::string m_key;
};

/// EPSG:4326 → EPSG:3857 for one point.
Mercator to_mercator(LonLat p);
/// EPSG:3857 → EPSG:4326 for one point.
LonLat to_lonlat(Mercator p);

/// The CRS's human name (e.g. "WGS 84 / UTM zone 31N"); throws BadRequest if unknown.
std::string crs_name(std::string const& crs);
/// True when the CRS's first axis is northing/latitude in its official definition
/// (EPSG:4326 in WMS 1.3.0 uses lat/lon order).
bool crs_is_northing_first(std::string const& crs);
/// True when the CRS is geographic (degrees).
bool crs_is_geographic(std::string const& crs);

} // namespace sahelmap::geo

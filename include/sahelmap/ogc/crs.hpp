#pragma once
/// The coordinate reference systems the OGC services offer, their axis
/// order, and the boxes and zoom levels of requested views.
#include "sahelmap/core/geometry.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace sahelmap::ogc {

/// Every CRS a WMS GetMap accepts, as advertised: EPSG:4326, CRS:84,
/// EPSG:3857 and the UTM zones 28N–33N over the area (EPSG:32628–32633).
std::vector<std::string> const& supported_crs();

/// The advertised spelling of a requested CRS (case-insensitive; the
/// aliases EPSG:900913 and EPSG:102100 read as EPSG:3857), or empty when
/// it is not offered.
std::string normalize_crs(std::string_view crs);

/// Whether a request BBOX in `crs` lists latitude first: EPSG:4326 in WMS
/// 1.3.0 (its official axis order); never in 1.1.1, never for CRS:84.
bool bbox_is_lat_lon(std::string_view crs, bool wms_1_3);

/// Parses "a,b,c,d" into a box in the CRS's x/y (easting/longitude first)
/// order, swapping when the request is lat/lon. Throws
/// ServiceException(InvalidParameterValue) for anything but four numbers
/// with min < max.
BBox parse_bbox(std::string_view text, bool lat_lon);

/// `box` (lon/lat) in `crs`, x/y order, edges densified.
BBox bbox_in(BBox const& lonlat, std::string const& crs);

/// The zoom (Web Mercator tile level, fractional) whose scale matches a view
/// of `extent` in `crs` drawn `width` pixels wide: what style expressions see.
double zoom_for_view(std::string const& crs, BBox const& extent, int width);

} // namespace sahelmap::ogc

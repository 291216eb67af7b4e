#include "sahelmap/ogc/crs.hpp"

#include "sahelmap/geo/projection.hpp"
#include "sahelmap/geo/tile_math.hpp"
#include "sahelmap/ogc/kvp.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace sahelmap::ogc {

std::vector<std::string> const& supported_crs()
{
    static std::vector<std::string> const list{"EPSG:4326",  "CRS:84",     "EPSG:3857",  "EPSG:32628", "EPSG:32629",
                                               "EPSG:32630", "EPSG:32631", "EPSG:32632", "EPSG:32633"};
    return list;
}

std::string normalize_crs(std::string_view crs)
{
    auto const u = upper(crs);
    if (u == "EPSG:900913" || u == "EPSG:102100" || u == "EPSG:102113") return "EPSG:3857";
    for (auto const& c : supported_crs())
        if (c == u) return c;
    return {};
}

bool bbox_is_lat_lon(std::string_view crs, bool wms_1_3)
{
    return wms_1_3 && crs == "EPSG:4326";
}

BBox parse_bbox(std::string_view text, bool lat_lon)
{
    double v[4];
    std::size_t n = 0;
    std::string_view rest = text;
    auto const bad = [&](std::string const& why) {
        return ServiceException("InvalidParameterValue", "BBOX '" + std::string(text.substr(0, 80)) + "' " + why,
                                "BBOX");
    };
    while (true) {
        auto const comma = rest.find(',');
        auto const part = rest.substr(0, comma);
        if (n == 4) throw bad("has more than four values");
        auto const* first = part.data();
        auto const* last = part.data() + part.size();
        auto [ptr, ec] = std::from_chars(first, last, v[n]);
        if (ec != std::errc() || ptr != last || part.empty() || !std::isfinite(v[n]))
            throw bad("is not four comma-separated numbers");
        ++n;
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    if (n != 4) throw bad("is not four comma-separated numbers");
    BBox box = lat_lon ? BBox{v[1], v[0], v[3], v[2]} : BBox{v[0], v[1], v[2], v[3]};
    if (!(box.minx < box.maxx) || !(box.miny < box.maxy)) throw bad("has a minimum not below its maximum");
    return box;
}

BBox bbox_in(BBox const& lonlat, std::string const& crs)
{
    if (crs == "EPSG:4326" || crs == "CRS:84") return lonlat;
    return geo::Transform("EPSG:4326", crs).apply(lonlat);
}

double zoom_for_view(std::string const& crs, BBox const& extent, int width)
{
    double const res = extent.width() / width;
    double const cx = (extent.minx + extent.maxx) / 2;
    double const cy = (extent.miny + extent.maxy) / 2;
    // Measure a short horizontal step at the centre in Web Mercator metres.
    double xs[2] = {cx - 8 * res, cx + 8 * res};
    double ys[2] = {cy, cy};
    if (crs != "EPSG:3857") geo::Transform(crs, "EPSG:3857").apply(xs, ys, 2);
    double const dist = std::hypot(xs[1] - xs[0], ys[1] - ys[0]) / 16;
    if (!std::isfinite(dist) || dist <= 0) return 0;
    return std::clamp(std::log2(geo::meters_per_pixel(0) / dist), 0.0, 24.0);
}

} // namespace sahelmap::ogc

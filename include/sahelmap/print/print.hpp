#pragma once
/// Printable maps: an area, a paper size and a style become a PDF, SVG or PNG
/// page laid out like a cartographer's sheet (title, map frame with
/// graticule, legend, scale bar, north arrow, locator inset, sources). The
/// map itself is drawn by the same Renderer and style as the tiles.
#include "sahelmap/core/date.hpp"
#include "sahelmap/core/geometry.hpp"
#include "sahelmap/service/map_service.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sahelmap::print {

enum class Paper { letter, A4, A3, A2 };
enum class Orientation { landscape, portrait };
enum class Format { pdf, svg, png };

/// Throw BadRequest naming the value when it is not one of the known names.
Paper parse_paper(std::string_view text);
Orientation parse_orientation(std::string_view text);
Format parse_format(std::string_view text);
std::string_view to_string(Paper p) noexcept;
std::string_view to_string(Format f) noexcept;
/// The MIME type of a format (application/pdf, image/svg+xml, image/png).
std::string_view content_type(Format f) noexcept;
/// Paper size in points (1/72 inch), portrait.
std::pair<double, double> paper_size_pt(Paper p) noexcept;

/// A named area: `mali`, `burkina-faso`, `niger`, `aes` (all three) or
/// `liptako-gourma` (the tri-border zone).
struct NamedArea {
    std::string id;
    std::string title; ///< "Mali", "Alliance of Sahel States", ...
    BBox lonlat;
};
/// The names `--area` accepts.
std::vector<std::string> area_names();
/// The area's lon/lat box from the countries layer (plus a margin); throws
/// BadRequest naming the area and the known ones.
NamedArea named_area(FeatureStore const& store, std::string_view name);

/// Parses "W,S,E,N"; throws BadRequest naming what is wrong (count, number, W ≥ E, S ≥ N).
BBox parse_bbox(std::string_view text);

/// Everything a print job needs, as given by the CLI or the query string.
struct PrintRequest {
    std::optional<std::string> area;       ///< a named area, or
    std::optional<BBox> bbox;              ///< a box in `crs`
    std::string crs = "EPSG:4326";         ///< the bbox's CRS
    std::optional<std::string> projection; ///< map projection; chosen for the area when absent
    std::string style = "default";
    Paper paper = Paper::A4;
    Orientation orientation = Orientation::landscape;
    int dpi = 150;
    Format format = Format::pdf;
    std::optional<std::string> title;
    /// The situation's date; the evidence cut-off (MapService::evidence_until) when absent.
    std::optional<Date> time;
    /// A change map between this date and `time` (either order): regions
    /// whose dominant bloc changed, sites opened and closed, in the embedded
    /// change style (`style` is then not used).
    std::optional<Date> compare;
    /// The "printed" timestamp in the margin; empty = now (UTC), or the
    /// SAHELMAP_PRINT_TIME environment variable when set (fixed for tests).
    std::string printed_at;
};

/// Smallest and largest dpi accepted at all (the server may allow less).
inline constexpr int kMinDpi = 36;
inline constexpr int kMaxDpi = 1200;

/// The map projection chosen for a lon/lat box: Lambert conformal conic with
/// standard parallels at 1/6 and 5/6 of the latitude span, centred on the box;
/// Mercator when those parallels lie on both sides of the equator.
struct MapProjection {
    std::string crs;  ///< a PROJ string or the given CRS
    std::string name; ///< for the margin
};
MapProjection choose_projection(BBox const& lonlat);

/// Where everything goes on the page, in points from the top-left corner,
/// and the map's geometry; computed before drawing, so tests can check it.
struct Rect {
    double x = 0, y = 0, w = 0, h = 0;
    double right() const noexcept { return x + w; }
    double bottom() const noexcept { return y + h; }
};
/// One element drawn on the page and the box its drawing takes. `what` is
/// "title", "map" (the frame with its graticule labels), "legend row: ...",
/// "inset", "scale bar", "north arrow" or "notes".
struct PlanItem {
    std::string what;
    Rect at;
};
struct PrintPlan {
    double page_w = 0, page_h = 0; ///< points
    std::string crs;               ///< the map's CRS
    std::string projection_name;
    std::string title, subtitle;
    Date time;                      ///< the situation shown: the request's date, else the evidence cut-off
    std::optional<Date> change_from; ///< a change map: its earlier date (`time` is the later one)
    std::string reporting_notice;   ///< "no reporting after ..." for a date past the cut-off, else empty
    Rect map;                       ///< the map frame
    int map_px_w = 0, map_px_h = 0; ///< the frame in logical pixels (1/96 in)
    BBox extent;                    ///< the frame's extent in the map CRS
    BBox area_lonlat;               ///< the area asked for
    double zoom = 0;                ///< what style expressions see
    LonLat centre;
    double metres_per_pt = 0;     ///< ground distance per point of paper at the centre, east–west
    double scale_denominator = 0; ///< 1 : N at the centre
    double scale_bar_km = 0;      ///< the scale bar's stated length
    double scale_bar_pt = 0;      ///< and its length on paper
    double north_deg = 0;         ///< true north, degrees clockwise from the page's up
    double graticule_step = 1;    ///< degrees
    Rect panel;                   ///< legend, inset, scale bar, north arrow
    Rect title_box, notes_box;
    std::vector<std::string> notes; ///< projection, sources, print time; the reporting notice first when there is one
    int device_w = 0, device_h = 0; ///< PNG pixels
    /// Every element on the page with the extent it is drawn in, so a test
    /// can see that each lies inside the page and none overlaps another.
    std::vector<PlanItem> items;
};

/// Validates the request and lays the page out; throws BadRequest or NotFound.
PrintPlan plan_print(service::MapService const& service, PrintRequest const& request);

/// Progress of a long job: percent done and what is under way.
using Progress = std::function<void(int percent, std::string_view stage)>;

/// Renders the page; returns the file's bytes. Throws BadRequest, NotFound or RenderError.
std::string render_print(service::MapService const& service, PrintRequest const& request,
                         Progress const& progress = {});

} // namespace sahelmap::print

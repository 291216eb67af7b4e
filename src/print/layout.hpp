#pragma once
// The page layout shared by plan_print() and the drawing code.
#include "sahelmap/print/print.hpp"
#include "sahelmap/render/legend.hpp"
#include "sahelmap/render/page_text.hpp"
#include "sahelmap/render/renderer.hpp"

#include <cairo.h>

#include <memory>
#include <string>
#include <vector>

namespace sahelmap::print::detail {

enum class ItemKind { inset, legend_row, scale_north };

/// Something placed in the panel: the locator inset, a legend row, or the
/// scale bar with the north arrow.
struct PanelItem {
    ItemKind kind = ItemKind::legend_row;
    std::size_t row = 0; ///< legend_row: index into Layout::rows
    double height = 0;
    bool keep_with_next = false;
    int group = 0; ///< items of one group (a legend section) stay in one column when they fit
    Rect at;       ///< where it went
};

struct Layout {
    PrintPlan plan;
    std::shared_ptr<render::Renderer const> renderer;
    std::vector<render::LegendRow> rows;
    std::vector<PanelItem> items;
    double column_width = 0;
    BBox inset_extent; ///< the locator's extent in the map CRS
    Rect inset;        ///< and its frame on the page
};

/// The scale bar and north arrow drawn in the panel item `at`: where
/// draw_scale_north puts them and the boxes their drawing takes.
struct ScaleNorth {
    double bar_x = 0, bar_y = 0;     ///< the bar's left end; its labels' top
    double arrow_x = 0, arrow_y = 0; ///< the arrow's pivot
    Rect bar;                        ///< caption, bar, its labels and the ratio
    Rect arrow;                      ///< arrow, "N" and "true north" at any turn
};
ScaleNorth scale_north_geometry(PrintPlan const& p, Rect const& at, cairo_t* measure);
/// The part of a scale_north panel item they are drawn in (below a small gap).
inline Rect scale_north_area(PanelItem const& it)
{
    return {it.at.x, it.at.y + 6, it.at.w, it.at.h - 6};
}
/// The scale bar's caption, labels and ratio, as draw_scale_north writes them.
render::TextStyle scale_caption_style();
render::TextStyle scale_label_style();
std::string scale_ratio_text(PrintPlan const& p);
std::string scale_km_text(double km);

/// Validates the request and lays the page out; `measure` is any context
/// for measuring text. Projects the data into the map's CRS on first use.
Layout make_layout(service::MapService const& service, PrintRequest const& request, cairo_t* measure);

/// The view the page's map is drawn with (the frame's pixels at the request's dpi).
render::View map_view(Layout const& layout, PrintRequest const& request);

/// An icon or label of the map on the page (points), with how much covering
/// it costs: names the style places first (countries, capitals) the most.
struct ClearBox {
    BBox box;
    double weight = 1;
};

/// Where the map's icons and labels are on the page, for what is drawn over
/// the map to keep clear of.
std::vector<ClearBox> map_symbol_boxes(Layout const& layout, render::View const& view);

/// A date as the page writes it for people: "7 December 2026".
std::string long_date(Date d);

/// Page coordinates (points) of a point in the map CRS.
inline Projected to_page(PrintPlan const& p, double x, double y)
{
    double const res = p.extent.width() / p.map.w;
    return {p.map.x + (x - p.extent.minx) / res, p.map.y + (p.extent.maxy - y) / res};
}

} // namespace sahelmap::print::detail

// Lays the page out: validates the request, picks the projection, sizes the
// map frame and the panel (inset, legend, scale bar and north arrow), and
// computes the map's scale and true north at its centre.
#include "layout.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/geo/geodesic.hpp"
#include "sahelmap/geo/projection.hpp"
#include "sahelmap/render/page_text.hpp"
#include "sahelmap/service/legend.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>

namespace sahelmap::print::detail {

namespace {

constexpr double kMargin = 28.35; // 10 mm
constexpr double kTitleH = 48;
constexpr double kGutterX = 26; // room for latitude labels beside the frame
constexpr double kGutterY = 12; // and longitude labels above and below
constexpr double kGap = 12;
constexpr double kColumnW = 150;
constexpr double kColumnGap = 14;
constexpr double kScaleNorthH = 74;
constexpr double kInsetCaptionH = 12;

std::string printed_now()
{
    if (char const* fixed = std::getenv("SAHELMAP_PRINT_TIME"); fixed && *fixed) return fixed;
    auto const t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
    return buf;
}

std::string with_thousands(double v)
{
    auto s = std::to_string(static_cast<long long>(std::llround(v)));
    for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), "\u2009");
    return s;
}

bool geographic_alias(std::string const& crs)
{
    return crs == "EPSG:4326" || crs == "CRS:84" || crs == "OGC:CRS84";
}

BBox area_lonlat(service::MapService const& service, PrintRequest const& r, std::string& title)
{
    if (r.area && r.bbox) throw BadRequest("give either an area or a bbox, not both");
    if (r.area) {
        auto a = named_area(service.store(), *r.area);
        title = a.title;
        return a.lonlat;
    }
    if (!r.bbox)
        throw BadRequest("a bbox (W,S,E,N) or an area name (" + [] {
            std::string k;
            for (auto const& n : area_names()) k += (k.empty() ? "" : ", ") + n;
            return k;
        }() + ") is required");
    auto const& b = *r.bbox;
    if (!(b.minx < b.maxx) || !(b.miny < b.maxy)) throw BadRequest("bbox must have west < east and south < north");
    BBox ll = b;
    if (!geographic_alias(r.crs)) {
        geo::crs_name(r.crs); // BadRequest naming an unknown CRS
        ll = geo::Transform(r.crs, "EPSG:4326").apply(b);
    }
    if (!std::isfinite(ll.minx) || !std::isfinite(ll.maxx) || !std::isfinite(ll.miny) || !std::isfinite(ll.maxy) ||
        ll.minx < -180 || ll.maxx > 180 || ll.miny < -85 || ll.maxy > 85)
        throw BadRequest("bbox lies outside longitude -180…180 and latitude -85…85 once in EPSG:4326");
    if (ll.width() > 120 || ll.height() > 80)
        throw BadRequest("bbox is too large for a printed regional map (over 120° × 80°)");
    char buf[160];
    std::snprintf(buf, sizeof buf, "%.2f°%s to %.2f°%s, %.2f°%s to %.2f°%s", std::fabs(ll.minx),
                  ll.minx < 0 ? "W" : "E", std::fabs(ll.maxx), ll.maxx < 0 ? "W" : "E", std::fabs(ll.miny),
                  ll.miny < 0 ? "S" : "N", std::fabs(ll.maxy), ll.maxy < 0 ? "S" : "N");
    title = std::string("Map of ") + buf;
    return ll;
}

/// Places items in columns of height `h`; returns the number of columns used.
int flow(std::vector<PanelItem>& items, double h, Rect const& panel, double col_w)
{
    int col = 0;
    double y = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i == 0 || items[i].group != items[i - 1].group) {
            double group_h = 0;
            for (std::size_t k = i; k < items.size() && items[k].group == items[i].group; ++k)
                group_h += items[k].height;
            if (y > 0 && y + group_h > h && group_h <= h) {
                ++col;
                y = 0;
            }
        }
        double need = items[i].height;
        if (items[i].keep_with_next && i + 1 < items.size()) need += items[i + 1].height;
        if (y > 0 && y + need > h) {
            ++col;
            y = 0;
        }
        items[i].at = {panel.x + col * (col_w + kColumnGap), panel.y + y, col_w, items[i].height};
        y += items[i].height;
    }
    return col + 1;
}

double nice_below(double v)
{
    double const p = std::pow(10.0, std::floor(std::log10(v)));
    for (double m : {5.0, 2.0, 1.0})
        if (m * p <= v) return m * p;
    return p;
}

Rect box_union(Rect const& a, Rect const& b)
{
    double const x0 = std::min(a.x, b.x), y0 = std::min(a.y, b.y);
    return {x0, y0, std::max(a.right(), b.right()) - x0, std::max(a.bottom(), b.bottom()) - y0};
}

/// The box of `text` drawn with `st` at (x, y) (x by st.align).
Rect text_box(cairo_t* measure, std::string const& text, double x, double y, render::TextStyle const& st)
{
    auto const sz = render::measure_text(measure, text, st);
    double const left = st.align == render::Align::left     ? x
                        : st.align == render::Align::centre ? x - sz.width / 2
                                                            : x - sz.width;
    return {left, y, sz.width, sz.height};
}

} // namespace

std::string long_date(Date d)
{
    static char const* const months[] = {"January", "February", "March",     "April",   "May",      "June",
                                         "July",    "August",   "September", "October", "November", "December"};
    auto const s = d.to_string(); // YYYY-MM-DD
    int const month = std::atoi(s.substr(5, 2).c_str());
    int const day = std::atoi(s.substr(8, 2).c_str());
    if (month < 1 || month > 12) return s;
    return std::to_string(day) + " " + months[month - 1] + " " + s.substr(0, 4);
}

render::TextStyle scale_caption_style()
{
    return {6.8, true, false, 0.2, 0.2, 0.2, render::Align::left, 0};
}

render::TextStyle scale_label_style()
{
    return {6.5, false, false, 0.15, 0.15, 0.15, render::Align::centre, 0};
}

std::string scale_km_text(double km)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", km);
    return buf;
}

std::string scale_ratio_text(PrintPlan const& p)
{
    return "1:" + with_thousands(std::llround(p.scale_denominator / 1000) * 1000.0);
}

ScaleNorth scale_north_geometry(PrintPlan const& p, Rect const& at, cairo_t* measure)
{
    ScaleNorth g;
    g.bar_x = at.x + 4;
    g.bar_y = at.y + 16;
    g.arrow_x = at.right() - 16;
    g.arrow_y = at.y + 38;
    auto label = scale_label_style();
    double const x = g.bar_x, y = g.bar_y;
    Rect bar = text_box(measure, "Scale at the map centre", at.x, at.y + 1, scale_caption_style());
    bar = box_union(bar, {x, y + 9, p.scale_bar_pt, 4.5});
    bar = box_union(bar, text_box(measure, "0", x, y, label));
    bar = box_union(bar, text_box(measure, scale_km_text(p.scale_bar_km / 2), x + p.scale_bar_pt / 2, y, label));
    bar = box_union(bar, text_box(measure, scale_km_text(p.scale_bar_km), x + p.scale_bar_pt, y, label));
    label.align = render::Align::left;
    bar = box_union(bar, text_box(measure, "km", x + p.scale_bar_pt + 6, y + 7, label));
    g.bar = box_union(bar, text_box(measure, scale_ratio_text(p), x, y + 17, label));

    // The arrow and its "N" turned to true north, then the caption below.
    double const t = p.north_deg * M_PI / 180, c = std::cos(t), s = std::sin(t);
    auto const n = render::measure_text(measure, "N", {9, true, false, 0, 0, 0, render::Align::centre, 0});
    std::pair<double, double> const pts[] = {{0, -16},
                                             {6, 10},
                                             {-6, 10},
                                             {0, 5},
                                             {-n.width / 2, -28},
                                             {n.width / 2, -28},
                                             {-n.width / 2, -28 + n.height},
                                             {n.width / 2, -28 + n.height}};
    double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
    for (auto [px, py] : pts) {
        double const rx = g.arrow_x + px * c - py * s, ry = g.arrow_y + px * s + py * c;
        x0 = std::min(x0, rx);
        x1 = std::max(x1, rx);
        y0 = std::min(y0, ry);
        y1 = std::max(y1, ry);
    }
    g.arrow = box_union({x0, y0, x1 - x0, y1 - y0}, text_box(measure, "true north", g.arrow_x, g.arrow_y + 14,
                                                             {5.8, false, true, 0, 0, 0, render::Align::centre, 0}));
    return g;
}

Layout make_layout(service::MapService const& service, PrintRequest const& r, cairo_t* measure)
{
    if (r.dpi < kMinDpi || r.dpi > kMaxDpi)
        throw BadRequest("dpi must be between " + std::to_string(kMinDpi) + " and " + std::to_string(kMaxDpi) +
                         ", not " + std::to_string(r.dpi));
    service.renderer(r.style); // NotFound naming the styles
    if (r.projection) geo::crs_name(*r.projection);
    if (!r.area && !geographic_alias(r.crs)) geo::crs_name(r.crs);

    Layout L;
    auto& p = L.plan;
    std::string area_title;
    p.area_lonlat = area_lonlat(service, r, area_title);
    if (r.projection) {
        p.crs = *r.projection;
        p.projection_name = geo::crs_name(p.crs) + " (" + p.crs + ")";
    } else {
        auto const mp = choose_projection(p.area_lonlat);
        p.crs = mp.crs;
        p.projection_name = mp.name;
    }
    p.time = r.time.value_or(service.evidence_until());
    if (r.compare) {
        auto const span = service::change_span(p.time, *r.compare);
        p.change_from = span.from;
        p.time = span.to;
    }
    p.title = r.title && !r.title->empty() ? *r.title : area_title + (r.compare ? " \u2014 what changed" : "");
    p.reporting_notice = service.reporting_notice(p.time);
    p.subtitle = p.change_from ? "Changes from " + long_date(*p.change_from) + " to " + long_date(p.time)
                               : "Situation on " + long_date(p.time);
    if (!p.reporting_notice.empty()) p.subtitle += " \u2014 " + p.reporting_notice;

    auto [pw, ph] = paper_size_pt(r.paper);
    if (r.orientation == Orientation::landscape) std::swap(pw, ph);
    p.page_w = pw;
    p.page_h = ph;
    double const px_per_pt = r.dpi / 72.0;
    // Whole pixels covering the page, as librsvg and pdftoppm size it.
    p.device_w = static_cast<int>(std::ceil(pw * px_per_pt - 1e-6));
    p.device_h = static_cast<int>(std::ceil(ph * px_per_pt - 1e-6));

    L.renderer =
        p.change_from ? service.change_renderer({*p.change_from, p.time}, p.crs) : service.renderer_in(r.style, p.crs);
    geo::Transform const fwd("EPSG:4326", p.crs);
    BBox const area = fwd.apply(p.area_lonlat);
    if (area.empty() || !std::isfinite(area.width()) || !std::isfinite(area.height()) || area.width() <= 0)
        throw BadRequest("the area cannot be shown in projection " + p.crs.substr(0, 80));

    p.title_box = {kMargin, kMargin, pw - 2 * kMargin, kTitleH};
    std::string const attribution = L.renderer->style().attribution();
    std::string const printed = r.printed_at.empty() ? printed_now() : r.printed_at;

    // The notes need the scale, which needs the frame, which needs the notes'
    // height: their height barely depends on the numbers, so measure with
    // placeholders first.
    auto notes_for = [&](double step, double denominator) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%g", step);
        std::vector<std::string> notes;
        // A reader who sees only the margin still learns the map is not current.
        if (!p.reporting_notice.empty())
            notes.push_back("No reporting after " + service.evidence_until().to_string() +
                            ": the map shows the last reported situation, not one observed on " + p.time.to_string() +
                            ".");
        notes.push_back("Projection: " + p.projection_name + ". Graticule every " + buf +
                        "°. Scale 1:" + with_thousands(denominator) + " at the map centre.");
        notes.push_back("Sources: " + (attribution.empty() ? std::string("sahelmap data") : attribution));
        std::string const shown =
            p.change_from ? "Changes from " + p.change_from->to_string() + " to " + p.time.to_string() +
                                ": a region is coloured when its dominant bloc differs between the two dates; sites "
                                "opened or closed in between are marked. Regions as in force on " +
                                p.time.to_string() + "."
                          : "Situation on " + p.time.to_string() + " (features valid that day).";
        notes.push_back(shown + " Printed " + printed + " by sahelmap, style '" +
                        (p.change_from ? std::string("change") : r.style) + "', " + std::string(to_string(r.paper)) +
                        " at " + std::to_string(r.dpi) + " dpi.");
        return notes;
    };
    render::TextStyle const note_style{6.3, false, false, 0.3, 0.3, 0.3, render::Align::left, pw - 2 * kMargin};
    double notes_h = 4;
    for (auto const& n : notes_for(0.5, 12345678)) notes_h += render::measure_text(measure, n, note_style).height;
    p.notes_box = {kMargin, ph - kMargin - notes_h, pw - 2 * kMargin, notes_h};

    double zoom = 5;
    bool const landscape = pw >= ph;
    for (int iteration = 0; iteration < 3; ++iteration) {
        L.rows = service::legend_rows(L.renderer->style(), std::nullopt, zoom);
        L.items.clear();
        int group = 0;
        L.items.push_back({ItemKind::inset, 0, kColumnW * 0.72 + kInsetCaptionH + 8, false, group, {}});
        for (std::size_t i = 0; i < L.rows.size(); ++i) {
            auto const kind = L.rows[i].kind;
            if (kind == render::LegendRowKind::heading) ++group;
            bool const keep = kind == render::LegendRowKind::heading || kind == render::LegendRowKind::subheading ||
                              kind == render::LegendRowKind::classes_header;
            L.items.push_back({ItemKind::legend_row, i, render::legend_row_height(L.rows[i]), keep, group, {}});
        }
        L.items.push_back({ItemKind::scale_north, 0, kScaleNorthH, false, group + 1, {}});
        double const top = p.title_box.bottom() + 4;
        double const bottom = p.notes_box.y - 6;
        Rect region;
        if (landscape) {
            double const avail_h = bottom - top;
            // Counted at the height the panel gets: counted taller, the last
            // column (the scale bar and north arrow) fell off the page's edge.
            double const panel_h = avail_h - kGutterY;
            int const cols = flow(L.items, panel_h, {0, 0, 0, 0}, kColumnW);
            double const panel_w = cols * kColumnW + (cols - 1) * kColumnGap;
            p.panel = {pw - kMargin - panel_w, top + kGutterY, panel_w, panel_h};
            flow(L.items, p.panel.h, p.panel, kColumnW);
            region = {kMargin, top, p.panel.x - kGap - kMargin, avail_h};
        } else {
            int const cols = std::max(1, static_cast<int>((pw - 2 * kMargin + kColumnGap) / (kColumnW + kColumnGap)));
            // At least the tallest section, so no section is split between columns.
            double h = 100;
            {
                std::map<int, double> group_h;
                for (auto const& it : L.items) h = std::max(h, group_h[it.group] += it.height);
            }
            while (flow(L.items, h, {0, 0, 0, 0}, kColumnW) > cols && h < ph) h += 5;
            double const col_w = (pw - 2 * kMargin - (cols - 1) * kColumnGap) / cols;
            p.panel = {kMargin, bottom - h, pw - 2 * kMargin, h};
            flow(L.items, h, p.panel, col_w);
            region = {kMargin, top, pw - 2 * kMargin, p.panel.y - kGap - top};
        }
        L.column_width = L.items.front().at.w;
        // The frame, in whole logical pixels so the renderer's view is exact.
        double const fw = region.w - 2 * kGutterX, fh = region.h - 2 * kGutterY;
        if (fw < 100 || fh < 100) throw BadRequest("the paper is too small for the map and its legend");
        p.map_px_w = static_cast<int>(std::floor(fw / 0.75));
        p.map_px_h = static_cast<int>(std::floor(fh / 0.75));
        p.map = {region.x + kGutterX + (fw - p.map_px_w * 0.75) / 2, region.y + kGutterY, p.map_px_w * 0.75,
                 p.map_px_h * 0.75};

        // The area fills the frame, centred; the frame's shape decides the rest.
        double const aspect = p.map.w / p.map.h;
        double const cx = (area.minx + area.maxx) / 2, cy = (area.miny + area.maxy) / 2;
        double w = area.width(), h = area.height();
        if (w / h > aspect)
            h = w / aspect;
        else
            w = h * aspect;
        p.extent = {cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2};

        geo::Transform const inv(p.crs, "EPSG:4326");
        auto const c = inv.apply(cx, cy);
        p.centre = {c.x, c.y};
        // Ground distance per map unit east–west across the centre (geodesic).
        double const d = p.extent.width() / 200;
        auto const a = inv.apply(cx - d, cy), b = inv.apply(cx + d, cy);
        double const metres_per_unit = geo::geodesic_distance({a.x, a.y}, {b.x, b.y}) / (2 * d);
        double const units_per_pt = p.extent.width() / p.map.w;
        p.metres_per_pt = metres_per_unit * units_per_pt;
        p.scale_denominator = p.metres_per_pt / (0.0254 / 72);
        double const m_per_px = p.metres_per_pt * 0.75;
        double const new_zoom = std::log2(156543.03392804097 * std::cos(p.centre.lat * M_PI / 180) / m_per_px);
        bool const settled = std::fabs(new_zoom - zoom) < 1e-9;
        zoom = new_zoom;
        if (settled) break;
    }
    p.zoom = zoom;

    // True north: the meridian's direction on the page at the centre.
    {
        auto const c0 = fwd.apply(p.centre.lon, p.centre.lat);
        auto const c1 = fwd.apply(p.centre.lon, p.centre.lat + 0.05);
        p.north_deg = std::atan2(c1.x - c0.x, c1.y - c0.y) * 180 / M_PI;
    }
    double const bar_max_pt = L.column_width - 50;
    p.scale_bar_km = nice_below(bar_max_pt * p.metres_per_pt / 1000);
    p.scale_bar_pt = p.scale_bar_km * 1000 / p.metres_per_pt;

    BBox const shown = geo::Transform(p.crs, "EPSG:4326").apply(p.extent);
    double const span = std::max(shown.width(), shown.height());
    p.graticule_step = 30;
    for (double s : {0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0})
        if (span / s <= 9) {
            p.graticule_step = s;
            break;
        }
    p.notes = notes_for(p.graticule_step, p.scale_denominator);

    // Locator inset: West Africa (and the area, should it reach beyond).
    for (auto& it : L.items)
        if (it.kind == ItemKind::inset)
            L.inset = {it.at.x, it.at.y + kInsetCaptionH, it.at.w, it.at.h - kInsetCaptionH - 8};
    // The map's extent takes at most about a third of the inset's width, so
    // the locator shows where the area lies even for a whole-region map.
    BBox ib = fwd.apply(BBox{-18.5, 3.5, 16.5, 25.5});
    ib.expand(p.extent.buffered(std::max(p.extent.width(), p.extent.height()) * 0.9));
    double const ia = L.inset.w / L.inset.h;
    double const icx = (ib.minx + ib.maxx) / 2, icy = (ib.miny + ib.maxy) / 2;
    double iw = ib.width(), ih = ib.height();
    if (iw / ih > ia)
        ih = iw / ia;
    else
        iw = ih * ia;
    L.inset_extent = {icx - iw / 2, icy - ih / 2, icx + iw / 2, icy + ih / 2};

    // What is drawn where, as drawn: the notes with their final text.
    p.items.push_back({"title", p.title_box});
    p.items.push_back(
        {"map", {p.map.x - kGutterX, p.map.y - kGutterY, p.map.w + 2 * kGutterX, p.map.h + 2 * kGutterY}});
    for (auto const& it : L.items) {
        if (it.kind == ItemKind::inset) p.items.push_back({"inset", it.at});
        if (it.kind == ItemKind::legend_row) p.items.push_back({"legend row: " + L.rows[it.row].label, it.at});
        if (it.kind == ItemKind::scale_north) {
            auto const g = scale_north_geometry(p, scale_north_area(it), measure);
            p.items.push_back({"scale bar", g.bar});
            p.items.push_back({"north arrow", g.arrow});
        }
    }
    double notes_drawn = 4;
    for (std::size_t i = 0; i < p.notes.size(); ++i) {
        render::TextStyle st = note_style;
        st.bold = i == 0 && !p.reporting_notice.empty(); // as draw_page sets the notice apart
        notes_drawn += render::measure_text(measure, p.notes[i], st).height;
    }
    p.items.push_back({"notes", {p.notes_box.x, p.notes_box.y, p.notes_box.w, notes_drawn}});
    return L;
}

} // namespace sahelmap::print::detail

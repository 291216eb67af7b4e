// Named areas, paper names, bbox parsing and the choice of map projection.
#include "sahelmap/core/error.hpp"
#include "sahelmap/print/print.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace sahelmap::print {

namespace {

std::string clip(std::string_view s)
{
    return std::string(s.substr(0, 40));
}

struct AreaDef {
    char const* id;
    char const* title;
    std::vector<char const*> iso3; ///< countries whose union is the area; empty = fixed box
    BBox fixed;
};

std::vector<AreaDef> const& area_defs()
{
    // Liptako-Gourma: the tri-border zone of Mali, Burkina Faso and Niger as
    // the Liptako-Gourma Authority draws it (Gao, Ménaka, Mopti and Tombouctou
    // regions' south, Burkina's Sahel and Nord, Niger's Tillabéri): 2°W–4°E,
    // 12°N–17°N.
    static std::vector<AreaDef> const defs = {
        {"mali", "Mali", {"MLI"}, {}},
        {"burkina-faso", "Burkina Faso", {"BFA"}, {}},
        {"niger", "Niger", {"NER"}, {}},
        {"aes", "Alliance of Sahel States: Mali, Burkina Faso and Niger", {"MLI", "BFA", "NER"}, {}},
        {"liptako-gourma", "Liptako-Gourma tri-border zone", {}, BBox{-2.0, 12.0, 4.0, 17.0}},
    };
    return defs;
}

double parse_number(std::string_view s, char const* what)
{
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    double v = 0;
    auto const* end = s.data() + s.size();
    auto [p, ec] = std::from_chars(s.data(), end, v);
    if (s.empty() || ec != std::errc() || p != end || !std::isfinite(v))
        throw BadRequest(std::string("bbox ") + what + " '" + clip(s) + "' is not a number");
    return v;
}

} // namespace

Paper parse_paper(std::string_view t)
{
    if (t == "A4" || t == "a4") return Paper::A4;
    if (t == "A3" || t == "a3") return Paper::A3;
    if (t == "A2" || t == "a2") return Paper::A2;
    if (t == "letter" || t == "Letter") return Paper::letter;
    throw BadRequest("unknown paper '" + clip(t) + "' (A4, A3, A2 or letter)");
}

Orientation parse_orientation(std::string_view t)
{
    if (t == "landscape") return Orientation::landscape;
    if (t == "portrait") return Orientation::portrait;
    throw BadRequest("unknown orientation '" + clip(t) + "' (landscape or portrait)");
}

Format parse_format(std::string_view t)
{
    if (t == "pdf") return Format::pdf;
    if (t == "svg") return Format::svg;
    if (t == "png") return Format::png;
    throw BadRequest("unknown format '" + clip(t) + "' (pdf, svg or png)");
}

std::string_view to_string(Paper p) noexcept
{
    switch (p) {
    case Paper::letter:
        return "letter";
    case Paper::A4:
        return "A4";
    case Paper::A3:
        return "A3";
    default:
        return "A2";
    }
}

std::string_view to_string(Format f) noexcept
{
    switch (f) {
    case Format::pdf:
        return "pdf";
    case Format::svg:
        return "svg";
    default:
        return "png";
    }
}

std::string_view content_type(Format f) noexcept
{
    switch (f) {
    case Format::pdf:
        return "application/pdf";
    case Format::svg:
        return "image/svg+xml";
    default:
        return "image/png";
    }
}

std::pair<double, double> paper_size_pt(Paper p) noexcept
{
    constexpr double mm = 72.0 / 25.4;
    switch (p) {
    case Paper::letter:
        return {612, 792};
    case Paper::A4:
        return {210 * mm, 297 * mm};
    case Paper::A3:
        return {297 * mm, 420 * mm};
    default:
        return {420 * mm, 594 * mm};
    }
}

std::vector<std::string> area_names()
{
    std::vector<std::string> out;
    for (auto const& d : area_defs()) out.emplace_back(d.id);
    return out;
}

NamedArea named_area(FeatureStore const& store, std::string_view name)
{
    for (auto const& d : area_defs()) {
        if (name != d.id) continue;
        NamedArea a{d.id, d.title, d.fixed};
        if (d.iso3.empty()) return a;
        auto const* countries = store.find("countries");
        if (!countries) throw DataError("the countries layer is missing, so area '" + a.id + "' is unknown");
        int const field = countries->schema.index_of("iso3");
        BBox box;
        for (auto const& f : countries->features) {
            if (field < 0) break;
            auto const* code = std::get_if<std::string>(&f.values[static_cast<std::size_t>(field)].data);
            if (!code) continue;
            for (auto const* want : d.iso3)
                if (*code == want) box.expand(f.bbox);
        }
        if (box.empty())
            throw DataError("the countries layer has no feature with iso3 " + std::string(d.iso3.front()) +
                            " for area '" + a.id + "'");
        // A margin of 6 % of the larger side so the borders do not touch the frame.
        double const m = 0.06 * std::max(box.width(), box.height());
        a.lonlat = box.buffered(m);
        return a;
    }
    std::string known;
    for (auto const& n : area_names()) known += (known.empty() ? "" : ", ") + n;
    throw BadRequest("unknown area '" + clip(name) + "' (areas: " + known + ")");
}

BBox parse_bbox(std::string_view text)
{
    double v[4];
    std::size_t start = 0;
    char const* names[] = {"west", "south", "east", "north"};
    for (int i = 0; i < 4; ++i) {
        auto const comma = text.find(',', start);
        if ((comma == std::string_view::npos) != (i == 3))
            throw BadRequest("bbox '" + clip(text) + "' must be four numbers W,S,E,N");
        v[i] = parse_number(text.substr(start, comma == std::string_view::npos ? text.npos : comma - start), names[i]);
        start = comma + 1;
    }
    if (v[0] >= v[2]) throw BadRequest("bbox west (" + clip(std::to_string(v[0])) + ") must be less than east");
    if (v[1] >= v[3]) throw BadRequest("bbox south (" + clip(std::to_string(v[1])) + ") must be less than north");
    return {v[0], v[1], v[2], v[3]};
}

namespace {
std::string degrees(double v, char pos, char neg)
{
    char buf[32];
    double const a = std::fabs(v);
    if (std::fabs(a - std::round(a)) < 1e-9)
        std::snprintf(buf, sizeof buf, "%.0f°%c", a, v < 0 ? neg : pos);
    else
        std::snprintf(buf, sizeof buf, "%.1f°%c", a, v < 0 ? neg : pos);
    if (a < 1e-9) std::snprintf(buf, sizeof buf, "0°");
    return buf;
}
double half_degree(double v)
{
    return std::round(v * 2) / 2;
}
} // namespace

MapProjection choose_projection(BBox const& ll)
{
    // Rounded to half degrees so nearby requests share one projected copy of
    // the data (MapService keeps them per CRS).
    double const span = ll.height();
    double const lat1 = half_degree(ll.miny + span / 6), lat2 = half_degree(ll.maxy - span / 6);
    double const lat0 = half_degree((ll.miny + ll.maxy) / 2), lon0 = half_degree((ll.minx + ll.maxx) / 2);
    char buf[200];
    MapProjection p;
    if (lat1 <= 0 && lat2 >= 0) {
        // Standard parallels on both sides of the equator make a flat cone
        // (none at all when they mirror each other): a box across the equator
        // is drawn in Mercator, conformal too and true to scale at its middle.
        std::snprintf(buf, sizeof buf, "+proj=merc +lat_ts=%.1f +lon_0=%.1f +datum=WGS84 +units=m +no_defs +type=crs",
                      std::fabs(lat0), lon0);
        p.crs = buf;
        p.name = "Mercator, true scale at " + degrees(std::fabs(lat0), 'N', 'S') + ", central meridian " +
                 degrees(lon0, 'E', 'W') + ", WGS 84";
        return p;
    }
    std::snprintf(buf, sizeof buf,
                  "+proj=lcc +lat_1=%.1f +lat_2=%.1f +lat_0=%.1f +lon_0=%.1f +datum=WGS84 +units=m +no_defs +type=crs",
                  lat1, lat2, lat0, lon0);
    p.crs = buf;
    p.name = "Lambert conformal conic, standard parallels " + degrees(lat1, 'N', 'S') + " and " +
             degrees(lat2, 'N', 'S') + ", central meridian " + degrees(lon0, 'E', 'W') + ", WGS 84";
    return p;
}

} // namespace sahelmap::print

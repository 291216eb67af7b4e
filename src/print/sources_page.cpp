// The list of what a printed map draws, with dates, confidence and sources,
// and the reference numbers that tie the map's sites to it.
#include "sources_page.hpp"

#include "../render/draw.hpp" // feature_passes: the renderer's own test of what a layer draws
#include "sahelmap/render/page_text.hpp"
#include "sahelmap/source/words.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <tuple>

namespace sahelmap::print::detail {

namespace {

constexpr double kMargin = 28.35; // 10 mm, as the map page
constexpr double kColumnGap = 18;
constexpr double kEntryGap = 5;

/// Words for people, not the data's codes, as they read in a list.
std::string worded(std::string const& code)
{
    // The list says what a site is ("town presence": forces in a town),
    // where the legend names the symbol ("Town").
    if (code == "town") return "town presence";
    if (auto const words = source::code_words(code); !words.empty()) return std::string(words);
    std::string out = code;
    std::replace(out.begin(), out.end(), '_', ' ');
    return out;
}

std::string text_of(FeatureRef const& ref, std::string_view field)
{
    auto const* v = ref.get(field);
    return v && !v->is_null() ? v->to_string() : std::string();
}

std::vector<std::string> split_sources(std::string const& source)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < source.size()) {
        auto end = source.find("; ", start);
        if (end == std::string::npos) end = source.size();
        auto item = source.substr(start, end - start);
        while (!item.empty() && (item.back() == ' ' || item.back() == ';')) item.pop_back();
        if (!item.empty()) out.push_back(item);
        start = end + 2;
    }
    return out;
}

/// "URL (outlet, date)" → the outlet part and the URL; an item without a
/// URL (the seed document) is all outlet.
std::pair<std::string, std::string> outlet_and_url(std::string const& item)
{
    auto const at = item.find("http");
    if (at == std::string::npos) return {item, {}};
    auto const end = item.find_first_of(" )", at);
    std::string url = item.substr(at, end == std::string::npos ? std::string::npos : end - at);
    std::string rest = item.substr(0, at) + (end == std::string::npos ? "" : item.substr(end));
    auto const open = rest.find('('), close = rest.rfind(')');
    std::string outlet = open != std::string::npos && close != std::string::npos && close > open
                             ? rest.substr(open + 1, close - open - 1)
                             : "";
    return {outlet, url};
}

std::string label_of(ListedFeature const& f)
{
    return (f.layer == "corridors" ? "C" : "") + std::to_string(f.number);
}

struct Box {
    double x0, y0, x1, y1;
    bool meets(Box const& o) const noexcept { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
};

render::TextStyle const kNumberStyle{5.6, true, false, 0.1, 0.1, 0.1, render::Align::left, 0};

} // namespace

std::vector<ListedFeature> listed_features(Layout const& layout)
{
    auto const& plan = layout.plan;
    auto const& style = layout.renderer->style();
    auto const& data = layout.renderer->data();
    std::vector<ListedFeature> out;
    for (char const* name : {"sites", "corridors"}) {
        auto const* layer = data.layer(name);
        if (!layer) continue;
        auto const attrs = layer->attributes(plan.time);
        std::vector<std::uint32_t> candidates;
        layer->query(plan.extent, candidates);
        std::vector<ListedFeature> found;
        for (auto const i : candidates) {
            bool drawn = false, ended = false;
            for (auto const& sl : style.layers()) {
                if (sl.source_layer != name || !sl.visible_at(plan.zoom)) continue;
                if (!render::detail::feature_passes(sl, *attrs, i, plan.zoom, plan.time)) continue;
                drawn = true;
                ended = ended || sl.time_mode == style::TimeMode::ended;
            }
            if (!drawn) continue;
            ListedFeature f;
            if (auto const* points = std::get_if<MultiPoint<Projected>>(&layer->geometry(i))) {
                if (points->points.empty()) continue;
                auto const p = points->points.front();
                if (p.x < plan.extent.minx || p.x > plan.extent.maxx || p.y < plan.extent.miny ||
                    p.y > plan.extent.maxy)
                    continue; // the index matched its box, the frame does not hold it
                f.at = to_page(plan, p.x, p.y);
            }
            auto const ref = attrs->ref(i);
            auto const& validity = attrs->features[i].validity;
            f.layer = name;
            f.name = text_of(ref, "name");
            f.actor = worded(text_of(ref, "actor"));
            f.kind = worded(text_of(ref, std::string_view(name) == "sites" ? "kind" : "mode"));
            f.status = text_of(ref, "status");
            f.confidence = text_of(ref, "confidence");
            // A change map clears the validity to draw every site; the fields keep the dates.
            auto dated = [&](std::optional<Date> d, char const* field) {
                if (!d) d = Date::parse(text_of(ref, field));
                return d ? long_date(*d) : std::string();
            };
            f.from = dated(validity.from, "valid_from");
            f.to = dated(validity.to, "valid_to");
            f.sources = split_sources(text_of(ref, "source"));
            f.ended = ended;
            found.push_back(std::move(f));
        }
        std::stable_sort(found.begin(), found.end(), [](auto const& a, auto const& b) {
            return std::tie(a.name, a.actor) < std::tie(b.name, b.actor);
        });
        int number = 0;
        for (auto& f : found) {
            f.number = ++number;
            out.push_back(std::move(f));
        }
    }
    return out;
}

std::vector<ReferenceNumber> place_reference_numbers(cairo_t* measure, PrintPlan const& plan,
                                                     std::vector<ListedFeature> const& features,
                                                     std::vector<ClearBox> const& keep_clear)
{
    // Sites at one place (Niamey's air base hosts several actors) share a label.
    std::map<std::pair<long, long>, std::string> labels;
    std::map<std::pair<long, long>, Projected> where;
    for (auto const& f : features) {
        if (!f.at) continue;
        std::pair<long, long> const key{std::lround(f.at->x * 2), std::lround(f.at->y * 2)};
        auto& text = labels[key];
        text += (text.empty() ? "" : ", ") + label_of(f);
        where[key] = *f.at;
    }
    std::vector<ReferenceNumber> out;
    std::vector<Box> placed;
    std::vector<std::pair<Box, double>> map_symbols;
    for (auto const& c : keep_clear)
        map_symbols.push_back({{c.box.minx, c.box.miny, c.box.maxx, c.box.maxy}, c.weight});
    Box const frame{plan.map.x, plan.map.y, plan.map.right(), plan.map.bottom()};
    auto const overlap = [](Box const& a, Box const& b) {
        return std::max(0.0, std::min(a.x1, b.x1) - std::max(a.x0, b.x0)) *
               std::max(0.0, std::min(a.y1, b.y1) - std::max(a.y0, b.y0));
    };
    for (auto const& [key, text] : labels) {
        auto const at = where[key];
        auto const size = render::measure_text(measure, text, kNumberStyle);
        double const w = size.width + 2.4, h = size.height + 0.6;
        // North-east first, then the other corners and sides of the symbol,
        // then the same a little farther out; the first that covers nothing
        // wins, else the one that covers the least of the map's names.
        std::vector<Box> candidates;
        for (double const far : {0.0, 5.0, 10.0, 16.0, 24.0}) {
            std::pair<double, double> const offsets[] = {
                {5 + far, -h - 3 - far}, {5 + far, 3 + far},     {-5 - w - far, -h - 3 - far}, {-5 - w - far, 3 + far},
                {7 + far, -h / 2},       {-7 - w - far, -h / 2}, {-w / 2, -h - 7 - far},       {-w / 2, 7 + far}};
            for (auto const& [dx, dy] : offsets) {
                Box const b{at.x + dx, at.y + dy, at.x + dx + w, at.y + dy + h};
                if (b.x0 >= frame.x0 && b.y0 >= frame.y0 && b.x1 <= frame.x1 && b.y1 <= frame.y1)
                    candidates.push_back(b);
            }
        }
        if (candidates.empty()) candidates.push_back({at.x + 5, at.y - h - 3, at.x + 5 + w, at.y - 3});
        auto const cost = [&](Box const& b) {
            double c = 0;
            for (auto const& o : placed) c += 20 * overlap(b, o); // numbers over numbers are unreadable
            for (auto const& [o, weight] : map_symbols) c += weight * overlap(b, o);
            return c;
        };
        Box chosen = candidates.front();
        double best = cost(chosen);
        for (auto const& b : candidates) {
            if (best == 0) break;
            if (double const c = cost(b); c < best) {
                best = c;
                chosen = b;
            }
        }
        placed.push_back(chosen);
        out.push_back({text, BBox{chosen.x0, chosen.y0, chosen.x1, chosen.y1}});
    }
    return out;
}

void draw_reference_numbers(cairo_t* cr, PrintPlan const& plan, std::vector<ReferenceNumber> const& numbers)
{
    cairo_save(cr);
    cairo_rectangle(cr, plan.map.x, plan.map.y, plan.map.w, plan.map.h);
    cairo_clip(cr);
    for (auto const& n : numbers) {
        cairo_rectangle(cr, n.box.minx, n.box.miny, n.box.width(), n.box.height());
        cairo_set_source_rgba(cr, 1, 1, 1, 0.88);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
        cairo_set_line_width(cr, 0.3);
        cairo_stroke(cr);
        render::draw_text(cr, n.text, n.box.minx + 1.2, n.box.miny + 0.3, kNumberStyle);
    }
    cairo_restore(cr);
}

void draw_feature_pages(cairo_t* cr, PrintPlan const& plan, std::vector<ListedFeature> const& features)
{
    double const pw = plan.page_w, ph = plan.page_h;
    int const columns = pw >= 700 ? 3 : 2;
    double const column_w = (pw - 2 * kMargin - (columns - 1) * kColumnGap) / columns;
    render::TextStyle const title{13, true, false, 0.08, 0.08, 0.1, render::Align::left, pw - 2 * kMargin};
    render::TextStyle const intro{7.2, false, false, 0.3, 0.3, 0.3, render::Align::left, pw - 2 * kMargin};
    render::TextStyle const name{7.4, true, false, 0.1, 0.1, 0.1, render::Align::left, column_w - 16};
    render::TextStyle const number{7.4, true, false, 0.55, 0.12, 0.1, render::Align::left, 0};
    render::TextStyle const detail{6.6, false, false, 0.2, 0.2, 0.2, render::Align::left, column_w - 16};
    render::TextStyle const source{6.1, false, false, 0.25, 0.25, 0.25, render::Align::left, column_w - 22};
    render::TextStyle const link{6.1, false, false, 0.12, 0.3, 0.56, render::Align::left, column_w - 22};

    int page = 0;
    double top = 0, y = 0;
    int column = 0;
    auto new_page = [&] {
        cairo_show_page(cr);
        ++page;
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
        double ty = kMargin;
        std::string const heading =
            "Features on this map" + std::string(page > 1 ? " (continued)" : "") + ": " + plan.title;
        ty += render::draw_text(cr, heading, kMargin, ty, title).height + 2;
        std::string text = "Situation on " + long_date(plan.time) +
                           ". Numbers match those beside the sites on the map; C-numbers are the corridors (lines). "
                           "Confidence: high = two or more independent credible reports agree; medium = a single "
                           "credible report, or continuity inferred from one; low = an unsupported claim, partisan "
                           "material or an inferred place or route.";
        if (!plan.reporting_notice.empty()) text += " No reporting after the cut-off: " + plan.reporting_notice + ".";
        ty += render::draw_text(cr, text, kMargin, ty, intro).height + 6;
        cairo_move_to(cr, kMargin, ty);
        cairo_line_to(cr, pw - kMargin, ty);
        cairo_set_source_rgb(cr, 0.55, 0.2, 0.15);
        cairo_set_line_width(cr, 0.8);
        cairo_stroke(cr);
        top = y = ty + 6;
        column = 0;
    };
    new_page();
    if (features.empty()) {
        render::draw_text(cr, "The map draws no site or corridor.", kMargin, y, detail);
        return;
    }

    std::string section;
    for (auto const& f : features) {
        // What the entry says, measured before it is placed so it never splits.
        std::string const what = f.actor + " \u00b7 " + f.kind + (f.status.empty() ? "" : " \u00b7 " + f.status) +
                                 " \u00b7 confidence " + (f.confidence.empty() ? "not given" : f.confidence);
        std::string const when = (f.from.empty() ? std::string("No start reported") : "From " + f.from) +
                                 (f.to.empty() ? ", no end reported" : (f.from.empty() ? ", until " : " to ") + f.to) +
                                 (f.ended ? " (ended before this date; drawn as a grey ghost)" : "");
        std::vector<std::pair<std::string, std::string>> items;
        for (auto const& s : f.sources) items.push_back(outlet_and_url(s));
        std::string const heading = f.layer == "sites" ? "Sites" : "Corridors";
        double height = render::measure_text(cr, f.name, name).height + render::measure_text(cr, what, detail).height +
                        render::measure_text(cr, when, detail).height + kEntryGap;
        for (auto const& [outlet, url] : items)
            height += render::measure_text(cr, outlet.empty() ? url : outlet, source).height +
                      (url.empty() || outlet.empty() ? 0 : render::measure_text(cr, url, link).height);
        if (items.empty()) height += render::measure_text(cr, "no source given", source).height;
        bool const new_section = heading != section;
        double const heading_h = new_section ? 14 : 0;
        if (y + heading_h + height > ph - kMargin) {
            if (++column >= columns) new_page();
            y = top;
        }
        double const x = kMargin + column * (column_w + kColumnGap);
        if (new_section) {
            render::draw_text(cr, heading, x, y, {8.2, true, false, 0.35, 0.1, 0.08, render::Align::left, 0});
            y += heading_h;
            section = heading;
        }
        render::draw_text(cr, label_of(f), x, y, number);
        y += render::draw_text(cr, f.name, x + 16, y, name).height;
        y += render::draw_text(cr, what, x + 16, y, detail).height;
        y += render::draw_text(cr, when, x + 16, y, detail).height;
        for (auto const& [outlet, url] : items) {
            if (!outlet.empty()) y += render::draw_text(cr, outlet, x + 22, y, source).height;
            if (!url.empty()) {
                // In a PDF the URL is a link; the attribute quotes it with ''.
                std::string escaped;
                for (char c : url) {
                    if (c == '\'' || c == '\\') escaped += '\\';
                    escaped += c;
                }
                std::string const attributes = "uri='" + escaped + "'";
                cairo_tag_begin(cr, CAIRO_TAG_LINK, attributes.c_str());
                y += render::draw_text(cr, url, x + 22, y, link).height;
                cairo_tag_end(cr, CAIRO_TAG_LINK);
            }
        }
        if (items.empty()) y += render::draw_text(cr, "no source given", x + 22, y, source).height;
        y += kEntryGap;
    }
}

} // namespace sahelmap::print::detail

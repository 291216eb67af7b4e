// GET /print: the printable map of `sahelmap render`, rendered on the render pool.
#include "handlers.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/core/uri.hpp"
#include "sahelmap/print/print.hpp"

#include <charconv>

namespace sahelmap::server::detail {

namespace {

int parse_dpi(std::string_view text)
{
    int v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || p != text.data() + text.size())
        throw BadRequest("dpi '" + std::string(text.substr(0, 16)) + "' is not a whole number");
    return v;
}

} // namespace

Handled handle_print(Request const&, RouteContext const& context, std::string_view query)
{
    print::PrintRequest req;
    QueryString const q(query);
    if (auto v = q.get("bbox")) req.bbox = print::parse_bbox(*v);
    if (auto v = q.get("area")) req.area = *v;
    if (auto v = q.get("crs")) req.crs = *v;
    if (auto v = q.get("projection")) req.projection = *v;
    if (auto v = q.get("style")) req.style = *v;
    if (auto v = q.get("paper")) req.paper = print::parse_paper(*v);
    if (auto v = q.get("orientation")) req.orientation = print::parse_orientation(*v);
    if (auto v = q.get("dpi")) req.dpi = parse_dpi(*v);
    if (auto v = q.get("format")) req.format = print::parse_format(*v);
    if (auto v = q.get("title")) req.title = *v;
    if (auto v = q.get("time")) req.time = parse_date_parameter(*v);
    if (auto v = q.get("compare")) req.compare = parse_date_parameter(*v, "compare");
    if (!req.bbox && !req.area) throw BadRequest("print needs bbox=W,S,E,N or area=NAME");
    if (req.title && req.title->size() > 200) throw BadRequest("title is longer than 200 bytes");

    // The server's limits: the biggest paper and dpi it renders.
    auto max_paper = print::Paper::A2;
    try {
        max_paper = print::parse_paper(context.options->print_max_paper);
    } catch (BadRequest const&) {
    }
    int const max_dpi = std::min(context.options->print_max_dpi, print::kMaxDpi);
    if (req.paper > max_paper)
        throw BadRequest("paper " + std::string(print::to_string(req.paper)) +
                         " is larger than this server prints (at most " + std::string(print::to_string(max_paper)) +
                         ")");
    if (req.dpi < print::kMinDpi || req.dpi > max_dpi)
        throw BadRequest("dpi must be between " + std::to_string(print::kMinDpi) + " and " + std::to_string(max_dpi) +
                         ", not " + std::to_string(req.dpi));
    context.snapshot->service->renderer(req.style); // 404 for an unknown style before queueing

    // A PNG page is drawn whole in pixels (about 6 bytes each with its
    // encoding, measured); PDF and SVG pages stay vector, the bound's "few".
    auto const [width_pt, height_pt] = print::paper_size_pt(req.paper);
    double const dots_per_pt = req.dpi / 72.0;
    auto const page_pixels = req.format == print::Format::png ? static_cast<std::size_t>(width_pt * dots_per_pt) *
                                                                    static_cast<std::size_t>(height_pt * dots_per_pt)
                                                              : 0;

    WorkJob work(JobKind::heavy, [snapshot = context.snapshot, req]() {
        auto bytes = print::render_print(*snapshot->service, req);
        auto res = make_response(http::status::ok, print::content_type(req.format), std::move(bytes));
        res.set(http::field::content_disposition, "inline; filename=\"sahelmap-" +
                                                      (req.area ? *req.area : std::string("map")) + "." +
                                                      std::string(print::to_string(req.format)) + "\"");
        res.set(http::field::cache_control, "no-store");
        return res;
    });
    work.pixels = page_pixels;
    return work;
}

} // namespace sahelmap::server::detail

#include "sahelmap/cli/render.hpp"

#include "sahelmap/cli/args.hpp"
#include "sahelmap/cli/common.hpp"
#include "sahelmap/print/print.hpp"

#include <chrono>
#include <iostream>
#include <ostream>

namespace sahelmap::cli {

namespace {

constexpr char kHelp[] = R"(usage: sahelmap render (--bbox W,S,E,N | --area NAME) [options] -o FILE

A printable map: title and date, the map in a projection fitted to the area
(Lambert conformal conic unless --projection), graticule with degree labels,
legend built from the style, scale bar true at the map centre, north arrow,
locator inset of West Africa, sources and print time. The map is drawn by the
same renderer and style as the tiles; PDF keeps text as text.

options:
  --bbox W,S,E,N        the area, in --crs
  --crs CRS             CRS of --bbox, any PROJ knows            (default: EPSG:4326)
  --area NAME           mali, burkina-faso, niger, aes (all three) or
                        liptako-gourma (the tri-border zone, 2°W–4°E, 12°N–17°N)
  --projection CRS      map projection (default: Lambert conformal conic fitted to the area)
  --style ID            default, print, influence, overlay, ...  (default: default)
  --paper SIZE          A4, A3, A2 or letter                     (default: A4)
  --orientation O       landscape or portrait                    (default: landscape)
  --dpi N               36 to 1200: PNG resolution, vector detail (default: 150)
  --format F            pdf, svg or png                          (default: from -o's extension; none: pdf)
  --title TEXT          the title (default: the area's name)
  --time YYYY-MM-DD     the situation on that date               (default: the evidence
                        cut-off, the latest dated item of the data; a later date
                        prints "no reporting after" that cut-off)
  --compare YYYY-MM-DD  a change map between this date and --time (either order):
                        regions coloured where the dominant bloc of the influence
                        model changed, sites opened and closed in between marked,
                        with their own legend (--style is then not used)
  --config FILE         data config (default: embedded data)
  -o, --output FILE     where to write ("-" for stdout)

The print time in the margin is the current UTC time, or SAHELMAP_PRINT_TIME
when set (for reproducible output). Large jobs report progress on stderr.
)";

std::string extension_of(std::string const& path)
{
    auto const dot = path.rfind('.');
    if (dot == std::string::npos || path.find('/', dot) != std::string::npos) return {};
    std::string ext = path.substr(dot + 1);
    for (auto& c : ext)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a'); // map.PNG is a PNG
    return ext;
}

} // namespace

int cmd_render(std::vector<std::string> const& argv, std::ostream& out)
{
    Args args("render", argv,
              {{"bbox"},
               {"crs"},
               {"area"},
               {"projection"},
               {"style"},
               {"paper"},
               {"orientation"},
               {"dpi"},
               {"format"},
               {"title"},
               {"time"},
               {"compare"},
               {"config"},
               {"output", true, "o"}});
    if (args.help()) {
        out << kHelp;
        return 0;
    }
    if (!args.positionals().empty()) throw UsageError("sahelmap render takes no arguments, only options (see --help)");
    auto const output = args.get("output");
    if (!output) throw UsageError("sahelmap render needs -o FILE (see --help)");

    print::PrintRequest req;
    if (auto v = args.get("bbox")) req.bbox = print::parse_bbox(*v);
    if (auto v = args.get("area")) req.area = *v;
    if (auto v = args.get("crs")) req.crs = *v;
    if (auto v = args.get("projection")) req.projection = *v;
    if (auto v = args.get("style")) req.style = *v;
    if (auto v = args.get("paper")) req.paper = print::parse_paper(*v);
    if (auto v = args.get("orientation")) req.orientation = print::parse_orientation(*v);
    if (auto v = args.get("dpi")) req.dpi = parse_int(*v, "--dpi");
    if (auto v = args.get("format")) {
        req.format = print::parse_format(*v);
    } else if (auto ext = extension_of(*output); ext == "png" || ext == "svg" || ext == "pdf") {
        req.format = print::parse_format(ext);
    } else if (!ext.empty()) {
        // map.jpg written as a PDF would be a lie in the name.
        throw UsageError("sahelmap render cannot write '" + *output + "': ." + ext +
                         " is not a format it writes (name the file .pdf, .svg or .png, or give --format)");
    }
    if (auto v = args.get("title")) req.title = *v;
    if (auto v = args.get("time")) req.time = parse_date_parameter(*v);
    if (auto v = args.get("compare")) req.compare = parse_date_parameter(*v, "--compare");
    if (req.dpi < print::kMinDpi || req.dpi > print::kMaxDpi)
        throw UsageError("--dpi must be between " + std::to_string(print::kMinDpi) + " and " +
                         std::to_string(print::kMaxDpi) + ", not " + std::to_string(req.dpi));

    auto svc = load_service(args);
    // Validate and measure before any work; large jobs report progress.
    auto const plan = print::plan_print(*svc, req);
    bool const large = static_cast<double>(plan.device_w) * plan.device_h > 12e6;
    auto const start = std::chrono::steady_clock::now();
    print::Progress progress;
    if (large)
        progress = [&](int percent, std::string_view stage) {
            double const s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            std::cerr << "render: " << percent << "% " << stage << " (" << static_cast<int>(s * 10) / 10.0 << " s)\n";
        };
    auto const bytes = print::render_print(*svc, req, progress);
    write_output(*output, bytes, out);
    return 0;
}

} // namespace sahelmap::cli

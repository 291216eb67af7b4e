#include "sahelmap/cli/commands.hpp"

#include "sahelmap/cli/args.hpp"
#include "sahelmap/cli/common.hpp"
#include "sahelmap/cli/export.hpp"
#include "sahelmap/cli/influence.hpp"
#include "sahelmap/cli/render.hpp"
#include "sahelmap/cli/seed.hpp"
#include "sahelmap/cli/serve.hpp"
#include "sahelmap/core/error.hpp"
#include "sahelmap/service/map_service.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>
#include <unistd.h>

namespace sahelmap::cli {

namespace {

constexpr char kMainHelp[] = R"(sahelmap — map tiles and printable maps of the Sahel, as of any date

usage: sahelmap <command> [options]      (sahelmap <command> --help for details)

Maps show the situation on --time; without it, on the evidence cut-off: the
latest dated item of the data (GET /data.json, `sahelmap check`), not today.

commands:
  tile Z X Y -o FILE      render one XYZ tile (PNG), the bytes the server sends
  check                   validate config, data and styles; list layers
  serve                   HTTP service: tiles, vector tiles, WMS, WMTS, OGC API, print
  render -o FILE          printable map (PDF/SVG/PNG) with legend, scale bar, title
  seed --out FILE         pre-render a tile pyramid (PNG or MVT) into MBTiles or
                          PMTiles, whole or one --shard K/N of it
  merge PARTS --out FILE  join the shards of a seed into one MBTiles/PMTiles file
  export --out FILE       every layer into a GeoPackage, styled for QGIS
  influence               per-region influence scores of each bloc at a date

Without --config the embedded default data and styles are used.
)";

constexpr char kTileHelp[] = R"(usage: sahelmap tile Z X Y [options] -o FILE

Renders the XYZ tile Z/X/Y (Web Mercator, y from the north) as PNG: the same
bytes GET /tiles/{style}/{z}/{x}/{y}.png answers.

options:
  --style ID        style id (default: default; see `sahelmap check`)
  --scale 1|2       1 = 256 px, 2 = 512 px (@2x)           (default: 1)
  --time DATE       show the situation on YYYY-MM-DD       (default: the evidence
                    cut-off, the latest dated item of the data; see `check`)
  --config FILE     data and style config (default: embedded data)
  -o, --output FILE where to write the PNG; '-' for standard output
)";

constexpr char kCheckHelp[] = R"(usage: sahelmap check [--config FILE]

Loads the config, every data layer (through GDAL) and every style, checks
that the fonts the styles name are installed and that every field the styles
and the influence model read is in its layer, and lists layers with their
feature counts and extents. Exits 0 when all is well, 1 with one sentence
naming the file, layer or style at fault otherwise.
)";

int cmd_tile(std::vector<std::string> const& argv, std::ostream& out)
{
    Args args("tile", argv, {{"style"}, {"scale"}, {"time"}, {"config"}, {"output", true, "o"}});
    if (args.help()) {
        out << kTileHelp;
        return 0;
    }
    auto const& pos = args.positionals();
    if (pos.size() != 3) throw UsageError("sahelmap tile needs three numbers Z X Y (see --help)");
    auto output = args.get("output");
    if (!output) throw UsageError("sahelmap tile needs -o FILE (or -o - for standard output)");
    TileId const tile = TileId::parse(pos[0], pos[1], pos[2]);
    int const scale = parse_int(args.get_or("scale", "1"), "scale");
    if (scale != 1 && scale != 2) throw UsageError("--scale must be 1 or 2");
    auto const time_text = args.get("time");
    if (time_text) parse_date_parameter(*time_text); // a bad date fails before the data is read
    auto svc = load_service(args);
    Date const time = time_text ? parse_date_parameter(*time_text) : svc->evidence_until();
    write_output(*output, svc->tile_png(args.get_or("style", "default"), tile, scale, time), out);
    return 0;
}

char const* kind_name(GeometryKind k)
{
    switch (k) {
    case GeometryKind::point:
        return "point";
    case GeometryKind::line:
        return "line";
    case GeometryKind::polygon:
        return "polygon";
    default:
        return "table";
    }
}

/// Every ["get", F] under `j` with the property it sits in, and every F a
/// ["has", F] tests (a field the style expects to be absent at times).
void collect_fields(nlohmann::json const& j, std::string const& where,
                    std::vector<std::pair<std::string, std::string>>& gets, std::set<std::string>& tested)
{
    if (j.is_object()) {
        for (auto const& [key, value] : j.items()) collect_fields(value, where + "." + key, gets, tested);
        return;
    }
    if (!j.is_array() || j.empty()) return;
    if (j.size() == 2 && j[0].is_string() && j[1].is_string()) {
        if (j[0] == "get") gets.emplace_back(j[1].get<std::string>(), where);
        if (j[0] == "has") tested.insert(j[1].get<std::string>());
        if (j[0] == "get" || j[0] == "has") return;
    }
    for (auto const& item : j) collect_fields(item, where, gets, tested);
}

/// A field a style reads that its data layer lacks (a config layer from
/// another source, say): the style would draw every feature as if the
/// field were empty, so check refuses it, naming the field and who needs it.
/// The influence model's own fields are checked when it runs (on load).
void check_style_fields(service::MapService const& svc)
{
    std::vector<std::string> problems;
    for (auto const& id : svc.style_ids()) {
        auto const doc = nlohmann::json::parse(svc.renderer(id).style().json(), nullptr, false);
        if (!doc.is_object() || !doc.contains("layers") || !doc["layers"].is_array()) continue;
        auto const& layers = doc["layers"];
        for (std::size_t i = 0; i < layers.size(); ++i) {
            auto const& l = layers[i];
            if (!l.is_object() || !l.contains("source-layer") || !l["source-layer"].is_string()) continue;
            auto const* data = svc.data().layer(l["source-layer"].get<std::string>());
            if (!data) continue; // the style parser already refused an unknown source layer
            std::vector<std::pair<std::string, std::string>> gets;
            std::set<std::string> tested;
            for (char const* part : {"filter", "paint", "layout"})
                if (l.contains(part)) collect_fields(l[part], part, gets, tested);
            std::set<std::string> reported;
            auto const& source = data->source();
            for (auto const& [field, where] : gets) {
                if (source.schema.index_of(field) >= 0 || tested.count(field) || !reported.insert(field).second)
                    continue;
                problems.push_back("layer " + source.name + " (" + source.source + ") has no field '" + field +
                                   "', which style " + id + " needs (layers[" + std::to_string(i) + "] '" +
                                   l.value("id", std::string()) + "', " + where + ")");
            }
        }
    }
    if (problems.empty()) return;
    std::string message = problems.front();
    if (problems.size() > 1)
        message += " (and " + std::to_string(problems.size() - 1) + " more: " + problems[1] +
                   (problems.size() > 2 ? "; ..." : "") + ")";
    throw DataError(message);
}

int cmd_check(std::vector<std::string> const& argv, std::ostream& out)
{
    Args args("check", argv, {{"config"}});
    if (args.help()) {
        out << kCheckHelp;
        return 0;
    }
    if (!args.positionals().empty()) throw UsageError("sahelmap check takes no arguments, only --config FILE");
    auto svc = load_service(args);
    check_style_fields(*svc);
    auto const& cfg = svc->config();
    out << "config: " << (cfg.file.empty() ? "embedded defaults" : cfg.file.string()) << "\n";
    out << "layers:\n";
    char line[512];
    for (auto const& l : svc->store().layers) {
        std::string extent = "-";
        if (!l.extent.empty()) {
            char buf[128];
            std::snprintf(buf, sizeof buf, "%.4f,%.4f,%.4f,%.4f", l.extent.minx, l.extent.miny, l.extent.maxx,
                          l.extent.maxy);
            extent = buf;
        }
        std::snprintf(line, sizeof line, "  %-10s %-8s %6zu features  extent %-40s %s\n", l.name.c_str(),
                      kind_name(l.kind), l.features.size(), extent.c_str(), l.source.c_str());
        out << line;
    }
    out << "styles:\n";
    for (auto const& id : svc->style_ids()) {
        auto const& st = svc->renderer(id).style();
        std::string fonts;
        for (auto const& f : st.fonts()) fonts += (fonts.empty() ? "" : ", ") + f;
        out << "  " << id << ": " << st.layers().size() << " layers, fonts " << (fonts.empty() ? "none" : fonts)
            << " (installed)\n";
    }
    auto const& dates = svc->data().change_dates();
    if (!dates.empty())
        out << "time: the data changes on " << dates.size() << " dates from " << dates.front().to_string() << " to "
            << dates.back().to_string() << "\n";
    out << "evidence until: " << svc->evidence_until().to_string()
        << " (the latest dated item; the default date of every map)\n";
    out << "ok\n";
    return 0;
}

} // namespace

int run(std::vector<std::string> const& args, std::ostream& out, std::ostream& err)
{
    try {
        if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
            out << kMainHelp;
            return args.empty() ? 2 : 0;
        }
        std::string const cmd = args[0];
        std::vector<std::string> const rest(args.begin() + 1, args.end());
        if (cmd == "--version") {
            out << "sahelmap 0.1.0\n";
            return 0;
        }
        if (cmd == "tile") return cmd_tile(rest, out);
        if (cmd == "check") return cmd_check(rest, out);
        if (cmd == "serve") return cmd_serve(rest, out);
        if (cmd == "influence") return cmd_influence(rest, out);
        if (cmd == "render") return cmd_render(rest, out);
        if (cmd == "seed") return cmd_seed(rest, out);
        if (cmd == "merge") return cmd_merge(rest, out);
        if (cmd == "export") return cmd_export(rest, out);
        throw UsageError("unknown command '" + cmd + "' (see sahelmap --help)");
    } catch (UsageError const& e) {
        err << "sahelmap: " << e.what() << "\n";
        return 2;
    } catch (BadRequest const& e) {
        err << "sahelmap: " << e.what() << "\n";
        return 2;
    } catch (NotFound const& e) {
        err << "sahelmap: " << e.what() << "\n";
        return 2;
    } catch (StyleError const& e) {
        err << "sahelmap: " << e.what() << "\n";
        for (auto const& p : e.problems()) err << "  " << p << "\n";
        return 1;
    } catch (Error const& e) {
        err << "sahelmap: " << e.what() << "\n";
        return 1;
    } catch (std::exception const& e) {
        err << "sahelmap: internal error: " << e.what() << "\n";
        return 1;
    }
}

} // namespace sahelmap::cli

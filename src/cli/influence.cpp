#include "sahelmap/cli/influence.hpp"

#include "sahelmap/cli/args.hpp"
#include "sahelmap/influence/export.hpp"
#include "sahelmap/influence/layer.hpp"
#include "sahelmap/influence/model.hpp"
#include "sahelmap/influence/sensitivity.hpp"
#include "sahelmap/service/map_service.hpp"
#include "sahelmap/source/gdal_reader.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <ostream>

namespace sahelmap::cli {

namespace {

constexpr char kHelp[] = R"(usage: sahelmap influence [options]

Scores every region (provinces of Burkina Faso, regions of Mali and Niger)
for each bloc's presence on a date: the area-weighted mean of the bloc's
presence field, which spreads from its active sites and corridors, weighted
by strength, kind, status and confidence (docs/influence.md). A region's
dominant bloc is the highest score above a threshold; "contested" when the
top two are close, "none" when all are low.

options:
  --time DATE        the situation on YYYY-MM-DD                 (default: the evidence
                     cut-off, the latest dated item of the data)
  --compare DATE     add change_<bloc> = score at --time − score at DATE
  --format FORMAT    table, csv, json or geojson                 (default: table)
  --sensitivity      halve and double each weight and radius in turn and list
                     the regions whose dominant bloc changes (a table)
  --config FILE      data config (default: embedded data)
  --params FILE      model parameters (default: embedded config/influence.json)
)";

/// Columns of UTF-8 text (region names have accents): code points, not bytes.
std::size_t display_width(std::string const& s)
{
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string pad(std::string s, std::size_t width)
{
    std::size_t const w = display_width(s);
    if (w < width) s.append(width - w, ' ');
    return s;
}

std::string fixed(double v, char const* format)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, format, v + 0.0);
    return buf;
}

void print_table(influence::InfluenceResult const& at, influence::InfluenceResult const* baseline, Date time,
                 std::optional<Date> compare, std::ostream& out)
{
    std::size_t name_w = 6;
    for (auto const& r : at.regions) name_w = std::max(name_w, display_width(r.name));
    out << "influence on " << time.to_string();
    if (compare) out << ", change since " << compare->to_string();
    out << "\n\n" << pad("region", name_w) << "  country";
    for (auto const& b : at.blocs) out << "  " << pad(b, 8);
    if (baseline)
        for (auto const& b : at.blocs) out << "  " << pad("Δ" + b, 9);
    out << "  dominant\n";
    for (std::size_t r = 0; r < at.regions.size(); ++r) {
        auto const& reg = at.regions[r];
        out << pad(reg.name, name_w) << "  " << pad(reg.iso3, 7);
        for (auto const& s : reg.blocs) out << "  " << pad(fixed(s.score, "%.3f"), 8);
        if (baseline)
            for (std::size_t b = 0; b < reg.blocs.size(); ++b)
                out << "  " << pad(fixed(reg.blocs[b].score - baseline->regions[r].blocs[b].score, "%+.3f"), 9);
        out << "  " << reg.dominant << "\n";
    }
}

void print_sensitivity(std::vector<influence::SensitivityRow> const& rows, Date time, std::string const& params,
                       std::ostream& out)
{
    std::size_t changed = 0;
    std::size_t name_w = 9;
    for (auto const& r : rows) {
        changed += r.changes.empty() ? 0 : 1;
        name_w = std::max(name_w, r.parameter.size());
    }
    out << "sensitivity on " << time.to_string() << " (params: " << params << "): " << changed << " of " << rows.size()
        << " runs change a dominant bloc\n\n";
    out << pad("parameter", name_w) << "  value   factor  regions whose dominant bloc changes\n";
    for (auto const& r : rows) {
        out << pad(r.parameter, name_w) << "  " << pad(fixed(r.value, "%g"), 6) << "  "
            << pad(r.factor < 1 ? "x0.5" : "x2", 6) << "  ";
        if (r.changes.empty()) out << "-";
        for (std::size_t i = 0; i < r.changes.size(); ++i) {
            auto const& c = r.changes[i];
            out << (i ? "; " : "") << c.name << " " << c.before << "→" << c.after;
        }
        out << "\n";
    }
}

} // namespace

int cmd_influence(std::vector<std::string> const& argv, std::ostream& out)
{
    Args args("influence", argv, {{"time"}, {"compare"}, {"format"}, {"sensitivity", false}, {"config"}, {"params"}});
    if (args.help()) {
        out << kHelp;
        return 0;
    }
    if (!args.positionals().empty())
        throw UsageError("sahelmap influence takes no arguments, only options (see --help)");
    std::string const format = args.get_or("format", "table");
    if (format != "table" && format != "csv" && format != "json" && format != "geojson")
        throw UsageError("--format must be table, csv, json or geojson, not '" + format + "'");
    bool const sensitivity = args.has("sensitivity");
    if (sensitivity && (format != "table" || args.has("compare")))
        throw UsageError("--sensitivity prints a table and takes neither --format nor --compare");
    auto const time_text = args.get("time");
    if (time_text) service::parse_time(*time_text); // a bad date fails before the data is read
    std::optional<Date> compare;
    if (auto c = args.get("compare")) compare = service::parse_time(*c);

    auto const config_file = args.get("config");
    auto const config = config_file ? source::Config::load(*config_file) : source::Config::defaults();
    // --params wins over the config's "influence" file, which wins over the embedded defaults.
    auto const params_file = args.get("params");
    auto params = params_file                        ? influence::Params::load(*params_file)
                  : !config.influence_params.empty() ? influence::Params::load(config.influence_params)
                                                     : influence::Params::embedded();
    auto const store = source::load_store(config);
    Date const time = time_text ? service::parse_time(*time_text) : service::default_time(*store);

    if (sensitivity) {
        print_sensitivity(influence::sensitivity(*store, params, time), time, params.source, out);
        return 0;
    }
    auto const model = influence::InfluenceModel::build(*store, std::move(params));
    auto const at = model->compute(time);
    auto const baseline = compare ? model->compute(*compare) : nullptr;
    if (format == "table") {
        print_table(*at, baseline.get(), time, compare, out);
        return 0;
    }
    auto const layer = influence::make_layer(model->grid(), *at, baseline.get());
    if (format == "csv")
        out << influence::to_csv(layer);
    else if (format == "json")
        out << influence::to_json(layer, model->blocs(), time, compare);
    else
        out << influence::to_geojson(layer);
    return 0;
}

} // namespace sahelmap::cli

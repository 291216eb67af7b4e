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

Scores every region in force on a date (Mali's and Niger's regions, Burkina
Faso's 13 regions until 2025-07-01 and 17 from 2025-07-02) for each bloc
(russia, western, turkey). Every row of the record is present with the
probability its confidence gives; a region's score for a bloc is the
strongest presence of the bloc at any point of the region, reported as its
expected value with a 90 % interval, and p_<bloc> is the probability that
the bloc dominates the region (docs/influence.md). dominant is the most
probable outcome: a bloc, "contested" (the top two within the margin) or
"none"; certainty is its probability.

options:
  --time DATE        the situation on YYYY-MM-DD                 (default: the evidence
                     cut-off, the latest dated item of the data)
  --compare DATE     add change_<bloc> = score at --time − score at DATE
  --format FORMAT    table, csv, json or geojson                 (default: table)
  --sensitivity      draw every weight, reach, probability and the threshold
                     together from their documented ranges (params key
                     "sensitivity") and report, per region, how often its
                     dominant outcome changes; table, csv, json or geojson
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
    out << "influence on " << time.to_string() << " (score [90 % interval] probability of dominance)";
    if (compare) out << ", change since " << compare->to_string();
    out << "\n\n" << pad("region", name_w) << "  country";
    for (auto const& b : at.blocs) out << "  " << pad(b, 24);
    if (baseline)
        for (auto const& b : at.blocs) out << "  " << pad("Δ" + b, 9);
    out << "  dominant (certainty)\n";
    for (std::size_t r = 0; r < at.regions.size(); ++r) {
        auto const& reg = at.regions[r];
        if (!reg.validity.contains(time)) continue; // units of another admin layout
        out << pad(reg.name, name_w) << "  " << pad(reg.iso3, 7);
        for (auto const& s : reg.blocs)
            out << "  "
                << pad(fixed(s.score, "%.2f") + " [" + fixed(s.low, "%.2f") + "–" + fixed(s.high, "%.2f") + "] " +
                           fixed(s.p, "%.2f"),
                       24);
        if (baseline)
            for (std::size_t b = 0; b < reg.blocs.size(); ++b)
                out << "  " << pad(fixed(reg.blocs[b].score - baseline->regions[r].blocs[b].score, "%+.3f"), 9);
        out << "  " << reg.dominant << " (" << fixed(reg.certainty, "%.2f") << ")\n";
    }
}

void print_sensitivity(influence::Sensitivity const& s, std::string const& params, std::ostream& out)
{
    std::size_t name_w = 6;
    int changed = 0;
    for (auto const& r : s.regions) {
        name_w = std::max(name_w, display_width(r.name));
        changed += r.changed > 0;
    }
    out << "sensitivity on " << s.time.to_string() << " (params: " << params << "): " << s.runs
        << " parameter sets drawn together; " << changed << " of " << s.regions.size()
        << " regions change dominant outcome in at least one\n\n";
    out << pad("region", name_w) << "  country  " << pad("dominant", 10) << "  changed  outcomes over the runs\n";
    for (auto const& r : s.regions) {
        std::string outcomes;
        for (auto const& [name, n] : r.outcomes)
            outcomes += (outcomes.empty() ? "" : ", ") + name + " " + std::to_string(n);
        out << pad(r.name, name_w) << "  " << pad(r.iso3, 7) << "  " << pad(r.dominant, 10) << "  "
            << pad(fixed(100.0 * r.changed / std::max(1, s.runs), "%.0f") + " %", 7) << "  " << outcomes << "\n";
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
    if (sensitivity && args.has("compare")) throw UsageError("--sensitivity takes no --compare");
    auto const time_text = args.get("time");
    if (time_text) parse_date_parameter(*time_text); // a bad date fails before the data is read
    std::optional<Date> compare;
    if (auto c = args.get("compare")) compare = parse_date_parameter(*c);

    auto const config_file = args.get("config");
    auto const config = config_file ? source::Config::load(*config_file) : source::Config::defaults();
    // --params wins over the config's "influence" file, which wins over the embedded defaults.
    auto const params_file = args.get("params");
    auto params = params_file                        ? influence::Params::load(*params_file)
                  : !config.influence_params.empty() ? influence::Params::load(config.influence_params)
                                                     : influence::Params::embedded();
    auto const store = source::load_store(config);
    Date const time = time_text ? parse_date_parameter(*time_text) : service::default_time(*store);

    if (sensitivity) {
        auto const result = influence::sensitivity(*store, params, time);
        if (format == "table") {
            print_sensitivity(result, params.source, out);
            return 0;
        }
        auto const layer = influence::sensitivity_layer(result);
        if (format == "csv")
            out << influence::to_csv(layer);
        else if (format == "json")
            out << influence::to_json(layer, {}, time, std::nullopt);
        else
            out << influence::to_geojson(layer);
        return 0;
    }
    auto const model = influence::InfluenceModel::build(*store, std::move(params));
    auto const at = model->compute(time);
    auto const baseline = compare ? model->compute(*compare) : nullptr;
    if (format == "table") {
        print_table(*at, baseline.get(), time, compare, out);
        return 0;
    }
    auto const layer = influence::make_layer(model->grid(), *at, baseline.get(), time);
    if (format == "csv")
        out << influence::to_csv(layer);
    else if (format == "json")
        out << influence::to_json(layer, model->blocs(), time, compare);
    else
        out << influence::to_geojson(layer);
    return 0;
}

} // namespace sahelmap::cli

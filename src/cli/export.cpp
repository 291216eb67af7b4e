#include "sahelmap/cli/export.hpp"

#include "sahelmap/cli/args.hpp"
#include "sahelmap/cli/common.hpp"
#include "sahelmap/core/error.hpp"
#include "sahelmap/export/geopackage.hpp"
#include "sahelmap/export/output.hpp"

#include <filesystem>
#include <optional>
#include <ostream>

namespace sahelmap::cli {

namespace {

constexpr char kExportHelp[] = R"(usage: sahelmap export [options] --out FILE.gpkg

Writes every data layer (lon/lat, EPSG:4326, with all attributes and the
original feature ids) and the influence layer as of --time into one
GeoPackage, with a QGIS style for each layer in its layer_styles table (QML
and SLD generated from the MapLibre style, marked as default): QGIS opens
the layers already styled. The same file as GET /download/sahelmap.gpkg.

options:
  --style ID        the style the QGIS styles follow (default: default)
  --time DATE       date of the influence layer, YYYY-MM-DD (default: the
                    evidence cut-off, the latest dated item of the data)
  --config FILE     data and style config (default: embedded data)
  -o, --out FILE    the .gpkg file to write (replaced if it exists)
  --verbose         also list what each QGIS style approximates
)";

} // namespace

int cmd_export(std::vector<std::string> const& argv, std::ostream& out)
{
    Args args("export", argv, {{"style"}, {"time"}, {"config"}, {"out", true, "o"}, {"verbose", false}});
    if (args.help()) {
        out << kExportHelp;
        return 0;
    }
    if (!args.positionals().empty())
        throw UsageError("sahelmap export takes no arguments but '" + args.positionals().front() + "' (see --help)");
    auto const output = args.get("out");
    if (!output || output->empty() || *output == "-")
        throw UsageError("sahelmap export needs --out FILE.gpkg (a file, not standard output)");
    exports::GeoPackageOptions o;
    o.out = *output;
    o.style = args.get_or("style", "default");
    auto const time_text = args.get("time");
    if (time_text) parse_date_parameter(*time_text); // a bad date fails before the data is read
    exports::check_writable(o.out);
    auto svc = load_service(args);
    o.time = time_text ? parse_date_parameter(*time_text) : svc->evidence_until();
    auto const r = exports::write_geopackage(*svc, o);
    out << "export: wrote " << o.out.string() << ": " << r.layers.size() << " layers (";
    for (std::size_t i = 0; i < r.layers.size(); ++i) out << (i ? ", " : "") << r.layers[i];
    out << "), QGIS styles from style " << o.style << ", influence as of " << o.time.to_string() << "\n";
    if (args.has("verbose"))
        for (auto const& n : r.notes) out << "  approximated: " << n << "\n";
    return 0;
}

} // namespace sahelmap::cli

#include "sahelmap/cli/seed.hpp"

#include "sahelmap/cli/args.hpp"
#include "sahelmap/cli/common.hpp"
#include "sahelmap/core/error.hpp"
#include "sahelmap/export/merge.hpp"
#include "sahelmap/export/output.hpp"
#include "sahelmap/export/seed.hpp"

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <ostream>
#include <thread>
#include <unistd.h>

namespace sahelmap::cli {

namespace {

constexpr char kSeedHelp[] = R"(usage: sahelmap seed --zoom MIN-MAX [options] --out FILE.mbtiles|FILE.pmtiles

Pre-renders every tile of zooms MIN to MAX over a lon/lat box into an
MBTiles 1.3 file (SQLite) that QGIS, GDAL and tile servers read, or, for a
.pmtiles name, a PMTiles v3 file that any static host or CDN serves with
range requests (MapLibre reads it through the pmtiles:// protocol). Tiles
with identical bytes (open desert, ocean) are stored once. The file appears
only when complete: a failed or interrupted run leaves nothing behind.

options:
  --zoom MIN-MAX     zoom levels, 0 <= MIN <= MAX <= 20 (a single N means N-N)
  --bbox W,S,E,N     lon/lat box (default: the data's extent, the regions layer)
  --style ID         style of PNG tiles (default: default)
  --format png|mvt   raster PNG tiles (default) or gzipped Mapbox Vector Tiles
  --time DATE        the situation on YYYY-MM-DD (default: the evidence cut-off,
                     the latest dated item of the data)
  --threads N        rendering threads (default: the machine's cores)
  --config FILE      data and style config (default: embedded data)
  --shard K/N        render part K of N of the pyramid (1 <= K <= N), for N
                     workers; `sahelmap merge` joins the N .mbtiles parts into
                     the file one seed would write. Tiles are dealt round
                     robin: the i-th tile (zoom by zoom, rows from the north,
                     west to east) goes to part (i mod N) + 1
  -o, --out FILE     the .mbtiles or .pmtiles file to write (replaced if it exists)

Progress goes to standard error while it is a terminal; a summary line
(tiles, distinct tiles, size, tiles/s) ends every successful run.
)";

constexpr char kMergeHelp[] = R"(usage: sahelmap merge PART.mbtiles... --out FILE.mbtiles|FILE.pmtiles

Joins the parts of a sharded seed (sahelmap seed --shard K/N, one per
worker) into the file a single seed would have written: the same tiles with
the same bytes and the same metadata rows. A .pmtiles name writes PMTiles v3.
The file appears only when complete.

Refuses, with exit code 1 and the files named:
  - parts of different seeds (metadata differ: style, format, zoom range,
    box, date, attribution ...),
  - parts of different shard counts, a part given twice or a part missing,
  - a tile two parts both hold with different bytes.
Whole seeds (no --shard) of the same options merge too, when every tile they
share is equal.

options:
  -o, --out FILE     the file to write (replaced if it exists; not a part)

Progress goes to standard error while it is a terminal; a summary line ends
every successful run.
)";

std::pair<int, int> parse_zoom(std::string const& text)
{
    auto const dash = text.find('-', 1);
    auto bad = [&] { return UsageError("--zoom '" + text + "' is not MIN-MAX with 0 <= MIN <= MAX <= 20"); };
    int lo = 0, hi = 0;
    try {
        if (dash == std::string::npos) {
            lo = hi = parse_int(text, "--zoom");
        } else {
            lo = parse_int(text.substr(0, dash), "--zoom");
            hi = parse_int(text.substr(dash + 1), "--zoom");
        }
    } catch (UsageError const&) {
        throw bad();
    }
    if (lo < 0 || hi > kMaxZoom || lo > hi) throw bad();
    return {lo, hi};
}

BBox parse_bbox(std::string const& text)
{
    double v[4];
    std::size_t pos = 0;
    for (int i = 0; i < 4; ++i) {
        auto const end = text.find(',', pos);
        std::string const part = text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        std::size_t used = 0;
        bool ok = !part.empty();
        try {
            if (ok) v[i] = std::stod(part, &used);
        } catch (std::exception const&) {
            ok = false;
        }
        if (!ok || used != part.size() || !std::isfinite(v[i]) || (i < 3) == (end == std::string::npos))
            throw UsageError("--bbox '" + text + "' is not four numbers W,S,E,N");
        pos = end + 1;
    }
    if (!(v[0] < v[2])) throw UsageError("--bbox '" + text + "' has west >= east");
    if (!(v[1] < v[3])) throw UsageError("--bbox '" + text + "' has south >= north");
    return {v[0], v[1], v[2], v[3]};
}

volatile std::sig_atomic_t g_stop_signal = 0;

extern "C" void on_stop_signal(int sig)
{
    g_stop_signal = sig;
}

std::string human_bytes(std::uintmax_t n)
{
    char buf[32];
    if (n >= 1024 * 1024)
        std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(n) / (1024.0 * 1024.0));
    else
        std::snprintf(buf, sizeof buf, "%.1f kB", static_cast<double>(n) / 1024.0);
    return buf;
}

} // namespace

int cmd_seed(std::vector<std::string> const& argv, std::ostream& out)
{
    Args args(
        "seed", argv,
        {{"zoom"}, {"bbox"}, {"style"}, {"format"}, {"time"}, {"threads"}, {"config"}, {"shard"}, {"out", true, "o"}});
    if (args.help()) {
        out << kSeedHelp;
        return 0;
    }
    if (!args.positionals().empty())
        throw UsageError("sahelmap seed takes no arguments but '" + args.positionals().front() + "' (see --help)");
    auto const zoom = args.get("zoom");
    if (!zoom) throw UsageError("sahelmap seed needs --zoom MIN-MAX (see --help)");
    auto const output = args.get("out");
    if (!output || output->empty() || *output == "-")
        throw UsageError("sahelmap seed needs --out FILE.mbtiles or FILE.pmtiles (a file, not standard output)");

    exports::SeedOptions o;
    o.out = *output;
    std::tie(o.minzoom, o.maxzoom) = parse_zoom(*zoom);
    if (auto b = args.get("bbox")) o.bbox = parse_bbox(*b);
    o.style = args.get_or("style", "default");
    auto const format = args.get_or("format", "png");
    if (format == "png")
        o.format = exports::TileFormat::png;
    else if (format == "mvt" || format == "pbf")
        o.format = exports::TileFormat::mvt;
    else
        throw UsageError("--format '" + format + "' is not png or mvt");
    auto const time_text = args.get("time");
    if (time_text) parse_date_parameter(*time_text); // a bad date fails before the data is read
    o.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    if (auto t = args.get("threads")) {
        o.threads = parse_int(*t, "--threads");
        if (o.threads < 1 || o.threads > 256) throw UsageError("--threads '" + *t + "' must be between 1 and 256");
    }
    if (auto shard = args.get("shard")) {
        auto const slash = shard->find('/');
        auto bad = [&] { return UsageError("--shard '" + *shard + "' is not K/N with 1 <= K <= N"); };
        if (slash == std::string::npos) throw bad();
        try {
            o.shard = parse_int(shard->substr(0, slash), "--shard");
            o.shards = parse_int(shard->substr(slash + 1), "--shard");
        } catch (UsageError const&) {
            throw bad();
        }
        if (o.shards < 1 || o.shards > 100000 || o.shard < 1 || o.shard > o.shards) throw bad();
        if (o.shards > 1 && exports::is_pmtiles_path(o.out))
            throw UsageError("--shard writes .mbtiles parts; merge them into a .pmtiles file with sahelmap merge");
    }
    exports::check_writable(o.out);

    auto svc = load_service(args);
    o.time = time_text ? parse_date_parameter(*time_text) : svc->evidence_until();
    exports::validate(*svc, o); // a bad style or box fails before any file is touched

    bool const tty = ::isatty(STDERR_FILENO) == 1;
    std::string const shard_label =
        o.shards > 1 ? " " + std::to_string(o.shard) + "/" + std::to_string(o.shards) : std::string();
    auto last = std::chrono::steady_clock::now() - std::chrono::seconds(1);
    auto progress = [&](exports::SeedProgress const& p) {
        if (!tty) return;
        auto const now = std::chrono::steady_clock::now();
        if (now - last < std::chrono::milliseconds(250) && p.done < p.total) return;
        last = now;
        double const rate = p.seconds > 0 ? static_cast<double>(p.done) / p.seconds : 0;
        double const eta = rate > 0 ? static_cast<double>(p.total - p.done) / rate : 0;
        std::fprintf(stderr, "\rseed%s: %llu/%llu tiles (%.0f%%), %.0f tiles/s, eta %.0f s   ", shard_label.c_str(),
                     static_cast<unsigned long long>(p.done), static_cast<unsigned long long>(p.total),
                     p.total ? 100.0 * static_cast<double>(p.done) / static_cast<double>(p.total) : 100.0, rate, eta);
        std::fflush(stderr);
    };
    // Ctrl-C or SIGTERM stop the seed cleanly: the temporary file is removed.
    g_stop_signal = 0;
    auto const old_int = std::signal(SIGINT, on_stop_signal);
    auto const old_term = std::signal(SIGTERM, on_stop_signal);
    o.cancelled = [] { return g_stop_signal != 0; };
    exports::SeedResult r;
    try {
        r = exports::seed(*svc, o, progress);
    } catch (...) {
        std::signal(SIGINT, old_int);
        std::signal(SIGTERM, old_term);
        if (tty) std::fprintf(stderr, "\n");
        throw;
    }
    std::signal(SIGINT, old_int);
    std::signal(SIGTERM, old_term);
    if (tty) std::fprintf(stderr, "\n");
    char line[512];
    std::snprintf(line, sizeof line,
                  "seed%s: wrote %s: %llu tiles (%llu distinct), zooms %d-%d, %s, %.1f s, %.0f tiles/s\n",
                  shard_label.c_str(), o.out.c_str(), static_cast<unsigned long long>(r.tiles),
                  static_cast<unsigned long long>(r.distinct), o.minzoom, o.maxzoom, human_bytes(r.bytes).c_str(),
                  r.seconds, r.seconds > 0 ? static_cast<double>(r.tiles) / r.seconds : 0.0);
    out << line;
    return 0;
}

int cmd_merge(std::vector<std::string> const& argv, std::ostream& out)
{
    Args args("merge", argv, {{"out", true, "o"}});
    if (args.help()) {
        out << kMergeHelp;
        return 0;
    }
    auto const output = args.get("out");
    if (!output || output->empty() || *output == "-")
        throw UsageError("sahelmap merge needs --out FILE.mbtiles or FILE.pmtiles (a file, not standard output)");
    if (args.positionals().empty()) throw UsageError("sahelmap merge needs the part files to join (see --help)");
    std::vector<std::filesystem::path> parts(args.positionals().begin(), args.positionals().end());

    bool const tty = ::isatty(STDERR_FILENO) == 1;
    auto last = std::chrono::steady_clock::now() - std::chrono::seconds(1);
    auto progress = [&](exports::MergeProgress const& p) {
        if (!tty) return;
        auto const now = std::chrono::steady_clock::now();
        if (now - last < std::chrono::milliseconds(250) && p.done < p.total) return;
        last = now;
        std::fprintf(stderr, "\rmerge: %llu/%llu tiles (%.0f%%)   ", static_cast<unsigned long long>(p.done),
                     static_cast<unsigned long long>(p.total),
                     p.total ? 100.0 * static_cast<double>(p.done) / static_cast<double>(p.total) : 100.0);
        std::fflush(stderr);
    };
    exports::MergeResult r;
    try {
        r = exports::merge(parts, *output, progress);
    } catch (...) {
        if (tty) std::fprintf(stderr, "\n");
        throw;
    }
    if (tty) std::fprintf(stderr, "\n");
    char line[512];
    std::snprintf(line, sizeof line, "merge: wrote %s: %llu tiles (%llu distinct) from %zu parts, %s, %.1f s\n",
                  output->c_str(), static_cast<unsigned long long>(r.tiles),
                  static_cast<unsigned long long>(r.distinct), parts.size(), human_bytes(r.bytes).c_str(), r.seconds);
    out << line;
    return 0;
}

} // namespace sahelmap::cli

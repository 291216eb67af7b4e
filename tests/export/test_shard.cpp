// `sahelmap seed --shard K/N` and `sahelmap merge`: four parts merged into
// the file one seed writes, read back through sqlite3; parts of different
// seeds, missing or doubled parts and conflicting tiles refused.
#include "helpers.hpp"

#include "sahelmap/export/pmtiles.hpp"
#include "sahelmap/export/seed.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace sahelmap;
using namespace sahelmap::test;

namespace {

/// Every tile as "z/x/row hex-bytes" lines, in address order.
std::string all_tiles(std::filesystem::path const& file)
{
    return sqlite_value(file, "SELECT zoom_level || '/' || tile_column || '/' || tile_row || ' ' || hex(tile_data) "
                              "FROM tiles ORDER BY zoom_level, tile_column, tile_row");
}

std::string all_metadata(std::filesystem::path const& file)
{
    return sqlite_value(file, "SELECT name || '=' || value FROM metadata ORDER BY name");
}

std::string seed_command(std::string const& extra, std::filesystem::path const& out)
{
    return sahelmap_bin() + " seed --zoom 0-6 --time 2025-11-01 --threads 2 " + extra + " --out " +
           shell_quote(out.string());
}

} // namespace

TEST_CASE("shard: PMTiles TileIds follow the Hilbert curves of the reference reader", "[export]")
{
    struct Case {
        int z;
        std::int64_t x, y;
        std::uint64_t id;
    };
    // Values the npm pmtiles package's zxyToTileId gives.
    Case const cases[] = {{0, 0, 0, 0},
                          {1, 0, 0, 1},
                          {1, 0, 1, 2},
                          {1, 1, 1, 3},
                          {1, 1, 0, 4},
                          {2, 3, 1, 17},
                          {5, 17, 12, 1200},
                          {10, 536, 371, 1239492},
                          {12, 2147, 1487, 19831877},
                          {20, 551065, 371972, 1300537317070}};
    for (auto const& c : cases) {
        INFO(c.z << "/" << c.x << "/" << c.y);
        CHECK(exports::pmtiles_tile_id(*TileId::make(c.z, c.x, c.y)) == c.id);
    }
}

TEST_CASE("shard: four parts merged are tile for tile the single seed", "[export]")
{
    require_tool("sqlite3");
    ScratchDir dir("shard-merge");
    auto const whole = dir / "whole.mbtiles";
    auto r = run_command(seed_command("", whole));
    INFO(r.out);
    REQUIRE(r.exit_code == 0);

    std::vector<std::string> parts;
    std::set<std::string> seen;
    std::uint64_t sum = 0, smallest = ~std::uint64_t{0}, largest = 0;
    for (int k = 1; k <= 4; ++k) {
        auto const part = dir / ("part" + std::to_string(k) + ".mbtiles");
        auto pr = run_command(seed_command("--shard " + std::to_string(k) + "/4", part));
        INFO(pr.out);
        REQUIRE(pr.exit_code == 0);
        CHECK(pr.out.find("seed " + std::to_string(k) + "/4: wrote") != std::string::npos);
        CHECK(sqlite_value(part, "SELECT value FROM metadata WHERE name='sahelmap_shard'") == std::to_string(k) + "/4");
        std::uint64_t const count = std::stoull(sqlite_value(part, "SELECT count(*) FROM tiles"));
        sum += count;
        smallest = std::min(smallest, count);
        largest = std::max(largest, count);
        // Disjoint: no address is in two parts.
        auto const addresses =
            sqlite_value(part, "SELECT zoom_level || '/' || tile_column || '/' || tile_row FROM tiles");
        std::size_t start = 0;
        while (start < addresses.size()) {
            auto const end = addresses.find('\n', start);
            CHECK(seen.insert(addresses.substr(start, end - start)).second);
            start = end == std::string::npos ? addresses.size() : end + 1;
        }
        parts.push_back(shell_quote(part.string()));
    }
    auto const total = std::stoull(sqlite_value(whole, "SELECT count(*) FROM tiles"));
    CHECK(sum == total);
    CHECK(largest - smallest <= 1); // round robin: the parts' shares differ by one tile at most
    CHECK(total > 40);

    auto const merged = dir / "merged.mbtiles";
    // Given in any order.
    auto m = run_command(sahelmap_bin() + " merge " + parts[2] + " " + parts[0] + " " + parts[3] + " " + parts[1] +
                         " --out " + shell_quote(merged.string()));
    INFO(m.out);
    REQUIRE(m.exit_code == 0);
    CHECK(m.out.find("merge: wrote") != std::string::npos);
    CHECK(count_lines(m.out) == 1);
    CHECK(all_tiles(merged) == all_tiles(whole));
    CHECK(all_metadata(merged) == all_metadata(whole));
    CHECK(sqlite_value(merged, "SELECT count(*) FROM images") == sqlite_value(whole, "SELECT count(*) FROM images"));
    CHECK(sqlite_value(merged, "SELECT count(*) FROM metadata WHERE name='sahelmap_shard'") == "0");
}

TEST_CASE("shard: merge refuses parts of different seeds missing doubled or conflicting parts", "[export]")
{
    require_tool("sqlite3");
    ScratchDir dir("shard-refuse");
    auto const scratch = dir / "parts";
    std::filesystem::create_directories(scratch);
    auto seed = [&](std::string const& name, std::string const& options) {
        auto const path = scratch / name;
        auto r = run_command(sahelmap_bin() + " seed --time 2025-11-01 --threads 2 " + options + " --out " +
                             shell_quote(path.string()));
        INFO(r.out);
        REQUIRE(r.exit_code == 0);
        return shell_quote(path.string());
    };
    auto const a1 = seed("a1.mbtiles", "--zoom 0-3 --shard 1/2");
    auto const a2 = seed("a2.mbtiles", "--zoom 0-3 --shard 2/2");
    auto const z4 = seed("z4.mbtiles", "--zoom 0-4 --shard 2/2");
    auto const overlay = seed("overlay.mbtiles", "--zoom 0-3 --style overlay --shard 2/2");
    auto const b3 = seed("b3.mbtiles", "--zoom 0-3 --shard 3/3");
    auto const whole = seed("whole.mbtiles", "--zoom 0-3");
    // A copy of the whole seed with one tile's bytes changed: same metadata, a conflicting tile.
    auto const changed = scratch / "changed.mbtiles";
    std::filesystem::copy_file(scratch / "whole.mbtiles", changed);
    sqlite_value(changed, "UPDATE images SET tile_data = x'89504E47' WHERE rowid = 1");
    auto const out = dir / "out";
    std::filesystem::create_directories(out);
    auto const target = shell_quote((out / "all.mbtiles").string());

    check_refusals("merge",
                   {
                       {a1 + " " + z4 + " --out " + target, 1, "not parts of the same seed: metadata 'center'"},
                       {a1 + " " + overlay + " --out " + target, 1, "not parts of the same seed"},
                       {a1 + " " + b3 + " --out " + target, 1, "not the same sharding"},
                       {a1 + " --out " + target, 1, "missing: 2/2"},
                       {a1 + " " + a1 + " " + a2 + " --out " + target, 1, "given twice"},
                       {a1 + " " + whole + " --out " + target, 1, "whole seed"},
                       {whole + " " + shell_quote(changed.string()) + " --out " + target, 1, "differs between"},
                       {shell_quote((scratch / "none.mbtiles").string()) + " --out " + target, 1, "none.mbtiles"},
                       {"--out " + target, 2, "part files"},
                       {a1 + " " + a2, 2, "--out"},
                   },
                   out);
    // The same whole seed twice is one seed: every shared tile is equal.
    auto ok = run_command(sahelmap_bin() + " merge " + whole + " " + whole + " --out " + target);
    INFO(ok.out);
    CHECK(ok.exit_code == 0);
    auto help = run_command(sahelmap_bin() + " merge --help");
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("--shard K/N") != std::string::npos);
    // A sharded seed cannot go straight to one .pmtiles file.
    auto pm =
        run_command(sahelmap_bin() + " seed --zoom 0-2 --shard 1/2 --out " + shell_quote((out / "p.pmtiles").string()));
    CHECK(pm.exit_code == 2);
    CHECK(pm.out.find("merge") != std::string::npos);
}

// `sahelmap seed`: MBTiles files read back by gdalinfo, gdal_translate,
// ogrinfo and sqlite3; bad parameters refused with nothing written.
#include "helpers.hpp"
#include "support/fixture.hpp"

#include "sahelmap/export/seed.hpp"

#include <catch2/catch.hpp>

using namespace sahelmap;
using namespace sahelmap::test;

namespace {

std::string hex(std::string const& bytes)
{
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : bytes) {
        out += kDigits[c >> 4];
        out += kDigits[c & 15];
    }
    return out;
}

Date const kTime = *Date::parse("2025-11-01");

} // namespace

TEST_CASE("seed: tile ranges over a box, table-driven", "[export]")
{
    struct Case {
        BBox box;
        int minzoom, maxzoom;
        std::uint64_t tiles;
    };
    Case const cases[] = {
        {{-180, -85.0511, 180, 85.0511}, 0, 2, 1 + 4 + 16}, // the whole world
        {{0, 0, 10, 10}, 1, 1, 1},                          // one quadrant
        {{-1, -1, 1, 1}, 1, 1, 4},                          // straddles the origin
        {{0, 0, 90, 66.5}, 2, 2, 1},                        // edges exactly on tile edges add nothing
        {{-12.26, 9.39, 15.97, 25.0}, 5, 5, 4 * 3},         // the Sahel at z5: columns 14-17, rows 13-15
    };
    for (auto const& c : cases) {
        INFO(c.box.minx << "," << c.box.miny << "," << c.box.maxx << "," << c.box.maxy << " z" << c.minzoom << "-"
                        << c.maxzoom);
        CHECK(exports::count_tiles(c.box, c.minzoom, c.maxzoom) == c.tiles);
    }
}

TEST_CASE("seed: a PNG pyramid GDAL reads, with the server's bytes at TMS rows", "[export]")
{
    require_tool("gdalinfo");
    require_tool("sqlite3");
    ScratchDir dir("seed-png");
    auto const out = dir / "sahel.mbtiles";
    auto r = run_command(sahelmap_bin() + " seed --zoom 0-4 --time 2025-11-01 --threads 2 --out " + out.string());
    INFO(r.out);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("seed: wrote") != std::string::npos); // the one summary line, no progress off a TTY
    CHECK(count_lines(r.out) == 1);
    CHECK(count_files(dir.path()) == 1); // no temporary left beside it

    auto const& svc = default_service();
    auto const bounds = exports::default_bounds(svc);
    auto const expected_tiles = exports::count_tiles(bounds, 0, 4);
    CHECK(sqlite_value(out, "SELECT count(*) FROM tiles") == std::to_string(expected_tiles));
    CHECK(sqlite_value(out, "SELECT value FROM metadata WHERE name='format'") == "png");
    CHECK(sqlite_value(out, "SELECT value FROM metadata WHERE name='minzoom'") == "0");
    CHECK(sqlite_value(out, "SELECT value FROM metadata WHERE name='maxzoom'") == "4");
    CHECK(sqlite_value(out, "SELECT value FROM metadata WHERE name='type'") == "baselayer");
    CHECK(sqlite_value(out, "SELECT value FROM metadata WHERE name='bounds'") ==
          "-12.264130,9.391882,15.970322,24.995065");
    CHECK(sqlite_value(out, "SELECT count(*) FROM metadata WHERE name IN ('name','center','version','description',"
                            "'attribution') AND value <> ''") == "5");
    // XYZ 4/7/7 is stored at TMS row 2^4-1-7 = 8, byte for byte what the server sends.
    auto const tile = svc.tile_png("default", *TileId::make(4, 7, 7), 1, kTime);
    CHECK(sqlite_value(out, "SELECT hex(tile_data) FROM tiles WHERE zoom_level=4 AND tile_column=7 AND tile_row=8") ==
          hex(tile));

    auto info = run_command("gdalinfo " + out.string());
    INFO(info.out);
    REQUIRE(info.exit_code == 0);
    CHECK(info.out.find("Driver: MBTiles/MBTiles") != std::string::npos);
    CHECK(info.out.find("ZOOM_LEVEL=4") != std::string::npos);
    CHECK(info.out.find("Pseudo-Mercator") != std::string::npos);
    CHECK(info.out.find("Band 4") != std::string::npos);
    CHECK(info.out.find("Overviews:") != std::string::npos);

    // GDAL decodes the mosaic: the Sahel is drawn (varied, opaque pixels).
    auto const png = dir / "mosaic.tif";
    REQUIRE(run_command("gdal_translate -q " + out.string() + " " + png.string()).exit_code == 0);
    auto stats = run_command("gdalinfo -stats " + png.string());
    INFO(stats.out);
    auto const at = stats.out.find("Band 1");
    REQUIRE(at != std::string::npos);
    auto const stddev = stats.out.find("StdDev=", at);
    REQUIRE(stddev != std::string::npos);
    CHECK(std::stod(stats.out.substr(stddev + 7)) > 10);
}

TEST_CASE("seed: identical tiles (open ocean) are stored once", "[export]")
{
    require_tool("sqlite3");
    ScratchDir dir("seed-dedupe");
    auto const out = dir / "ocean.mbtiles";
    auto r = run_command(sahelmap_bin() + " seed --zoom 6 --bbox -40,-10,-30,0 --time 2025-11-01 -o " + out.string());
    INFO(r.out);
    REQUIRE(r.exit_code == 0);
    auto const tiles = std::stoi(sqlite_value(out, "SELECT count(*) FROM tiles"));
    CHECK(tiles == static_cast<int>(exports::count_tiles({-40, -10, -30, 0}, 6, 6)));
    CHECK(tiles > 4);
    CHECK(sqlite_value(out, "SELECT count(*) FROM images") == "1");
    CHECK(r.out.find("(1 distinct)") != std::string::npos);
}

TEST_CASE("seed: bad parameters give one sentence, the right exit code and no file", "[export]")
{
    ScratchDir dir("seed-bad");
    auto const out = (dir / "x.mbtiles").string();
    check_refusals("seed",
                   {
                       {"--zoom 5-3 --out " + out, 2, "--zoom '5-3'"},
                       {"--zoom 0-21 --out " + out, 2, "--zoom '0-21'"},
                       {"--zoom a-b --out " + out, 2, "--zoom 'a-b'"},
                       {"--out " + out, 2, "--zoom"},
                       {"--zoom 0-2", 2, "--out"},
                       {"--zoom 0-2 --bbox 10,0,5,5 --out " + out, 2, "west >= east"},
                       {"--zoom 0-2 --bbox 0,5,10,1 --out " + out, 2, "south >= north"},
                       {"--zoom 0-2 --bbox 1,2,3 --out " + out, 2, "--bbox '1,2,3'"},
                       {"--zoom 0-2 --bbox -190,0,10,10 --out " + out, 2, "--bbox -190,0,10,10"},
                       {"--zoom 0-2 --style nope --out " + out, 2, "nope"},
                       {"--zoom 0-2 --format jpeg --out " + out, 2, "--format 'jpeg'"},
                       {"--zoom 0-2 --time 2025-02-30 --out " + out, 2, "2025-02-30"},
                       {"--zoom 0-2 --threads 0 --out " + out, 2, "--threads '0'"},
                       {"--zoom 0-2 extra --out " + out, 2, "'extra'"},
                       {"--zoom 0-2 --out " + (dir / "missing" / "x.mbtiles").string(), 1,
                        (dir / "missing" / "x.mbtiles").string()},
                       {"--zoom 0-2 --out " + dir.path().string(), 1, dir.path().string()},
                   },
                   dir.path());
    auto help = run_command(sahelmap_bin() + " seed --help");
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("--zoom MIN-MAX") != std::string::npos);
    CHECK(help.out.find("--format png|mvt") != std::string::npos);
}

TEST_CASE("seed: a failed seed leaves an existing file untouched", "[export]")
{
    ScratchDir dir("seed-keep");
    auto const out = dir / "keep.mbtiles";
    write_text(out, "previous");
    auto r = run_command(sahelmap_bin() + " seed --zoom 0-1 --style nope --out " + out.string());
    CHECK(r.exit_code == 2);
    CHECK(read_bytes(out) == "previous");
    CHECK(count_files(dir.path()) == 1);
}

TEST_CASE("seed: an MVT pyramid ogrinfo reads, gzipped, with vector_layers", "[export][mvt]")
{
    require_tool("ogrinfo");
    require_tool("sqlite3");
    ScratchDir dir("seed-mvt");
    auto const out = dir / "vector.mbtiles";
    auto r = run_command(sahelmap_bin() + " seed --format mvt --zoom 0-3 --time 2025-11-01 --out " + out.string());
    INFO(r.out);
    REQUIRE(r.exit_code == 0);
    CHECK(sqlite_value(out, "SELECT value FROM metadata WHERE name='format'") == "pbf");
    auto const meta = nlohmann::json::parse(sqlite_value(out, "SELECT value FROM metadata WHERE name='json'"));
    std::vector<std::string> ids;
    for (auto const& l : meta.at("vector_layers")) ids.push_back(l.at("id").get<std::string>());
    for (char const* layer : {"countries", "regions", "sites", "influence"})
        CHECK(std::find(ids.begin(), ids.end(), layer) != ids.end());
    // Stored gzipped, as the MBTiles 1.3 spec asks.
    CHECK(sqlite_value(out, "SELECT hex(substr(tile_data, 1, 2)) FROM tiles LIMIT 1") == "1F8B");

    auto info = run_command("ogrinfo -ro -so " + out.string() + " -oo ZOOM_LEVEL=3");
    INFO(info.out);
    REQUIRE(info.exit_code == 0);
    CHECK(info.out.find("MBTiles") != std::string::npos);
    CHECK(info.out.find("countries") != std::string::npos);
    CHECK(info.out.find("regions") != std::string::npos);
    auto sites = run_command("ogrinfo -ro -so " + out.string() + " -oo ZOOM_LEVEL=3 sites");
    INFO(sites.out);
    CHECK(sites.out.find("Feature Count: 0") == std::string::npos);
}

TEST_CASE("seed: SIGTERM mid-way stops cleanly and leaves no file", "[export]")
{
    ScratchDir dir("seed-term");
    auto const out = dir / "big.mbtiles";
    // z0-13 over the Sahel is some 80 000 tiles: far from done when its
    // temporary file appears beside the output, which is when the seed is
    // under way with its stop handler set. Polled, not slept: a fixed delay
    // may end before the seed starts writing (then nothing is tested) or
    // after it is done on a fast machine.
    auto const script = sahelmap_bin() + " seed --zoom 0-13 --out " + out.string() + " & pid=$!; " +
                        "for i in $(seq 1 1200); do [ -n \"$(ls -A " + dir.path().string() +
                        ")\" ] && { echo writing; break; }; sleep 0.05; done; " +
                        "kill -TERM $pid; wait $pid; echo exit=$?";
    auto r = run_command("bash -c " + shell_quote(script));
    INFO(r.out);
    REQUIRE(r.out.find("writing") != std::string::npos); // stopped mid-way, not before it began
    CHECK(r.out.find("exit=0") == std::string::npos);
    CHECK(r.out.find("exit=") != std::string::npos);
    CHECK(count_files(dir.path()) == 0);
}

// Config "reload" (issue 16 item 4): the key parses with its defaults, bad
// values are refused with the key named, and the version query reads the
// first column of the first row through GDAL (a GeoPackage stands in for
// PostGIS here; tests/cluster/shared_source.py runs it against PostgreSQL).
#include "sahelmap/core/error.hpp"
#include "sahelmap/source/config.hpp"
#include "sahelmap/source/data_version.hpp"
#include "support/files.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace sahelmap;
using sahelmap::test::ScratchDir;
using sahelmap::test::write_text;

TEST_CASE("source: config reload watch keys and their defaults", "[source][config][reload]")
{
    ScratchDir dir("reload-config");
    write_text(dir / "none.json", R"({})");
    CHECK_FALSE(source::Config::load(dir / "none.json").reload.enabled());

    write_text(dir / "min.json", R"({"reload": {"watch": "PG:dbname=sahel"}})");
    auto const min = source::Config::load(dir / "min.json").reload;
    CHECK(min.enabled());
    CHECK(min.connection == "PG:dbname=sahel");
    CHECK(min.query == "SELECT version FROM sahelmap_data_version");
    CHECK(min.interval == std::chrono::milliseconds(500));

    write_text(dir / "full.json", R"({"reload": {"watch": "PG:dbname=sahel", "query": "SELECT v FROM t",
                                                  "interval_ms": 2000}})");
    auto const full = source::Config::load(dir / "full.json").reload;
    CHECK(full.query == "SELECT v FROM t");
    CHECK(full.interval == std::chrono::milliseconds(2000));

    write_text(dir / "nowatch.json", R"({"reload": {"query": "SELECT 1"}})");
    CHECK_THROWS_WITH(source::Config::load(dir / "nowatch.json"), Catch::Contains("reload needs \"watch\""));
    write_text(dir / "fast.json", R"({"reload": {"watch": "PG:dbname=sahel", "interval_ms": 10}})");
    CHECK_THROWS_WITH(source::Config::load(dir / "fast.json"), Catch::Contains("reload.interval_ms"));
    write_text(dir / "typo.json", R"({"reload": {"watch": "PG:dbname=sahel", "channel": "x"}})");
    CHECK_THROWS_WITH(source::Config::load(dir / "typo.json"), Catch::Contains("unknown key 'channel' in reload"));
}

TEST_CASE("source: the data version query reads the first column of the first row", "[source][reload]")
{
    auto const gpkg = std::filesystem::path(SAHELMAP_SOURCE_DIR) / "geodata" / "sahel.gpkg";
    source::ReloadWatch watch;
    watch.connection = gpkg.string();
    watch.query = "SELECT count(*) AS n FROM sites";
    source::DataVersionQuery query(watch);
    auto const first = query.read();
    CHECK(std::stoi(first) > 0);
    CHECK(query.read() == first); // the kept connection answers again

    watch.query = "SELECT count(*) FROM no_such_table";
    CHECK_THROWS_AS(source::read_data_version(watch), DataError);
    watch.query = "SELECT fid FROM sites WHERE 0";
    CHECK_THROWS_WITH(source::read_data_version(watch), Catch::Contains("returned no version"));
    watch.connection = "PG:host=127.0.0.1 port=1 dbname=none password=secret connect_timeout=2";
    watch.query = "SELECT 1";
    try {
        source::read_data_version(watch);
        FAIL("a database that is not there gave a version");
    } catch (DataError const& e) {
        std::string const what = e.what();
        CHECK(what.find("cannot open") != std::string::npos);
        CHECK(what.find("secret") == std::string::npos); // the password is masked
    }
}

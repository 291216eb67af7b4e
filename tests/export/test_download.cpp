// GET /download/sahelmap.gpkg over real HTTP on loopback: the same
// GeoPackage as `sahelmap export`, read back by ogrinfo.
#include "helpers.hpp"
#include "server/client.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

using namespace sahelmap;
using namespace sahelmap::test;

namespace {

/// "name: count" for each layer ogrinfo lists, in order.
std::string layer_summary(std::filesystem::path const& file)
{
    auto r = run_command("ogrinfo -ro -so -al " + file.string());
    INFO(r.out.substr(0, 2000));
    REQUIRE(r.exit_code == 0);
    std::string summary;
    std::size_t at = 0;
    while ((at = r.out.find("Layer name: ", at)) != std::string::npos) {
        auto const end = r.out.find('\n', at);
        summary += r.out.substr(at + 12, end - at - 12);
        auto const count = r.out.find("Feature Count: ", end);
        summary += ": " + r.out.substr(count + 15, r.out.find('\n', count) - count - 15) + "\n";
        at = end;
    }
    return summary;
}

} // namespace

TEST_CASE("download: GET /download/sahelmap.gpkg is the exported GeoPackage", "[export][server]")
{
    require_tool("ogrinfo");
    ScratchDir dir("download-gpkg");
    InProcessServer server;
    auto r = http_get(server.port(), "/download/sahelmap.gpkg?time=2025-11-01");
    REQUIRE(r.status == 200);
    CHECK(r.header("content-type") == "application/geopackage+sqlite3");
    CHECK(r.header("content-disposition") == "attachment; filename=\"sahelmap-2025-11-01.gpkg\"");
    CHECK(r.body.rfind(std::string("SQLite format 3\0", 16), 0) == 0);
    write_text(dir / "downloaded.gpkg", r.body);

    auto cli = run_command(sahelmap_bin() + " export --time 2025-11-01 --out " + (dir / "exported.gpkg").string());
    INFO(cli.out);
    REQUIRE(cli.exit_code == 0);
    auto const downloaded = layer_summary(dir / "downloaded.gpkg");
    INFO(downloaded);
    CHECK(downloaded == layer_summary(dir / "exported.gpkg"));
    for (char const* layer : {"countries", "regions", "sites", "corridors", "influence", "layer_styles"})
        CHECK(downloaded.find(std::string(layer) + ": ") != std::string::npos);
    // Nothing left behind in the temporary folder.
    for (auto const& e : std::filesystem::directory_iterator(std::filesystem::temp_directory_path()))
        CHECK(e.path().filename().string().rfind("sahelmap-download-" + std::to_string(::getpid()) + "-", 0) != 0);
}

TEST_CASE("download: bad requests answer a JSON error, no work", "[export][server]")
{
    InProcessServer server;
    struct Case {
        std::string target;
        unsigned status;
        std::string says;
    };
    Case const cases[] = {
        {"/download/other.zip", 404, "other.zip"},
        {"/download/sahelmap.gpkg?time=2025-02-30", 400, "2025-02-30"},
        {"/download/sahelmap.gpkg?time=yesterday", 400, "yesterday"},
        {"/download/sahelmap.gpkg?style=nope", 404, "nope"},
    };
    for (auto const& c : cases) {
        INFO(c.target);
        auto r = http_get(server.port(), c.target);
        INFO(r.body);
        CHECK(r.status == c.status);
        CHECK(r.header("content-type").find("json") != std::string::npos);
        CHECK(r.body.find(c.says) != std::string::npos);
    }
    CHECK(http_get(server.port(), "/healthz").status == 200);
}

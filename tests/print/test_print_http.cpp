// GET /print over real HTTP on a loopback port: the same bytes' kind as
// `sahelmap render`, the server's paper and dpi limits, and clear 400s.
#include "sahelmap/encode/png.hpp"
#include "server/client.hpp"
#include "support/files.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>

using namespace sahelmap;
using namespace sahelmap::test;

TEST_CASE("print: GET /print answers PDF, SVG and PNG and refuses what it does not print", "[print][server]")
{
    auto options = InProcessServer::test_options();
    options.print_max_paper = "A3";
    options.print_max_dpi = 150;
    options.read_timeout = std::chrono::milliseconds(5000);
    options.idle_timeout = std::chrono::milliseconds(20000);
    InProcessServer server(options);
    HttpClient client(server.port());

    auto pdf = client.get("/print?area=niger&format=pdf&dpi=72&time=2025-11-01&title=Niger%20%E2%80%94%20brief+one");
    REQUIRE(pdf.status == 200);
    CHECK(pdf.header("content-type") == "application/pdf");
    CHECK(pdf.body.rfind("%PDF-", 0) == 0);
    // deploy/test.sh installs poppler-utils: without pdftotext the title goes unchecked, so that is a failure.
    REQUIRE(run_command("command -v pdftotext").exit_code == 0);
    {
        ScratchDir dir("print-http");
        write_text(dir / "n.pdf", pdf.body);
        auto const text = run_command("pdftotext '" + (dir / "n.pdf").string() + "' -");
        REQUIRE(text.exit_code == 0);
        CHECK(text.out.find("Niger \xE2\x80\x94 brief one") != std::string::npos); // percent-decoded title
    }

    auto svg = client.get("/print?bbox=-600000,1300000,500000,1900000&crs=EPSG:32631&format=svg&dpi=72");
    REQUIRE(svg.status == 200);
    CHECK(svg.header("content-type") == "image/svg+xml");
    CHECK(svg.body.find("<svg") != std::string::npos);

    auto png = client.get("/print?area=burkina-faso&format=png&dpi=72&paper=letter&orientation=portrait");
    REQUIRE(png.status == 200);
    CHECK(png.header("content-type") == "image/png");
    auto const img = encode::decode_png(png.body);
    CHECK(img.width == 612);
    CHECK(img.height == 792);

    struct Case {
        char const* target;
        char const* message;
    };
    Case const bad[] = {
        {"/print?area=atlantis", "unknown area 'atlantis'"},
        {"/print?bbox=5,10,-5,20", "west"},
        {"/print?bbox=-5,10,5,20&crs=EPSG:999999", "EPSG:999999"},
        {"/print?area=mali&dpi=0", "dpi must be between 36 and 150, not 0"},
        {"/print?area=mali&dpi=10000", "not 10000"},
        {"/print?area=mali&dpi=300", "not 300"},     // over this server's limit
        {"/print?area=mali&paper=A2", "at most A3"}, // over this server's limit
        {"/print?area=mali&paper=A1", "unknown paper 'A1'"},
        {"/print?area=mali&format=gif", "unknown format 'gif'"},
        {"/print?format=pdf", "bbox"},
    };
    for (auto const& c : bad) {
        INFO(c.target);
        auto const r = client.get(c.target);
        CHECK(r.status == 400);
        auto const body = nlohmann::json::parse(r.body, nullptr, false);
        REQUIRE(body.is_object());
        CHECK(body["status"] == 400);
        CHECK(body["error"].get<std::string>().find(c.message) != std::string::npos);
    }
    CHECK(client.get("/print?area=mali&style=nope").status == 404);
    CHECK(client.get("/healthz").status == 200); // still serving
}

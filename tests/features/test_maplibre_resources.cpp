// What MapLibre reads besides tiles, over real HTTP: glyph ranges (decoded
// as glyphs.proto with protozero, SDF bitmaps sized as MapLibre expects)
// and the SDF icon sprite.
#include "sahelmap/encode/png.hpp"
#include "server/client.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <protozero/pbf_reader.hpp>

#include <map>

using namespace sahelmap;
using namespace sahelmap::test;

namespace {

struct Glyph {
    std::uint32_t width = 0, height = 0, advance = 0;
    std::int32_t left = 0, top = 0;
    std::string bitmap;
};

/// glyphs { fontstack stacks = 1 } fontstack { name = 1; range = 2; glyph glyphs = 3 }
std::map<std::uint32_t, Glyph> decode_glyphs(std::string const& pbf, std::string& name, std::string& range)
{
    std::map<std::uint32_t, Glyph> out;
    protozero::pbf_reader glyphs(pbf);
    while (glyphs.next(1)) {
        auto stack = glyphs.get_message();
        while (stack.next()) {
            switch (stack.tag()) {
            case 1:
                name = stack.get_string();
                break;
            case 2:
                range = stack.get_string();
                break;
            case 3: {
                auto g = stack.get_message();
                std::uint32_t id = 0;
                Glyph glyph;
                while (g.next()) {
                    switch (g.tag()) {
                    case 1:
                        id = g.get_uint32();
                        break;
                    case 2:
                        glyph.bitmap = g.get_string();
                        break;
                    case 3:
                        glyph.width = g.get_uint32();
                        break;
                    case 4:
                        glyph.height = g.get_uint32();
                        break;
                    case 5:
                        glyph.left = g.get_sint32();
                        break;
                    case 6:
                        glyph.top = g.get_sint32();
                        break;
                    case 7:
                        glyph.advance = g.get_uint32();
                        break;
                    default:
                        g.skip();
                    }
                }
                out[id] = glyph;
                break;
            }
            default:
                stack.skip();
            }
        }
    }
    return out;
}

} // namespace

TEST_CASE("maplibre: glyph ranges from the installed fonts", "[maplibre][server]")
{
    InProcessServer server(InProcessServer::test_options());
    HttpClient client(server.port());

    auto const r = client.get("/fonts/Noto%20Sans%20Bold,Noto%20Sans%20Regular/0-255.pbf");
    REQUIRE(r.status == 200);
    CHECK(r.header("content-type") == "application/x-protobuf");
    std::string name, range;
    auto const glyphs = decode_glyphs(r.body, name, range);
    CHECK(name == "Noto Sans Bold,Noto Sans Regular");
    CHECK(range == "0-255");
    REQUIRE(glyphs.count('A'));
    REQUIRE(glyphs.count(' '));
    auto const& a = glyphs.at('A');
    CHECK(a.width > 10);
    CHECK(a.height > 12);
    CHECK(a.bitmap.size() == (a.width + 6) * (a.height + 6)); // a 3 px border, one byte per pixel
    CHECK(a.advance > 10);
    CHECK(a.top < 0); // measured from one ascender above the baseline, as MapLibre's server fonts are
    // Inside the letter's stem the field is high, at the border far outside it is low.
    auto const at = [&](std::uint32_t x, std::uint32_t y) {
        return static_cast<unsigned char>(a.bitmap[y * (a.width + 6) + x]);
    };
    CHECK(at(0, 0) < 100);
    unsigned char peak = 0;
    for (char c : a.bitmap) peak = std::max(peak, static_cast<unsigned char>(c));
    CHECK(peak > 191); // the outline is at 191: some pixels lie inside
    CHECK(glyphs.at(' ').bitmap.empty());
    CHECK(glyphs.at(' ').advance > 0);

    // Arabic (the Arabic names of the labels) from the range that holds it.
    auto const arabic = client.get("/fonts/Noto%20Sans%20Bold,Noto%20Sans%20Arabic%20Bold/1536-1791.pbf");
    REQUIRE(arabic.status == 200);
    CHECK(decode_glyphs(arabic.body, name, range).size() > 50);

    CHECK(client.get("/fonts/Noto%20Sans%20Bold/0-100.pbf").status == 400);
    CHECK(client.get("/fonts/Noto%20Sans%20Bold/65536-65791.pbf").status == 400);
    CHECK(client.get("/fonts/Comic%20Sans%20MS/0-255.pbf").status == 404);
    auto const etag = r.header("etag");
    CHECK(client.get("/fonts/Noto%20Sans%20Bold,Noto%20Sans%20Regular/0-255.pbf", {{"If-None-Match", etag}}).status ==
          304);
}

TEST_CASE("maplibre: the icon sprite holds every built-in shape as an SDF", "[maplibre][server]")
{
    InProcessServer server(InProcessServer::test_options());
    HttpClient client(server.port());
    for (int ratio : {1, 2}) {
        INFO(ratio);
        std::string const stem = ratio == 2 ? "/sprites/default@2x" : "/sprites/default";
        auto const index = nlohmann::json::parse(client.get(stem + ".json").body);
        auto const png = client.get(stem + ".png");
        REQUIRE(png.status == 200);
        auto const img = encode::decode_png(png.body);
        for (char const* shape : {"circle", "square", "triangle", "diamond", "star", "hexagon", "plane"}) {
            INFO(shape);
            REQUIRE(index.contains(shape));
            auto const& e = index[shape];
            CHECK(e["sdf"] == true);
            CHECK(e["pixelRatio"] == ratio);
            CHECK(e["width"] == 24 * ratio); // 16 px at icon-size 1 and a border for the halo
            int const x = e["x"], y = e["y"], w = e["width"], h = e["height"];
            REQUIRE(x + w <= img.width);
            REQUIRE(y + h <= img.height);
            // The centre lies inside the shape (alpha above the 191 outline), the corner far outside.
            CHECK((img.pixel(x + w / 2, y + h / 2) >> 24) > 191);
            CHECK((img.pixel(x, y) >> 24) < 64);
        }
    }
    CHECK(client.get("/sprites/nope.json").status == 404);
    CHECK(client.get("/sprites/default.gif").status == 404);
}

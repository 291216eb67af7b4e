#include "sahelmap/core/error.hpp"
#include "sahelmap/encode/png.hpp"

#include <catch2/catch.hpp>

#include <cstring>

using namespace sahelmap;

namespace {
Image make(int w, int h, std::uint32_t (*f)(int, int))
{
    Image img{w, h, w * 4, std::vector<std::uint8_t>(static_cast<std::size_t>(w * h * 4))};
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            auto px = f(x, y);
            std::memcpy(img.pixels.data() + y * img.stride + x * 4, &px, 4);
        }
    return img;
}
int color_type(std::string const& png)
{
    return static_cast<unsigned char>(png.at(25));
}
} // namespace

TEST_CASE("encode: PNG picks palette, RGB or RGBA and round-trips exactly", "[encode][png]")
{
    SECTION("few colours → palette")
    {
        auto img = make(64, 64, [](int x, int y) { return ((x / 8 + y / 8) % 2) ? 0xffcc8844u : 0xff112233u; });
        auto png = encode::encode_png(img);
        CHECK(png.substr(1, 3) == "PNG");
        CHECK(color_type(png) == 3);
        CHECK(encode::decode_png(png).pixels == img.pixels);
    }
    SECTION("palette with translucency (premultiplied)")
    {
        auto img = make(16, 16, [](int x, int) { return x < 8 ? 0x80402010u : 0x00000000u; });
        auto png = encode::encode_png(img);
        CHECK(color_type(png) == 3);
        CHECK(encode::decode_png(png).pixels == img.pixels);
    }
    SECTION("many opaque colours → RGB")
    {
        auto img = make(64, 64, [](int x, int y) {
            return 0xff000000u | static_cast<std::uint32_t>(x * 4) << 16 | static_cast<std::uint32_t>(y * 4) << 8 | 7u;
        });
        auto png = encode::encode_png(img);
        CHECK(color_type(png) == 2);
        CHECK(encode::decode_png(png).pixels == img.pixels);
    }
    SECTION("many translucent colours → RGBA")
    {
        auto img = make(64, 64, [](int x, int y) {
            std::uint32_t a = 255;
            std::uint32_t c = static_cast<std::uint32_t>(x * 4);
            std::uint32_t d = static_cast<std::uint32_t>(y * 4);
            if (x % 2) {
                a = 128;
                c /= 2;
                d /= 2;
            }
            return a << 24 | c << 16 | d << 8;
        });
        auto png = encode::encode_png(img);
        CHECK(color_type(png) == 6);
        auto back = encode::decode_png(png);
        for (std::size_t i = 0; i < img.pixels.size(); ++i)
            CHECK(std::abs(static_cast<int>(back.pixels[i]) - static_cast<int>(img.pixels[i])) <= 1);
    }
}

TEST_CASE("encode: a corrupt PNG is a RenderError", "[encode][png]")
{
    CHECK_THROWS_AS(encode::decode_png("not a png at all"), RenderError);
}

TEST_CASE("encode: every compression level round-trips, incompressible pixels too", "[encode][png]")
{
    // Noise does not compress: the deflate output is larger than its input,
    // which the encoder's first output buffer must absorb or grow for.
    std::uint32_t state = 12345;
    auto noise = Image{300, 200, 1200, std::vector<std::uint8_t>(1200 * 200)};
    for (auto& b : noise.pixels) {
        state = state * 1664525u + 1013904223u;
        b = static_cast<std::uint8_t>(state >> 24);
    }
    for (std::size_t i = 3; i < noise.pixels.size(); i += 4) noise.pixels[i] = 255; // opaque: RGB
    auto flat = make(256, 256, [](int x, int) { return x < 100 ? 0xff336699u : 0xffeeddccu; });
    for (int level : {0, 1, 2, 3}) {
        INFO("level " << level);
        auto const png = encode::encode_png(noise, {level});
        CHECK(color_type(png) == 2);
        CHECK(png.size() > noise.pixels.size() * 3 / 4); // could not shrink
        CHECK(encode::decode_png(png).pixels == noise.pixels);
        auto const small = encode::encode_png(flat, {level});
        CHECK(encode::decode_png(small).pixels == flat.pixels);
        CHECK(small.size() < (level == 0 ? 66'000u : 4'000u)); // 65 KiB of palette indices
    }
}

TEST_CASE("encode: images past the banding size round-trip in RGB and RGBA at every level", "[encode][png]")
{
    // 2600 × 2200 RGB scanlines are over 16 MiB, so they are filtered and
    // compressed band by band; noise in the low bits keeps it truecolour.
    std::uint32_t state = 777;
    auto opaque = make(2600, 2200, [](int x, int y) {
        return 0xff000000u | static_cast<std::uint32_t>(x & 0xff) << 16 | static_cast<std::uint32_t>(y & 0xff) << 8 |
               static_cast<std::uint32_t>((x * 7 + y * 13) & 0xff);
    });
    for (std::size_t i = 0; i < opaque.pixels.size(); i += 4) {
        state = state * 1664525u + 1013904223u;
        opaque.pixels[i] = static_cast<std::uint8_t>(state >> 24); // blue: incompressible
    }
    for (int level : {0, 1, 3}) {
        INFO("level " << level);
        auto const png = encode::encode_png(opaque, {level});
        CHECK(color_type(png) == 2);
        CHECK(encode::decode_png(png).pixels == opaque.pixels);
    }
    // Translucent: half the columns at alpha 128 (premultiplied).
    auto translucent = opaque;
    for (std::size_t i = 0; i < translucent.pixels.size(); i += 8) {
        for (int c = 0; c < 3; ++c) translucent.pixels[i + c] /= 2;
        translucent.pixels[i + 3] = 128;
    }
    auto const png = encode::encode_png(translucent);
    CHECK(color_type(png) == 6);
    auto const back = encode::decode_png(png);
    REQUIRE(back.pixels.size() == translucent.pixels.size());
    int worst = 0;
    for (std::size_t i = 0; i < back.pixels.size(); ++i)
        worst = std::max(worst, std::abs(static_cast<int>(back.pixels[i]) - static_cast<int>(translucent.pixels[i])));
    CHECK(worst <= 1);
}

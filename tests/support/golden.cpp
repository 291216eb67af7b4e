#include "support/golden.hpp"

#include "sahelmap/encode/png.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace sahelmap::test {

std::string source_path(std::string const& relative) { return std::string(SAHELMAP_SOURCE_DIR) + "/" + relative; }

namespace {
std::string read_file(std::string const& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}
void write_file(std::string const& path, std::string const& bytes)
{
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << bytes;
}
int channel(std::uint32_t px, int shift) { return static_cast<int>((px >> shift) & 0xff); }
} // namespace

double differing_fraction(Image const& a, Image const& b, int threshold)
{
    if (a.width != b.width || a.height != b.height) return 1.0;
    long differing = 0;
    for (int y = 0; y < a.height; ++y)
        for (int x = 0; x < a.width; ++x) {
            auto pa = a.pixel(x, y), pb = b.pixel(x, y);
            for (int s : {0, 8, 16, 24})
                if (std::abs(channel(pa, s) - channel(pb, s)) > threshold) {
                    ++differing;
                    break;
                }
        }
    return static_cast<double>(differing) / (static_cast<double>(a.width) * a.height);
}

int pixels_unlike_corner(Image const& img)
{
    int n = 0;
    auto const corner = img.pixel(0, 0);
    for (int y = 0; y < img.height; ++y)
        for (int x = 0; x < img.width; ++x) n += img.pixel(x, y) != corner;
    return n;
}

void require_golden(Image const& actual, std::string const& name, double max_fraction)
{
    std::string const ref_path = source_path("tests/golden/" + name + ".png");
    char const* bless = std::getenv("SAHELMAP_BLESS");
    if (bless && std::string(bless) == "1") {
        write_file(ref_path, encode::encode_png(actual));
        WARN("blessed " << ref_path);
        return;
    }
    INFO("golden reference " << ref_path);
    if (!std::filesystem::exists(ref_path)) {
        write_file("golden-failures/" + name + ".actual.png", encode::encode_png(actual));
        FAIL("missing golden reference " << ref_path << " (run tests/bless.sh to create it on purpose)");
    }
    Image const expected = encode::decode_png(read_file(ref_path));
    double const fraction = differing_fraction(actual, expected);
    if (fraction > max_fraction) {
        Image diff = actual;
        for (int y = 0; y < diff.height && y < expected.height; ++y)
            for (int x = 0; x < diff.width && x < expected.width; ++x) {
                bool differs = false;
                for (int s : {0, 8, 16, 24})
                    differs = differs || std::abs(channel(actual.pixel(x, y), s) - channel(expected.pixel(x, y), s)) > 24;
                std::uint32_t px = differs ? 0xffff0000u : ((actual.pixel(x, y) >> 2) & 0x3f3f3f3fu) | 0xff000000u;
                std::memcpy(diff.pixels.data() + y * diff.stride + x * 4, &px, 4);
            }
        write_file("golden-failures/" + name + ".actual.png", encode::encode_png(actual));
        write_file("golden-failures/" + name + ".diff.png", encode::encode_png(diff));
    }
    INFO("differing pixels: " << fraction * 100 << "% (allowed " << max_fraction * 100 << "%), see golden-failures/"
                              << name << ".{actual,diff}.png");
    REQUIRE(fraction <= max_fraction);
}

} // namespace sahelmap::test

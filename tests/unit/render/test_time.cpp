#include "sahelmap/geo/projection.hpp"
#include "sahelmap/geo/tile_math.hpp"
#include "support/fixture.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace sahelmap;

namespace {
/// Pixels within `tol` of an opaque colour given as 0xRRGGBB.
int count_color(Image const& img, std::uint32_t rgb, int tol = 10)
{
    int n = 0;
    for (int y = 0; y < img.height; ++y)
        for (int x = 0; x < img.width; ++x) {
            auto const px = img.pixel(x, y);
            int const a = static_cast<int>(px >> 24);
            if (a < 192) continue; // only (nearly) opaque pixels: edges blend with what lies under
            bool close = true;
            for (int s : {0, 8, 16}) {
                int const c = static_cast<int>((px >> s) & 0xff) * 255 / a; // un-premultiply
                close = close && std::abs(c - static_cast<int>((rgb >> s) & 0xff)) <= tol;
            }
            n += close;
        }
    return n;
}
constexpr std::uint32_t kFrance = 0x1f5fbf;
constexpr std::uint32_t kAfricaCorps = 0xd62728;
constexpr std::uint32_t kGhost = 0xb7bec8; // the withdrawn-base ghost's grey fill
} // namespace

TEST_CASE("render: time keeps only features valid at that date", "[render][time]")
{
    auto const& svc = test::default_service();
    auto const& r = svc.renderer("overlay");
    auto const niamey = geo::tile_at(geo::to_mercator({2.1098, 13.5128}), 8);
    auto at = [&](char const* d) { return r.render(render::Renderer::tile_view(niamey, 1, *Date::parse(d))); };

    // 2023-01-01: the French and US bases at Niamey, no Russians yet.
    auto const before = at("2023-01-01");
    CHECK(count_color(before, kFrance) > 20);
    CHECK(count_color(before, kAfricaCorps) == 0);
    // 2025-06-01: the Africa Corps at Air Base 101; the French left on 2023-12-22.
    auto const after = at("2025-06-01");
    CHECK(count_color(after, kFrance) == 0);
    CHECK(count_color(after, kAfricaCorps) > 20);
    // valid_to is exclusive: the French base is gone on the day it was handed over.
    CHECK(count_color(at("2023-12-21"), kFrance) > 20);
    CHECK(count_color(at("2023-12-22"), kFrance) == 0);
    // ...and from then on it is drawn as the grey, filled ghost of a withdrawn base.
    CHECK(count_color(at("2023-12-21"), kGhost) == 0);
    CHECK(count_color(at("2023-12-22"), kGhost) > 10);
}

TEST_CASE("render: the same epoch draws the same tile", "[render][time]")
{
    auto const& svc = test::default_service();
    auto const& data = svc.data();
    CHECK(data.epoch_of(*Date::parse("2025-11-01")) == data.epoch_of(*Date::parse("2025-11-02")));
    CHECK(data.epoch_of(*Date::parse("2025-06-05")) != data.epoch_of(*Date::parse("2025-06-06")));
    auto const t = geo::tile_at(geo::to_mercator({-3.0, 14.0}), 5);
    auto const& r = svc.renderer("default");
    auto a = r.render(render::Renderer::tile_view(t, 1, *Date::parse("2025-11-01")));
    auto b = r.render(render::Renderer::tile_view(t, 1, *Date::parse("2025-11-02")));
    CHECK(a.pixels == b.pixels);
}

TEST_CASE("render: the influence field concentrates around the bases of its bloc", "[render][time]")
{
    auto const& svc = test::default_service();
    // Only the two field layers of the shipped influence style, no labels or outlines.
    auto const shipped = nlohmann::json::parse(svc.renderer("influence").style().json());
    auto doc = shipped;
    doc["layers"] = nlohmann::json::array();
    for (auto const& l : shipped["layers"])
        if (l["type"] == "heatmap") doc["layers"].push_back(l);
    REQUIRE(doc["layers"].size() == 2);
    render::Renderer const r(std::shared_ptr<render::MapData const>(std::shared_ptr<void>(), &svc.data()),
                             style::Style::parse("fields", doc.dump(), {"influence"}));
    // Pixel colour of the field layers at a place, on a z6 tile.
    auto at = [&](double lon, double lat, char const* date) {
        auto const m = geo::to_mercator({lon, lat});
        auto const tile = geo::tile_at(m, 6);
        auto const img = r.render(render::Renderer::tile_view(tile, 1, *Date::parse(date)));
        auto const b = geo::tile_bounds(tile);
        int const x = static_cast<int>((m.x - b.minx) / b.width() * 256);
        int const y = static_cast<int>((b.maxy - m.y) / b.height() * 256);
        return img.pixel(x, y);
    };
    auto red = [](std::uint32_t px) { return static_cast<int>((px >> 16) & 0xff); };
    auto blue = [](std::uint32_t px) { return static_cast<int>(px & 0xff); };
    auto alpha = [](std::uint32_t px) { return static_cast<int>(px >> 24); };
    // Air Base 201 at Agadez in 2023: Western presence, blue, strong.
    auto const agadez_2023 = at(8.0139, 16.9503, "2023-01-01");
    CHECK(alpha(agadez_2023) > 100);
    CHECK(blue(agadez_2023) > red(agadez_2023));
    // Bamako air base in 2025: Russian presence, red.
    auto const bamako_2025 = at(-7.9499, 12.5335, "2025-11-01");
    CHECK(alpha(bamako_2025) > 100);
    CHECK(red(bamako_2025) > blue(bamako_2025));
    // The empty north of Mali, far from every site and corridor: nothing drawn.
    CHECK(alpha(at(-6.0, 23.5, "2025-11-01")) == 0);
}

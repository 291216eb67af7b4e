#include "sahelmap/core/error.hpp"
#include "sahelmap/geo/geodesic.hpp"
#include "sahelmap/geo/projection.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <cmath>
#include <thread>

using namespace sahelmap;
using Catch::Detail::Approx;

TEST_CASE("geo: EPSG:4326 to EPSG:3857 known values and round trip", "[geo][proj]")
{
    auto m = geo::to_mercator({2.1098, 13.5128});
    CHECK(m.x == Approx(234862.0).margin(1.0));
    double const expected_y = 6378137.0 * std::log(std::tan(M_PI / 4 + 13.5128 * M_PI / 360));
    CHECK(m.y == Approx(expected_y).margin(0.01));
    auto m2 = geo::to_mercator({180, 0});
    CHECK(m2.x == Approx(20037508.342789244));
    for (LonLat p : {LonLat{-17.4, 14.7}, LonLat{15.97, 25.0}, LonLat{0, 0}, LonLat{-8.0, 12.6}}) {
        auto back = geo::to_lonlat(geo::to_mercator(p));
        CHECK(back.lon == Approx(p.lon).margin(1e-9));
        CHECK(back.lat == Approx(p.lat).margin(1e-9));
    }
}

TEST_CASE("geo: arbitrary EPSG codes through the same API (UTM 31N)", "[geo][proj]")
{
    geo::Transform const utm("EPSG:4326", "EPSG:32631");
    auto p = utm.apply(3.0, 0.0); // central meridian of zone 31 on the equator
    CHECK(p.x == Approx(500000.0).margin(0.01));
    CHECK(p.y == Approx(0.0).margin(0.01));
    auto niamey = utm.apply(2.1098, 13.5128);
    CHECK(niamey.x == Approx(403500).margin(1000));
    CHECK(niamey.y == Approx(1494000).margin(2000));
    double x = niamey.x, y = niamey.y;
    utm.apply_inverse(&x, &y, 1);
    CHECK(x == Approx(2.1098).margin(1e-8));
    CHECK(y == Approx(13.5128).margin(1e-8));
    CHECK(geo::crs_name("EPSG:32631") == "WGS 84 / UTM zone 31N");
    CHECK(geo::crs_is_northing_first("EPSG:4326"));
    CHECK_FALSE(geo::crs_is_northing_first("EPSG:3857"));
    CHECK_FALSE(geo::crs_is_northing_first("CRS:84"));
    CHECK(geo::crs_is_geographic("EPSG:4326"));
}

TEST_CASE("geo: an unknown CRS is a BadRequest naming it", "[geo][proj]")
{
    CHECK_THROWS_AS(geo::Transform("EPSG:4326", "EPSG:999999"), BadRequest);
    CHECK_THROWS_WITH(geo::Transform("EPSG:4326", "EPSG:999999"), Catch::Contains("EPSG:999999"));
    CHECK_THROWS_AS(geo::crs_name("nonsense"), BadRequest);
}

TEST_CASE("geo: transforms are safe from many threads", "[geo][proj]")
{
    geo::Transform const t("EPSG:4326", "EPSG:3857");
    std::vector<std::thread> threads;
    std::atomic<int> wrong{0};
    for (int k = 0; k < 4; ++k)
        threads.emplace_back([&] {
            for (int i = 0; i < 2000; ++i) {
                double lon = -10 + i * 0.01;
                auto p = t.apply(lon, 12.0);
                auto q = geo::to_mercator({lon, 12.0});
                if (std::abs(p.x - q.x) > 1e-6) ++wrong;
            }
        });
    for (auto& th : threads) th.join();
    CHECK(wrong == 0);
}

TEST_CASE("geo: geodesic distance and great-circle densification", "[geo][geodesic]")
{
    // Bamako–Niamey, about 1,070 km on the ellipsoid.
    double d = geo::geodesic_distance({-8.0029, 12.6392}, {2.1098, 13.5128});
    CHECK(d == Approx(1099000).epsilon(0.02));
    auto path = geo::geodesic_path({20.2695, 32.0968}, {-7.9499, 12.5335}, 25000);
    CHECK(path.size() > 100);
    for (std::size_t i = 1; i < path.size(); ++i)
        CHECK(geo::geodesic_distance(path[i - 1], path[i]) <= 25000.5);
}

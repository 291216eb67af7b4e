// Encodes the render bench's tiles (up to 40 per zoom over Mali, Burkina
// Faso and Niger, zooms 3–10) as vector tiles on one core and prints, per
// zoom, median and p90 milliseconds and the mean tile size. Data loaded,
// projected and indexed first; one warm-up pass builds the per-zoom
// geometry, as a running server has.
//
//   build/dev/bench/vector_bench [--passes 5] [--time 2025-11-01]
#include "sahelmap/core/allocator.hpp"
#include "sahelmap/geo/projection.hpp"
#include "sahelmap/geo/tile_math.hpp"
#include "sahelmap/service/map_service.hpp"
#include "sahelmap/vector/mvt.hpp"
#include "support.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

using namespace sahelmap;
using namespace sahelmap::bench;

int main(int argc, char** argv)
{
    keep_freed_memory(); // as the command line does
    int passes = 5;
    Date time = *Date::parse("2025-11-01");
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--passes"))
            passes = std::max(1, std::atoi(argv[i + 1]));
        else if (!std::strcmp(argv[i], "--time"))
            time = Date::parse(argv[i + 1]).value_or(time);
    }
    auto const t0 = Clock::now();
    auto const svc = service::MapService::load(source::Config::defaults());
    auto const& data = svc->data();
    auto const tiles = tile_list(40);
    std::printf("loaded data in %.0f ms; %zu tiles, date %s, %d timed passes after one warm-up\n",
                std::chrono::duration<double, std::milli>(Clock::now() - t0).count(), tiles.size(),
                time.to_string().c_str(), passes);

    auto const w0 = Clock::now();
    for (auto const& t : tiles) (void)vector::encode_tile(data, t, time);
    std::printf("warm-up pass (per-zoom geometry and the date's influence scores built on first use): %.0f ms\n",
                std::chrono::duration<double, std::milli>(Clock::now() - w0).count());

    std::map<int, std::vector<double>> ms;
    std::map<int, std::size_t> bytes;
    for (int p = 0; p < passes; ++p)
        for (auto const& t : tiles) {
            auto const a = Clock::now();
            auto const mvt = vector::encode_tile(data, t, time);
            double const took = std::chrono::duration<double, std::milli>(Clock::now() - a).count();
            ms[t.z()].push_back(took);
            ms[-1].push_back(took);
            bytes[t.z()] += mvt.size();
        }
    std::printf("\nzoom tiles  median    p90    max  (ms)  mean KiB\n");
    for (auto const& [z, v] : ms) {
        if (z < 0) continue;
        std::printf("%4d %5zu  %6.3f %6.3f %6.3f      %7.1f\n", z, v.size() / static_cast<std::size_t>(passes),
                    quantile(v, 0.5), quantile(v, 0.9), *std::max_element(v.begin(), v.end()),
                    static_cast<double>(bytes[z]) / static_cast<double>(v.size()) / 1024);
    }
    std::printf("all  %5zu  median %.3f ms, p90 %.3f ms\n", tiles.size(), quantile(ms[-1], 0.5), quantile(ms[-1], 0.9));
    return 0;
}

// Renders a fixed list of tiles over Mali, Burkina Faso and Niger at zooms
// 3–10 on one core and prints, per zoom, median and p90 milliseconds for
// rendering and for PNG encoding, and the peak memory.
//
//   build/bench/bench/render_bench [--style default] [--passes 3]
#include "sahelmap/core/allocator.hpp"
#include "sahelmap/encode/png.hpp"
#include "sahelmap/geo/projection.hpp"
#include "sahelmap/geo/tile_math.hpp"
#include "sahelmap/service/map_service.hpp"
#include "support.hpp"

#include <sys/resource.h>

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
    std::string style = "default";
    int passes = 3;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--style"))
            style = argv[i + 1];
        else if (!std::strcmp(argv[i], "--passes"))
            passes = std::max(1, std::atoi(argv[i + 1]));
    }
    auto t0 = Clock::now();
    auto svc = service::MapService::load(source::Config::defaults());
    auto const& r = svc->renderer(style);
    Date const time = *Date::parse("2025-11-01");
    auto const tiles = tile_list(40);
    std::printf("loaded data and styles in %.0f ms; %zu tiles, style %s, %d timed passes after one warm-up\n",
                std::chrono::duration<double, std::milli>(Clock::now() - t0).count(), tiles.size(), style.c_str(),
                passes);

    // Warm-up: label placement per zoom and per-zoom geometry are built once and shared.
    auto w0 = Clock::now();
    for (auto const& t : tiles) (void)encode::encode_png(r.render(render::Renderer::tile_view(t, 1, time)));
    std::printf("warm-up pass (placement and per-zoom geometry built on first use): %.0f ms\n",
                std::chrono::duration<double, std::milli>(Clock::now() - w0).count());

    std::map<int, std::vector<double>> render_ms, encode_ms, total_ms;
    std::size_t bytes = 0;
    for (int p = 0; p < passes; ++p)
        for (auto const& t : tiles) {
            auto a = Clock::now();
            auto img = r.render(render::Renderer::tile_view(t, 1, time));
            auto b = Clock::now();
            auto png = encode::encode_png(img);
            auto c = Clock::now();
            bytes += png.size();
            double const rm = std::chrono::duration<double, std::milli>(b - a).count();
            double const em = std::chrono::duration<double, std::milli>(c - b).count();
            render_ms[t.z()].push_back(rm);
            encode_ms[t.z()].push_back(em);
            total_ms[t.z()].push_back(rm + em);
            total_ms[-1].push_back(rm + em);
        }
    std::printf("\nzoom tiles  render med  p90   encode med  p90   total med  p90  (ms)\n");
    for (auto const& [z, v] : render_ms)
        std::printf("%4d %5zu  %9.3f %6.3f  %9.3f %6.3f  %9.3f %6.3f\n", z, v.size() / static_cast<std::size_t>(passes),
                    quantile(v, 0.5), quantile(v, 0.9), quantile(encode_ms[z], 0.5), quantile(encode_ms[z], 0.9),
                    quantile(total_ms[z], 0.5), quantile(total_ms[z], 0.9));
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    std::printf("all  %5zu  total median %.3f ms, p90 %.3f ms; mean PNG %.1f KiB; peak memory %.1f MiB\n", tiles.size(),
                quantile(total_ms[-1], 0.5), quantile(total_ms[-1], 0.9),
                static_cast<double>(bytes) / static_cast<double>(total_ms[-1].size()) / 1024,
                static_cast<double>(ru.ru_maxrss) / 1024);
    return 0;
}

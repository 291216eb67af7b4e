// Times a WMS GetMap in-process, as the server does it after parsing: a
// 1024×768 map of the three countries in EPSG:32631 (UTM 31N) drawn through
// MapService::renderer_in (data projected once, then cached) and encoded as
// PNG, with the style drawn on two threads (the server's way) and on one.
// Reports the median wall time, render and encode apart, and the CPU time
// (all threads: what a busy server pays), after one warm-up (which projects
// the data into the CRS); then PNG levels, JPEG, and each data layer alone.
//
//   build/dev/bench/wms_bench [--passes 30] [--style default] [--crs EPSG:32631]
#include "sahelmap/core/allocator.hpp"
#include "sahelmap/encode/jpeg.hpp"
#include "sahelmap/encode/png.hpp"
#include "sahelmap/ogc/crs.hpp"
#include "sahelmap/ogc/map.hpp"
#include "sahelmap/service/map_service.hpp"
#include "support.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

using namespace sahelmap;
using namespace sahelmap::bench;

namespace {

/// CPU time of the whole process (every thread), ms.
double cpu_now()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

} // namespace

int main(int argc, char** argv)
{
    keep_freed_memory(); // as the command line does
    int passes = 30;
    std::string style = "default";
    std::string crs = "EPSG:32631";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--passes"))
            passes = std::max(1, std::atoi(argv[i + 1]));
        else if (!std::strcmp(argv[i], "--style"))
            style = argv[i + 1];
        else if (!std::strcmp(argv[i], "--crs"))
            crs = argv[i + 1];
    }
    auto const service = service::MapService::load(source::Config::defaults());
    // Mali, Burkina Faso and Niger with a small margin.
    BBox const lonlat{-12.5, 9.2, 16.2, 25.2};
    ogc::MapRequest request;
    request.crs = crs;
    // Widened to the map's 4:3 aspect, as clients ask (square pixels).
    auto box = ogc::bbox_in(lonlat, crs);
    double const cx = (box.minx + box.maxx) / 2, cy = (box.miny + box.maxy) / 2;
    double const res = std::max(box.width() / 1024, box.height() / 768);
    request.extent = {cx - 512 * res, cy - 384 * res, cx + 512 * res, cy + 384 * res};
    request.width = 1024;
    request.height = 768;
    auto const layers = ogc::named_layers(*service);
    request.layers.push_back({*ogc::find_layer(layers, style), style});
    request.time = Date::from_ymd(2025, 6, 1);

    auto t0 = Clock::now();
    auto warm = encode::encode_png(ogc::render_map(service, request));
    std::printf("first map (projects the data into %s): %.1f ms, %zu bytes\n", crs.c_str(), ms_since(t0), warm.size());

    for (bool two_threads : {true, false}) {
        request.two_threads = two_threads;
        std::vector<double> render_ms, encode_ms, total_ms, cpu_ms;
        for (int i = 0; i < passes; ++i) {
            auto const cpu0 = cpu_now();
            auto const start = Clock::now();
            auto image = ogc::render_map(service, request);
            auto const drawn = Clock::now();
            auto png = encode::encode_png(image);
            render_ms.push_back(std::chrono::duration<double, std::milli>(drawn - start).count());
            encode_ms.push_back(ms_since(drawn));
            total_ms.push_back(ms_since(start));
            cpu_ms.push_back(cpu_now() - cpu0);
        }
        std::printf("GetMap %s 1024x768 %s, %s, %d passes: median %.1f ms (render %.1f + PNG %.1f), p90 %.1f ms, "
                    "CPU %.1f ms\n",
                    style.c_str(), crs.c_str(), two_threads ? "two threads" : "one thread", passes,
                    quantile(total_ms, 0.5), quantile(render_ms, 0.5), quantile(encode_ms, 0.5),
                    quantile(total_ms, 0.9), quantile(cpu_ms, 0.5));
    }
    request.two_threads = true;
    auto const image = ogc::render_map(service, request);
    for (int level : {0, 1, 2, 3}) {
        std::vector<double> ms;
        std::size_t bytes = 0;
        for (int i = 0; i < std::max(3, passes / 3); ++i) {
            auto const start = Clock::now();
            bytes = encode::encode_png(image, {level}).size();
            ms.push_back(ms_since(start));
        }
        std::printf("  PNG level %d: %.1f ms, %zu bytes\n", level, quantile(ms, 0.5), bytes);
    }
    {
        std::vector<double> ms;
        std::size_t bytes = 0;
        for (int i = 0; i < std::max(3, passes / 3); ++i) {
            auto const start = Clock::now();
            bytes = encode::encode_jpeg(image).size();
            ms.push_back(ms_since(start));
        }
        std::printf("  JPEG quality 85: %.1f ms, %zu bytes\n", quantile(ms, 0.5), bytes);
    }
    // Where the time goes: each data layer alone, with the style's rules for it.
    for (auto const& layer : layers) {
        if (!layer.is_data) continue;
        if (std::find(layer.styles.begin(), layer.styles.end(), style) == layer.styles.end()) continue;
        auto one = request;
        one.layers = {{layer, style}};
        one.transparent = true;
        ogc::render_map(service, one);
        std::vector<double> ms;
        for (int i = 0; i < std::max(3, passes / 3); ++i) {
            auto const start = Clock::now();
            ogc::render_map(service, one);
            ms.push_back(ms_since(start));
        }
        std::printf("  %-10s alone: %.1f ms\n", layer.name.c_str(), quantile(ms, 0.5));
    }
    return 0;
}

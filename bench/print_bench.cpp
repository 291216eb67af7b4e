// Times printable maps on one thread: A3 landscape, 300 dpi, the `aes` area,
// as PDF, SVG and PNG. The first PDF includes projecting the data into the
// map's CRS (done once per CRS and kept); the figures after it are what
// every further print costs. Reports the median of --passes runs.
//
//   build/bench/bench/print_bench [--passes 5] [--dpi 300] [--paper A3] [--area aes]
#include "sahelmap/core/allocator.hpp"
#include "sahelmap/print/print.hpp"
#include "sahelmap/source/config.hpp"
#include "support.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace sahelmap;
using namespace sahelmap::bench;

int main(int argc, char** argv)
{
    keep_freed_memory(); // as the command line does
    int passes = 5;
    print::PrintRequest req;
    req.area = "aes";
    req.paper = print::Paper::A3;
    req.orientation = print::Orientation::landscape;
    req.dpi = 300;
    req.time = Date::from_ymd(2025, 11, 1);
    req.printed_at = "bench";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--passes"))
            passes = std::max(1, std::atoi(argv[i + 1]));
        else if (!std::strcmp(argv[i], "--dpi"))
            req.dpi = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--paper"))
            req.paper = print::parse_paper(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--area"))
            req.area = argv[i + 1];
    }
    auto t0 = Clock::now();
    auto const svc = service::MapService::load(source::Config::defaults());
    std::printf("load: %.0f ms\n", ms_since(t0));
    std::printf("%s landscape, %d dpi, area %s, style %s, one thread\n",
                std::string(print::to_string(req.paper)).c_str(), req.dpi, req.area->c_str(), req.style.c_str());

    req.format = print::Format::pdf;
    t0 = Clock::now();
    auto first = print::render_print(*svc, req);
    std::printf("first pdf (projects the data into the map's CRS): %.0f ms, %zu bytes\n", ms_since(t0), first.size());

    for (auto format : {print::Format::pdf, print::Format::svg, print::Format::png}) {
        req.format = format;
        std::vector<double> times;
        std::size_t bytes = 0;
        for (int p = 0; p < passes; ++p) {
            t0 = Clock::now();
            bytes = print::render_print(*svc, req).size();
            times.push_back(ms_since(t0));
        }
        std::printf("%-4s median %.0f ms, min %.0f ms, max %.0f ms, %zu bytes\n",
                    std::string(print::to_string(format)).c_str(), quantile(times, 0.5),
                    *std::min_element(times.begin(), times.end()), *std::max_element(times.begin(), times.end()),
                    bytes);
    }
    return 0;
}

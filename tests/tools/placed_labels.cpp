// The labels our raster tiles place over an area, as JSON, for the MapLibre
// side-by-side test (tests/features/maplibre_test.mjs): the placement every
// tile of a zoom draws from (Renderer::placement_for), listed for the labels
// whose text lies wholly inside the area.
//
//   sahelmap_placed_labels STYLE DATE ZOOM WEST,SOUTH,EAST,NORTH
//
// prints [{"layer": "...", "text": "..."}, ...]; the text's lines are joined
// by "\n" as drawn.
#include "../../src/render/labels.hpp"
#include "sahelmap/geo/projection.hpp"
#include "sahelmap/geo/tile_math.hpp"
#include "sahelmap/service/map_service.hpp"
#include "sahelmap/source/config.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <sstream>
#include <stdexcept>

using namespace sahelmap;

int main(int argc, char** argv)
{
    if (argc != 5) {
        std::fprintf(stderr, "usage: sahelmap_placed_labels STYLE DATE ZOOM WEST,SOUTH,EAST,NORTH\n");
        return 2;
    }
    try {
        auto const time = Date::parse(argv[2]);
        if (!time) throw std::invalid_argument(std::string("'") + argv[2] + "' is not a date (YYYY-MM-DD)");
        int const zoom = std::stoi(argv[3]);
        BBox lonlat;
        char comma = 0;
        std::istringstream in(argv[4]);
        if (!(in >> lonlat.minx >> comma >> lonlat.miny >> comma >> lonlat.maxx >> comma >> lonlat.maxy))
            throw std::invalid_argument(std::string("'") + argv[4] + "' is not WEST,SOUTH,EAST,NORTH");

        auto const service = service::MapService::load(source::Config::defaults());
        auto const& renderer = service->renderer(argv[1]);
        double const res = geo::meters_per_pixel(zoom);
        render::detail::Frame const world{-geo::kMercatorHalfExtent, geo::kMercatorHalfExtent, res};
        auto const placement =
            render::detail::place_symbols(renderer.data(), renderer.style(), world,
                                          renderer.data().extent().buffered(256 * res), zoom, *time,
                                          renderer.resources()->text_shaper());
        BBox const merc = geo::Transform("EPSG:4326", "EPSG:3857").apply(lonlat);
        auto const a = world.to_px({merc.minx, merc.maxy}), b = world.to_px({merc.maxx, merc.miny});
        nlohmann::json out = nlohmann::json::array();
        for (std::size_t li = 0; li < placement->layers.size(); ++li)
            for (auto const& s : placement->layers[li]) {
                if (!s.text) continue;
                auto const& t = s.text_box;
                if (t.minx < a.x || t.miny < a.y || t.maxx > b.x || t.maxy > b.y) continue;
                out.push_back({{"layer", renderer.style().layers()[li].id}, {"text", s.text->text}});
            }
        std::cout << out.dump(1) << "\n";
        return 0;
    } catch (std::exception const& e) {
        std::fprintf(stderr, "sahelmap_placed_labels: %s\n", e.what());
        return 1;
    }
}

#pragma once
/// The named layers the OGC services offer over a MapService, and maps of
/// any of them in any offered CRS: one layer per style (the whole map) and
/// one per data layer (drawn with the rules a style has for it).
#include "sahelmap/core/date.hpp"
#include "sahelmap/core/image.hpp"
#include "sahelmap/service/map_service.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sahelmap::ogc {

/// A named WMS layer.
struct NamedLayer {
    std::string name;
    std::string title;
    /// True: a data layer (countries, sites, ...); false: a whole style.
    bool is_data = false;
    /// The styles it may be drawn with, the default first. For a whole-style
    /// layer, its own style alone.
    std::vector<std::string> styles;
};

/// The layers of a service: data layers some style draws (in data order,
/// the dynamic influence layer last), then each style whose id is not a data
/// layer's name. A data layer's default style is the style named like it,
/// else the first style (config order) that draws it.
std::vector<NamedLayer> named_layers(service::MapService const& service);

/// Finds a layer by name (exact); nullopt if there is none.
std::optional<NamedLayer> find_layer(std::vector<NamedLayer> const& layers, std::string_view name);

/// The data layers a named layer shows (itself, or every data layer its style draws).
std::vector<std::string> data_layers_of(service::MapService const& service, NamedLayer const& layer,
                                        std::string const& style);

/// One layer of a map request with its resolved style.
struct LayerStyle {
    NamedLayer layer;
    std::string style;
};

/// A map to draw: `extent` in `crs`, x/y (easting first) order.
struct MapRequest {
    std::string crs;
    BBox extent;
    int width = 256;
    int height = 256;
    std::vector<LayerStyle> layers; ///< drawn in order, each over the previous
    bool transparent = false;
    std::uint32_t bgcolor = 0xFFFFFF; ///< RGB, under everything when not transparent
    bool bgcolor_given = false;       ///< a BGCOLOR replaces the styles' own background
    Date time;
    /// Draw a large map of one layer on two threads at once when a spare
    /// thread is free: the style's layers cut where both parts take about as
    /// long (judged by earlier draws), then composited; the same picture up
    /// to rounding. wms_bench, 1024×768: drawing 10–13 ms on two threads,
    /// 15–22 ms on one (this machine's speed varies by a third from hour to hour).
    bool two_threads = true;
};

/// The image a GetMap answers in place of the map when the client asked for
/// failures in images (EXCEPTIONS=INIMAGE or BLANK): the request's size and
/// background (see-through when transparent, else BGCOLOR), with `message`
/// written across it when not empty.
Image exception_image(MapRequest const& request, std::string const& message);

/// Draws the map (pixels need not be square: the view is stretched to the
/// requested size). Throws what the renderer throws.
Image render_map(std::shared_ptr<service::MapService const> const& service, MapRequest const& request);

} // namespace sahelmap::ogc

// GET /legend/{style}.png: a style's legend as the print margin draws it
// (rows built from the style itself), for the web viewer and anyone
// embedding our tiles. `change` is the change maps' legend.
#include "handlers.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/encode/png.hpp"
#include "sahelmap/service/legend.hpp"

namespace sahelmap::server::detail {

Handled handle_legend(Request const& request, RouteContext const& context, std::string_view name,
                      std::string_view query)
{
    auto const parts = path_segments(name, 1, ".png");
    if (!parts) throw NotFound("legends are at /legend/{style}.png");
    std::string const id((*parts)[0]);
    auto const& service = *context.snapshot->service;
    auto style = id == "change" ? service.change_style() : service.renderer(id).style_ptr(); // NotFound naming styles
    double scale = 1;
    if (auto const s = query_param(query, "scale")) {
        if (*s == "2")
            scale = 2;
        else if (*s != "1")
            throw BadRequest("legend scale '" + std::string(s->substr(0, 16)) + "' is not 1 or 2");
    }
    // Drawing belongs on the render pool; the request's validators go with it.
    return WorkJob(JobKind::cheap, [snapshot = context.snapshot, style = std::move(style), scale, request,
                                    max_age = context.options->max_age] {
        auto png = encode::encode_png(service::legend_image(*style, std::nullopt, scale));
        return cacheable(request, "image/png", std::move(png), max_age, false);
    });
}

} // namespace sahelmap::server::detail

// XYZ raster tiles: validate the address, answer 304 without rendering
// when the client has the tile, else hand a TileJob to the render pool.
#include "access.hpp"
#include "handlers.hpp"

#include "sahelmap/core/error.hpp"

namespace sahelmap::server::detail {

namespace {

std::string cache_control(RouteContext const& context)
{
    return "public, max-age=" + std::to_string(context.options->max_age);
}

/// The tile's entity tag from what determines its bytes, so a 304 needs no
/// render: the snapshot's fingerprint covers data, styles and the binary.
std::string tile_etag(Snapshot const& snapshot, std::string const& style, TileId const& tile, int scale, int epoch,
                      int from_epoch)
{
    Hasher h;
    h.value(snapshot.fingerprint).text(style).value(tile.z()).value(tile.x()).value(tile.y());
    h.value(scale).value(epoch).value(from_epoch);
    return make_etag(h.digest());
}

} // namespace

Handled handle_tile(Request const& request, RouteContext const& context, std::string_view rest, std::string_view query)
{
    auto const parts = path_segments(rest, 4, ".png");
    if (!parts) throw NotFound("tiles are at /tiles/{style}/{z}/{x}/{y}.png or {y}@2x.png");
    int scale = 1;
    auto y = (*parts)[3];
    if (auto const at = y.find('@'); at != std::string_view::npos) {
        auto const suffix = y.substr(at + 1);
        if (suffix == "2x")
            scale = 2;
        else if (suffix != "1x")
            throw BadRequest("tile scale '@" + std::string(suffix.substr(0, 16)) + "' is not supported (use @2x)");
        y = y.substr(0, at);
    }
    TileId const tile = TileId::parse((*parts)[1], (*parts)[2], y);
    return serve_raster_tile(request, context, raster_tile(std::string((*parts)[0]), tile, scale, query));
}

RasterTile raster_tile(std::string style, TileId tile, int scale, std::string_view query)
{
    std::optional<Date> time, change_from;
    if (auto const time_text = query_param(query, "time")) time = parse_date_parameter(*time_text);
    // /tiles/change/...: the change map between `compare` and `time` (a reserved style id).
    if (style == "change") {
        auto const compare = query_param(query, "compare");
        if (!compare) throw BadRequest("change tiles need compare=YYYY-MM-DD, the date to compare time with");
        change_from = parse_date_parameter(*compare, "compare");
    }
    return {std::move(style), tile, scale, time, change_from};
}

Handled serve_raster_tile(Request const& request, RouteContext const& context, RasterTile t)
{
    auto const& snapshot = context.snapshot;
    Date time = t.time.value_or(snapshot->service->evidence_until());
    std::optional<Date> change_from;
    if (t.change_from) {
        auto const span = service::change_span(time, *t.change_from);
        change_from = span.from;
        time = span.to;
    } else {
        snapshot->service->renderer(t.style); // throws NotFound for an unknown style
    }
    auto const& data = snapshot->service->data();
    int const epoch = data.epoch_of(time);
    int const from_epoch = change_from ? data.epoch_of(*change_from) : -1;
    auto etag = tile_etag(*snapshot, t.style, t.tile, t.scale, epoch, from_epoch);

    if (etag_matches(to_std(request[http::field::if_none_match]), etag)) {
        Response res{http::status::not_modified, 11};
        res.set(http::field::etag, etag);
        res.set(http::field::cache_control, cache_control(context));
        return res;
    }
    return TileJob{snapshot,        std::move(t.style), t.tile,     t.scale, time, epoch,
                   std::move(etag), change_from,        from_epoch, {},      false};
}

} // namespace sahelmap::server::detail

namespace sahelmap::server {

Response tile_response(TileJob const& job, SharedBytes const& png, RouteContext const& context)
{
    if (job.encode) return detail::vector_tile_response(job, png, context);
    auto res = make_response(http::status::ok, "image/png", png);
    res.set(http::field::etag, job.etag);
    res.set(http::field::cache_control, detail::cache_control(context));
    detail::mark_key_dependent(res, *job.snapshot, job.snapshot->keyed || !context.access_key.empty());
    return res;
}

} // namespace sahelmap::server

// Vector tiles: validate the address, answer 304 without encoding when the
// client has the tile, else hand a TileJob to the render queue, which
// serves it from the tile cache the raster tiles use or encodes it on the
// render pool. Encoding a tile takes well under a millisecond once a
// zoom's geometry is reduced, but the first tile of a zoom reduces the
// whole layer (tens of ms) and the first tile of a date computes that
// date's influence scores, so the work never holds an I/O thread.
#include "access.hpp"
#include "handlers.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/features/tiles.hpp"
#include "sahelmap/vector/mvt.hpp"

namespace sahelmap::server::detail {

namespace {

constexpr std::string_view kMvt = "application/vnd.mapbox-vector-tile";

std::string vector_etag(Snapshot const& snapshot, VectorTile const& t, int epoch, bool gzipped)
{
    Hasher h;
    h.value(snapshot.fingerprint).text("vector").value(t.tile.z()).value(t.tile.x()).value(t.tile.y()).value(epoch);
    h.value(t.options.ended).value(!t.options.fields.empty()).value(t.options.label_points);
    if (!t.layer.empty()) h.text(t.layer); // whole tiles keep the tags they had
    return make_etag(h.digest(), gzipped);
}

/// The cache key's `style` for a vector tile: what changes its bytes
/// besides the tile, the epoch and the access view (the newline keeps it
/// apart from every raster style id).
std::string vector_variant(VectorTile const& t, bool gzipped)
{
    std::string variant = "\nvector";
    if (t.options.ended) variant += " ended";
    if (!t.options.fields.empty()) variant += " fields";
    if (t.options.label_points) variant += " labels";
    if (gzipped) variant += " gzip";
    if (!t.layer.empty()) variant += " layer=" + t.layer;
    return variant;
}

/// A 0/1 flag of the query; nullopt when absent.
std::optional<bool> flag(std::string_view query, std::string_view name)
{
    auto const v = query_param(query, name);
    if (!v) return std::nullopt;
    if (*v != "1" && *v != "0")
        throw BadRequest(std::string(name) + " '" + std::string(v->substr(0, 16)) + "' is not 0 or 1");
    return *v == "1";
}

} // namespace

Handled handle_vector_tile(Request const& request, RouteContext const& context, std::string_view rest,
                           std::string_view query)
{
    auto const parts = path_segments(rest, 3, ".mvt");
    if (!parts) throw NotFound("vector tiles are at /tiles/vector/{z}/{x}/{y}.mvt");
    TileId const tile = TileId::parse((*parts)[0], (*parts)[1], (*parts)[2]);
    return serve_vector_tile(request, context, vector_tile(context, tile, query));
}

VectorTile vector_tile(RouteContext const& context, TileId tile, std::string_view query)
{
    VectorTile t{tile, std::nullopt, {}, {}};
    if (auto const time_text = query_param(query, "time")) t.time = parse_date_parameter(*time_text);
    t.options.ended = flag(query, "ended").value_or(false);
    auto const& service = *context.snapshot->service;
    if (flag(query, "fields").value_or(false) && service.influence()) t.options.fields = service.influence()->blocs();
    t.options.label_points = flag(query, "labels").value_or(false);
    return t;
}

Handled serve_vector_tile(Request const& request, RouteContext const& context, VectorTile t)
{
    auto snapshot = context.snapshot;
    Date const time = t.time.value_or(snapshot->service->evidence_until());
    int const epoch = snapshot->service->data().epoch_of(time);
    bool const gzipped = accepts_gzip(to_std(request[http::field::accept_encoding]));
    auto etag = vector_etag(*snapshot, t, epoch, gzipped);

    if (etag_matches(to_std(request[http::field::if_none_match]), etag)) {
        Response res{http::status::not_modified, 11};
        res.set(http::field::etag, etag);
        res.set(http::field::cache_control, "public, max-age=" + std::to_string(context.options->max_age));
        res.set(http::field::vary, "Accept-Encoding");
        return res;
    }
    auto variant = vector_variant(t, gzipped);
    auto const tile = t.tile;
    auto encode = [snapshot, tile, time, options = std::move(t.options), layer = std::move(t.layer), gzipped] {
        // A tile without features is a valid tile without layers (no bytes).
        auto bytes = vector::encode_tile(snapshot->service->data(), tile, time, options);
        // A collection's tile is the tile cut down to its layer, so a client
        // reading the tile's first layer (GDAL) reads the collection.
        if (!layer.empty()) bytes = features::mvt_layer(bytes, layer);
        return gzipped ? gzip(bytes) : bytes;
    };
    return TileJob{std::move(snapshot),
                   std::move(variant),
                   tile,
                   1,
                   time,
                   epoch,
                   std::move(etag),
                   std::nullopt,
                   -1,
                   std::move(encode),
                   gzipped};
}

Response vector_tile_response(TileJob const& job, SharedBytes const& bytes, RouteContext const& context)
{
    auto res = make_response(http::status::ok, kMvt, bytes);
    if (job.gzipped) res.set(http::field::content_encoding, "gzip");
    res.set(http::field::etag, job.etag);
    res.set(http::field::cache_control, "public, max-age=" + std::to_string(context.options->max_age));
    res.set(http::field::vary, "Accept-Encoding");
    mark_key_dependent(res, *job.snapshot, job.snapshot->keyed || !context.access_key.empty());
    return res;
}

} // namespace sahelmap::server::detail

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
#include "sahelmap/vector/mvt.hpp"

namespace sahelmap::server::detail {

namespace {

constexpr std::string_view kMvt = "application/vnd.mapbox-vector-tile";

std::string vector_etag(Snapshot const& snapshot, TileId const& tile, int epoch, vector::MvtOptions const& options,
                        bool gzipped)
{
    Hasher h;
    h.value(snapshot.fingerprint).text("vector").value(tile.z()).value(tile.x()).value(tile.y()).value(epoch);
    h.value(options.ended).value(!options.fields.empty()).value(options.label_points);
    return make_etag(h.digest(), gzipped);
}

/// The cache key's `style` for a vector tile with these options: what
/// changes its bytes besides the tile, the epoch and the access view (the
/// newline keeps it apart from every raster style id).
std::string vector_variant(vector::MvtOptions const& options, bool gzipped)
{
    std::string variant = "\nvector";
    if (options.ended) variant += " ended";
    if (!options.fields.empty()) variant += " fields";
    if (options.label_points) variant += " labels";
    if (gzipped) variant += " gzip";
    return variant;
}

} // namespace

Handled handle_vector_tile(Request const& request, RouteContext const& context, std::string_view rest,
                           std::string_view query)
{
    auto const parts = path_segments(rest, 3, ".mvt");
    if (!parts) throw NotFound("vector tiles are at /tiles/vector/{z}/{x}/{y}.mvt");
    TileId const tile = TileId::parse((*parts)[0], (*parts)[1], (*parts)[2]);
    auto const time_text = query_param(query, "time");
    auto snapshot = context.snapshot;
    Date const time = time_text ? parse_date_parameter(*time_text) : snapshot->service->evidence_until();
    int const epoch = snapshot->service->data().epoch_of(time);
    vector::MvtOptions options;
    if (auto const e = query_param(query, "ended")) {
        if (*e != "1" && *e != "0") throw BadRequest("ended '" + std::string(e->substr(0, 16)) + "' is not 0 or 1");
        options.ended = *e == "1";
    }
    if (auto const f = query_param(query, "fields")) {
        if (*f != "1" && *f != "0") throw BadRequest("fields '" + std::string(f->substr(0, 16)) + "' is not 0 or 1");
        if (*f == "1" && snapshot->service->influence()) options.fields = snapshot->service->influence()->blocs();
    }
    if (auto const l = query_param(query, "labels")) {
        if (*l != "1" && *l != "0") throw BadRequest("labels '" + std::string(l->substr(0, 16)) + "' is not 0 or 1");
        options.label_points = *l == "1";
    }
    bool const gzipped = accepts_gzip(to_std(request[http::field::accept_encoding]));
    auto etag = vector_etag(*snapshot, tile, epoch, options, gzipped);

    if (etag_matches(to_std(request[http::field::if_none_match]), etag)) {
        Response res{http::status::not_modified, 11};
        res.set(http::field::etag, etag);
        res.set(http::field::cache_control, "public, max-age=" + std::to_string(context.options->max_age));
        res.set(http::field::vary, "Accept-Encoding");
        return res;
    }
    auto variant = vector_variant(options, gzipped);
    auto encode = [snapshot, tile, time, options = std::move(options), gzipped] {
        // A tile without features is a valid tile without layers (no bytes).
        auto bytes = vector::encode_tile(snapshot->service->data(), tile, time, options);
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

Response vector_tile_response(Request const& request, TileJob const& job, SharedBytes const& bytes,
                              RouteContext const& context)
{
    auto res = make_response(http::status::ok, kMvt, bytes);
    if (job.gzipped) res.set(http::field::content_encoding, "gzip");
    res.set(http::field::etag, job.etag);
    res.set(http::field::cache_control, "public, max-age=" + std::to_string(context.options->max_age));
    res.set(http::field::vary, "Accept-Encoding");
    mark_key_dependent(res, *job.snapshot, job.snapshot->keyed || !context.access_key.empty());
    finish(res, request);
    return res;
}

} // namespace sahelmap::server::detail

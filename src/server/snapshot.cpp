#include "sahelmap/server/snapshot.hpp"

#include "sahelmap/server/http.hpp"

#include <sys/stat.h>

namespace sahelmap::server {

namespace {

void hash_value(Hasher& h, Value const& v)
{
    h.value(static_cast<std::uint8_t>(v.data.index()));
    if (auto const* a = v.as_array()) {
        h.value(a->size());
        for (auto const& item : *a) hash_value(h, item);
    } else {
        h.text(v.to_string());
    }
}

template <class P> void hash_points(Hasher& h, std::vector<P> const& points)
{
    h.value(points.size());
    if (!points.empty()) h.bytes(points.data(), points.size() * sizeof(P));
}

void hash_geometry(Hasher& h, Geometry<LonLat> const& g)
{
    h.value(static_cast<std::uint8_t>(g.index()));
    std::visit(
        [&](auto const& geom) {
            using T = std::decay_t<decltype(geom)>;
            if constexpr (std::is_same_v<T, MultiPoint<LonLat>>) {
                hash_points(h, geom.points);
            } else if constexpr (std::is_same_v<T, MultiLineString<LonLat>>) {
                h.value(geom.lines.size());
                for (auto const& line : geom.lines) hash_points(h, line);
            } else {
                h.value(geom.polygons.size());
                for (auto const& poly : geom.polygons) {
                    h.value(poly.size());
                    for (auto const& ring : poly) hash_points(h, ring);
                }
            }
        },
        g);
}

void hash_date(Hasher& h, std::optional<Date> const& d)
{
    h.value(d.has_value());
    h.value(d ? d->days() : 0);
}

} // namespace

std::shared_ptr<Snapshot const> make_snapshot(std::shared_ptr<service::MapService const> service,
                                              std::uint64_t version)
{
    static_assert(sizeof(LonLat) == 2 * sizeof(double), "LonLat is hashed as raw doubles");
    Hasher h;
    // The binary draws the tiles too: a rebuilt renderer must not reuse the
    // ETags of the old one, so its size and mtime count as well.
    struct stat st {};
    if (::stat("/proc/self/exe", &st) == 0) {
        h.value(static_cast<std::int64_t>(st.st_size));
        h.value(static_cast<std::int64_t>(st.st_mtim.tv_sec));
        h.value(static_cast<std::int64_t>(st.st_mtim.tv_nsec));
    }
    for (auto const& id : service->style_ids()) h.text(id).text(service->renderer(id).style().json());
    for (auto const& layer : service->store().layers) {
        h.text(layer.name).value(layer.features.size());
        for (auto const& field : layer.schema.fields) h.text(field);
        for (auto const& f : layer.features) {
            h.value(f.fid);
            hash_date(h, f.validity.from);
            hash_date(h, f.validity.to);
            h.value(f.values.size());
            for (auto const& v : f.values) hash_value(h, v);
            hash_geometry(h, f.geometry);
        }
    }
    auto snap = std::make_shared<Snapshot>();
    snap->service = std::move(service);
    snap->version = version;
    snap->fingerprint = h.digest();
    return snap;
}

} // namespace sahelmap::server

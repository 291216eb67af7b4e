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

std::uint64_t fingerprint_of(service::MapService const& service, std::string const& hidden);

std::shared_ptr<Snapshot> view_snapshot(std::shared_ptr<service::MapService const> service, std::uint64_t version,
                                        std::string hidden, std::string const& data_version)
{
    auto snap = std::make_shared<Snapshot>();
    snap->data_version = data_version;
    snap->fingerprint = fingerprint_of(*service, hidden);
    snap->service = std::move(service);
    snap->version = version;
    snap->hidden = std::move(hidden);
    return snap;
}

std::string joined(std::vector<std::string> const& names)
{
    std::string out;
    for (auto const& n : names) out += (out.empty() ? "" : ",") + n;
    return out;
}

} // namespace

std::shared_ptr<Snapshot const> make_snapshot(std::shared_ptr<service::MapService const> service, std::uint64_t version,
                                              std::string const& data_version)
{
    auto const& policy = service->config().access;
    if (policy.empty()) return view_snapshot(std::move(service), version, "", data_version);
    // One view per distinct set of hidden layers, the public one first.
    auto const public_hidden = policy.hidden_from("");
    auto pub = view_snapshot(service->without_layers(public_hidden), version, joined(public_hidden), data_version);
    pub->access = true;
    std::map<std::vector<std::string>, std::shared_ptr<Snapshot const>> by_hidden;
    for (auto const& [name, digest] : policy.keys) {
        auto const hidden = policy.hidden_from(name);
        auto& view = by_hidden[hidden];
        if (!view) {
            if (hidden == public_hidden) {
                view = pub;
            } else {
                auto snap = view_snapshot(hidden.empty() ? service : service->without_layers(hidden), version,
                                          joined(hidden), data_version);
                snap->access = true;
                snap->keyed = true;
                view = std::move(snap);
            }
        }
        // Null for the public view itself: a snapshot never owns itself.
        pub->views[name] = view == pub ? nullptr : view;
    }
    return pub;
}

namespace {

std::uint64_t fingerprint_of(service::MapService const& svc, std::string const& hidden)
{
    auto const* service = &svc;
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
    h.text(hidden); // the views' tiles differ even where their pixels do not
    return h.digest();
}

} // namespace

} // namespace sahelmap::server

#include "sahelmap/export/seed.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/encode/gzip.hpp"
#include "sahelmap/export/mbtiles.hpp"
#include "sahelmap/export/output.hpp"
#include "sahelmap/export/pmtiles.hpp"
#include "sahelmap/vector/mvt.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <numbers>
#include <thread>

namespace sahelmap::exports {

namespace {

constexpr double kMaxLat = 85.0511287798066;

struct ZoomRange {
    int z = 0;
    std::uint32_t x0 = 0, y0 = 0, width = 0, height = 0;
    std::uint64_t first = 0; ///< index of its first tile in the whole pyramid
    std::uint64_t count() const { return std::uint64_t{width} * height; }
};

std::uint32_t column_of(double lon, int z)
{
    double const n = std::ldexp(1.0, z);
    double const x = std::floor((lon + 180.0) / 360.0 * n);
    return static_cast<std::uint32_t>(std::clamp(x, 0.0, n - 1));
}

std::uint32_t row_of(double lat, int z)
{
    double const n = std::ldexp(1.0, z);
    double const phi = std::clamp(lat, -kMaxLat, kMaxLat) * std::numbers::pi / 180.0;
    double const y = std::floor((1.0 - std::asinh(std::tan(phi)) / std::numbers::pi) / 2.0 * n);
    return static_cast<std::uint32_t>(std::clamp(y, 0.0, n - 1));
}

std::vector<ZoomRange> ranges_of(BBox const& b, int minzoom, int maxzoom)
{
    std::vector<ZoomRange> out;
    std::uint64_t first = 0;
    for (int z = minzoom; z <= maxzoom; ++z) {
        ZoomRange r;
        r.z = z;
        r.x0 = column_of(b.minx, z);
        // A box edge exactly on a tile edge does not pull in the next tile
        // (1e-9° is far below a pixel at zoom 20, and survives the projection).
        std::uint32_t const x1 = std::max(r.x0, column_of(b.maxx - 1e-9, z));
        r.y0 = row_of(b.maxy, z);
        std::uint32_t const y1 = std::max(r.y0, row_of(b.miny + 1e-9, z));
        r.width = x1 - r.x0 + 1;
        r.height = y1 - r.y0 + 1;
        r.first = first;
        first += r.count();
        out.push_back(r);
    }
    return out;
}

TileId tile_at_index(std::vector<ZoomRange> const& ranges, std::uint64_t i)
{
    auto it = std::upper_bound(ranges.begin(), ranges.end(), i,
                               [](std::uint64_t v, ZoomRange const& r) { return v < r.first; });
    auto const& r = *(it - 1);
    std::uint64_t const k = i - r.first;
    return *TileId::make(r.z, r.x0 + k % r.width, r.y0 + k / r.width);
}

std::string field_type(FeatureLayer const& layer, std::size_t field)
{
    for (auto const& f : layer.features) {
        auto const& v = f.values[field];
        if (v.is_number()) return "Number";
        if (v.is_bool()) return "Boolean";
        if (!v.is_null()) return "String";
    }
    return "String";
}

/// The `json` metadata of a vector tileset: one vector_layers entry per data layer.
std::string vector_layers_json(service::MapService const& service, int minzoom, int maxzoom, Date time)
{
    nlohmann::ordered_json layers = nlohmann::ordered_json::array();
    auto add = [&](FeatureLayer const& layer) {
        if (layer.kind == GeometryKind::none) return; // tables (events) have no place in tiles
        nlohmann::ordered_json fields = nlohmann::ordered_json::object();
        for (std::size_t i = 0; i < layer.schema.fields.size(); ++i)
            fields[layer.schema.fields[i]] = field_type(layer, i);
        layers.push_back({{"id", layer.name}, {"fields", fields}, {"minzoom", minzoom}, {"maxzoom", maxzoom}});
    };
    for (auto const& layer : service.store().layers) add(layer);
    if (auto const* dynamic = service.data().layer("influence"); dynamic && !service.store().find("influence"))
        add(*dynamic->attributes(time));
    nlohmann::ordered_json doc;
    doc["vector_layers"] = layers;
    return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool has_background(render::Renderer const& renderer)
{
    for (auto const& l : renderer.style().layers())
        if (l.type == style::LayerType::background) return true;
    return false;
}

/// Renders on `threads` workers, hands tiles to the calling thread in batches.
class Pipeline {
public:
    /// Renders the `total` tiles first, first + stride, first + 2 stride, ...
    /// of the pyramid (a shard; 0 and 1 for all of it).
    Pipeline(std::vector<ZoomRange> ranges, std::uint64_t total, std::uint64_t first, std::uint64_t stride,
             std::function<std::string(TileId const&)> encode)
        : m_ranges(std::move(ranges)), m_total(total), m_first(first), m_stride(stride), m_encode(std::move(encode))
    {
    }

    void run(int threads, MbtilesWriter& writer, std::function<void(std::uint64_t)> const& on_batch,
             std::function<bool()> const& cancelled)
    {
        std::vector<std::thread> workers;
        for (int i = 0; i < threads; ++i) workers.emplace_back([this] { work(); });
        try {
            write(writer, on_batch, threads, cancelled);
        } catch (...) {
            stop(std::current_exception());
        }
        for (auto& t : workers) t.join();
        if (m_error) std::rethrow_exception(m_error);
    }

private:
    static constexpr std::size_t kBatch = 256;
    static constexpr std::size_t kQueueCap = 1024;

    void stop(std::exception_ptr e)
    {
        std::lock_guard lock(m_mutex);
        if (!m_error) m_error = e;
        m_stop = true;
        m_can_push.notify_all();
        m_can_pop.notify_all();
    }

    void work()
    {
        try {
            for (;;) {
                std::uint64_t const i = m_next.fetch_add(1);
                if (i >= m_total) break;
                TileId const tile = tile_at_index(m_ranges, m_first + i * m_stride);
                std::string bytes = m_encode(tile);
                std::unique_lock lock(m_mutex);
                m_can_push.wait(lock, [&] { return m_stop || m_queue.size() < kQueueCap; });
                if (m_stop) return;
                m_queue.push_back({tile, std::move(bytes)});
                if (m_queue.size() >= kBatch) m_can_pop.notify_one();
            }
        } catch (...) {
            stop(std::current_exception());
            return;
        }
        std::lock_guard lock(m_mutex);
        ++m_finished;
        m_can_pop.notify_one();
    }

    void write(MbtilesWriter& writer, std::function<void(std::uint64_t)> const& on_batch, int threads,
               std::function<bool()> const& cancelled)
    {
        std::uint64_t done = 0;
        for (;;) {
            if (cancelled && cancelled())
                throw DataError("seeding was interrupted after " + std::to_string(done) + " of " +
                                std::to_string(m_total) + " tiles; nothing was written");
            std::vector<EncodedTile> batch;
            {
                std::unique_lock lock(m_mutex);
                m_can_pop.wait_for(lock, std::chrono::milliseconds(250),
                                   [&] { return m_stop || m_queue.size() >= kBatch || m_finished == threads; });
                if (m_stop) return;
                batch.reserve(m_queue.size());
                while (!m_queue.empty()) {
                    batch.push_back(std::move(m_queue.front()));
                    m_queue.pop_front();
                }
                m_can_push.notify_all();
                if (batch.empty() && m_finished == threads) return;
            }
            done += batch.size();
            // MVT seeding leaves empty tiles out; readers treat a missing tile as empty.
            std::erase_if(batch, [](EncodedTile const& t) { return t.bytes.empty(); });
            if (!batch.empty()) writer.add(batch);
            if (on_batch) on_batch(done);
        }
    }

    std::vector<ZoomRange> m_ranges;
    std::uint64_t m_total;
    std::uint64_t m_first;
    std::uint64_t m_stride;
    std::function<std::string(TileId const&)> m_encode;
    std::atomic<std::uint64_t> m_next{0};
    std::mutex m_mutex;
    std::condition_variable m_can_push, m_can_pop;
    std::deque<EncodedTile> m_queue;
    int m_finished = 0;
    bool m_stop = false;
    std::exception_ptr m_error;
};

std::string num(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

} // namespace

BBox default_bounds(service::MapService const& service)
{
    if (auto const* regions = service.store().find("regions"); regions && !regions->extent.empty())
        return regions->extent;
    BBox all;
    for (auto const& layer : service.store().layers)
        if (!layer.extent.empty()) all.expand(layer.extent);
    return all.empty() ? BBox{-180, -kMaxLat, 180, kMaxLat} : all;
}

std::uint64_t count_tiles(BBox const& bbox, int minzoom, int maxzoom)
{
    std::uint64_t n = 0;
    for (auto const& r : ranges_of(bbox, minzoom, maxzoom)) n += r.count();
    return n;
}

std::uint64_t shard_size(std::uint64_t total, int shard, int shards)
{
    auto const first = static_cast<std::uint64_t>(shard - 1);
    return total > first ? (total - first + static_cast<std::uint64_t>(shards) - 1) / static_cast<std::uint64_t>(shards)
                         : 0;
}

bool is_pmtiles_path(std::filesystem::path const& out)
{
    auto ext = out.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    return ext == ".pmtiles";
}

void validate(service::MapService const& service, SeedOptions const& o)
{
    if (o.shards < 1 || o.shard < 1 || o.shard > o.shards)
        throw BadRequest("--shard " + std::to_string(o.shard) + "/" + std::to_string(o.shards) +
                         " is not K/N with 1 <= K <= N");
    if (o.shards > 1 && is_pmtiles_path(o.out))
        throw BadRequest("--shard writes MBTiles parts, not " + o.out.string() +
                         ": seed the parts into .mbtiles files and merge them with --out FILE.pmtiles");
    if (o.minzoom < 0 || o.maxzoom > kMaxZoom || o.minzoom > o.maxzoom)
        throw BadRequest("--zoom " + std::to_string(o.minzoom) + "-" + std::to_string(o.maxzoom) +
                         " is not a zoom range MIN-MAX with 0 <= MIN <= MAX <= " + std::to_string(kMaxZoom));
    if (o.bbox) {
        auto const& b = *o.bbox;
        std::string const text = num(b.minx) + "," + num(b.miny) + "," + num(b.maxx) + "," + num(b.maxy);
        if (!(b.minx >= -180 && b.maxx <= 180 && b.miny >= -90 && b.maxy <= 90))
            throw BadRequest("--bbox " + text + " lies outside lon -180…180, lat -90…90");
        if (!(b.minx < b.maxx)) throw BadRequest("--bbox " + text + " has west >= east");
        if (!(b.miny < b.maxy)) throw BadRequest("--bbox " + text + " has south >= north");
        if (b.miny >= kMaxLat || b.maxy <= -kMaxLat)
            throw BadRequest("--bbox " + text + " lies outside the Web Mercator latitudes (±85.05)");
    }
    if (o.threads < 1) throw BadRequest("--threads must be at least 1");
    if (o.format == TileFormat::png) (void)service.renderer(o.style); // throws NotFound naming the style
}

SeedResult seed(service::MapService const& service, SeedOptions const& o,
                std::function<void(SeedProgress const&)> const& progress)
{
    validate(service, o);
    check_writable(o.out);
    BBox const bbox = o.bbox ? *o.bbox : default_bounds(service);
    auto ranges = ranges_of(bbox, o.minzoom, o.maxzoom);
    std::uint64_t pyramid = 0;
    for (auto const& r : ranges) pyramid += r.count();
    std::uint64_t const total = shard_size(pyramid, o.shard, o.shards);

    std::function<std::string(TileId const&)> encode;
    if (o.format == TileFormat::png) {
        encode = [&service, style = o.style, time = o.time](TileId const& t) {
            return service.tile_png(style, t, 1, time);
        };
    } else {
        encode = [&service, time = o.time](TileId const& t) {
            std::string pbf = vector::encode_tile(service.data(), t, time);
            return pbf.empty() ? pbf : encode::gzip(pbf, 9);
        };
    }

    auto const start = std::chrono::steady_clock::now();
    auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
    SeedResult result;
    auto write_mbtiles = [&](std::filesystem::path const& tmp) {
        MbtilesWriter writer(tmp);
        Pipeline pipeline(std::move(ranges), total, static_cast<std::uint64_t>(o.shard - 1),
                          static_cast<std::uint64_t>(o.shards), encode);
        pipeline.run(
            o.threads, writer,
            [&](std::uint64_t done) {
                if (progress) progress({done, total, seconds()});
            },
            o.cancelled);

        MbtilesMetadata m;
        m.minzoom = o.minzoom;
        m.maxzoom = o.maxzoom;
        m.bounds = bbox;
        m.center_lon = (bbox.minx + bbox.maxx) / 2;
        m.center_lat = (bbox.miny + bbox.maxy) / 2;
        m.center_zoom = std::clamp(4, o.minzoom, o.maxzoom);
        try {
            m.attribution = service.renderer(o.style).style().attribution();
        } catch (NotFound const&) {
            // MVT seeding names no style; the attribution then stays empty.
        }
        if (o.format == TileFormat::png) {
            auto const& renderer = service.renderer(o.style);
            m.name = "sahelmap " + o.style;
            m.format = "png";
            m.type = has_background(renderer) ? "baselayer" : "overlay";
            m.description = "sahelmap raster tiles, style " + o.style + ", as of " + o.time.to_string();
        } else {
            m.name = "sahelmap vector";
            m.format = "pbf";
            m.type = "overlay";
            m.description = "sahelmap vector tiles (one layer per data layer), as of " + o.time.to_string();
            m.json = vector_layers_json(service, o.minzoom, o.maxzoom, o.time);
        }
        if (o.shards > 1) m.shard = std::to_string(o.shard) + "/" + std::to_string(o.shards);
        writer.finish(m);
        result.tiles = writer.tiles();
        result.distinct = writer.distinct();
    };
    if (is_pmtiles_path(o.out)) {
        write_atomically(o.out, [&](std::filesystem::path const& tmp) {
            auto const staging = std::filesystem::path(tmp.string() + ".mbtiles");
            TemporaryFile const remove_staging(staging);
            write_mbtiles(staging);
            write_pmtiles(staging, tmp);
        });
    } else {
        write_atomically(o.out, write_mbtiles);
    }
    result.seconds = seconds();
    std::error_code ec;
    result.bytes = std::filesystem::file_size(o.out, ec);
    return result;
}

} // namespace sahelmap::exports

#pragma once
/// The router: a pure function from a request to a response, testable
/// without sockets. Tile renders are the one thing it does not do itself
/// (they belong on the render pool): for a tile it answers a TileJob, and
/// tile_response() turns the job and the rendered bytes into the response.
#include "sahelmap/core/date.hpp"
#include "sahelmap/core/tile.hpp"
#include "sahelmap/server/http.hpp"
#include "sahelmap/server/metrics.hpp"
#include "sahelmap/server/options.hpp"
#include "sahelmap/server/snapshot.hpp"
#include "sahelmap/server/tile_cache.hpp"

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <variant>

namespace sahelmap::server {

/// Why the node should not get new traffic now, for GET /readyz. The
/// server lowers it while draining; a service that learns it lags its
/// peers' data version (the PostGIS NOTIFY of issue 16 item 4, not built
/// yet) calls Server::set_behind_peers(). Thread-safe.
class Readiness {
public:
    void set_draining() noexcept { m_draining.store(true, std::memory_order_relaxed); }
    bool draining() const noexcept { return m_draining.load(std::memory_order_relaxed); }
    /// An empty reason: current again.
    void set_behind_peers(std::string reason);
    /// Empty when ready; else one sentence saying why not.
    std::string not_ready_reason() const;

private:
    std::atomic<bool> m_draining{false};
    mutable std::mutex m_mutex;
    std::string m_behind; ///< guarded by m_mutex
};

/// What the router may read; nothing in it is modified.
struct RouteContext {
    std::shared_ptr<Snapshot const> snapshot;
    ServerOptions const* options = nullptr;
    Metrics const* metrics = nullptr; ///< null: /metrics answers 404
    TileCache const* cache = nullptr; ///< for sahelmap_tile_cache_bytes; may be null
    /// host:port for TileJSON URLs when the request has no usable Host header.
    std::string default_host = "127.0.0.1";
    /// The connection's peer IP address ("" when unknown): its forwarded
    /// headers count only when it is one of options->trusted_proxies.
    std::string peer_address;
    /// null: /readyz answers on the snapshot alone (router tests).
    Readiness const* readiness = nullptr;
    /// The name of the valid access key the request carried ("" none); set
    /// by route(), which then holds that key's view in `snapshot`.
    std::string access_key;
};

/// A tile request, validated, waiting for its bytes.
struct TileJob {
    std::shared_ptr<Snapshot const> snapshot;
    std::string style;
    TileId tile;
    int scale = 1;
    Date time;
    int epoch = 0;
    std::string etag;
    /// A change map's tile (style "change"): its earlier date and that date's epoch; `time` is the later one.
    std::optional<Date> change_from;
    int from_epoch = -1;
    /// A vector tile: makes its bytes on the render pool in place of a
    /// raster render (they share the cache, its single flight and ETags);
    /// empty for raster tiles. `style` then names the tile's variant.
    std::function<std::string()> encode;
    bool gzipped = false; ///< a vector tile's bytes are gzip-encoded

    TileKey key() const
    {
        // A view without protected layers has tiles of its own.
        auto const view_style = snapshot->hidden.empty() ? style : style + "\n-" + snapshot->hidden;
        return {snapshot->version, view_style, tile.z(), tile.x(), tile.y(), scale, epoch, from_epoch};
    }
};

/// A validated request whose answer takes real work (a WMS map, a vector
/// tile, a print, a download): `run` is called on the render pool, never on
/// an I/O thread. It may throw sahelmap errors, which become the router's
/// JSON errors; services with their own error format (WMS, WMTS) catch
/// inside `run` and answer their own documents. The session finishes the
/// response (see finish()).
/// How a work job is admitted (see RenderQueue): `cheap` work (vector
/// tiles, legends) goes first and may use every render thread; `medium`
/// work (OGC API items) goes before heavy work and never takes the last
/// thread free for cheap work; `heavy` work (WMS maps, prints, downloads)
/// has a thread cap, a bounded queue and a per-client cap. Untagged jobs
/// are heavy: the safe side.
enum class JobKind { cheap, medium, heavy };

struct WorkJob {
    WorkJob(std::function<Response()> work, JobKind k = JobKind::heavy) : run(std::move(work)), kind(k) {}
    WorkJob(JobKind k, std::function<Response()> work) : run(std::move(work)), kind(k) {}

    std::function<Response()> run;
    JobKind kind;
    /// Heavy work only: the pixels it draws at once (a map's width × height,
    /// a print's page at its dpi), for the render pixel bound; 0: few.
    std::size_t pixels = 0;
};

/// What a handler answers: a response now, a tile for the render queue, or
/// work for the render pool.
using Handled = std::variant<Response, TileJob, WorkJob>;

struct Routed {
    Route route = Route::other; ///< metrics label
    Handled result;
};

/// Answers everything but tile bytes and work jobs. Never throws: every failure becomes
/// its JSON error response. Responses are not finished yet: whoever writes
/// them calls finish() once, just before the write (the session does).
Routed route(Request const& request, RouteContext const& context);

/// The response for a rendered tile, not yet finished (see route()).
Response tile_response(TileJob const& job, SharedBytes const& png, RouteContext const& context);

} // namespace sahelmap::server

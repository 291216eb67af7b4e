#pragma once
// What the listener, the sessions and the server's lifecycle share. Internal
// to src/server: Boost.Asio types live here, not in public headers.
// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include "log.hpp"
#include "sahelmap/server/metrics.hpp"
#include "sahelmap/server/options.hpp"
#include "sahelmap/server/router.hpp"
#include "sahelmap/server/tile_cache.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace sahelmap::server::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

/// The open connections, so a stop can close the idle ones at once while
/// busy ones finish their request.
class SessionRegistry {
public:
    /// A connection's entry. `stream` and `idle` are touched only on the
    /// connection's strand (`executor`), by the session and by close_idle().
    struct Slot {
        asio::any_io_executor executor;
        beast::tcp_stream* stream = nullptr; ///< null once the session has ended
        bool idle = false;                   ///< waiting for the first byte of a request
    };

    std::shared_ptr<Slot> add(asio::any_io_executor executor, beast::tcp_stream* stream);
    /// Called on the slot's strand when the session ends.
    void remove(std::shared_ptr<Slot> const& slot);
    std::size_t size() const;
    /// Cancels the read of every connection waiting for a request.
    void close_idle();

private:
    mutable std::mutex m_mutex;
    std::unordered_set<std::shared_ptr<Slot>> m_slots;
};

/// Renders tiles on a pool of their own, one render per key at a time:
/// requests for a tile being rendered wait for that render (single flight).
class RenderQueue {
public:
    RenderQueue(TileCache& cache, Metrics& metrics, Logger const& log, int threads,
                std::chrono::milliseconds delay);
    ~RenderQueue();

    /// The tile's bytes from the cache, or from a render; rethrows the
    /// render's error. Resumes on the calling coroutine's executor.
    asio::awaitable<SharedBytes> fetch(TileJob const& job);
    /// Runs a work job on the pool; rethrows its error. Resumes on the
    /// calling coroutine's executor.
    asio::awaitable<Response> run(WorkJob job);
    /// Waits for the renders under way (at shutdown).
    void join();

private:
    using Waiter = std::function<void(std::exception_ptr, SharedBytes)>;
    void submit(TileJob const& job, TileKey const& key, Waiter waiter);
    void render(TileJob const& job, TileKey const& key);

    TileCache& m_cache;
    Metrics& m_metrics;
    Logger const& m_log;
    std::chrono::milliseconds const m_delay;
    asio::thread_pool m_pool;
    std::mutex m_mutex;
    std::unordered_map<TileKey, std::vector<Waiter>, TileKeyHash> m_flights;
};

/// Shared state of one server. Member order matters: the I/O context is
/// destroyed first (its pending coroutines use the rest).
struct ServerCore {
    ServerCore(ServerOptions opts, std::shared_ptr<Snapshot const> first);

    ServerOptions const options;
    Logger const log;
    Metrics metrics;
    TileCache cache;
    SessionRegistry sessions;
    std::atomic<std::shared_ptr<Snapshot const>> snapshot;
    std::atomic<bool> stopping{false};
    std::string default_host; ///< host:port of the listening socket, for TileJSON without Host
    RenderQueue renders;
    asio::io_context ioc;

    RouteContext context() const { return {snapshot.load(), &options, &metrics, &cache, default_host}; }
};

/// Accepts connections until the acceptor is closed; each gets a session
/// on a strand of its own.
asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, ServerCore& core);

/// One connection: reads requests one at a time (pipelined ones wait in the
/// read buffer), answers each in order, enforces the timeouts and limits.
asio::awaitable<void> run_session(tcp::socket socket, ServerCore& core);

} // namespace sahelmap::server::detail

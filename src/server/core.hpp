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
#include <boost/beast/core/tcp_stream.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace sahelmap::server::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

/// The open connections: a stop closes the idle ones at once while busy
/// ones finish their request; admission enforces the connection limits and,
/// at the limit or out of file descriptors, sheds the longest-idle ones.
class SessionRegistry {
public:
    using Clock = std::chrono::steady_clock;

    /// A connection's entry. `stream` is touched only on the connection's
    /// strand (`executor`); `idle_since` is written there and read by the
    /// accept loop to choose whom to shed, hence atomic.
    struct Slot {
        asio::any_io_executor executor;
        std::string address;                 ///< the peer's IP address, for the per-address limit
        beast::tcp_stream* stream = nullptr; ///< null until the session starts and once it has ended
        /// Waiting for the first byte of a request since then (steady clock
        /// ticks); 0 while a request is read, handled or answered.
        std::atomic<Clock::rep> idle_since{0};
        bool shed = false; ///< chosen to be closed (guarded by the registry's mutex)

        // A large answer being sent (see begin_answer): its size (0: none),
        // the bytes written so far and since when (steady clock ticks).
        std::atomic<std::size_t> answer_bytes{0};
        std::atomic<std::size_t> answer_sent{0};
        std::atomic<Clock::rep> answer_since{0};
        bool answer_cut = false; ///< chosen to be cut (guarded by the registry's mutex)
    };

    enum class Refusal { none, address_full, server_full };
    struct Admission {
        std::shared_ptr<Slot> slot; ///< null when refused
        Refusal refusal = Refusal::none;
        bool shed = false; ///< an idle connection was closed to make room
    };

    /// Registers a new connection from `address` unless the address has
    /// `per_address` connections already (0: no such limit); at `total`
    /// connections, the longest-idle one is shed to make room, and when none
    /// is idle the new one is refused.
    Admission admit(asio::any_io_executor executor, std::string address, std::size_t total, std::size_t per_address);
    /// Called on the slot's strand when the session ends.
    void remove(std::shared_ptr<Slot> const& slot);
    std::size_t size() const;
    /// Cancels the read of every connection waiting for a request.
    void close_idle();
    /// Closes up to `count` connections waiting for a request, longest idle
    /// first; returns how many were chosen.
    std::size_t shed_idle(std::size_t count);

    /// The bytes of large answers held while their clients take them: a
    /// session counts its answer from before its write until it ends.
    /// begin_answer returns the total held with this one, which counts from
    /// now as written (so it is not the slowest for `grace`).
    std::size_t begin_answer(Slot& slot, std::size_t bytes);
    void end_answer(Slot& slot);
    /// Held bytes not already chosen to be cut.
    std::size_t answer_bytes() const;
    /// Cuts the slowest readers (fewest bytes a second since their answer
    /// began, among the answers sending for `grace` or longer) until the
    /// bytes they hold reach `wanted`; returns how many were cut. Their
    /// connections close on their strands; the bytes count until they do.
    std::size_t cut_slow_readers(std::size_t wanted, Clock::duration grace);

private:
    /// Marks the longest-idle slot not yet shed and posts its cancel; false
    /// when none is idle. Called with m_mutex held.
    bool shed_one();

    mutable std::mutex m_mutex;
    std::unordered_set<std::shared_ptr<Slot>> m_slots;
    std::unordered_map<std::string, std::size_t> m_per_address;
    std::size_t m_active = 0;       ///< slots not shed
    std::size_t m_answer_bytes = 0; ///< large answers held (guarded by m_mutex)
    std::size_t m_cut_bytes = 0;    ///< of which chosen to be cut
};

/// The render threads and their admission: three FIFO lanes (JobKind).
/// A free thread takes cheap work first, then medium, then heavy; medium
/// and heavy work never take the last thread not running them, and heavy
/// work at most `heavy_threads` threads, so a tile waits at most for other
/// cheap work, never behind a map or a print. Heavy work beyond the queue
/// bound or the per-client cap is refused when posted, never queued; heavy
/// work that would draw more than `pixels` at once with what runs waits.
class WorkLanes {
public:
    struct Limits {
        int threads = 2;            ///< at least heavy_threads + 1
        int heavy_threads = 1;      ///< at least 1
        std::size_t queue = 32;     ///< medium and heavy jobs waiting, each lane; 0: unbounded
        std::size_t per_client = 4; ///< heavy jobs queued or running per client; 0: unbounded
        std::size_t pixels = 0;     ///< heavy jobs' pixels drawn at once; 0: unbounded
    };
    /// The limits --render-threads, --heavy-threads, --heavy-queue,
    /// --heavy-per-client and --render-megapixels make.
    static Limits limits(ServerOptions const& options);

    WorkLanes(Limits limits, Metrics& metrics);
    ~WorkLanes();
    WorkLanes(WorkLanes const&) = delete;
    WorkLanes& operator=(WorkLanes const&) = delete;

    /// What a task hands over once its lane has counted it done (may be empty).
    using Delivery = std::function<void()>;
    /// Queues `task` in its kind's lane; `client` is the peer's address,
    /// `pixels` what a heavy task draws at once. Throws Unavailable (queue
    /// full) or TooManyRequests (the client's cap) for medium and heavy work
    /// beyond the bounds; `task` is then dropped.
    void post(JobKind kind, std::string const& client, std::function<Delivery()> task, std::size_t pixels = 0);
    /// Runs what is queued, then ends the threads (at shutdown).
    void join();
    Limits const& limits() const noexcept { return m_limits; }

private:
    struct Task {
        std::function<Delivery()> run;
        std::string client;     ///< heavy work only: whose per-client count to release
        std::size_t pixels = 0; ///< heavy work only: drawn at once
    };
    void work();
    /// The lane a free thread may take from now, or -1. With m_mutex held.
    int pick() const;
    void publish(std::size_t lane) const; ///< the lane's gauges; with m_mutex held

    Limits const m_limits;
    Metrics& m_metrics;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::array<std::deque<Task>, 3> m_queued;
    std::array<int, 3> m_running{};
    std::size_t m_running_pixels = 0; ///< of the heavy work running
    std::unordered_map<std::string, std::size_t> m_per_client;
    bool m_stopping = false;
    std::vector<std::thread> m_threads;
};

/// Renders tiles on the work lanes' cheap lane, one render per key at a
/// time: requests for a tile being rendered wait for that render (single
/// flight). Work jobs go to the lane their kind names.
class RenderQueue {
public:
    RenderQueue(TileCache& cache, Metrics& metrics, Logger const& log, ServerOptions const& options);
    ~RenderQueue();

    /// The tile's bytes from the cache, or from a render; rethrows the
    /// render's error. Resumes on the calling coroutine's executor.
    asio::awaitable<SharedBytes> fetch(TileJob const& job);
    /// Runs a work job on the pool; rethrows its error, or the refusal of
    /// its admission (see WorkLanes::post). `client` is the peer's address.
    /// Resumes on the calling coroutine's executor.
    asio::awaitable<Response> run(WorkJob job, std::string const& client);
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
    std::chrono::milliseconds const m_work_delay;
    WorkLanes m_pool;
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
    /// Connections served at once: --max-connections, or by default what the
    /// file descriptor limit leaves room for (set once at start).
    std::size_t connection_limit = 0;
    std::atomic<std::shared_ptr<Snapshot const>> snapshot;
    std::atomic<bool> stopping{false};
    Readiness readiness; ///< for GET /readyz
    /// Answers of 1 MiB or more being sent: when the last one is, freed
    /// memory is given back to the system (malloc_trim).
    std::atomic<std::size_t> large_bodies{0};
    std::string default_host; ///< host:port of the listening socket, for TileJSON without Host
    RenderQueue renders;
    asio::io_context ioc;

    RouteContext context() const
    {
        return {snapshot.load(), &options, &metrics, &cache, default_host, {}, &readiness, {}};
    }
};

/// Raises the soft limit on open files to the hard one (the default soft
/// limit is what runs out first under many connections); returns the soft
/// limit in force.
std::size_t raise_open_file_limit(Logger const& log);
/// --max-connections, or by default what `soft_limit` leaves room for once
/// the descriptors open now and a reserve are counted (at most 4096).
std::size_t connection_limit(ServerOptions const& options, std::size_t soft_limit, Logger const& log);

/// Accepts connections until the acceptor is closed; each gets a session
/// on a strand of its own.
asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, ServerCore& core);

/// One connection: reads requests one at a time (pipelined ones wait in the
/// read buffer), answers each in order, enforces the timeouts and limits.
/// `slot` is the connection's entry from SessionRegistry::admit().
asio::awaitable<void> run_session(tcp::socket socket, ServerCore& core, std::shared_ptr<SessionRegistry::Slot> slot);

} // namespace sahelmap::server::detail

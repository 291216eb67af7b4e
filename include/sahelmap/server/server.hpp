#pragma once
/// The HTTP tile service: binds on construction, serves while run() runs,
/// stops gracefully, reloads config, data and styles without dropping
/// connections. Boost stays behind the pimpl so callers need none of it.
#include "sahelmap/server/options.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace sahelmap::server {

class Server {
public:
    /// Loads the config, data and styles and binds the listening socket.
    /// Throws sahelmap::Error (DataError, StyleError, ...) on a bad config
    /// and sahelmap::Error when the address cannot be bound.
    explicit Server(ServerOptions options);
    ~Server();
    Server(Server const&) = delete;
    Server& operator=(Server const&) = delete;

    /// The bound port (the one picked when the options said 0).
    std::uint16_t port() const noexcept;
    /// "http://127.0.0.1:PORT" — what a client on this machine should use.
    std::string url() const;

    /// Serves on the I/O threads and the calling thread until stop(); returns
    /// once in-flight requests have been answered.
    void run();
    /// Stops accepting, lets in-flight requests finish, closes idle
    /// connections. Thread-safe; may be called before or during run().
    void stop();
    /// What SIGTERM does: /readyz answers 503 at once, everything else is
    /// served for options.drain_delay, then stop(). Thread-safe.
    void drain();
    /// Marks the node as lagging the shared data's version: a non-empty
    /// reason makes /readyz answer 503 saying it; an empty one makes the
    /// node ready again. The config "reload" watch calls it after each
    /// poll (a failed reload that leaves the node behind). Thread-safe.
    void set_behind_peers(std::string reason);
    /// Rebuilds the map service from the config; on success the version
    /// increments and the tile cache forgets older versions; on failure the
    /// current version stays and the reason is logged. Thread-safe, synchronous.
    bool reload();
    /// 1 at start, +1 per successful reload.
    std::uint64_t version() const noexcept;
    /// Tiles rendered so far (cache misses that were not coalesced).
    std::uint64_t renders() const noexcept;
    /// What GET /metrics answers, read without a connection: at the
    /// connection limit a probe over HTTP would take (or shed) a slot.
    std::string metrics_text() const;

private:
    class Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace sahelmap::server

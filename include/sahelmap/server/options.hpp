#pragma once
/// What `sahelmap serve` can be told: addresses, threads, limits, timeouts.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sahelmap::server {

enum class LogLevel { error, warn, info, debug };

/// Parses error|warn|info|debug; nullopt for anything else.
std::optional<LogLevel> parse_log_level(std::string_view text) noexcept;

/// Whether `text` is an IP address or a CIDR network (for --trusted-proxy).
bool valid_trusted_proxy(std::string_view text);

/// The web root compiled in: `${PROJECT_SOURCE_DIR}/web`.
std::filesystem::path default_web_root();

struct ServerOptions {
    std::string bind = "127.0.0.1";
    std::uint16_t port = 8080; ///< 0 picks a free port; Server::port() tells which
    int threads = 2;           ///< threads running the I/O context
    int render_threads = 2;    ///< the tile rendering pool, apart from I/O
    std::size_t cache_bytes = std::size_t{256} << 20;
    int max_age = 3600; ///< Cache-Control max-age of tiles, styles and TileJSON, seconds
    LogLevel log_level = LogLevel::info;
    /// Config file to load (and reload); nullopt = the embedded defaults.
    std::optional<std::filesystem::path> config_file;
    /// Poll the config, style and data files' mtimes and reload when one changes.
    bool watch = false;
    std::chrono::milliseconds watch_interval{1000};
    std::filesystem::path web_root = default_web_root();

    /// A request's header must arrive whole within this once its first byte
    /// came: a client trickling bytes (slowloris) is dropped.
    std::chrono::milliseconds read_timeout{10'000};
    /// A new connection's first request header must arrive whole within this
    /// of the connect: silent sockets are closed long before idle_timeout.
    std::chrono::milliseconds header_timeout{10'000};
    /// A keep-alive connection may sit without a request this long.
    std::chrono::milliseconds idle_timeout{60'000};
    /// A response must be taken by the client within this.
    std::chrono::milliseconds write_timeout{30'000};
    /// After a stop, connections still busy past this are cut.
    std::chrono::milliseconds stop_grace{30'000};
    /// On SIGTERM/SIGINT, GET /readyz answers 503 for this long while every
    /// other path is still served and connections still accepted, so a load
    /// balancer polling /readyz takes the node out before it stops
    /// accepting. 0: stop accepting at once.
    std::chrono::milliseconds drain_delay{0};

    /// Connections open at once. 0: as many as the file descriptor limit
    /// leaves room for (at most 4096). At the limit a new connection sheds
    /// the longest-idle one, or is refused with 503 when none is idle.
    std::size_t max_connections = 0;
    /// Connections open at once from one IP address; more are refused with
    /// 503. 0: no such limit (behind a proxy every client has its address).
    std::size_t max_connections_per_address = 256;

    std::size_t header_limit = 8 * 1024; ///< request line and headers; more → 431 (or 414)
    std::size_t url_limit = 2 * 1024;    ///< request target; more → 414

    /// The base of every absolute link the service writes (TileJSON, styles,
    /// WMS/WMTS capabilities, OGC API links), e.g. "https://maps.example.org/base",
    /// without a trailing slash. Empty: http:// and the request's Host.
    std::string public_url;
    /// Addresses or CIDR networks of reverse proxies whose X-Forwarded-Proto,
    /// X-Forwarded-Host, X-Forwarded-Prefix and Forwarded headers shape the
    /// links when public_url is empty. Empty: those headers are ignored.
    std::vector<std::string> trusted_proxies;

    /// WMS GetMap: width and height at most this many pixels each.
    int wms_max_size = 4096;
    /// GET /print: paper at most this size (A4 < letter < A3 < A2) and
    /// resolution at most this many dots per inch; beyond, 400.
    std::string print_max_paper = "A2";
    int print_max_dpi = 300;

    /// Render threads heavy work (WMS maps, prints, downloads) may occupy at
    /// once; 0: all but one of render_threads (at least 1). The pool always
    /// keeps one thread that heavy and medium work never take, so tiles are
    /// never queued behind them (with 1 render thread it has 2).
    int heavy_threads = 0;
    /// Heavy jobs waiting for a thread; one more is refused with 503 and
    /// Retry-After. 0: no bound (each connection still has one at most).
    std::size_t heavy_queue = 32;
    /// Heavy jobs one IP address may have queued or running at once; one
    /// more is refused with 429 and Retry-After. 0: no such limit.
    std::size_t heavy_per_client = 4;
    /// Pixels heavy work draws at once (a WMS map's width × height, a
    /// print's page at its dpi): a job waits while the ones running would
    /// go past this with it; one job alone always runs. 0: no bound.
    std::size_t render_pixels = std::size_t{32} << 20;
    /// Bytes of large answers (256 KiB or more: maps, prints, downloads)
    /// held while their clients take them. Past it the slowest readers are
    /// cut, and while that is not enough heavy work is refused with 503 and
    /// Retry-After. 0: no bound.
    std::size_t answer_memory = std::size_t{128} << 20;
    /// SO_SNDBUF of each connection (nginx's `listen ... sndbuf=`), bytes;
    /// 0: the kernel's autotuning, which on Linux takes up to 4 MiB of an
    /// answer per connection into kernel memory, beyond these bounds.
    std::size_t send_buffer = 0;
    /// A large answer is cut for the bound only once it has been sending
    /// this long: a reader that fast has its answer by then.
    std::chrono::milliseconds slow_reader_grace{2000};

    /// SIGINT/SIGTERM stop gracefully, SIGHUP reloads. Off for servers
    /// embedded in another program (tests), whose signals are not ours.
    bool handle_signals = false;
    /// Testing only: every render waits this long first, so tests can keep
    /// a request in flight deterministically.
    std::chrono::milliseconds render_delay{0};
    /// Testing only: every medium and heavy work job waits this long first
    /// (on its render thread, holding its slot).
    std::chrono::milliseconds work_delay{0};
};

} // namespace sahelmap::server

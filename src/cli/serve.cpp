#include "sahelmap/cli/serve.hpp"

#include "sahelmap/cli/args.hpp"
#include "sahelmap/server/server.hpp"

#include <malloc.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <ostream>
#include <thread>

namespace sahelmap::cli {

namespace {

constexpr char kServeHelp[] = R"(usage: sahelmap serve [options]

Serves XYZ and vector tiles, styles, TileJSON, WMS, WMTS, OGC API - Features,
printable maps, the styled GeoPackage, /healthz, /readyz and /metrics over HTTP/1.1 until
SIGINT or SIGTERM (in-flight requests finish, exit 0). SIGHUP reloads the
config, data and styles without dropping connections; a failed reload keeps
the running version.

options:
  --config FILE          data and style config (default: embedded data)
  --bind ADDRESS         IP address to listen on             (default: 127.0.0.1)
  --port N               TCP port; 0 picks a free one        (default: 8080)
  --threads N            I/O threads                         (default: 2)
  --render-threads N     tile rendering threads              (default: cores)
  --heavy-threads N      render threads WMS maps, prints and downloads may
                         take at once; one thread is always kept for tiles
                         (default: render threads - 1, at least 1)
  --heavy-queue N        WMS maps, prints and downloads waiting for a thread;
                         beyond, 503 with Retry-After; 0 = no bound (default: 32)
  --heavy-per-client N   WMS maps, prints and downloads one IP address may
                         have queued or running; beyond, 429 with Retry-After;
                         0 = no limit, behind a proxy        (default: 4)
  --render-megapixels N  pixels WMS maps and prints may draw at once, in
                         millions; a job waits while more would be, one
                         alone always runs; 0 = no bound     (default: 32)
  --answer-memory-mb N   MiB of large answers (maps, prints, downloads) held
                         for clients taking them; beyond, the slowest
                         readers are cut and heavy work gets 503 with
                         Retry-After; 0 = no bound           (default: 128)
  --send-buffer-kb N     each connection's kernel send buffer (SO_SNDBUF);
                         0 = the kernel's autotuning         (default: 0)
  --cache-mb N           tile cache size in MiB; 0 = none    (default: 256)
  --max-age SECONDS      Cache-Control max-age of tiles      (default: 3600)
  --log-level LEVEL      error, warn, info or debug          (default: info)
  --watch                reload when a config, style or data file changes
  --web-root DIR         files for / and /static/            (default: the source tree's web/)
  --read-timeout SEC     a request header must arrive within (default: 10)
  --idle-timeout SEC     keep-alive connections idle at most (default: 60)
  --header-timeout SEC   a new connection's first header within (default: 10)
  --drain-delay SEC      after SIGTERM/SIGINT, GET /readyz answers 503 this
                         long while all else is still served, so a balancer
                         polling /readyz drains the node first (default: 0)
  --max-connections N    connections open at once; at the limit the
                         longest-idle one is closed (default: what the open
                         file limit leaves room for, at most 4096)
  --max-connections-per-address N
                         connections from one IP address, more get 503;
                         0 = no limit, behind a proxy        (default: 256)
  --wms-max-size PX      largest WMS GetMap width or height  (default: 4096)
  --print-max-paper P    largest paper GET /print accepts    (default: A2)
  --print-max-dpi N      highest dpi GET /print accepts      (default: 300)
  --public-url URL       base of every absolute link written (TileJSON, styles,
                         WMS/WMTS capabilities, OGC API), e.g. behind a proxy
                         https://maps.example.org/base   (default: http://Host)
  --trusted-proxy LIST   addresses or CIDR networks, comma-separated, of reverse
                         proxies whose X-Forwarded-Proto/-Host/-Prefix and
                         Forwarded (proto=, host=) headers set the links when
                         --public-url is not given   (default: none, ignored)

Prints "listening on http://HOST:PORT" on standard output once bound; one
line per request goes to standard error at log level info.
)";

long long parse_whole(std::string const& text, char const* option, long long min, long long max)
{
    long long v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v < min || v > max)
        throw UsageError(std::string("--") + option + " '" + text + "' must be a whole number from " +
                         std::to_string(min) + " to " + std::to_string(max));
    return v;
}

std::chrono::milliseconds parse_seconds(std::string const& text, char const* option)
{
    double v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || !(v > 0) || v > 86400)
        throw UsageError(std::string("--") + option + " '" + text + "' must be a number of seconds above 0");
    return std::chrono::milliseconds(std::max<long long>(1, std::llround(v * 1000)));
}

/// glibc gives threads that allocate their own arenas (up to 8 per core)
/// and keeps what each frees for its own thread: under a mixed load RSS grew
/// from 263 to 416 MiB between minutes 2 and 4 with no plateau
/// (bench/soak.sh 4), where two arenas held it flat at 377 MiB. Set before
/// the first server thread starts; an operator's MALLOC_ARENA_MAX wins.
void bound_allocator_arenas()
{
    if (std::getenv("MALLOC_ARENA_MAX")) return;
    ::mallopt(M_ARENA_MAX, std::max(2, static_cast<int>(std::thread::hardware_concurrency() / 2)));
}

} // namespace

/// http(s)://host[:port][/path], no query or fragment; the trailing slash
/// dropped so paths append cleanly.
static std::string parse_public_url(std::string url)
{
    bool const scheme = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
    auto const host_at = url.find("://") + 3;
    bool const host = scheme && host_at < url.size() && url[host_at] != '/';
    if (!scheme || !host || url.find_first_of("?#\"<> ") != std::string::npos)
        throw UsageError(
            "--public-url '" + url.substr(0, 100) +
            "' must be an http:// or https:// URL with a host and no query, e.g. https://maps.example.org/base");
    while (url.size() > host_at && url.back() == '/') url.pop_back();
    return url;
}

/// "10.0.0.1,192.168.0.0/16,::1": each an address or a CIDR network.
static std::vector<std::string> parse_trusted_proxies(std::string const& list)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= list.size()) {
        auto const comma = std::min(list.find(',', start), list.size());
        auto const entry = list.substr(start, comma - start);
        if (!server::valid_trusted_proxy(entry))
            throw UsageError("--trusted-proxy '" + entry.substr(0, 64) +
                             "' must be IP addresses or CIDR networks, comma-separated, e.g. 127.0.0.1,10.0.0.0/8");
        out.push_back(entry);
        start = comma + 1;
    }
    return out;
}

int cmd_serve(std::vector<std::string> const& argv, std::ostream& out)
{
    Args args("serve", argv,
              {{"config"},
               {"bind"},
               {"port"},
               {"threads"},
               {"render-threads"},
               {"cache-mb"},
               {"max-age"},
               {"log-level"},
               {"watch", false},
               {"web-root"},
               {"read-timeout"},
               {"idle-timeout"},
               {"header-timeout"},
               {"max-connections"},
               {"max-connections-per-address"},
               {"wms-max-size"},
               {"print-max-paper"},
               {"print-max-dpi"},
               {"public-url"},
               {"trusted-proxy"},
               {"heavy-threads"},
               {"heavy-queue"},
               {"heavy-per-client"},
               {"render-megapixels"},
               {"answer-memory-mb"},
               {"send-buffer-kb"},
               {"drain-delay"},
               // Testing only: delays every render so tests can hold a request in flight.
               {"render-delay-ms"},
               {"work-delay-ms"}});
    if (args.help()) {
        out << kServeHelp;
        return 0;
    }
    if (!args.positionals().empty()) throw UsageError("sahelmap serve takes no arguments, only options (see --help)");

    server::ServerOptions opts;
    opts.handle_signals = true;
    if (auto v = args.get("config")) opts.config_file = *v;
    if (auto v = args.get("bind")) opts.bind = *v;
    if (auto v = args.get("port")) opts.port = static_cast<std::uint16_t>(parse_whole(*v, "port", 0, 65535));
    if (auto v = args.get("threads")) opts.threads = static_cast<int>(parse_whole(*v, "threads", 1, 256));
    opts.render_threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    if (auto v = args.get("render-threads"))
        opts.render_threads = static_cast<int>(parse_whole(*v, "render-threads", 1, 256));
    if (auto v = args.get("cache-mb"))
        opts.cache_bytes = static_cast<std::size_t>(parse_whole(*v, "cache-mb", 0, 1 << 20)) << 20;
    if (auto v = args.get("max-age")) opts.max_age = static_cast<int>(parse_whole(*v, "max-age", 0, 315360000));
    if (auto v = args.get("log-level")) {
        auto level = server::parse_log_level(*v);
        if (!level) throw UsageError("--log-level '" + *v + "' must be error, warn, info or debug");
        opts.log_level = *level;
    }
    opts.watch = args.has("watch");
    if (auto v = args.get("web-root")) opts.web_root = *v;
    if (auto v = args.get("read-timeout")) opts.read_timeout = parse_seconds(*v, "read-timeout");
    if (auto v = args.get("idle-timeout")) opts.idle_timeout = parse_seconds(*v, "idle-timeout");
    if (auto v = args.get("header-timeout")) opts.header_timeout = parse_seconds(*v, "header-timeout");
    if (auto v = args.get("max-connections"))
        opts.max_connections = static_cast<std::size_t>(parse_whole(*v, "max-connections", 1, 1 << 20));
    if (auto v = args.get("max-connections-per-address"))
        opts.max_connections_per_address =
            static_cast<std::size_t>(parse_whole(*v, "max-connections-per-address", 0, 1 << 20));
    if (auto v = args.get("wms-max-size"))
        opts.wms_max_size = static_cast<int>(parse_whole(*v, "wms-max-size", 16, 16384));
    if (auto v = args.get("print-max-paper")) {
        if (*v != "A4" && *v != "letter" && *v != "A3" && *v != "A2")
            throw UsageError("--print-max-paper '" + *v + "' must be A4, letter, A3 or A2");
        opts.print_max_paper = *v;
    }
    if (auto v = args.get("print-max-dpi"))
        opts.print_max_dpi = static_cast<int>(parse_whole(*v, "print-max-dpi", 36, 1200));
    if (auto v = args.get("public-url")) opts.public_url = parse_public_url(*v);
    if (auto v = args.get("trusted-proxy")) opts.trusted_proxies = parse_trusted_proxies(*v);
    if (auto v = args.get("heavy-threads"))
        opts.heavy_threads = static_cast<int>(parse_whole(*v, "heavy-threads", 1, 256));
    if (auto v = args.get("heavy-queue"))
        opts.heavy_queue = static_cast<std::size_t>(parse_whole(*v, "heavy-queue", 0, 1 << 20));
    if (auto v = args.get("heavy-per-client"))
        opts.heavy_per_client = static_cast<std::size_t>(parse_whole(*v, "heavy-per-client", 0, 1 << 20));
    if (auto v = args.get("render-megapixels"))
        opts.render_pixels = static_cast<std::size_t>(parse_whole(*v, "render-megapixels", 0, 1 << 16)) << 20;
    if (auto v = args.get("answer-memory-mb"))
        opts.answer_memory = static_cast<std::size_t>(parse_whole(*v, "answer-memory-mb", 0, 1 << 20)) << 20;
    if (auto v = args.get("send-buffer-kb"))
        opts.send_buffer = static_cast<std::size_t>(parse_whole(*v, "send-buffer-kb", 0, 1 << 16)) << 10;
    if (auto v = args.get("drain-delay")) opts.drain_delay = parse_seconds(*v, "drain-delay");
    if (auto v = args.get("work-delay-ms"))
        opts.work_delay = std::chrono::milliseconds(parse_whole(*v, "work-delay-ms", 0, 60000));
    if (auto v = args.get("render-delay-ms"))
        opts.render_delay = std::chrono::milliseconds(parse_whole(*v, "render-delay-ms", 0, 60000));

    bound_allocator_arenas();
    server::Server server(std::move(opts));
    out << "listening on " << server.url() << std::endl; // flushed: scripts wait for this line
    server.run();
    return 0;
}

} // namespace sahelmap::cli

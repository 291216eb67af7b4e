// The server's lifecycle: load, bind, run the I/O threads, stop gracefully
// on a signal, reload on SIGHUP, when a watched file changes or when the
// shared data's version (config "reload") moves.
#include "sahelmap/server/server.hpp"

#include "core.hpp"
#include "sahelmap/core/error.hpp"
#include "sahelmap/source/data_version.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <condition_variable>
#include <csignal>
#include <optional>
#include <thread>

namespace sahelmap::server {

namespace detail {

ServerCore::ServerCore(ServerOptions opts, std::shared_ptr<Snapshot const> first)
    : options(std::move(opts)), log(options.log_level), cache(options.cache_bytes), snapshot(std::move(first)),
      renders(cache, metrics, log, options), ioc(std::max(1, options.threads))
{
}

namespace {

/// What a watched file looked like; a change of either counts.
struct FileStamp {
    std::filesystem::path path;
    std::filesystem::file_time_type mtime{};
    std::uintmax_t size = 0;
    friend bool operator==(FileStamp const&, FileStamp const&) = default;
};

/// The files a config reads: itself, its style files, its file-based layers
/// (connection strings such as PG: are not files and are not watched).
std::vector<std::filesystem::path> files_of(source::Config const& config,
                                            std::optional<std::filesystem::path> const& config_file)
{
    std::vector<std::filesystem::path> files;
    if (config_file) files.push_back(*config_file);
    for (auto const& s : config.styles)
        if (!s.path.empty()) files.emplace_back(s.path);
    for (auto const& l : config.layers) {
        std::error_code ec;
        if (!l.embedded && std::filesystem::is_regular_file(l.connection, ec)) files.emplace_back(l.connection);
    }
    std::sort(files.begin(), files.end());
    files.erase(std::unique(files.begin(), files.end()), files.end());
    return files;
}

std::vector<FileStamp> stamp(std::vector<std::filesystem::path> const& files)
{
    std::vector<FileStamp> stamps;
    for (auto const& f : files) {
        std::error_code ec;
        FileStamp s{f, std::filesystem::last_write_time(f, ec), 0};
        if (ec) s.mtime = {}; // missing: recorded as such, its return counts as a change
        s.size = std::filesystem::file_size(f, ec);
        if (ec) s.size = 0;
        stamps.push_back(std::move(s));
    }
    return stamps;
}

std::vector<std::filesystem::path> paths_of(std::vector<FileStamp> const& stamps)
{
    std::vector<std::filesystem::path> paths;
    for (auto const& s : stamps) paths.push_back(s.path);
    return paths;
}

/// Loads config, data and styles as snapshot `version`. With a config
/// "reload" watch the data version is read first: data committed during the
/// load then makes the next poll see a newer version and reload again,
/// where reading it after could record a version newer than the data.
std::shared_ptr<Snapshot const> load_snapshot(std::optional<std::filesystem::path> const& config_file,
                                              std::uint64_t version)
{
    auto config = config_file ? source::Config::load(*config_file) : source::Config::defaults();
    std::string data_version;
    if (config.reload.enabled()) data_version = source::read_data_version(config.reload);
    return make_snapshot(service::MapService::load(std::move(config)), version, data_version);
}

std::string describe(std::exception const& e)
{
    std::string text = e.what();
    // what() names the first problem of a style; the log gets all of them.
    if (auto const* style = dynamic_cast<StyleError const*>(&e))
        for (std::size_t i = 1; i < style->problems().size(); ++i) text += "; " + style->problems()[i];
    return text;
}

} // namespace

} // namespace detail

using namespace detail;

class Server::Impl {
public:
    explicit Impl(ServerOptions options);
    ~Impl();

    void run();
    void stop();
    void begin_drain();
    bool reload();

    std::unique_ptr<ServerCore> m_core;
    asio::strand<asio::io_context::executor_type> m_control; ///< acceptor, signals and stop run here
    tcp::acceptor m_acceptor;
    std::optional<asio::signal_set> m_signals;
    /// Runs out drain_delay after SIGTERM; cancelled by an earlier stop so
    /// it does not hold the I/O context open.
    std::optional<asio::steady_timer> m_drain_timer;
    std::uint16_t m_port = 0;

private:
    void begin_stop();
    asio::awaitable<void> stop_after_drain_delay();
    asio::awaitable<void> drain();
    asio::awaitable<void> signal_loop();
    void request_reload();
    void reloader_loop();
    bool files_changed();
    void stop_reloader();
    void data_version_loop();
    void check_data_version(std::optional<source::DataVersionQuery>& query);

    std::mutex m_reload_mutex; ///< one reload at a time; guards m_stamps and m_reload_error
    std::vector<FileStamp> m_stamps;
    std::string m_reload_error; ///< why the last reload failed; empty after a success

    // The data version watch (config "reload"), on its own thread so a slow
    // database never delays SIGHUP or file-watch reloads.
    std::thread m_version_watcher;
    std::string m_version_error;                           ///< last version-query error logged (logged once)
    unsigned m_version_reload_failures = 0;                ///< in a row, for the retry back-off
    std::chrono::steady_clock::time_point m_version_retry; ///< no reload attempt before this

    std::mutex m_wake_mutex;
    std::condition_variable m_wake;
    bool m_reload_requested = false;
    bool m_reloader_stop = false;
    std::thread m_reloader;
};

Server::Impl::Impl(ServerOptions options)
    : m_core(std::make_unique<ServerCore>(options, load_snapshot(options.config_file, 1))),
      m_control(asio::make_strand(m_core->ioc)), m_acceptor(m_control)
{
    auto const& opts = m_core->options;
    beast::error_code ec;
    auto const address = asio::ip::make_address(opts.bind, ec);
    if (ec) throw BadRequest("--bind '" + opts.bind + "' is not an IP address");
    tcp::endpoint const endpoint(address, opts.port);
    std::string const where = (address.is_v6() ? "[" + opts.bind + "]" : opts.bind) + ":" + std::to_string(opts.port);
    try {
        m_acceptor.open(endpoint.protocol());
        m_acceptor.set_option(asio::socket_base::reuse_address(true));
        m_acceptor.bind(endpoint);
        m_acceptor.listen(asio::socket_base::max_listen_connections);
        m_port = m_acceptor.local_endpoint().port();
    } catch (boost::system::system_error const& e) {
        throw Error("cannot listen on " + where + ": " + e.code().message());
    }
    // The address clients on this machine reach us at (TileJSON without a Host header).
    std::string host = address.is_unspecified() ? (address.is_v6() ? "[::1]" : "127.0.0.1")
                                                : (address.is_v6() ? "[" + opts.bind + "]" : opts.bind);
    m_core->default_host = host + ":" + std::to_string(m_port);
    m_stamps = stamp(files_of(m_core->snapshot.load()->service->config(), opts.config_file));
    m_core->connection_limit = connection_limit(opts, raise_open_file_limit(m_core->log), m_core->log);
}

Server::Impl::~Impl()
{
    stop_reloader();
    // Renders still running post to the I/O context: finish them while it exists.
    m_core->renders.join();
}

void Server::Impl::run()
{
    auto& core = *m_core;
    auto log_failure = [&core](char const* what) {
        return [&core, what](std::exception_ptr error) {
            if (!error) return;
            try {
                std::rethrow_exception(error);
            } catch (std::exception const& e) {
                core.log.write(LogLevel::error, std::string(what) + ": " + e.what());
            } catch (...) {
                core.log.write(LogLevel::error, std::string(what) + ": unknown exception");
            }
        };
    };
    asio::co_spawn(m_control, accept_loop(m_acceptor, core), log_failure("listener stopped"));
    if (core.options.handle_signals) {
        m_signals.emplace(m_control, SIGINT, SIGTERM, SIGHUP);
        asio::co_spawn(m_control, signal_loop(), log_failure("signal handling stopped"));
    }
    if (core.options.handle_signals || core.options.watch) m_reloader = std::thread([this] { reloader_loop(); });
    if (core.snapshot.load()->service->config().reload.enabled())
        m_version_watcher = std::thread([this] { data_version_loop(); });

    auto const snap = core.snapshot.load();
    char line[256];
    std::snprintf(line, sizeof line,
                  "serving %zu styles on http://%s (version %llu, %d I/O threads, %d render threads, cache %zu MiB, "
                  "at most %zu connections)",
                  snap->service->style_ids().size(), core.default_host.c_str(),
                  static_cast<unsigned long long>(snap->version), std::max(1, core.options.threads),
                  std::max(1, core.options.render_threads), core.options.cache_bytes >> 20, core.connection_limit);
    core.log.write(LogLevel::info, line);

    std::vector<std::thread> threads;
    for (int i = 1; i < core.options.threads; ++i) threads.emplace_back([&core] { core.ioc.run(); });
    core.ioc.run();
    for (auto& t : threads) t.join();
    stop_reloader();
    core.log.write(LogLevel::info, "stopped");
}

void Server::Impl::stop()
{
    asio::post(m_control, [this] { begin_stop(); });
}

void Server::Impl::begin_drain()
{
    auto& core = *m_core;
    if (core.stopping.load() || core.readiness.draining()) return;
    core.readiness.set_draining();
    if (core.options.drain_delay.count() <= 0) {
        begin_stop();
        return;
    }
    core.log.write(LogLevel::info, "draining: /readyz answers 503 for " +
                                       std::to_string(core.options.drain_delay.count()) +
                                       " ms while requests are still served, then stopping");
    asio::co_spawn(m_control, stop_after_drain_delay(), asio::detached);
}

asio::awaitable<void> Server::Impl::stop_after_drain_delay()
{
    if (m_core->stopping.load()) co_return; // stopped before this began (same strand: no race)
    m_drain_timer.emplace(m_control);
    m_drain_timer->expires_after(m_core->options.drain_delay);
    beast::error_code ec;
    co_await m_drain_timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    begin_stop(); // a no-op when a second signal or stop() came first
}

void Server::Impl::begin_stop()
{
    auto& core = *m_core;
    core.readiness.set_draining(); // keep-alive connections asking /readyz now get 503
    if (core.stopping.exchange(true)) return;
    if (m_drain_timer) m_drain_timer->cancel();
    core.log.write(LogLevel::info, "stopping: no new connections; " + std::to_string(core.sessions.size()) +
                                       " open connection(s) finish their request");
    beast::error_code ec;
    m_acceptor.close(ec);
    core.sessions.close_idle();
    {
        std::lock_guard lock(m_wake_mutex);
        m_reloader_stop = true;
    }
    m_wake.notify_all();
    asio::co_spawn(m_control, drain(), asio::detached);
}

asio::awaitable<void> Server::Impl::drain()
{
    auto& core = *m_core;
    auto const deadline = std::chrono::steady_clock::now() + core.options.stop_grace;
    asio::steady_timer timer(m_control);
    beast::error_code ec;
    while (core.sessions.size() > 0 && std::chrono::steady_clock::now() < deadline) {
        timer.expires_after(std::chrono::milliseconds(10));
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    if (auto const left = core.sessions.size(); left > 0) {
        core.log.write(LogLevel::warn, std::to_string(left) + " connection(s) still busy after the grace period: cut");
        core.ioc.stop();
    }
    if (m_signals) m_signals->cancel(ec);
}

asio::awaitable<void> Server::Impl::signal_loop()
{
    auto& core = *m_core;
    for (;;) {
        beast::error_code ec;
        int const signal = co_await m_signals->async_wait(asio::redirect_error(asio::use_awaitable, ec));
        if (ec) co_return;
        if (signal == SIGHUP) {
            core.log.write(LogLevel::info, "SIGHUP: reloading config, data and styles");
            request_reload();
        } else if (!core.stopping.load() && !core.readiness.draining()) {
            core.log.write(LogLevel::info, signal == SIGINT ? "SIGINT received" : "SIGTERM received");
            begin_drain();
        } else if (!core.stopping.load()) {
            core.log.write(LogLevel::info, "second stop signal while draining: stopping now");
            begin_stop();
        } else {
            core.log.write(LogLevel::warn, "second stop signal: cutting open connections now");
            core.ioc.stop();
            co_return;
        }
    }
}

bool Server::Impl::reload()
{
    auto& core = *m_core;
    std::lock_guard lock(m_reload_mutex);
    auto const current = core.snapshot.load();
    // Stamped before reading: a file changed during the load is seen next poll.
    auto before = stamp(files_of(current->service->config(), core.options.config_file));
    try {
        auto snapshot = load_snapshot(core.options.config_file, current->version + 1);
        auto const files = files_of(snapshot->service->config(), core.options.config_file);
        m_stamps = files == paths_of(before) ? std::move(before) : stamp(files);
        bool const same = snapshot->fingerprint == current->fingerprint;
        auto const version = snapshot->version;
        core.snapshot.store(std::move(snapshot));
        core.cache.drop_before(version);
        core.log.write(LogLevel::info, "reloaded: now version " + std::to_string(version) +
                                           (same ? " (styles and data unchanged)" : ""));
        core.metrics.reload_done(true);
        m_reload_error.clear();
        return true;
    } catch (std::exception const& e) {
        m_stamps = std::move(before); // retry only when a file changes again
        core.log.write(LogLevel::error,
                       "reload failed, still serving version " + std::to_string(current->version) + ": " + describe(e));
        core.metrics.reload_done(false);
        m_reload_error = describe(e);
        return false;
    }
}

void Server::Impl::request_reload()
{
    {
        std::lock_guard lock(m_wake_mutex);
        m_reload_requested = true;
    }
    m_wake.notify_all();
}

bool Server::Impl::files_changed()
{
    std::lock_guard lock(m_reload_mutex);
    auto const now = stamp(paths_of(m_stamps));
    for (std::size_t i = 0; i < now.size(); ++i) {
        if (now[i] != m_stamps[i]) {
            m_core->log.write(LogLevel::info, "changed: " + now[i].path.string() + ", reloading");
            return true;
        }
    }
    return false;
}

void Server::Impl::reloader_loop()
{
    auto const& options = m_core->options;
    std::unique_lock lock(m_wake_mutex);
    while (!m_reloader_stop) {
        auto const woken = [this] { return m_reload_requested || m_reloader_stop; };
        if (options.watch)
            m_wake.wait_for(lock, options.watch_interval, woken);
        else
            m_wake.wait(lock, woken);
        if (m_reloader_stop) break;
        bool want = std::exchange(m_reload_requested, false);
        lock.unlock();
        if (!want && options.watch) want = files_changed();
        if (want) reload();
        lock.lock();
    }
}

void Server::Impl::stop_reloader()
{
    {
        std::lock_guard lock(m_wake_mutex);
        m_reloader_stop = true;
    }
    m_wake.notify_all();
    if (m_reloader.joinable()) m_reloader.join();
    if (m_version_watcher.joinable()) m_version_watcher.join();
}

void Server::Impl::data_version_loop()
{
    std::optional<source::DataVersionQuery> query;
    std::unique_lock lock(m_wake_mutex);
    while (!m_reloader_stop) {
        // The interval of the config in force: a reload may change it.
        auto const interval = m_core->snapshot.load()->service->config().reload.interval;
        m_wake.wait_for(lock, interval, [this] { return m_reloader_stop; });
        if (m_reloader_stop) break;
        lock.unlock();
        check_data_version(query);
        lock.lock();
    }
}

void Server::Impl::check_data_version(std::optional<source::DataVersionQuery>& query)
{
    auto& core = *m_core;
    auto const served = core.snapshot.load();
    auto const& watch = served->service->config().reload;
    if (!watch.enabled()) { // a reload removed the watch
        query.reset();
        core.readiness.set_behind_peers("");
        return;
    }
    if (!query || query->watch() != watch) query.emplace(watch);
    std::string database;
    try {
        database = query->read();
    } catch (std::exception const& e) {
        // The node cannot tell whether it lags, so its readiness stays as it
        // was: a database outage must not drain every node at once.
        core.metrics.version_check_failed();
        if (e.what() != m_version_error) core.log.write(LogLevel::warn, std::string("data version check: ") + e.what());
        m_version_error = e.what();
        return;
    }
    if (!m_version_error.empty()) core.log.write(LogLevel::info, "data version check works again");
    m_version_error.clear();
    if (database == served->data_version) {
        m_version_reload_failures = 0;
        core.readiness.set_behind_peers("");
        core.metrics.data_versions(served->data_version, database, false);
        return;
    }
    // A failing reload is retried with a back-off (one interval, doubling up
    // to 30 s) so a broken source is not read twice a second; SIGHUP retries at once.
    auto const now = std::chrono::steady_clock::now();
    if (m_version_reload_failures > 0 && now < m_version_retry) {
        core.metrics.data_versions(served->data_version, database, true);
        return;
    }
    core.log.write(LogLevel::info, "data version " + database + " in the database (serving " +
                                       (served->data_version.empty() ? "none" : served->data_version) + "): reloading");
    bool const ok = reload();
    auto const after = core.snapshot.load();
    // Lagging after a reload is what drains a node: a successful reload
    // that read an even newer version is caught up; one that failed is not.
    bool const behind = !ok && after->data_version != database;
    if (behind) {
        ++m_version_reload_failures;
        auto const backoff = std::min<std::chrono::milliseconds>(
            watch.interval * (1LL << std::min(m_version_reload_failures - 1, 10U)), std::chrono::seconds(30));
        m_version_retry = now + backoff;
        std::string error;
        {
            std::lock_guard lock(m_reload_mutex);
            error = m_reload_error;
        }
        core.readiness.set_behind_peers("serves data version " +
                                        (after->data_version.empty() ? "none" : after->data_version) +
                                        ", the database has " + database + "; the reload failed: " + error);
    } else {
        m_version_reload_failures = 0;
        core.readiness.set_behind_peers("");
    }
    core.metrics.data_versions(after->data_version, database, behind);
}

Server::Server(ServerOptions options) : m_impl(std::make_unique<Impl>(std::move(options))) {}
Server::~Server() = default;

std::uint16_t Server::port() const noexcept
{
    return m_impl->m_port;
}
std::string Server::url() const
{
    return "http://" + m_impl->m_core->default_host;
}
void Server::run()
{
    m_impl->run();
}
void Server::stop()
{
    m_impl->stop();
}
void Server::drain()
{
    asio::post(m_impl->m_control, [impl = m_impl.get()] { impl->begin_drain(); });
}
void Server::set_behind_peers(std::string reason)
{
    m_impl->m_core->readiness.set_behind_peers(std::move(reason));
}
bool Server::reload()
{
    return m_impl->reload();
}
std::uint64_t Server::version() const noexcept
{
    return m_impl->m_core->snapshot.load()->version;
}
std::uint64_t Server::renders() const noexcept
{
    return m_impl->m_core->metrics.renders();
}

} // namespace sahelmap::server

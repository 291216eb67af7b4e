// The server's lifecycle: load, bind, run the I/O threads, stop gracefully
// on a signal. Reloads (SIGHUP, watched files, the shared data's version)
// are the Reloader's (reloader.cpp).
#include "sahelmap/server/server.hpp"

#include "core.hpp"
#include "reloader.hpp"
#include "sahelmap/core/error.hpp"

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

} // namespace detail

using namespace detail;

class Server::Impl {
public:
    explicit Impl(ServerOptions options);
    ~Impl();

    void run();
    void stop();
    void begin_drain();
    bool reload() { return m_reloader->reload(); }

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

    std::unique_ptr<Reloader> m_reloader; ///< after m_core, which it uses
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
    m_reloader = std::make_unique<Reloader>(*m_core);
    m_core->connection_limit = connection_limit(opts, raise_open_file_limit(m_core->log), m_core->log);
}

Server::Impl::~Impl()
{
    m_reloader->stop();
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
    m_reloader->start();

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
    m_reloader->stop();
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
    m_reloader->signal_stop();
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
            m_reloader->request();
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
std::string Server::metrics_text() const
{
    auto const& core = *m_impl->m_core;
    return core.metrics.text(core.cache.bytes());
}

} // namespace sahelmap::server

#include "core.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <cerrno>

namespace sahelmap::server::detail {

namespace {

using Clock = std::chrono::steady_clock;

/// A run of one kind of trouble (no file descriptors, a full server): it is
/// logged when it begins, not at every failed accept, and ends after a
/// quiet spell.
class Episode {
public:
    /// Records an occurrence; true when it begins a new episode.
    bool occurs(Clock::time_point now)
    {
        bool const begins = !m_last || now - *m_last > std::chrono::seconds(10);
        m_last = now;
        return begins;
    }

private:
    std::optional<Clock::time_point> m_last;
};

bool out_of_descriptors(beast::error_code const& ec) noexcept
{
    return ec.category() == boost::system::system_category() && (ec.value() == EMFILE || ec.value() == ENFILE);
}

/// Tells a refused client why before closing: one small write on a fresh
/// socket's empty send buffer, never waited for.
void refuse(tcp::socket& socket, std::string_view why)
{
    std::string const body = std::string(why) + "\n";
    std::string const answer = "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 5\r\n"
                               "Content-Type: text/plain\r\nContent-Length: " +
                               std::to_string(body.size()) + "\r\n\r\n" + body;
    beast::error_code ec;
    socket.non_blocking(true, ec);
    socket.write_some(asio::buffer(answer), ec);
    socket.shutdown(tcp::socket::shutdown_both, ec);
    socket.close(ec);
}

} // namespace

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, ServerCore& core)
{
    Episode no_descriptors, server_full, address_full;
    auto backoff = std::chrono::milliseconds(10);
    for (;;) {
        // Each connection runs on a strand of its own: its coroutine, its
        // timeouts and a stop's close_idle() never run at the same time.
        tcp::socket socket(asio::make_strand(core.ioc));
        beast::error_code ec;
        co_await acceptor.async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
        if (!acceptor.is_open() || ec == asio::error::operation_aborted) co_return;
        if (ec) {
            std::chrono::milliseconds pause(100);
            if (out_of_descriptors(ec)) {
                // Idle keep-alive connections give their descriptors back so
                // the waiting clients (whose connections the kernel already
                // holds) can be accepted; without idle ones, back off.
                std::size_t const open = core.sessions.size();
                std::size_t const shed = core.sessions.shed_idle(std::max<std::size_t>(16, open / 8));
                core.metrics.connections_shed(shed);
                if (no_descriptors.occurs(Clock::now()))
                    core.log.write(LogLevel::warn, "accept failed: " + ec.message() + " with " + std::to_string(open) +
                                                       " connections open: closing the longest-idle ones (" +
                                                       std::to_string(shed) +
                                                       " now); further failures in this episode are not logged");
                pause = shed > 0 ? std::chrono::milliseconds(10) : backoff;
                backoff = std::min(backoff * 2, std::chrono::milliseconds(1000));
            } else {
                core.log.write(LogLevel::warn, "accept failed: " + ec.message());
            }
            asio::steady_timer timer(acceptor.get_executor(), pause);
            co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            continue;
        }
        backoff = std::chrono::milliseconds(10);
        std::string address = "?";
        if (auto ep = socket.remote_endpoint(ec); !ec) address = ep.address().to_string();
        auto admission = core.sessions.admit(socket.get_executor(), address, core.connection_limit,
                                             core.options.max_connections_per_address);
        if (admission.shed) core.metrics.connections_shed(1);
        if (!admission.slot) {
            bool const per_address = admission.refusal == SessionRegistry::Refusal::address_full;
            core.metrics.connection_refused(per_address);
            auto& episode = per_address ? address_full : server_full;
            std::string const why = per_address ? "too many connections from " + address + " (at most " +
                                                      std::to_string(core.options.max_connections_per_address) + ")"
                                                : "the server has " + std::to_string(core.connection_limit) +
                                                      " connections open, none idle";
            if (episode.occurs(Clock::now()))
                core.log.write(LogLevel::warn,
                               "refusing connections: " + why + "; further refusals in this episode are not logged");
            refuse(socket, why);
            continue;
        }
        socket.set_option(tcp::no_delay(true), ec);
        if (core.options.send_buffer > 0)
            socket.set_option(asio::socket_base::send_buffer_size(static_cast<int>(core.options.send_buffer)), ec);
        auto executor = socket.get_executor();
        asio::co_spawn(executor, run_session(std::move(socket), core, std::move(admission.slot)),
                       [&core](std::exception_ptr error) {
                           if (!error) return;
                           try {
                               std::rethrow_exception(error);
                           } catch (std::exception const& e) {
                               core.log.write(LogLevel::error,
                                              std::string("connection ended by an exception: ") + e.what());
                           } catch (...) {
                               core.log.write(LogLevel::error, "connection ended by an unknown exception");
                           }
                       });
    }
}

} // namespace sahelmap::server::detail

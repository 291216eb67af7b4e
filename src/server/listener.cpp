#include "core.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace sahelmap::server::detail {

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, ServerCore& core)
{
    for (;;) {
        // Each connection runs on a strand of its own: its coroutine, its
        // timeouts and a stop's close_idle() never run at the same time.
        tcp::socket socket(asio::make_strand(core.ioc));
        beast::error_code ec;
        co_await acceptor.async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
        if (!acceptor.is_open() || ec == asio::error::operation_aborted) co_return;
        if (ec) {
            core.log.write(LogLevel::warn, "accept failed: " + ec.message());
            // Out of file descriptors: pause instead of spinning on the error.
            asio::steady_timer pause(acceptor.get_executor(), std::chrono::milliseconds(100));
            co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            continue;
        }
        socket.set_option(tcp::no_delay(true), ec);
        auto executor = socket.get_executor();
        asio::co_spawn(executor, run_session(std::move(socket), core), [&core](std::exception_ptr error) {
            if (!error) return;
            try {
                std::rethrow_exception(error);
            } catch (std::exception const& e) {
                core.log.write(LogLevel::error, std::string("connection ended by an exception: ") + e.what());
            } catch (...) {
                core.log.write(LogLevel::error, "connection ended by an unknown exception");
            }
        });
    }
}

} // namespace sahelmap::server::detail

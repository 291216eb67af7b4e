#include "access.hpp"
#include "core.hpp"

#include "sahelmap/server/errors.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <malloc.h>

namespace sahelmap::server::detail {

namespace {

using Clock = std::chrono::steady_clock;

/// Read-ahead beyond the header limit: pipelined requests read along with
/// a header wait here, and a client cannot queue more than this.
constexpr std::size_t kReadAhead = 8 * 1024;
constexpr std::size_t kReadChunk = 4096;
/// An answer this large (a map, a print, a download) counts in a burst.
constexpr std::size_t kLargeBody = std::size_t{1} << 20;
/// An answer this large counts against --answer-memory-mb while it is sent
/// (tiles and documents are smaller, and many share the cache's bytes).
constexpr std::size_t kHeldAnswer = std::size_t{256} << 10;
/// What a client refused for the answer memory bound is told to wait:
/// about as long as a slow reader has before it may be cut.
constexpr int kMemoryRetryAfterSeconds = 5;

/// Whether `target` may carry a key parameter for redact_keys() to hide:
/// "key" in any case anywhere after the '?'.
bool mentions_key(std::string_view target) noexcept
{
    auto const question = target.find('?');
    if (question == std::string_view::npos) return false;
    for (auto i = question + 1; i + 3 <= target.size(); ++i) {
        if ((target[i] | 0x20) == 'k' && (target[i + 1] | 0x20) == 'e' && (target[i + 2] | 0x20) == 'y') return true;
    }
    return false;
}

/// Removes the session's slot when the coroutine ends, however it ends.
class SlotGuard {
public:
    SlotGuard(SessionRegistry& registry, std::shared_ptr<SessionRegistry::Slot> slot)
        : m_registry(registry), m_slot(std::move(slot))
    {
    }
    ~SlotGuard() { m_registry.remove(m_slot); }
    SlotGuard(SlotGuard const&) = delete;
    SlotGuard& operator=(SlotGuard const&) = delete;

private:
    SessionRegistry& m_registry;
    std::shared_ptr<SessionRegistry::Slot> m_slot;
};

/// Counts a large answer as held (SessionRegistry::begin_answer) from its
/// write until it is sent or the session ends, however it ends.
class HeldAnswer {
public:
    HeldAnswer(ServerCore& core, SessionRegistry::Slot& slot, std::size_t bytes)
        : m_core(core), m_slot(slot), m_total(core.sessions.begin_answer(slot, bytes))
    {
        m_core.metrics.answer_bytes(m_total);
    }
    ~HeldAnswer()
    {
        m_core.sessions.end_answer(m_slot);
        m_core.metrics.answer_bytes(m_core.sessions.answer_bytes());
    }
    HeldAnswer(HeldAnswer const&) = delete;
    HeldAnswer& operator=(HeldAnswer const&) = delete;
    std::size_t total() const noexcept { return m_total; }

private:
    ServerCore& m_core;
    SessionRegistry::Slot& m_slot;
    std::size_t m_total;
};

/// "1.4 MiB", "256 KiB": bytes for a person.
std::string describe_bytes(std::size_t bytes)
{
    char text[32];
    if (bytes >= (std::size_t{1} << 20))
        std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
    else
        std::snprintf(text, sizeof text, "%zu KiB", bytes >> 10);
    return text;
}

/// Heavy work renders an answer that is held while it is sent: past the
/// answer memory bound, the slowest readers are cut to make room, and
/// while they hold too much still the work is refused before it renders.
void admit_heavy_work(ServerCore& core)
{
    auto const limit = core.options.answer_memory;
    if (limit == 0) return;
    auto const held = core.sessions.answer_bytes();
    if (held < limit) return;
    core.metrics.answers_cut(core.sessions.cut_slow_readers(held - limit + 1, core.options.slow_reader_grace));
    auto const left = core.sessions.answer_bytes();
    if (left < limit) return;
    core.metrics.work_refused_memory();
    throw Unavailable("answers being sent to other clients hold " + describe_bytes(left) + ", at most " +
                          describe_bytes(limit) + " (--answer-memory-mb): retry later",
                      kMemoryRetryAfterSeconds);
}

/// Writes `response` in parts, recording the bytes sent on the slot so the
/// slowest readers can be told apart.
asio::awaitable<void> write_counted(beast::tcp_stream& stream, Response& response, SessionRegistry::Slot& slot,
                                    beast::error_code& ec)
{
    http::response_serializer<SharedBody> serializer(response);
    std::size_t sent = 0;
    while (!serializer.is_done()) {
        sent += co_await http::async_write_some(stream, serializer, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) co_return;
        slot.answer_sent.store(sent, std::memory_order_relaxed);
    }
}

/// The client stopped talking or went away: nothing to answer.
bool is_disconnect(beast::error_code const& ec) noexcept
{
    return ec == http::error::end_of_stream || ec == http::error::partial_message || ec == beast::error::timeout ||
           ec == asio::error::operation_aborted || ec == asio::error::eof || ec == asio::error::connection_reset ||
           ec == asio::error::broken_pipe || ec == asio::error::bad_descriptor;
}

std::string_view buffered(beast::flat_buffer const& buffer) noexcept
{
    return {static_cast<char const*>(buffer.data().data()), buffer.size()};
}

/// What a header that failed to parse deserves: 414 when the request line
/// alone passes the URL limit, 431 for too many header bytes, else 400.
std::exception_ptr parse_failure(beast::error_code const& ec, beast::flat_buffer const& buffer,
                                 ServerOptions const& options)
{
    if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
        auto const received = buffered(buffer);
        auto const line_end = received.find('\n');
        auto const line = line_end == std::string_view::npos ? received.size() : line_end;
        if (line > options.url_limit + 16) // 16: method, spaces and version around the target
            return std::make_exception_ptr(
                UriTooLong("the request target is longer than " + std::to_string(options.url_limit) + " bytes"));
        return std::make_exception_ptr(
            HeadersTooLarge("the request headers exceed " + std::to_string(options.header_limit) + " bytes"));
    }
    return std::make_exception_ptr(BadRequest("the request is not valid HTTP/1.1 (" + ec.message() + ")"));
}

/// Reads until the buffer holds a whole request header and returns its
/// size. Beast 1.74's parser applies its header limit to each read rather
/// than to the whole header, so a header arriving in pieces could grow
/// without bound: the limit is enforced here, before the parser sees it.
asio::awaitable<std::size_t> read_header(beast::tcp_stream& stream, beast::flat_buffer& buffer, std::size_t limit,
                                         beast::error_code& ec)
{
    std::size_t scanned = 0;
    for (;;) {
        auto const data = buffered(buffer);
        // A request starts with a method, a token of letters: anything else
        // (a TLS handshake, binary noise) is refused now, not at the timeout.
        if (!data.empty() && !std::isalpha(static_cast<unsigned char>(data.front()))) {
            ec = http::error::bad_method;
            co_return 0;
        }
        auto const end = data.find("\r\n\r\n", scanned > 3 ? scanned - 3 : 0);
        // A bare LF would never make "\r\n\r\n": refuse it now (400), not
        // at the timeout (RFC 9112 §2.2 lets a server reject it).
        auto const header = end == std::string_view::npos ? data : data.substr(0, end + 4);
        for (auto lf = header.find('\n', scanned > 0 ? scanned - 1 : 0); lf != std::string_view::npos;
             lf = header.find('\n', lf + 1)) {
            if (lf == 0 || header[lf - 1] != '\r') {
                ec = http::error::bad_line_ending;
                co_return 0;
            }
        }
        if (end != std::string_view::npos && end + 4 <= limit) co_return end + 4;
        if (end != std::string_view::npos || data.size() >= limit) {
            ec = http::error::header_limit;
            co_return 0;
        }
        scanned = data.size();
        auto const n =
            co_await stream.async_read_some(buffer.prepare(kReadChunk), asio::redirect_error(asio::use_awaitable, ec));
        if (ec) co_return 0;
        buffer.commit(n);
    }
}

void log_request(ServerCore const& core, std::string const& peer, Request const& request, Response const& response,
                 std::size_t bytes, double seconds)
{
    // A refusal of heavy work (503) is the server protecting itself, not a fault: a warning.
    bool const refusal = response.result_int() == 503;
    bool const fault = response.result_int() >= 500 && !refusal;
    if (!core.log.enabled(fault ? LogLevel::error : refusal ? LogLevel::warn : LogLevel::info)) return;
    // One line buffer per thread, reused: a request line allocates nothing.
    thread_local std::string line;
    line.assign(peer);
    line += ' ';
    // A request that did not parse shows as "- -".
    auto const method = to_std(request.method_string());
    auto const target = to_std(request.target());
    if (method.empty())
        line += '-';
    else
        append_printable(line, method, 16);
    line += ' ';
    if (target.empty())
        line += '-';
    else if (mentions_key(target))
        append_printable(line, redact_keys(target)); // a key= value never reaches the log
    else
        append_printable(line, target);
    char tail[96];
    std::snprintf(tail, sizeof tail, " %u %zu B %.1f ms", response.result_int(), bytes, seconds * 1e3);
    line += tail;
    if (response.result_int() >= 500 && response.body()) line += " " + printable(*response.body(), 400);
    // Faults and refusals at once; the bulk of plain request lines buffered.
    if (fault || refusal)
        core.log.write(fault ? LogLevel::error : LogLevel::warn, line);
    else
        core.log.write_buffered(LogLevel::info, line);
}

} // namespace

asio::awaitable<void> run_session(tcp::socket socket, ServerCore& core, std::shared_ptr<SessionRegistry::Slot> slot)
{
    SlotGuard guard(core.sessions, slot); // first: however the session ends, its slot goes
    beast::error_code ec;
    std::string peer = "?";
    if (auto ep = socket.remote_endpoint(ec); !ec) peer = ep.address().to_string() + ":" + std::to_string(ep.port());

    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer(core.options.header_limit + kReadAhead);
    slot->stream = &stream;
    auto const& options = core.options;
    bool linger = false; // the client may have sent bytes we never read
    // The first request's header must be whole within the header timeout of
    // the connect: a socket that connects and stays silent does not hold a
    // connection for the keep-alive idle timeout.
    auto const first_deadline = Clock::now() + options.header_timeout;
    bool first = true;

    for (;;) {
        // Idle: wait for the first byte of the next request (a stop cancels
        // this read, shedding closes it; both run on our strand and only
        // while idle_since is set, so no request is cut).
        slot->idle_since.store(Clock::now().time_since_epoch().count());
        if (core.stopping.load()) break;
        if (buffer.size() == 0) {
            if (first)
                stream.expires_at(first_deadline);
            else
                stream.expires_after(options.idle_timeout);
            auto const n = co_await stream.async_read_some(buffer.prepare(kReadChunk),
                                                           asio::redirect_error(asio::use_awaitable, ec));
            if (ec) break;
            buffer.commit(n);
        }
        slot->idle_since.store(0);

        // The whole header must come within the read timeout: a client
        // trickling bytes is dropped, however slowly it trickles.
        if (first)
            stream.expires_at(std::min(first_deadline, Clock::now() + options.read_timeout));
        else
            stream.expires_after(options.read_timeout);
        first = false;
        auto const header_size = co_await read_header(stream, buffer, options.header_limit, ec);
        http::request_parser<http::empty_body> parser;
        if (!ec) {
            parser.header_limit(static_cast<std::uint32_t>(header_size + 1));
            parser.put(asio::buffer(buffer.data().data(), header_size), ec);
            if (ec == http::error::need_more && parser.is_header_done()) ec = {}; // a body follows: refused below
            if (!ec && !parser.is_header_done()) ec = http::error::need_more;
            if (!ec) buffer.consume(header_size);
        }
        auto const started = Clock::now();
        if (ec && is_disconnect(ec)) {
            if (core.log.enabled(LogLevel::debug)) core.log.write(LogLevel::debug, peer + " dropped: " + ec.message());
            break;
        }

        Request request;
        Response response;
        Route route = Route::other;
        bool close = false; // the stream cannot frame another request
        if (ec) {
            // Not HTTP, or too large: answer once, then close, since the
            // rest of the stream cannot be trusted to frame requests.
            response = error_response(parse_failure(ec, buffer, options));
            close = true;
        } else {
            bool const has_body = parser.chunked() || parser.content_length().value_or(0) > 0;
            request = parser.release();
            auto context = core.context();
            context.peer_address = slot->address; // for --trusted-proxy
            std::exception_ptr framing;
            try {
                check_request(request); // Host, absolute-form targets
            } catch (...) {
                framing = std::current_exception();
            }
            auto routed = framing ? Routed{Route::other, error_response(framing)} : server::route(request, context);
            route = routed.route;
            if (auto* job = std::get_if<TileJob>(&routed.result)) {
                try {
                    auto png = co_await core.renders.fetch(*job);
                    response = tile_response(*job, png, context);
                } catch (...) {
                    response = error_response(std::current_exception());
                }
            } else if (auto* work = std::get_if<WorkJob>(&routed.result)) {
                try {
                    if (work->kind == JobKind::heavy) admit_heavy_work(core);
                    response = co_await core.renders.run(std::move(*work), slot->address);
                } catch (...) {
                    response = error_response(std::current_exception());
                }
            } else {
                response = std::move(std::get<Response>(routed.result));
            }
            if (has_body) {
                // The body is never read, so the connection cannot go on.
                if (response.result_int() < 400)
                    response = error_response(std::make_exception_ptr(
                        BodyNotAllowed("request bodies are not accepted (GET, HEAD and OPTIONS only)")));
                close = true;
            }
        }
        // The one place an answer gets the headers every answer carries and
        // HEAD its empty body (see finish()), whichever path made it; only a
        // close the connection needs overrides the request's keep-alive.
        finish(response, request);
        if (close || core.stopping.load()) response.keep_alive(false);
        if (close) linger = true; // the client may have sent bytes we never read

        std::size_t const body_bytes = SharedBody::size(response.body());
        bool const large = body_bytes >= kLargeBody;
        if (large) core.large_bodies.fetch_add(1);
        stream.expires_after(options.write_timeout);
        if (body_bytes >= kHeldAnswer) {
            HeldAnswer held(core, *slot, body_bytes);
            if (options.answer_memory > 0 && held.total() > options.answer_memory)
                core.metrics.answers_cut(
                    core.sessions.cut_slow_readers(held.total() - options.answer_memory, options.slow_reader_grace));
            co_await write_counted(stream, response, *slot, ec);
        } else {
            co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
        }
        double const seconds = std::chrono::duration<double>(Clock::now() - started).count();
        core.metrics.request(route, response.result_int(), seconds);
        log_request(core, peer, request, response, body_bytes, seconds);
        bool const go_on = !ec && response.keep_alive();
        response = Response(); // the body goes now, not at the next request
        // The last large answer of a burst sent: the allocator keeps what its
        // bodies freed unless told to give it back.
        if (large && core.large_bodies.fetch_sub(1) == 1) ::malloc_trim(0);
        if (!go_on) break;
    }
    // Send FIN after the last response so the client reads all of it; the
    // socket closes when the stream goes out of scope.
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (linger) {
        // Closing with unread bytes pending makes the kernel send a reset,
        // which can destroy the error answer before the client reads it:
        // take what the client still sends, briefly and boundedly.
        stream.expires_after(std::chrono::milliseconds(500));
        char sink[4096];
        std::size_t drained = 0;
        while (!ec && drained < 256 * 1024) {
            drained +=
                co_await stream.async_read_some(asio::buffer(sink), asio::redirect_error(asio::use_awaitable, ec));
        }
    }
}

} // namespace sahelmap::server::detail

#pragma once
// Test helpers for the HTTP server: a blocking HTTP/1.1 client (Beast), a
// raw socket for bytes that are not HTTP, an in-process server on a
// background thread, and the `sahelmap serve` binary as a child process.
#include <utility>

#include "sahelmap/server/server.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace sahelmap::test {

struct HttpResult {
    unsigned status = 0;
    std::map<std::string, std::string> headers; ///< names in lower case
    std::string body;

    std::string header(std::string const& name) const
    {
        auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
    bool has(std::string const& name) const { return headers.count(name) > 0; }
};

using Headers = std::vector<std::pair<std::string, std::string>>;

/// One keep-alive connection to 127.0.0.1:port.
class HttpClient {
public:
    explicit HttpClient(std::uint16_t port);
    HttpResult request(std::string const& method, std::string const& target, Headers const& headers = {});
    HttpResult get(std::string const& target, Headers const& headers = {}) { return request("GET", target, headers); }

private:
    boost::asio::io_context m_ioc;
    boost::beast::tcp_stream m_stream;
    boost::beast::flat_buffer m_buffer;
};

/// GET on a fresh connection.
HttpResult http_get(std::uint16_t port, std::string const& target, Headers const& headers = {});

/// A plain socket for what HttpClient would refuse to send.
class RawSocket {
public:
    /// `source`: the local address to connect from (any of 127.0.0.0/8 is
    /// loopback on Linux), so tests can be several clients by address.
    /// `receive_buffer` > 0: SO_RCVBUF set before the connect, so a client
    /// that does not read holds the server's write (a slow reader).
    explicit RawSocket(std::uint16_t port, char const* source = nullptr, int receive_buffer = 0);
    ~RawSocket();
    RawSocket(RawSocket const&) = delete;
    RawSocket& operator=(RawSocket const&) = delete;
    /// False when the peer has closed the connection.
    bool send(std::string const& bytes);
    /// Everything received until the peer closes or `timeout` passes.
    std::string read_all(std::chrono::milliseconds timeout);
    /// Whether the peer closes (or resets) the connection within `timeout`.
    bool closed_within(std::chrono::milliseconds timeout);

private:
    int m_fd = -1;
};

/// The server running in this process on a background thread, on an
/// ephemeral loopback port, with short timeouts.
class InProcessServer {
public:
    explicit InProcessServer(server::ServerOptions options = test_options());
    ~InProcessServer();
    server::Server& server() { return *m_server; }
    std::uint16_t port() const { return m_server->port(); }
    /// Stops and waits for run() to return.
    void stop();

    static server::ServerOptions test_options();

private:
    std::unique_ptr<server::Server> m_server;
    std::thread m_thread;
};

/// `sahelmap serve --port 0 ...` as a child process; stderr goes to a file.
class ServeProcess {
public:
    /// `open_files` > 0: the child's soft and hard RLIMIT_NOFILE.
    ServeProcess(std::vector<std::string> const& args, std::string const& stderr_file, long open_files = 0);
    ~ServeProcess();
    std::uint16_t port() const { return m_port; }
    pid_t pid() const { return m_pid; }
    void signal(int sig);
    /// Exit code, or -1 when it did not exit normally within the timeout.
    int wait(std::chrono::milliseconds timeout);

private:
    pid_t m_pid = -1;
    std::uint16_t m_port = 0;
    bool m_reaped = false;
};

/// Sum of the values of a Prometheus metric over all label sets (0 if absent).
double metric_value(std::string const& metrics_text, std::string const& name);

/// Polls the server's /metrics until `name` reaches `at_least`; false when
/// `timeout` passes first. Tests wait on this instead of sleeping.
bool wait_for_metric(std::uint16_t port, std::string const& name, double at_least, std::chrono::milliseconds timeout);

} // namespace sahelmap::test

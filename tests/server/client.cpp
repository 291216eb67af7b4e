#include "client.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstring>
#include <sstream>
#include <stdexcept>

namespace sahelmap::test {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

HttpClient::HttpClient(std::uint16_t port) : m_stream(m_ioc)
{
    m_stream.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
}

HttpResult HttpClient::request(std::string const& method, std::string const& target, Headers const& headers)
{
    http::request<http::empty_body> req;
    req.method_string(method);
    req.target(target);
    req.version(11);
    req.set(http::field::host, "127.0.0.1");
    for (auto const& [name, value] : headers) req.set(name, value);
    m_stream.expires_after(std::chrono::seconds(120));
    http::write(m_stream, req);

    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    if (method == "HEAD") parser.skip(true);
    http::read(m_stream, m_buffer, parser);
    auto const& res = parser.get();
    HttpResult out;
    out.status = res.result_int();
    for (auto const& field : res) {
        std::string name(field.name_string());
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        out.headers[name] = std::string(field.value());
    }
    out.body = res.body();
    return out;
}

HttpResult http_get(std::uint16_t port, std::string const& target, Headers const& headers)
{
    HttpClient client(port);
    return client.get(target, headers);
}

RawSocket::RawSocket(std::uint16_t port, char const* source, int receive_buffer)
{
    m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (m_fd >= 0 && receive_buffer > 0)
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    if (m_fd >= 0 && source) {
        sockaddr_in local{};
        local.sin_family = AF_INET;
        ::inet_pton(AF_INET, source, &local.sin_addr);
        if (::bind(m_fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0)
            throw std::runtime_error(std::string("cannot bind to ") + source);
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (m_fd < 0 || ::connect(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
        throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
}

RawSocket::~RawSocket()
{
    if (m_fd >= 0) ::close(m_fd);
}

bool RawSocket::send(std::string const& bytes)
{
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        auto const n = ::send(m_fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return false;
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

std::string RawSocket::read_all(std::chrono::milliseconds timeout)
{
    std::string out;
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        auto const left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
        char buf[8192];
        auto const n = ::recv(m_fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

bool RawSocket::closed_within(std::chrono::milliseconds timeout)
{
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        auto const left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
        char buf[8192];
        auto const n = ::recv(m_fd, buf, sizeof buf, 0);
        if (n <= 0) return true; // 0: orderly close; <0: reset
    }
}

server::ServerOptions InProcessServer::test_options()
{
    server::ServerOptions o;
    o.port = 0;
    o.threads = 2;
    o.render_threads = 2;
    o.log_level = server::LogLevel::warn;
    o.read_timeout = std::chrono::milliseconds(800);
    o.idle_timeout = std::chrono::milliseconds(3000);
    o.header_timeout = std::chrono::milliseconds(3000);
    o.stop_grace = std::chrono::milliseconds(20000);
    return o;
}

InProcessServer::InProcessServer(server::ServerOptions options)
    : m_server(std::make_unique<server::Server>(std::move(options)))
{
    m_thread = std::thread([this] { m_server->run(); });
}

InProcessServer::~InProcessServer()
{
    stop();
}

void InProcessServer::stop()
{
    if (!m_thread.joinable()) return;
    m_server->stop();
    m_thread.join();
}

ServeProcess::ServeProcess(std::vector<std::string> const& args, std::string const& stderr_file, long open_files)
{
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe failed");
    m_pid = ::fork();
    if (m_pid < 0) throw std::runtime_error("fork failed");
    if (m_pid == 0) {
        ::dup2(out[1], STDOUT_FILENO);
        int const err = ::open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (err >= 0) ::dup2(err, STDERR_FILENO);
        ::close(out[0]);
        ::close(out[1]);
        if (open_files > 0) {
            rlimit limit{static_cast<rlim_t>(open_files), static_cast<rlim_t>(open_files)};
            if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) ::_exit(126);
        }
        std::vector<std::string> argv_strings = {SAHELMAP_BINARY, "serve", "--port", "0"};
        argv_strings.insert(argv_strings.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (auto& s : argv_strings) argv.push_back(s.data());
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(out[1]);
    // The first line names the port: "listening on http://127.0.0.1:PORT".
    std::string line;
    auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
        pollfd p{out[0], POLLIN, 0};
        if (::poll(&p, 1, 200) <= 0) continue;
        char buf[256];
        auto const n = ::read(out[0], buf, sizeof buf);
        if (n <= 0) break;
        line.append(buf, static_cast<std::size_t>(n));
    }
    ::close(out[0]); // nothing more is printed on stdout
    auto const colon = line.rfind(':');
    if (line.rfind("listening on http://127.0.0.1:", 0) != 0 || colon == std::string::npos)
        throw std::runtime_error("sahelmap serve did not report its port; printed: '" + line + "'");
    m_port = static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1)));
}

ServeProcess::~ServeProcess()
{
    if (m_pid > 0 && !m_reaped) {
        ::kill(m_pid, SIGKILL);
        ::waitpid(m_pid, nullptr, 0);
    }
}

void ServeProcess::signal(int sig)
{
    ::kill(m_pid, sig);
}

int ServeProcess::wait(std::chrono::milliseconds timeout)
{
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        pid_t const r = ::waitpid(m_pid, &status, WNOHANG);
        if (r == m_pid) {
            m_reaped = true;
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
}

double metric_value(std::string const& metrics_text, std::string const& name)
{
    double sum = 0;
    std::istringstream in(metrics_text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(name, 0) != 0 || line.size() <= name.size()) continue;
        char const next = line[name.size()];
        if (next != ' ' && next != '{') continue;
        sum += std::stod(line.substr(line.rfind(' ') + 1));
    }
    return sum;
}

bool wait_for_metric(std::uint16_t port, std::string const& name, double at_least, std::chrono::milliseconds timeout)
{
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (metric_value(http_get(port, "/metrics").body, name) >= at_least) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

} // namespace sahelmap::test

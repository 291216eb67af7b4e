// The request log (issue 15 item 2): buffered like nginx's access log, yet
// every line reaches stderr, in order, within about a second, before any
// event line that follows it, and at exit after a SIGTERM.
#include "client.hpp"
#include "support/files.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <regex>
#include <sstream>

using namespace sahelmap;
using namespace sahelmap::test;
using namespace std::chrono_literals;

namespace {

std::vector<std::string> lines_of(std::string const& text)
{
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

std::size_t count_of(std::string const& text, std::string const& needle)
{
    std::size_t n = 0;
    for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) ++n;
    return n;
}

} // namespace

TEST_CASE("log: buffered request lines keep their format and order and all reach stderr", "[server][log]")
{
    ScratchDir dir("server-log");
    auto const file = dir / "stderr.log";
    ServeProcess proc({"--log-level", "info"}, file.string());
    constexpr int kRequests = 300;
    {
        HttpClient client(proc.port());
        for (int i = 0; i < kRequests; ++i) REQUIRE(client.get("/healthz?n=" + std::to_string(i)).status == 200);
    }
    // Without any further traffic the buffer is written within about a second.
    std::string log;
    auto const deadline = std::chrono::steady_clock::now() + 10s;
    while (count_of(log, "GET /healthz?n=") < kRequests && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(50ms); // polling a file another process writes: nothing to wait on
        log = read_bytes(file);
    }
    INFO(log.substr(0, 2000));
    REQUIRE(count_of(log, "GET /healthz?n=") == kRequests);

    // The format of every request line is that of the unbuffered log.
    std::regex const request_line(
        R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info 127\.0\.0\.1:\d+ GET /healthz\?n=(\d+) 200 3 B \d+\.\d ms$)");
    int expected = 0;
    for (auto const& line : lines_of(log)) {
        std::smatch m;
        if (line.find("GET /healthz?n=") == std::string::npos) continue;
        CAPTURE(line);
        REQUIRE(std::regex_match(line, m, request_line));
        CHECK(std::stoi(m[1]) == expected); // one connection: the lines in request order
        ++expected;
    }

    // Lines buffered when SIGTERM comes are written before the process ends,
    // and the event line of the signal comes after them. A request's line is
    // logged just after its answer is sent, and on one connection before the
    // next request is read: so every line but the last is logged before the
    // signal can arrive; the last may race it, and must only not be lost.
    {
        HttpClient client(proc.port());
        for (int i = 0; i < kRequests; ++i) REQUIRE(client.get("/healthz?late=" + std::to_string(i)).status == 200);
    }
    proc.signal(SIGTERM);
    REQUIRE(proc.wait(60s) == 0);
    log = read_bytes(file);
    CHECK(count_of(log, "GET /healthz?late=") == kRequests);
    auto const before_last = log.find("GET /healthz?late=" + std::to_string(kRequests - 2) + " ");
    auto const sigterm = log.find("SIGTERM received");
    REQUIRE(before_last != std::string::npos);
    REQUIRE(sigterm != std::string::npos);
    CHECK(before_last < sigterm);
}

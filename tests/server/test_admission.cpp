// Admission of work over real loopback HTTP (issue 17 item 1): tiles are
// answered while heavy jobs hold the render threads, the heavy queue is
// bounded (503 + Retry-After), one address's heavy jobs are capped (429 +
// Retry-After), and every admitted job is answered. Heavy jobs are held in
// flight by the testing-only work delay, so the assertions are about order
// (what is still running when the tile comes back), not about speed.
#include "client.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <memory>
#include <thread>

using namespace sahelmap;
using namespace sahelmap::test;
using namespace std::chrono_literals;

namespace {

std::string const kWmsMap = "/wms?SERVICE=WMS&REQUEST=GetMap&FORMAT=image/png&STYLES=&VERSION=1.3.0&LAYERS=default"
                            "&CRS=EPSG:3857&BBOX=-1e6,1e6,1e6,2e6&WIDTH=256&HEIGHT=128";

std::string raw_get(std::string const& target)
{
    return "GET " + target + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
}

/// The value of one labelled sample, e.g. sample(text, "sahelmap_work_queued{lane=\"heavy\"}").
double sample(std::string const& metrics, std::string const& series)
{
    auto const at = metrics.find("\n" + series + " ");
    if (at == std::string::npos) return -1;
    return std::stod(metrics.substr(at + series.size() + 2));
}

/// Polls /metrics until the heavy lane has `queued` waiting and `running` running.
bool wait_for_heavy(std::uint16_t port, double queued, double running)
{
    for (int i = 0; i < 400; ++i) {
        auto const m = http_get(port, "/metrics").body;
        if (sample(m, "sahelmap_work_queued{lane=\"heavy\"}") >= queued &&
            sample(m, "sahelmap_work_running{lane=\"heavy\"}") >= running)
            return true;
        std::this_thread::sleep_for(25ms);
    }
    return false;
}

/// Polls /metrics until no job is queued or running in any lane (a render
/// thread counts its job done just after the answer is handed over).
bool wait_for_idle(std::uint16_t port)
{
    for (int i = 0; i < 400; ++i) {
        auto const m = http_get(port, "/metrics").body;
        if (metric_value(m, "sahelmap_work_queued") == 0 && metric_value(m, "sahelmap_work_running") == 0) return true;
        std::this_thread::sleep_for(25ms);
    }
    return false;
}

/// Heavy requests sent from their own threads; results kept for the end.
class HeavyClients {
public:
    explicit HeavyClients(std::uint16_t port) : m_port(port) {}
    ~HeavyClients() { join(); }
    void start(std::string const& target)
    {
        auto& result = m_results.emplace_back(std::make_unique<HttpResult>());
        m_threads.emplace_back([this, target, r = result.get()] {
            *r = http_get(m_port, target);
            m_done.fetch_add(1);
        });
    }
    int done() const { return m_done.load(); }
    std::vector<std::unique_ptr<HttpResult>> const& join()
    {
        for (auto& t : m_threads)
            if (t.joinable()) t.join();
        return m_results;
    }

private:
    std::uint16_t m_port;
    std::vector<std::unique_ptr<HttpResult>> m_results;
    std::vector<std::thread> m_threads;
    std::atomic<int> m_done{0};
};

} // namespace

TEST_CASE("admission: a cold tile is answered while heavy jobs hold the render threads", "[server][admission]")
{
    auto options = InProcessServer::test_options();
    options.render_threads = 2; // heavy work may take one of them
    options.work_delay = 3s;    // each heavy job holds its thread 3 s
    options.heavy_per_client = 0;
    InProcessServer server(options);
    auto const port = server.port();

    HeavyClients heavy(port);
    for (int i = 0; i < 4; ++i) heavy.start(kWmsMap + "&TIME=2025-0" + std::to_string(i + 1) + "-01");
    // Admitted and waiting (one running and three queued here; one FIFO on
    // both threads would answer the tile after all four).
    REQUIRE(wait_for_heavy(port, 2, 1));

    auto const tile = http_get(port, "/tiles/default/5/16/14.png?time=2025-03-03");
    CHECK(tile.status == 200);
    CHECK(tile.body.rfind("\x89PNG", 0) == 0);
    auto const vector = http_get(port, "/tiles/vector/5/16/14.mvt");
    CHECK(vector.status == 200);
    // Still in flight: the tiles did not wait for the heavy queue to drain.
    auto const metrics = http_get(port, "/metrics").body;
    CHECK(sample(metrics, "sahelmap_work_queued{lane=\"heavy\"}") >= 2);
    CHECK(heavy.done() == 0);

    for (auto const& r : heavy.join()) {
        CHECK(r->status == 200);
        CHECK(r->body.rfind("\x89PNG", 0) == 0);
    }
}

TEST_CASE("admission: beyond the heavy queue bound a map is refused with 503 and Retry-After", "[server][admission]")
{
    auto options = InProcessServer::test_options();
    options.render_threads = 2;
    options.work_delay = 2500ms;
    options.heavy_queue = 2;
    options.heavy_per_client = 0;
    InProcessServer server(options);
    auto const port = server.port();

    HeavyClients heavy(port);
    heavy.start(kWmsMap + "&TIME=2025-01-01");
    REQUIRE(wait_for_heavy(port, 0, 1));
    heavy.start(kWmsMap + "&TIME=2025-02-01");
    heavy.start("/print?area=niger&dpi=72&format=png");
    REQUIRE(wait_for_heavy(port, 2, 1));

    auto const refused = http_get(port, kWmsMap + "&TIME=2025-04-01");
    CHECK(refused.status == 503);
    CHECK(refused.header("retry-after") == "5");
    CHECK(refused.header("content-type") == "application/json");
    CHECK(refused.body.find("too much heavy work queued") != std::string::npos);
    auto const download = http_get(port, "/download/sahelmap.gpkg");
    CHECK(download.status == 503);
    // Cheap work is not bounded by the heavy queue.
    CHECK(http_get(port, "/tiles/default/4/8/7.png").status == 200);

    // Nothing admitted is lost.
    for (auto const& r : heavy.join()) CHECK(r->status == 200);
    CHECK(wait_for_idle(port));
    CHECK(sample(http_get(port, "/metrics").body, "sahelmap_work_refused_total{reason=\"full\"}") == 2);
    // The queue has room again.
    CHECK(http_get(port, kWmsMap + "&TIME=2025-04-01").status == 200);
}

TEST_CASE("admission: one address's heavy jobs beyond its cap get 429 while another address is served",
          "[server][admission]")
{
    auto options = InProcessServer::test_options();
    options.render_threads = 2;
    options.work_delay = 2500ms;
    options.heavy_queue = 0; // only the per-client cap applies
    options.heavy_per_client = 2;
    InProcessServer server(options);
    auto const port = server.port();

    // Two from 127.0.0.1 (HttpClient's address): one runs, one waits.
    HeavyClients heavy(port);
    heavy.start(kWmsMap + "&TIME=2025-01-01");
    heavy.start(kWmsMap + "&TIME=2025-02-01");
    REQUIRE(wait_for_heavy(port, 1, 1));

    auto const third = http_get(port, kWmsMap + "&TIME=2025-03-01");
    CHECK(third.status == 429);
    CHECK(third.header("retry-after") == "5");
    CHECK(third.body.find("127.0.0.1 has 2 maps, prints or downloads under way") != std::string::npos);

    // Another address is admitted meanwhile, and answered.
    RawSocket other(port, "127.0.0.2");
    REQUIRE(other.send(raw_get(kWmsMap + "&TIME=2025-03-01")));
    auto const reply = other.read_all(60s);
    CHECK(reply.rfind("HTTP/1.1 200", 0) == 0);
    CHECK(reply.find("\x89PNG") != std::string::npos);

    for (auto const& r : heavy.join()) CHECK(r->status == 200);
    CHECK(wait_for_idle(port));
    CHECK(sample(http_get(port, "/metrics").body, "sahelmap_work_refused_total{reason=\"client\"}") == 1);
    // Its jobs done, the address may send heavy work again.
    CHECK(http_get(port, kWmsMap + "&TIME=2025-03-01").status == 200);
}

TEST_CASE("admission: a burst of heavy requests is answered or refused and never lost", "[server][admission]")
{
    auto options = InProcessServer::test_options();
    options.render_threads = 2;
    options.work_delay = 200ms;
    options.heavy_queue = 3;
    options.heavy_per_client = 0;
    InProcessServer server(options);
    auto const port = server.port();

    HeavyClients heavy(port);
    constexpr int kBurst = 12;
    for (int i = 0; i < kBurst; ++i) heavy.start(kWmsMap + "&TIME=2025-01-" + std::to_string(10 + i));
    int answered = 0;
    int refused = 0;
    for (auto const& r : heavy.join()) {
        if (r->status == 200) ++answered;
        if (r->status == 503) {
            ++refused;
            CHECK(r->header("retry-after") == "5");
        }
    }
    CHECK(answered + refused == kBurst);
    CHECK(answered >= 3); // at least a full queue
    CHECK(wait_for_idle(port));
    CHECK(sample(http_get(port, "/metrics").body, "sahelmap_work_refused_total{reason=\"full\"}") == refused);
}

TEST_CASE("admission: a client at its cap that waits for each answer is never refused", "[server][admission]")
{
    auto options = InProcessServer::test_options();
    options.heavy_per_client = 1;
    InProcessServer server(options);
    // The job is counted done before its answer leaves: the next request,
    // sent as soon as the answer arrives, is within the cap.
    HttpClient client(server.port());
    for (int i = 0; i < 30; ++i) {
        INFO("request " << i);
        CHECK(client.get(kWmsMap + "&TIME=2025-02-" + std::to_string(10 + i % 19)).status == 200);
    }
}

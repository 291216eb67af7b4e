#include "core.hpp"

#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <thread>

namespace sahelmap::server::detail {

RenderQueue::RenderQueue(TileCache& cache, Metrics& metrics, Logger const& log, ServerOptions const& options)
    : m_cache(cache), m_metrics(metrics), m_log(log), m_delay(options.render_delay), m_work_delay(options.work_delay),
      m_pool(WorkLanes::limits(options), metrics)
{
}

RenderQueue::~RenderQueue()
{
    join();
}

void RenderQueue::join()
{
    m_pool.join();
}

asio::awaitable<SharedBytes> RenderQueue::fetch(TileJob const& job)
{
    auto const key = job.key();
    if (auto hit = m_cache.find(key)) {
        m_metrics.cache_hit();
        co_return hit;
    }
    m_metrics.cache_miss();
    co_return co_await asio::async_initiate<asio::use_awaitable_t<> const, void(std::exception_ptr, SharedBytes)>(
        [this, &job, &key](auto handler) {
            // The coroutine's handler is move-only and must run on the
            // session's strand; waiters are plain copyable callbacks that
            // post it there. The tracked executor keeps the I/O context
            // from finishing while the render is under way.
            auto shared = std::make_shared<decltype(handler)>(std::move(handler));
            auto work = asio::prefer(asio::get_associated_executor(*shared), asio::execution::outstanding_work.tracked);
            submit(job, key, [shared, work](std::exception_ptr error, SharedBytes bytes) {
                asio::post(work,
                           [shared, error, bytes = std::move(bytes)]() mutable { (*shared)(error, std::move(bytes)); });
            });
        },
        asio::use_awaitable);
}

asio::awaitable<Response> RenderQueue::run(WorkJob job, std::string const& client)
{
    using Result = std::shared_ptr<Response>;
    auto result = co_await asio::async_initiate<asio::use_awaitable_t<> const, void(std::exception_ptr, Result)>(
        [this, &job, &client](auto handler) {
            auto shared = std::make_shared<decltype(handler)>(std::move(handler));
            auto work = asio::prefer(asio::get_associated_executor(*shared), asio::execution::outstanding_work.tracked);
            auto const delay = job.kind == JobKind::cheap ? std::chrono::milliseconds(0) : m_work_delay;
            auto task = [this, shared, work, delay, run = std::move(job.run)] {
                if (delay.count() > 0) std::this_thread::sleep_for(delay);
                auto const started = std::chrono::steady_clock::now();
                Result response;
                std::exception_ptr error;
                try {
                    response = std::make_shared<Response>(run());
                } catch (...) {
                    error = std::current_exception();
                }
                m_metrics.render(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
                // Handed over once the lane has counted the job done: a
                // client answered may send its next heavy job at once.
                return [shared, work, error, response = std::move(response)]() mutable {
                    asio::post(work, [shared, error, response = std::move(response)]() mutable {
                        (*shared)(error, std::move(response));
                    });
                };
            };
            try {
                m_pool.post(job.kind, client, std::move(task), job.pixels);
            } catch (...) {
                // Refused at admission: the answer is the refusal, on the session's strand.
                asio::post(work, [shared, error = std::current_exception()]() mutable { (*shared)(error, nullptr); });
            }
        },
        asio::use_awaitable);
    co_return std::move(*result);
}

void RenderQueue::submit(TileJob const& job, TileKey const& key, Waiter waiter)
{
    {
        std::lock_guard lock(m_mutex);
        if (auto it = m_flights.find(key); it != m_flights.end()) {
            it->second.push_back(std::move(waiter));
            return;
        }
        // A render may have landed in the cache since fetch() looked; render()
        // stores before it ends its flight, so one of the two is always seen.
        if (auto hit = m_cache.find(key)) {
            waiter(nullptr, std::move(hit));
            return;
        }
        m_flights[key].push_back(std::move(waiter));
    }
    m_pool.post(JobKind::cheap, {}, [this, job, key] {
        render(job, key);
        return WorkLanes::Delivery();
    });
}

void RenderQueue::render(TileJob const& job, TileKey const& key)
{
    if (m_delay.count() > 0) std::this_thread::sleep_for(m_delay);
    auto const started = std::chrono::steady_clock::now();
    SharedBytes bytes;
    std::exception_ptr error;
    try {
        auto const& service = *job.snapshot->service;
        bytes = std::make_shared<std::string const>(
            job.encode        ? job.encode()
            : job.change_from ? service.change_tile_png(job.tile, job.scale, {*job.change_from, job.time})
                              : service.tile_png(job.style, job.tile, job.scale, job.time));
    } catch (...) {
        error = std::current_exception();
    }
    double const seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    m_metrics.render(seconds);
    if (bytes) m_cache.insert(key, bytes);

    std::vector<Waiter> waiters;
    {
        std::lock_guard lock(m_mutex);
        auto it = m_flights.find(key);
        waiters = std::move(it->second);
        m_flights.erase(it);
    }
    for (auto& w : waiters) w(error, bytes);

    if (m_log.enabled(LogLevel::debug)) {
        char line[160];
        std::snprintf(line, sizeof line, "rendered %s %d/%u/%u@%dx epoch %d in %.1f ms for %zu request(s)",
                      printable(job.style, 64).c_str(), job.tile.z(), job.tile.x(), job.tile.y(), job.scale, job.epoch,
                      seconds * 1e3, waiters.size());
        m_log.write(LogLevel::debug, line);
    }
}

} // namespace sahelmap::server::detail

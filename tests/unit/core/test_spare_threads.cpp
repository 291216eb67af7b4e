#include "sahelmap/core/spare_threads.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <functional>
#include <stdexcept>
#include <thread>

using namespace sahelmap;

namespace {
/// try_run until a thread takes the task: a thread just started or just
/// finished may not be waiting yet.
std::future<void> run_when_free(SpareThreads& pool, std::function<void()> const& task)
{
    for (int i = 0; i < 100'000; ++i) {
        if (auto f = pool.try_run(task)) return std::move(*f);
        std::this_thread::yield();
    }
    FAIL("no spare thread became free");
    return {};
}
} // namespace

TEST_CASE("spare threads: a free thread takes a task, a busy pool says no", "[core][threads]")
{
    SpareThreads pool(1);
    std::thread::id ran_on;
    run_when_free(pool, [&] { ran_on = std::this_thread::get_id(); }).get();
    CHECK(ran_on != std::this_thread::get_id());

    // Hold the only thread, then ask again: refused, and the task not run.
    std::promise<void> release;
    auto held = run_when_free(pool, [gate = release.get_future().share()] { gate.wait(); });
    std::atomic<bool> ran{false};
    auto refused = pool.try_run([&] { ran = true; });
    CHECK_FALSE(refused);
    release.set_value();
    held.get();
    CHECK_FALSE(ran);

    // Free again, and a throw reaches the caller through the future.
    auto failing = run_when_free(pool, [] { throw std::runtime_error("task failed"); });
    CHECK_THROWS_WITH(failing.get(), "task failed");
}

#include "log.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace sahelmap::server {

std::optional<LogLevel> parse_log_level(std::string_view text) noexcept
{
    if (text == "error") return LogLevel::error;
    if (text == "warn") return LogLevel::warn;
    if (text == "info") return LogLevel::info;
    if (text == "debug") return LogLevel::debug;
    return std::nullopt;
}

namespace detail {

namespace {

/// A buffer this full is written at once: a few hundred request lines, one
/// write(2) (nginx's access log buffer is 64 KiB too).
constexpr std::size_t kFlushBytes = 64 * 1024;
constexpr auto kFlushInterval = std::chrono::seconds(1);

/// Writes all of `bytes` to stderr. A full pipe or closed stderr must not
/// stop serving: what cannot be written is dropped.
void write_all(std::string_view bytes) noexcept
{
    while (!bytes.empty()) {
        auto const n = ::write(STDERR_FILENO, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

/// "2025-11-01T12:00:00." for the current second, formatted once per
/// second per thread: the calendar conversion costs more than the line.
struct SecondStamp {
    std::time_t second = -1;
    char text[64] = {};
    std::size_t size = 0;
};

} // namespace

Logger::Logger(LogLevel level) : m_level(level), m_flusher([this] { flush_periodically(); }) {}

Logger::~Logger()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    m_flusher.join();
    flush();
}

void Logger::append_line(std::string& out, LogLevel level, std::string_view message) const
{
    static constexpr char const* kNames[] = {"error", "warn", "info", "debug"};
    thread_local SecondStamp stamp;
    auto const now = std::chrono::system_clock::now();
    auto const secs = std::chrono::system_clock::to_time_t(now);
    auto const ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    if (secs != stamp.second) {
        std::tm tm{};
        ::gmtime_r(&secs, &tm);
        int const n = std::snprintf(stamp.text, sizeof stamp.text, "%04d-%02d-%02dT%02d:%02d:%02d.", tm.tm_year + 1900,
                                    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
        stamp.size = n > 0 ? std::min<std::size_t>(static_cast<std::size_t>(n), sizeof stamp.text - 1) : 0;
        stamp.second = secs;
    }
    char millis[8] = {static_cast<char>('0' + ms / 100), static_cast<char>('0' + ms / 10 % 10),
                      static_cast<char>('0' + ms % 10), 'Z', ' '};
    out.append(stamp.text, stamp.size);
    out.append(millis, 5);
    out += kNames[static_cast<int>(level)];
    out += ' ';
    out += message;
    out += '\n';
}

void Logger::write(LogLevel level, std::string_view message) const
{
    if (!enabled(level)) return;
    std::string line;
    append_line(line, level, message);
    std::lock_guard lock(m_mutex);
    flush_locked(); // the buffered lines came first
    write_all(line);
}

void Logger::write_buffered(LogLevel level, std::string_view message) const
{
    if (!enabled(level)) return;
    std::lock_guard lock(m_mutex);
    append_line(m_buffer, level, message);
    if (m_buffer.size() >= kFlushBytes) flush_locked();
}

void Logger::flush() const
{
    std::lock_guard lock(m_mutex);
    flush_locked();
}

void Logger::flush_locked() const
{
    if (m_buffer.empty()) return;
    write_all(m_buffer);
    m_buffer.clear(); // keeps its capacity for the next lines
}

void Logger::flush_periodically() const
{
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        m_wake.wait_for(lock, kFlushInterval);
        flush_locked();
    }
}

std::string printable(std::string_view text, std::size_t max)
{
    std::string out;
    append_printable(out, text, max);
    return out;
}

void append_printable(std::string& out, std::string_view text, std::size_t max)
{
    auto const kept = text.substr(0, max);
    auto const start = out.size();
    out.append(kept);
    for (auto i = start; i < out.size(); ++i)
        if (out[i] < 0x20 || out[i] >= 0x7f) out[i] = '?';
    if (text.size() > max) out += "...";
}

} // namespace detail

} // namespace sahelmap::server

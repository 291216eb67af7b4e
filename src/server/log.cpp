#include "log.hpp"

#include <unistd.h>

#include <algorithm>
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

void Logger::write(LogLevel level, std::string_view message) const
{
    if (!enabled(level)) return;
    static constexpr char const* kNames[] = {"error", "warn", "info", "debug"};
    auto const now = std::chrono::system_clock::now();
    auto const secs = std::chrono::system_clock::to_time_t(now);
    auto const ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    ::gmtime_r(&secs, &tm);
    char stamp[96]; // room for any int the compiler imagines in each field
    std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
    std::string line = stamp;
    line += kNames[static_cast<int>(level)];
    line += ' ';
    line += message;
    line += '\n';
    // One write(2) per line; a full pipe or closed stderr must not stop serving.
    auto const written = ::write(STDERR_FILENO, line.data(), line.size());
    (void)written;
}

std::string printable(std::string_view text, std::size_t max)
{
    std::string out;
    out.reserve(std::min(text.size(), max));
    for (char c : text.substr(0, max)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
    if (text.size() > max) out += "...";
    return out;
}

} // namespace detail

} // namespace sahelmap::server

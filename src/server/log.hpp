#pragma once
// One line per event on stderr, each written with a single write(2) so
// lines from different threads never interleave.
#include "sahelmap/server/options.hpp"

#include <string>
#include <string_view>

namespace sahelmap::server::detail {

class Logger {
public:
    explicit Logger(LogLevel level) : m_level(level) {}
    bool enabled(LogLevel level) const noexcept { return level <= m_level; }
    /// "2025-11-01T12:00:00.123Z info <message>"; nothing when the level is off.
    void write(LogLevel level, std::string_view message) const;

private:
    LogLevel m_level;
};

/// Client bytes made safe for a log line: control and non-ASCII bytes
/// become '?', cut to `max` characters.
std::string printable(std::string_view text, std::size_t max = 200);

} // namespace sahelmap::server::detail

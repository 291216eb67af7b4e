#pragma once
// One line per event on stderr. Events (start, reload, signals, faults)
// are written at once, each with a single write(2) so lines from different
// threads never interleave. Request lines, the bulk at the default level,
// are buffered like nginx's access log: flushed when the buffer fills,
// about every second, before any event line (so the order holds) and when
// the logger ends (a SIGTERM drain loses none).
#include "sahelmap/server/options.hpp"

#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace sahelmap::server::detail {

class Logger {
public:
    explicit Logger(LogLevel level);
    /// Writes what is buffered.
    ~Logger();
    Logger(Logger const&) = delete;
    Logger& operator=(Logger const&) = delete;

    bool enabled(LogLevel level) const noexcept { return level <= m_level; }
    /// "2025-11-01T12:00:00.123Z info <message>" now, after what is
    /// buffered; nothing when the level is off.
    void write(LogLevel level, std::string_view message) const;
    /// The same line, buffered (at most about a second): for request lines.
    void write_buffered(LogLevel level, std::string_view message) const;
    /// Writes what is buffered now.
    void flush() const;

private:
    void append_line(std::string& out, LogLevel level, std::string_view message) const;
    void flush_locked() const; ///< with m_mutex held
    void flush_periodically() const;

    LogLevel m_level;
    mutable std::mutex m_mutex;
    mutable std::condition_variable m_wake;
    mutable std::string m_buffer; ///< request lines not yet written (guarded by m_mutex)
    mutable bool m_stopping = false;
    std::thread m_flusher; ///< last: started once the rest exists
};

/// Client bytes made safe for a log line: control and non-ASCII bytes
/// become '?', cut to `max` characters.
std::string printable(std::string_view text, std::size_t max = 200);
/// printable(), appended to `out`.
void append_printable(std::string& out, std::string_view text, std::size_t max = 200);

} // namespace sahelmap::server::detail

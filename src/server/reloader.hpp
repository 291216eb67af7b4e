#pragma once
// Internal to the server: the reloads of a running server (SIGHUP, a
// watched file changed, the shared data's version moved), on threads of
// their own so a slow load or database never holds up the I/O threads.
#include "core.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace sahelmap::source {
class DataVersionQuery;
}

namespace sahelmap::server::detail {

/// Loads config, data and styles as snapshot `version`. With a config
/// "reload" watch the data version is read first: data committed during the
/// load then makes the next poll see a newer version and reload again,
/// where reading it after could record a version newer than the data.
std::shared_ptr<Snapshot const> load_snapshot(std::optional<std::filesystem::path> const& config_file,
                                              std::uint64_t version);

/// What a watched file looked like; a change of either counts.
struct FileStamp {
    std::filesystem::path path;
    std::filesystem::file_time_type mtime{};
    std::uintmax_t size = 0;
    friend bool operator==(FileStamp const&, FileStamp const&) = default;
};

class Reloader {
public:
    /// Records the files the served config reads.
    explicit Reloader(ServerCore& core);
    ~Reloader();
    Reloader(Reloader const&) = delete;
    Reloader& operator=(Reloader const&) = delete;

    /// Starts the threads the options and config ask for: one for requested
    /// reloads and the file watch, one for the data version watch.
    void start();
    /// Loads a new snapshot and swaps it in; false (the old one still
    /// served, the error logged) when the load fails. One at a time.
    bool reload();
    /// Asks the reload thread for a reload (SIGHUP), without waiting.
    void request();
    /// Tells the threads to stop, without waiting (safe on the I/O strand).
    void signal_stop();
    /// Stops the threads and waits for them.
    void stop();

private:
    bool files_changed();
    void reloader_loop();
    void data_version_loop();
    void check_data_version(std::optional<source::DataVersionQuery>& query);

    ServerCore& m_core;
    std::mutex m_reload_mutex; ///< one reload at a time; guards m_stamps and m_reload_error
    std::vector<FileStamp> m_stamps;
    std::string m_reload_error; ///< why the last reload failed; empty after a success

    // The data version watch (config "reload"), on its own thread so a slow
    // database never delays SIGHUP or file-watch reloads.
    std::thread m_version_watcher;
    std::string m_version_error;                           ///< last version-query error logged (logged once)
    unsigned m_version_reload_failures = 0;                ///< in a row, for the retry back-off
    std::chrono::steady_clock::time_point m_version_retry; ///< no reload attempt before this

    std::mutex m_wake_mutex;
    std::condition_variable m_wake;
    bool m_reload_requested = false;
    bool m_reloader_stop = false;
    std::thread m_reloader;
};

} // namespace sahelmap::server::detail

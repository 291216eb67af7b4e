// Reloading: on request (SIGHUP, Server::reload), when a watched file
// changes, and when the shared data's version (config "reload") moves, each
// a new snapshot swapped in whole, or the old one kept with the error logged.
#include "reloader.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/source/data_version.hpp"

#include <algorithm>
#include <system_error>

namespace sahelmap::server::detail {

namespace {

/// The files a config reads: itself, its style files, its file-based layers
/// (connection strings such as PG: are not files and are not watched).
std::vector<std::filesystem::path> files_of(source::Config const& config,
                                            std::optional<std::filesystem::path> const& config_file)
{
    std::vector<std::filesystem::path> files;
    if (config_file) files.push_back(*config_file);
    for (auto const& s : config.styles)
        if (!s.path.empty()) files.emplace_back(s.path);
    for (auto const& l : config.layers) {
        std::error_code ec;
        if (!l.embedded && std::filesystem::is_regular_file(l.connection, ec)) files.emplace_back(l.connection);
    }
    std::sort(files.begin(), files.end());
    files.erase(std::unique(files.begin(), files.end()), files.end());
    return files;
}

std::vector<FileStamp> stamp(std::vector<std::filesystem::path> const& files)
{
    std::vector<FileStamp> stamps;
    for (auto const& f : files) {
        std::error_code ec;
        FileStamp s{f, std::filesystem::last_write_time(f, ec), 0};
        if (ec) s.mtime = {}; // missing: recorded as such, its return counts as a change
        s.size = std::filesystem::file_size(f, ec);
        if (ec) s.size = 0;
        stamps.push_back(std::move(s));
    }
    return stamps;
}

std::vector<std::filesystem::path> paths_of(std::vector<FileStamp> const& stamps)
{
    std::vector<std::filesystem::path> paths;
    for (auto const& s : stamps) paths.push_back(s.path);
    return paths;
}

std::string describe(std::exception const& e)
{
    std::string text = e.what();
    // what() names the first problem of a style; the log gets all of them.
    if (auto const* style = dynamic_cast<StyleError const*>(&e))
        for (std::size_t i = 1; i < style->problems().size(); ++i) text += "; " + style->problems()[i];
    return text;
}

} // namespace

std::shared_ptr<Snapshot const> load_snapshot(std::optional<std::filesystem::path> const& config_file,
                                              std::uint64_t version)
{
    auto config = config_file ? source::Config::load(*config_file) : source::Config::defaults();
    std::string data_version;
    if (config.reload.enabled()) data_version = source::read_data_version(config.reload);
    return make_snapshot(service::MapService::load(std::move(config)), version, data_version);
}

Reloader::Reloader(ServerCore& core)
    : m_core(core), m_stamps(stamp(files_of(core.snapshot.load()->service->config(), core.options.config_file)))
{
}

Reloader::~Reloader()
{
    stop();
}

void Reloader::start()
{
    auto const& options = m_core.options;
    if (options.handle_signals || options.watch) m_reloader = std::thread([this] { reloader_loop(); });
    if (m_core.snapshot.load()->service->config().reload.enabled())
        m_version_watcher = std::thread([this] { data_version_loop(); });
}

void Reloader::signal_stop()
{
    {
        std::lock_guard lock(m_wake_mutex);
        m_reloader_stop = true;
    }
    m_wake.notify_all();
}

bool Reloader::reload()
{
    auto& core = m_core;
    std::lock_guard lock(m_reload_mutex);
    auto const current = core.snapshot.load();
    // Stamped before reading: a file changed during the load is seen next poll.
    auto before = stamp(files_of(current->service->config(), core.options.config_file));
    try {
        auto snapshot = load_snapshot(core.options.config_file, current->version + 1);
        auto const files = files_of(snapshot->service->config(), core.options.config_file);
        m_stamps = files == paths_of(before) ? std::move(before) : stamp(files);
        bool const same = snapshot->fingerprint == current->fingerprint;
        auto const version = snapshot->version;
        core.snapshot.store(std::move(snapshot));
        core.cache.drop_before(version);
        core.log.write(LogLevel::info, "reloaded: now version " + std::to_string(version) +
                                           (same ? " (styles and data unchanged)" : ""));
        core.metrics.reload_done(true);
        m_reload_error.clear();
        return true;
    } catch (std::exception const& e) {
        m_stamps = std::move(before); // retry only when a file changes again
        core.log.write(LogLevel::error,
                       "reload failed, still serving version " + std::to_string(current->version) + ": " + describe(e));
        core.metrics.reload_done(false);
        m_reload_error = describe(e);
        return false;
    }
}

void Reloader::request()
{
    {
        std::lock_guard lock(m_wake_mutex);
        m_reload_requested = true;
    }
    m_wake.notify_all();
}

bool Reloader::files_changed()
{
    std::lock_guard lock(m_reload_mutex);
    auto const now = stamp(paths_of(m_stamps));
    for (std::size_t i = 0; i < now.size(); ++i) {
        if (now[i] != m_stamps[i]) {
            m_core.log.write(LogLevel::info, "changed: " + now[i].path.string() + ", reloading");
            return true;
        }
    }
    return false;
}

void Reloader::reloader_loop()
{
    auto const& options = m_core.options;
    std::unique_lock lock(m_wake_mutex);
    while (!m_reloader_stop) {
        auto const woken = [this] { return m_reload_requested || m_reloader_stop; };
        if (options.watch)
            m_wake.wait_for(lock, options.watch_interval, woken);
        else
            m_wake.wait(lock, woken);
        if (m_reloader_stop) break;
        bool want = std::exchange(m_reload_requested, false);
        lock.unlock();
        if (!want && options.watch) want = files_changed();
        if (want) reload();
        lock.lock();
    }
}

void Reloader::stop()
{
    signal_stop();
    if (m_reloader.joinable()) m_reloader.join();
    if (m_version_watcher.joinable()) m_version_watcher.join();
}

void Reloader::data_version_loop()
{
    std::optional<source::DataVersionQuery> query;
    std::unique_lock lock(m_wake_mutex);
    while (!m_reloader_stop) {
        // The interval of the config in force: a reload may change it.
        auto const interval = m_core.snapshot.load()->service->config().reload.interval;
        m_wake.wait_for(lock, interval, [this] { return m_reloader_stop; });
        if (m_reloader_stop) break;
        lock.unlock();
        check_data_version(query);
        lock.lock();
    }
}

void Reloader::check_data_version(std::optional<source::DataVersionQuery>& query)
{
    auto& core = m_core;
    auto const served = core.snapshot.load();
    auto const& watch = served->service->config().reload;
    if (!watch.enabled()) { // a reload removed the watch
        query.reset();
        core.readiness.set_behind_peers("");
        return;
    }
    if (!query || query->watch() != watch) query.emplace(watch);
    std::string database;
    try {
        database = query->read();
    } catch (std::exception const& e) {
        // The node cannot tell whether it lags, so its readiness stays as it
        // was: a database outage must not drain every node at once.
        core.metrics.version_check_failed();
        if (e.what() != m_version_error) core.log.write(LogLevel::warn, std::string("data version check: ") + e.what());
        m_version_error = e.what();
        return;
    }
    if (!m_version_error.empty()) core.log.write(LogLevel::info, "data version check works again");
    m_version_error.clear();
    if (database == served->data_version) {
        m_version_reload_failures = 0;
        core.readiness.set_behind_peers("");
        core.metrics.data_versions(served->data_version, database, false);
        return;
    }
    // A failing reload is retried with a back-off (one interval, doubling up
    // to 30 s) so a broken source is not read twice a second; SIGHUP retries at once.
    auto const now = std::chrono::steady_clock::now();
    if (m_version_reload_failures > 0 && now < m_version_retry) {
        core.metrics.data_versions(served->data_version, database, true);
        return;
    }
    core.log.write(LogLevel::info, "data version " + database + " in the database (serving " +
                                       (served->data_version.empty() ? "none" : served->data_version) + "): reloading");
    bool const ok = reload();
    auto const after = core.snapshot.load();
    // Lagging after a reload is what drains a node: a successful reload
    // that read an even newer version is caught up; one that failed is not.
    bool const behind = !ok && after->data_version != database;
    if (behind) {
        ++m_version_reload_failures;
        auto const backoff = std::min<std::chrono::milliseconds>(
            watch.interval * (1LL << std::min(m_version_reload_failures - 1, 10U)), std::chrono::seconds(30));
        m_version_retry = now + backoff;
        std::string error;
        {
            std::lock_guard lock(m_reload_mutex);
            error = m_reload_error;
        }
        core.readiness.set_behind_peers("serves data version " +
                                        (after->data_version.empty() ? "none" : after->data_version) +
                                        ", the database has " + database + "; the reload failed: " + error);
    } else {
        m_version_reload_failures = 0;
        core.readiness.set_behind_peers("");
    }
    core.metrics.data_versions(after->data_version, database, behind);
}

} // namespace sahelmap::server::detail

#include "sahelmap/server/metrics.hpp"

#include "sahelmap/core/allocator.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>

namespace sahelmap::server {

namespace {

constexpr auto kRelaxed = std::memory_order_relaxed;

void append_number(std::string& out, double v)
{
    char buf[32];
    // Counters print as integers: %g would round a large count.
    bool const integral = v == std::floor(v) && std::fabs(v) < 1e15;
    std::snprintf(buf, sizeof buf, integral ? "%.0f" : "%.9g", v);
    out += buf;
}

void append_line(std::string& out, std::string_view name, std::string_view labels, double value)
{
    out += name;
    if (!labels.empty()) {
        out += '{';
        out += labels;
        out += '}';
    }
    out += ' ';
    append_number(out, value);
    out += '\n';
}

/// The process's resident set in bytes (/proc/self/statm), 0 where unknown.
double resident_bytes()
{
    std::ifstream statm("/proc/self/statm");
    double pages_total = 0, pages_resident = 0;
    if (!(statm >> pages_total >> pages_resident)) return 0;
    return pages_resident * static_cast<double>(::sysconf(_SC_PAGESIZE));
}

/// A Prometheus label value: backslash, quote and newline escaped.
std::string label_value(std::string_view text)
{
    std::string out;
    for (char c : text) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

} // namespace

void Metrics::data_versions(std::string served, std::string database, bool behind)
{
    std::lock_guard lock(m_versions_mutex);
    m_served_version = std::move(served);
    m_database_version = std::move(database);
    m_behind = behind;
}

std::string_view to_string(Route r) noexcept
{
    switch (r) {
    case Route::healthz:
        return "healthz";
    case Route::readyz:
        return "readyz";
    case Route::metrics:
        return "metrics";
    case Route::styles:
        return "styles";
    case Route::style:
        return "style";
    case Route::tilejson:
        return "tilejson";
    case Route::tiles:
        return "tiles";
    case Route::web:
        return "web";
    case Route::events:
        return "events";
    case Route::data:
        return "data";
    case Route::influence:
        return "influence";
    case Route::wms:
        return "wms";
    case Route::wmts:
        return "wmts";
    case Route::ogc:
        return "ogc";
    case Route::vector:
        return "vector";
    case Route::print:
        return "print";
    case Route::download:
        return "download";
    case Route::legend:
        return "legend";
    case Route::maplibre:
        return "maplibre";
    default:
        return "other";
    }
}

void Histogram::observe(double seconds) noexcept
{
    std::size_t i = 0;
    while (i < kBounds.size() && seconds > kBounds[i]) ++i;
    m_buckets[i].fetch_add(1, kRelaxed);
    m_count.fetch_add(1, kRelaxed);
    m_sum_ns.fetch_add(static_cast<std::uint64_t>(seconds * 1e9), kRelaxed);
}

void Histogram::write(std::string& out, std::string_view name, std::string_view labels) const
{
    std::string const prefix = labels.empty() ? std::string() : std::string(labels) + ",";
    std::string const bucket = std::string(name) + "_bucket";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i <= kBounds.size(); ++i) {
        cumulative += m_buckets[i].load(kRelaxed);
        std::string le = prefix + "le=\"";
        if (i < kBounds.size()) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%g", kBounds[i]);
            le += buf;
        } else {
            le += "+Inf";
        }
        le += '"';
        append_line(out, bucket, le, static_cast<double>(cumulative));
    }
    append_line(out, std::string(name) + "_sum", labels, static_cast<double>(m_sum_ns.load(kRelaxed)) / 1e9);
    append_line(out, std::string(name) + "_count", labels, static_cast<double>(m_count.load(kRelaxed)));
}

void Metrics::request(Route route, unsigned status, double seconds) noexcept
{
    auto const r = static_cast<std::size_t>(route);
    if (r >= kRoutes) return;
    m_requests[r][status < kStatuses ? status : 0].fetch_add(1, kRelaxed);
    m_durations[r].observe(seconds);
}

void Metrics::render(double seconds) noexcept
{
    m_renders.fetch_add(1, kRelaxed);
    m_render_seconds.observe(seconds);
}

std::uint64_t Metrics::requests(Route route, unsigned status) const noexcept
{
    auto const r = static_cast<std::size_t>(route);
    return r < kRoutes && status < kStatuses ? m_requests[r][status].load(kRelaxed) : 0;
}

std::string Metrics::text(std::size_t cache_bytes) const
{
    std::string out;
    out.reserve(16384);
    out += "# HELP sahelmap_http_requests_total HTTP requests answered, by route and status.\n"
           "# TYPE sahelmap_http_requests_total counter\n";
    for (std::size_t r = 0; r < kRoutes; ++r) {
        for (unsigned s = 0; s < kStatuses; ++s) {
            auto const n = m_requests[r][s].load(kRelaxed);
            if (n == 0) continue;
            std::string labels =
                "route=\"" + std::string(to_string(static_cast<Route>(r))) + "\",status=\"" + std::to_string(s) + "\"";
            append_line(out, "sahelmap_http_requests_total", labels, static_cast<double>(n));
        }
    }
    out += "# HELP sahelmap_http_request_duration_seconds Time from a complete request header to the "
           "response written, by route.\n"
           "# TYPE sahelmap_http_request_duration_seconds histogram\n";
    for (std::size_t r = 0; r < kRoutes; ++r)
        m_durations[r].write(out, "sahelmap_http_request_duration_seconds",
                             "route=\"" + std::string(to_string(static_cast<Route>(r))) + "\"");
    out += "# HELP sahelmap_tile_cache_hits_total Tile requests answered from the cache.\n"
           "# TYPE sahelmap_tile_cache_hits_total counter\n";
    append_line(out, "sahelmap_tile_cache_hits_total", {}, static_cast<double>(m_cache_hits.load(kRelaxed)));
    out += "# HELP sahelmap_tile_cache_misses_total Tile requests not in the cache (rendered or "
           "joined to a render under way).\n"
           "# TYPE sahelmap_tile_cache_misses_total counter\n";
    append_line(out, "sahelmap_tile_cache_misses_total", {}, static_cast<double>(m_cache_misses.load(kRelaxed)));
    out += "# HELP sahelmap_tile_cache_bytes Bytes held by the tile cache.\n"
           "# TYPE sahelmap_tile_cache_bytes gauge\n";
    append_line(out, "sahelmap_tile_cache_bytes", {}, static_cast<double>(cache_bytes));
    out += "# HELP sahelmap_tile_renders_total Tiles rendered.\n"
           "# TYPE sahelmap_tile_renders_total counter\n";
    append_line(out, "sahelmap_tile_renders_total", {}, static_cast<double>(m_renders.load(kRelaxed)));
    out += "# HELP sahelmap_tile_render_seconds Time to render and encode one tile.\n"
           "# TYPE sahelmap_tile_render_seconds histogram\n";
    m_render_seconds.write(out, "sahelmap_tile_render_seconds", {});
    out += "# HELP sahelmap_connections_refused_total Connections refused at admission, by reason (address: "
           "the per-address limit; full: the connection limit with none idle).\n"
           "# TYPE sahelmap_connections_refused_total counter\n";
    append_line(out, "sahelmap_connections_refused_total", "reason=\"address\"",
                static_cast<double>(m_refused_address.load(kRelaxed)));
    append_line(out, "sahelmap_connections_refused_total", "reason=\"full\"",
                static_cast<double>(m_refused_full.load(kRelaxed)));
    out += "# HELP sahelmap_connections_shed_total Idle connections closed to make room for new ones.\n"
           "# TYPE sahelmap_connections_shed_total counter\n";
    append_line(out, "sahelmap_connections_shed_total", {}, static_cast<double>(m_shed.load(kRelaxed)));
    constexpr std::array<std::string_view, kLanes> kLaneLabels = {"lane=\"cheap\"", "lane=\"medium\"",
                                                                  "lane=\"heavy\""};
    out += "# HELP sahelmap_work_queued Jobs waiting for a render thread, by lane (cheap: raster and vector "
           "tiles, legends; medium: OGC API items; heavy: WMS, prints, downloads).\n"
           "# TYPE sahelmap_work_queued gauge\n";
    for (std::size_t i = 0; i < kLanes; ++i)
        append_line(out, "sahelmap_work_queued", kLaneLabels[i], static_cast<double>(m_lane_queued[i].load(kRelaxed)));
    out += "# HELP sahelmap_work_running Jobs running on a render thread, by lane.\n"
           "# TYPE sahelmap_work_running gauge\n";
    for (std::size_t i = 0; i < kLanes; ++i)
        append_line(out, "sahelmap_work_running", kLaneLabels[i],
                    static_cast<double>(m_lane_running[i].load(kRelaxed)));
    out += "# HELP sahelmap_work_refused_total Heavy jobs refused, by reason (full: the heavy queue bound, 503; "
           "client: the per-client cap, 429; memory: large answers held the memory bound, 503).\n"
           "# TYPE sahelmap_work_refused_total counter\n";
    append_line(out, "sahelmap_work_refused_total", "reason=\"full\"",
                static_cast<double>(m_work_refused_full.load(kRelaxed)));
    append_line(out, "sahelmap_work_refused_total", "reason=\"client\"",
                static_cast<double>(m_work_refused_client.load(kRelaxed)));
    append_line(out, "sahelmap_work_refused_total", "reason=\"memory\"",
                static_cast<double>(m_work_refused_memory.load(kRelaxed)));
    out += "# HELP sahelmap_answer_bytes Bytes of large answers (maps, prints, downloads) held while clients take "
           "them.\n"
           "# TYPE sahelmap_answer_bytes gauge\n";
    append_line(out, "sahelmap_answer_bytes", {}, static_cast<double>(m_answer_bytes.load(kRelaxed)));
    out += "# HELP sahelmap_answers_shed_total Large answers cut because their readers were the slowest when "
           "answers held the memory bound.\n"
           "# TYPE sahelmap_answers_shed_total counter\n";
    append_line(out, "sahelmap_answers_shed_total", {}, static_cast<double>(m_answers_cut.load(kRelaxed)));
    auto const heap = heap_use();
    out += "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
           "# TYPE process_resident_memory_bytes gauge\n";
    append_line(out, "process_resident_memory_bytes", {}, resident_bytes());
    out += "# HELP sahelmap_heap_in_use_bytes Bytes the allocator has handed out and not had back.\n"
           "# TYPE sahelmap_heap_in_use_bytes gauge\n";
    append_line(out, "sahelmap_heap_in_use_bytes", {}, static_cast<double>(heap.in_use));
    out += "# HELP sahelmap_heap_free_bytes Freed bytes the allocator keeps for reuse (resident unless trimmed).\n"
           "# TYPE sahelmap_heap_free_bytes gauge\n";
    append_line(out, "sahelmap_heap_free_bytes", {}, static_cast<double>(heap.free));
    out += "# HELP sahelmap_reloads_total Successful reloads of config, data and styles.\n"
           "# TYPE sahelmap_reloads_total counter\n";
    append_line(out, "sahelmap_reloads_total", {}, static_cast<double>(m_reloads.load(kRelaxed)));
    out += "# HELP sahelmap_reload_failures_total Reloads that failed (the previous version is still served).\n"
           "# TYPE sahelmap_reload_failures_total counter\n";
    append_line(out, "sahelmap_reload_failures_total", {}, static_cast<double>(m_reload_failures.load(kRelaxed)));
    std::lock_guard lock(m_versions_mutex);
    if (m_served_version.empty() && m_database_version.empty()) return out;
    out += "# HELP sahelmap_data_version_info The shared data's version this node serves and the one its "
           "database answered last (config \"reload\").\n"
           "# TYPE sahelmap_data_version_info gauge\n";
    append_line(out, "sahelmap_data_version_info",
                "served=\"" + label_value(m_served_version) + "\",database=\"" + label_value(m_database_version) + "\"",
                1);
    out += "# HELP sahelmap_data_behind 1 while a failed reload leaves this node on an older data version than "
           "its database's (it then answers /readyz with 503).\n"
           "# TYPE sahelmap_data_behind gauge\n";
    append_line(out, "sahelmap_data_behind", {}, m_behind ? 1 : 0);
    out += "# HELP sahelmap_data_version_check_failures_total Data version queries that failed.\n"
           "# TYPE sahelmap_data_version_check_failures_total counter\n";
    append_line(out, "sahelmap_data_version_check_failures_total", {},
                static_cast<double>(m_version_check_failures.load(kRelaxed)));
    return out;
}

} // namespace sahelmap::server

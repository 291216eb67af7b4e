// GET /download/sahelmap.gpkg: the styled GeoPackage, built on the render
// pool in a private temporary folder, then sent as an attachment.
#include "handlers.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/export/geopackage.hpp"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <unistd.h>

namespace sahelmap::server::detail {

namespace {

constexpr std::string_view kFileName = "sahelmap.gpkg";

/// A fresh folder under the system's temporary folder, removed with everything in it.
class TempDir {
public:
    TempDir()
    {
        static std::atomic<unsigned> counter{0};
        auto const base = std::filesystem::temp_directory_path();
        for (int attempt = 0; attempt < 100; ++attempt) {
            auto p = base / ("sahelmap-download-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
            if (std::filesystem::create_directory(p)) {
                m_path = p;
                return;
            }
        }
        throw DataError("cannot create a temporary folder under " + base.string() + " for the download");
    }
    ~TempDir()
    {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(TempDir const&) = delete;
    TempDir& operator=(TempDir const&) = delete;
    std::filesystem::path const& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

std::string read_file(std::filesystem::path const& p)
{
    std::ifstream in(p, std::ios::binary);
    if (!in) throw DataError("cannot read back the GeoPackage built in " + p.string());
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace

Handled handle_download(Request const&, RouteContext const& context, std::string_view name, std::string_view query)
{
    if (name != kFileName)
        throw NotFound("no download named '" + std::string(name) + "' (there is /download/sahelmap.gpkg)");
    exports::GeoPackageOptions options;
    options.style = "default";
    auto snapshot = context.snapshot;
    auto const time = query_param(query, "time");
    options.time = time ? parse_date_parameter(*time) : snapshot->service->evidence_until();
    if (auto s = query_param(query, "style")) options.style = std::string(*s);
    (void)snapshot->service->renderer(options.style); // an unknown style is a 404 before any work
    return WorkJob(JobKind::heavy, [snapshot, options]() mutable {
        TempDir dir;
        options.out = dir.path() / kFileName;
        exports::write_geopackage(*snapshot->service, options);
        Response res = make_response(http::status::ok, "application/geopackage+sqlite3", read_file(options.out));
        res.set(http::field::content_disposition,
                "attachment; filename=\"sahelmap-" + options.time.to_string() + ".gpkg\"");
        res.set(http::field::cache_control, "no-cache");
        return res;
    });
}

} // namespace sahelmap::server::detail

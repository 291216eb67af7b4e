// Files of the web viewer under the web root: `/` is index.html, and
// /static/{file} is {web root}/{file}. Names are checked before any file
// system call so no request can reach outside the root, and only the
// viewer's own files are served (not the npm manifests or test packages).
#include "handlers.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/server/options.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace sahelmap::server {

std::filesystem::path default_web_root()
{
    return SAHELMAP_WEB_ROOT;
}

} // namespace sahelmap::server

namespace sahelmap::server::detail {

namespace {

struct FileType {
    std::string_view extension;
    std::string_view content_type;
    bool compressible;
};

constexpr FileType kTypes[] = {
    {".html", "text/html; charset=utf-8", true},
    {".js", "text/javascript; charset=utf-8", true},
    {".css", "text/css; charset=utf-8", true},
    {".json", "application/json", true},
    {".svg", "image/svg+xml", true},
    {".png", "image/png", false},
};

/// Only [A-Za-z0-9._-] segments joined by '/', none empty or starting with
/// a dot: no "..", no hidden files (the router has decoded the path once).
bool safe_relative(std::string_view name) noexcept
{
    if (name.empty() || name.size() > 256) return false;
    constexpr std::string_view kAllowed = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-/";
    if (name.find_first_not_of(kAllowed) != std::string_view::npos) return false;
    while (!name.empty()) {
        auto const slash = name.find('/');
        auto const segment = name.substr(0, slash);
        if (segment.empty() || segment.front() == '.') return false;
        if (slash == std::string_view::npos) break;
        name.remove_prefix(slash + 1);
        if (name.empty()) return false; // trailing slash
    }
    return true;
}

/// The npm packages the pages load (web/index.html: Leaflet, web/vector.html:
/// MapLibre GL JS), by their dist folders; node_modules also holds the test
/// tools (playwright-core, ajv, ...), which are no part of the viewer.
constexpr std::string_view kServedPackages[] = {"node_modules/leaflet/dist/", "node_modules/maplibre-gl/dist/"};

/// Whether `name` is one of the viewer's files: not the npm manifests, and
/// under node_modules/ only the served packages.
bool viewer_file(std::string_view name) noexcept
{
    if (name == "package.json" || name == "package-lock.json") return false;
    if (name.substr(0, 13) != "node_modules/") return true;
    return std::any_of(std::begin(kServedPackages), std::end(kServedPackages),
                       [&](std::string_view prefix) { return name.substr(0, prefix.size()) == prefix; });
}

FileType const* type_of(std::string_view name) noexcept
{
    for (auto const& t : kTypes)
        if (name.size() > t.extension.size() && name.substr(name.size() - t.extension.size()) == t.extension) return &t;
    return nullptr;
}

} // namespace

Response handle_web(Request const& request, RouteContext const& context, std::string_view relative)
{
    auto const* type = safe_relative(relative) && viewer_file(relative) ? type_of(relative) : nullptr;
    if (!type) throw NotFound("no such file '" + std::string(relative.substr(0, 128)) + "'");

    auto const& root = context.options->web_root;
    std::error_code ec;
    auto const canonical_root = std::filesystem::canonical(root, ec);
    auto const file = std::filesystem::weakly_canonical(root / std::string(relative), ec);
    // A symbolic link inside the root must not lead out of it either.
    bool const inside = !canonical_root.empty() && !ec &&
                        std::mismatch(canonical_root.begin(), canonical_root.end(), file.begin(), file.end()).first ==
                            canonical_root.end();
    std::ifstream in;
    if (inside && std::filesystem::is_regular_file(file, ec)) in.open(file, std::ios::binary);
    if (!in.is_open() || !in) {
        if (relative == "index.html") throw NotFound("the web viewer is not installed (no index.html in the web root)");
        throw NotFound("no such file '" + std::string(relative) + "'");
    }
    std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // The page itself is revalidated each time so a new viewer shows at once;
    // its assets are cached like the rest.
    int const max_age = relative == "index.html" ? -1 : context.options->max_age;
    return cacheable(request, type->content_type, std::move(body), max_age, type->compressible);
}

} // namespace sahelmap::server::detail

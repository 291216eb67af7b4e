#pragma once
/// Where each data layer and style comes from. A config file names any OGR
/// source per layer; whatever it leaves out comes from the embedded defaults.
#include "sahelmap/core/sha256.hpp"

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sahelmap::source {

/// The data layers the default styles and later stages rely on.
inline constexpr std::string_view kDefaultLayers[] = {"countries", "borders",   "regions", "provinces",
                                                      "sites",     "corridors", "places",  "events"};

/// One data layer: an OGR connection (path, URL or "PG:..." string) and layer name.
struct LayerSource {
    std::string name;       ///< sahelmap's name for the layer (source-layer in styles)
    std::string connection; ///< what GDALOpenEx gets; the embedded GeoPackage when `embedded`
    std::string layer;      ///< layer name inside the source
    std::string where;      ///< optional OGR SQL attribute filter
    bool embedded = false;
};

/// One style document, already read as text.
struct StyleSource {
    std::string id;   ///< used in URLs: /tiles/{id}/...
    std::string path; ///< file it came from; empty when embedded
    std::string json;
};

/// Protected layers (SPEC "access"): which named keys unlock which layers,
/// and which keys may read /metrics. Only digests are kept, never a key.
struct AccessPolicy {
    std::map<std::string, Sha256Digest> keys;               ///< key name → SHA-256 of the key
    std::map<std::string, std::vector<std::string>> layers; ///< protected layer → names of the keys that see it
    std::vector<std::string> metrics;                       ///< key names that may read /metrics; empty: public

    bool empty() const noexcept { return keys.empty() && layers.empty() && metrics.empty(); }
    /// The name of the key whose digest is SHA-256(`key`); nullopt for a
    /// wrong key. Compares with every key's digest in constant time.
    std::optional<std::string> key_name(std::string_view key) const;
    /// The protected layers the key `name` does not unlock (every protected
    /// layer when `name` is empty: the public view), sorted.
    std::vector<std::string> hidden_from(std::string const& name) const;
};

/// Config "reload": how a node learns that the shared data changed. Every
/// `interval` it runs `query` on `connection`; the first column of the first
/// row, as text, is the data version. A version other than the one the node
/// loaded makes it reload; a node whose reload fails keeps serving and
/// reports not ready until it has the database's version.
struct ReloadWatch {
    std::string connection; ///< OGR connection ("PG:..."); empty: no watch
    std::string query = "SELECT version FROM sahelmap_data_version";
    std::chrono::milliseconds interval{500};

    bool enabled() const noexcept { return !connection.empty(); }
    friend bool operator==(ReloadWatch const&, ReloadWatch const&) = default;
};

struct Config {
    std::filesystem::path file; ///< empty for the embedded defaults
    std::vector<LayerSource> layers;
    std::vector<StyleSource> styles;
    /// Influence model parameters (docs/influence.md); empty = the embedded defaults.
    std::filesystem::path influence_params;
    AccessPolicy access;
    ReloadWatch reload;

    /// The embedded GeoPackage and styles, nothing read from disk.
    static Config defaults();
    /// Reads a JSON config; relative paths are relative to the file. Throws
    /// DataError naming the file and key at fault.
    static Config load(std::filesystem::path const& file);
};

} // namespace sahelmap::source

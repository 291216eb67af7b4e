#pragma once
/// An MBTiles 1.3 file written with SQLite: a `metadata` table and tiles
/// stored once per distinct content (`images`), addressed by `map`, read
/// through the `tiles` view that GDAL, QGIS and tile servers query.
#include "sahelmap/core/geometry.hpp"
#include "sahelmap/core/tile.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

struct sqlite3;

namespace sahelmap::exports {

/// The rows of the metadata table (MBTiles 1.3).
struct MbtilesMetadata {
    std::string name;
    std::string format; ///< "png" or "pbf"
    BBox bounds;        ///< lon/lat
    double center_lon = 0;
    double center_lat = 0;
    int center_zoom = 0;
    int minzoom = 0;
    int maxzoom = 0;
    std::string type = "baselayer"; ///< or "overlay"
    std::string version = "1";
    std::string description;
    std::string attribution;
    std::string json; ///< vector_layers for pbf; empty for raster
    /// "K/N" for one part of a sharded seed (`seed --shard`), empty for a
    /// whole pyramid; stored as the `sahelmap_shard` row, which merge drops.
    std::string shard;
};

/// The metadata row naming a part of a sharded seed.
inline constexpr char kShardRow[] = "sahelmap_shard";

/// Metadata rows (name, value) in table order.
using MetadataRows = std::vector<std::pair<std::string, std::string>>;

/// The rows `MbtilesWriter::finish` stores for `metadata`, in that order.
MetadataRows metadata_rows(MbtilesMetadata const& metadata);

/// The key a tile's content is stored under in `images`: equal bytes,
/// equal key (a hash pair and the length; see mbtiles.cpp).
std::string tile_content_key(std::string_view bytes);

/// One tile with its encoded bytes (XYZ address; the file stores TMS rows).
struct EncodedTile {
    TileId tile;
    std::string bytes;
};

/// Writes a new MBTiles file at `path` (which must not exist). Not
/// thread-safe: one writer thread owns it.
class MbtilesWriter {
public:
    /// Creates the file and its schema; throws DataError naming the path.
    explicit MbtilesWriter(std::filesystem::path path);
    ~MbtilesWriter();
    MbtilesWriter(MbtilesWriter const&) = delete;
    MbtilesWriter& operator=(MbtilesWriter const&) = delete;

    /// Adds tiles in one transaction; identical contents are stored once.
    void add(std::vector<EncodedTile> const& batch);
    /// Fills the metadata table, builds the indexes and closes the file.
    void finish(MbtilesMetadata const& metadata);
    /// The same with the rows as they are (merge copies its parts' rows).
    void finish(MetadataRows const& rows);

    std::uint64_t tiles() const noexcept { return m_tiles; }
    std::uint64_t distinct() const noexcept { return m_distinct; }

private:
    void exec(char const* sql);
    [[noreturn]] void fail(std::string const& what);

    std::filesystem::path m_path;
    sqlite3* m_db = nullptr;
    struct Statements;
    std::unique_ptr<Statements> m_st;
    std::unordered_set<std::string> m_ids; ///< content keys already in images
    std::uint64_t m_tiles = 0;
    std::uint64_t m_distinct = 0;
};

/// Reads an MBTiles file (ours or any other writer's: tiles come through
/// the `tiles` view the spec defines). Not thread-safe.
class MbtilesReader {
public:
    /// Opens read-only; throws DataError naming the path when it is missing
    /// or not an MBTiles file (no metadata table or tiles view).
    explicit MbtilesReader(std::filesystem::path path);
    ~MbtilesReader();
    MbtilesReader(MbtilesReader const&) = delete;
    MbtilesReader& operator=(MbtilesReader const&) = delete;

    std::filesystem::path const& path() const noexcept { return m_path; }
    /// The metadata table in row order.
    MetadataRows metadata() const;
    /// How many tiles the file addresses.
    std::uint64_t count() const;
    /// Calls `visit` for every tile (XYZ address) with its bytes.
    void for_each(std::function<void(TileId const&, std::string_view bytes)> const& visit) const;

private:
    [[noreturn]] void fail(std::string const& what) const;

    std::filesystem::path m_path;
    sqlite3* m_db = nullptr;
};

} // namespace sahelmap::exports

#pragma once
/// Seeding: render a tile pyramid over a lon/lat box into an MBTiles file,
/// with worker threads rendering and one thread writing.
#include "sahelmap/core/date.hpp"
#include "sahelmap/core/geometry.hpp"
#include "sahelmap/service/map_service.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace sahelmap::exports {

enum class TileFormat { png, mvt };

struct SeedOptions {
    std::filesystem::path out;     ///< the .mbtiles file to create (replaced if it exists)
    std::string style = "default"; ///< for PNG tiles
    TileFormat format = TileFormat::png;
    int minzoom = 0;
    int maxzoom = 0;
    std::optional<BBox> bbox; ///< lon/lat; none = the data's extent
    Date time = Date::today();
    int threads = 2; ///< rendering threads
    /// Part `shard` of `shards` (1-based): the pyramid's tiles, numbered zoom
    /// by zoom, row by row from the north and west to east, are dealt round
    /// robin, so tile i belongs to part (i mod shards) + 1. Every part gets
    /// the same count (±1) at every zoom and an even spread over the map, so
    /// costly tiles (dense areas) are shared out too. 1/1: the whole pyramid.
    int shard = 1;
    int shards = 1;
    /// Polled a few times a second; true stops the seed (DataError, nothing written).
    std::function<bool()> cancelled;
};

struct SeedProgress {
    std::uint64_t done = 0;
    std::uint64_t total = 0;
    double seconds = 0;
};

struct SeedResult {
    std::uint64_t tiles = 0;
    std::uint64_t distinct = 0; ///< tiles stored once per distinct content
    double seconds = 0;
    std::uintmax_t bytes = 0; ///< size of the file
};

/// The lon/lat box seeding covers by default: the regions layer's extent,
/// else all the data's.
BBox default_bounds(service::MapService const& service);

/// How many tiles cover `bbox` (lon/lat) at zooms minzoom…maxzoom.
std::uint64_t count_tiles(BBox const& bbox, int minzoom, int maxzoom);

/// How many of `total` tiles part `shard` of `shards` renders.
std::uint64_t shard_size(std::uint64_t total, int shard, int shards);

/// Whether `out` names a PMTiles file (by its extension, any case);
/// otherwise seed and merge write MBTiles.
bool is_pmtiles_path(std::filesystem::path const& out);

/// Checks the options without rendering; throws BadRequest naming the
/// parameter at fault, NotFound for an unknown style.
void validate(service::MapService const& service, SeedOptions const& options);

/// Renders every tile (of its shard) and writes `options.out` atomically (through a
/// temporary file beside it, renamed at the end: a failure leaves nothing).
/// A `.pmtiles` name writes PMTiles v3 (through a temporary MBTiles file).
/// `progress` is called from the writing thread after each batch.
SeedResult seed(service::MapService const& service, SeedOptions const& options,
                std::function<void(SeedProgress const&)> const& progress = {});

} // namespace sahelmap::exports

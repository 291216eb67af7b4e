#pragma once
/// PMTiles v3 (https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md):
/// one file of tiles that a static host or CDN serves with HTTP range
/// requests and MapLibre reads through the `pmtiles://` protocol.
#include "sahelmap/core/tile.hpp"

#include <cstdint>
#include <filesystem>

namespace sahelmap::exports {

/// The PMTiles TileId of a tile: its position on the Hilbert curves of
/// zooms 0, 1, ... in turn (so 0/0/0 is 0 and zoom z starts at (4^z - 1) / 3).
std::uint64_t pmtiles_tile_id(TileId const& tile) noexcept;

/// Writes `mbtiles` (one written by MbtilesWriter: PNG or gzipped MVT
/// tiles) as the PMTiles v3 file `out`: tiles ordered by TileId (clustered),
/// each distinct content stored once, consecutive tiles with the same
/// content as one run-length entry, directories and metadata gzipped, leaf
/// directories once the root would pass the 16 kB a client fetches first.
/// Throws DataError naming the file at fault.
void write_pmtiles(std::filesystem::path const& mbtiles, std::filesystem::path const& out);

} // namespace sahelmap::exports

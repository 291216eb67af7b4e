#pragma once
/// Joining the parts of a sharded seed (`seed --shard K/N`) into one file
/// identical, tile for tile and row for row of metadata, to a single seed.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <vector>

namespace sahelmap::exports {

struct MergeProgress {
    std::uint64_t done = 0;  ///< tiles read so far
    std::uint64_t total = 0; ///< tiles in all parts
    double seconds = 0;
};

struct MergeResult {
    std::uint64_t tiles = 0;
    std::uint64_t distinct = 0;
    double seconds = 0;
    std::uintmax_t bytes = 0; ///< size of the file written
};

/// Merges `parts` (MBTiles files) into `out` (MBTiles, or PMTiles v3 for a
/// `.pmtiles` name), atomically. Refuses, with a DataError naming the files:
/// parts whose metadata differ (another style, zoom range, box, date or
/// format: not the same seed), parts of different shard counts, a shard
/// given twice or missing, and a tile two parts hold with different bytes.
/// Parts of no shard (whole seeds) merge when their metadata agree and
/// their common tiles are equal.
MergeResult merge(std::vector<std::filesystem::path> const& parts, std::filesystem::path const& out,
                  std::function<void(MergeProgress const&)> const& progress = {});

} // namespace sahelmap::exports

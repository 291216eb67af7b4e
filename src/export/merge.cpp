#include "sahelmap/export/merge.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/export/mbtiles.hpp"
#include "sahelmap/export/output.hpp"
#include "sahelmap/export/pmtiles.hpp"
#include "sahelmap/export/seed.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>

namespace sahelmap::exports {

namespace {

struct Shard {
    int index = 0;
    int count = 0;
};

std::optional<Shard> parse_shard(std::string const& text)
{
    auto const slash = text.find('/');
    if (slash == std::string::npos) return std::nullopt;
    try {
        std::size_t used_k = 0, used_n = 0;
        int const k = std::stoi(text.substr(0, slash), &used_k);
        int const n = std::stoi(text.substr(slash + 1), &used_n);
        if (used_k != slash || used_n != text.size() - slash - 1 || n < 1 || k < 1 || k > n) return std::nullopt;
        return Shard{k, n};
    } catch (std::exception const&) {
        return std::nullopt;
    }
}

std::string clip(std::string const& text)
{
    return text.size() > 60 ? text.substr(0, 57) + "..." : text;
}

/// The first difference between two parts' metadata (the shard row aside), or "".
std::string metadata_difference(MetadataRows const& a, MetadataRows const& b)
{
    std::map<std::string, std::string> const left(a.begin(), a.end()), right(b.begin(), b.end());
    for (auto const& [name, value] : left) {
        auto const it = right.find(name);
        if (it == right.end()) return "only the first has metadata '" + name + "'";
        if (it->second != value)
            return "metadata '" + name + "' is '" + clip(value) + "' vs '" + clip(it->second) + "'";
    }
    for (auto const& [name, value] : right)
        if (!left.count(name)) return "only the second has metadata '" + name + "'";
    return {};
}

MetadataRows without_shard(MetadataRows rows, std::string& shard)
{
    std::erase_if(rows, [&](auto const& r) {
        if (r.first != kShardRow) return false;
        shard = r.second;
        return true;
    });
    return rows;
}

std::uint64_t tile_key(TileId const& t) noexcept
{
    return (std::uint64_t(t.z()) << 58) | (std::uint64_t(t.x()) << 29) | std::uint64_t(t.y());
}

} // namespace

MergeResult merge(std::vector<std::filesystem::path> const& parts, std::filesystem::path const& out,
                  std::function<void(MergeProgress const&)> const& progress)
{
    auto const start = std::chrono::steady_clock::now();
    auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
    if (parts.empty()) throw BadRequest("merge needs at least one part");
    check_writable(out);

    // Everything is checked before the output is touched.
    std::vector<std::unique_ptr<MbtilesReader>> readers;
    std::vector<MetadataRows> rows;
    std::vector<std::string> shards;
    std::uint64_t total = 0;
    for (auto const& p : parts) {
        std::error_code ec;
        if (std::filesystem::exists(out, ec) && std::filesystem::equivalent(p, out, ec))
            throw BadRequest("merge would overwrite its part " + p.string() + " with --out");
        readers.push_back(std::make_unique<MbtilesReader>(p));
        std::string shard;
        rows.push_back(without_shard(readers.back()->metadata(), shard));
        shards.push_back(shard);
        total += readers.back()->count();
    }
    for (std::size_t i = 1; i < parts.size(); ++i)
        if (auto const diff = metadata_difference(rows[0], rows[i]); !diff.empty())
            throw DataError(parts[0].string() + " and " + parts[i].string() +
                            " are not parts of the same seed: " + diff);
    bool const sharded = !shards[0].empty();
    std::set<int> seen;
    int count = 0;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (shards[i].empty() != !sharded)
            throw DataError(parts[sharded ? i : 0].string() + " is a whole seed but " +
                            parts[sharded ? 0 : i].string() + " is part " + (sharded ? shards[0] : shards[i]) +
                            " of a sharded one");
        if (!sharded) continue;
        auto const s = parse_shard(shards[i]);
        if (!s) throw DataError(parts[i].string() + " has metadata " + kShardRow + " '" + shards[i] + "', not K/N");
        if (count == 0) count = s->count;
        if (s->count != count)
            throw DataError(parts[i].string() + " is part " + shards[i] + " but " + parts[0].string() + " is part " +
                            shards[0] + ": not the same sharding");
        if (!seen.insert(s->index).second)
            throw DataError(parts[i].string() + " is part " + shards[i] + ", given twice");
    }
    if (sharded && static_cast<int>(seen.size()) != count) {
        std::string missing;
        for (int k = 1; k <= count; ++k)
            if (!seen.count(k))
                missing += (missing.empty() ? "" : ", ") + std::to_string(k) + "/" + std::to_string(count);
        throw DataError("merge needs every part of the seed; missing: " + missing);
    }

    MergeResult result;
    auto write_mbtiles = [&](std::filesystem::path const& tmp) {
        MbtilesWriter writer(tmp);
        // Which part holds each tile and its content key, to catch overlaps.
        std::unordered_map<std::uint64_t, std::pair<std::size_t, std::string>> held;
        std::uint64_t done = 0;
        std::vector<EncodedTile> batch;
        for (std::size_t i = 0; i < readers.size(); ++i) {
            readers[i]->for_each([&](TileId const& tile, std::string_view bytes) {
                ++done;
                auto key = tile_content_key(bytes);
                auto [it, fresh] = held.try_emplace(tile_key(tile), i, key);
                if (!fresh) {
                    if (it->second.second != key)
                        throw DataError("tile " + std::to_string(tile.z()) + "/" + std::to_string(tile.x()) + "/" +
                                        std::to_string(tile.y()) + " differs between " +
                                        parts[it->second.first].string() + " and " + parts[i].string());
                    return; // the same tile twice: kept once
                }
                batch.push_back({tile, std::string(bytes)});
                if (batch.size() >= 256) {
                    writer.add(batch);
                    batch.clear();
                    if (progress) progress({done, total, seconds()});
                }
            });
        }
        if (!batch.empty()) writer.add(batch);
        if (progress) progress({done, total, seconds()});
        writer.finish(rows[0]);
        result.tiles = writer.tiles();
        result.distinct = writer.distinct();
    };
    if (is_pmtiles_path(out)) {
        write_atomically(out, [&](std::filesystem::path const& tmp) {
            auto const staging = std::filesystem::path(tmp.string() + ".mbtiles");
            TemporaryFile const remove_staging(staging);
            write_mbtiles(staging);
            write_pmtiles(staging, tmp);
        });
    } else {
        write_atomically(out, write_mbtiles);
    }
    result.seconds = seconds();
    std::error_code ec;
    result.bytes = std::filesystem::file_size(out, ec);
    return result;
}

} // namespace sahelmap::exports

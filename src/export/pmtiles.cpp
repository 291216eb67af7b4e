#include "sahelmap/export/pmtiles.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/encode/gzip.hpp"
#include "sahelmap/export/mbtiles.hpp"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace sahelmap::exports {

namespace {

constexpr std::size_t kHeaderBytes = 127;
/// Header and root directory together: what a client fetches first.
constexpr std::size_t kFirstFetch = 16384;

// Enumerations of the v3 header.
constexpr std::uint8_t kCompressionNone = 1;
constexpr std::uint8_t kCompressionGzip = 2;
constexpr std::uint8_t kTileTypeMvt = 1;
constexpr std::uint8_t kTileTypePng = 2;

struct Entry {
    std::uint64_t tile_id = 0;
    std::uint64_t offset = 0; ///< in the tile data section (or the leaf section, for a leaf)
    std::uint32_t length = 0;
    std::uint32_t run_length = 0; ///< 0: the entry points at a leaf directory
};

void put_varint(std::string& out, std::uint64_t v)
{
    while (v >= 0x80) {
        out += static_cast<char>((v & 0x7f) | 0x80);
        v >>= 7;
    }
    out += static_cast<char>(v);
}

/// Count, then the columns: TileId deltas, run lengths, lengths, offsets
/// (0 when contiguous with the previous entry, else offset + 1); gzipped.
std::string serialize_directory(std::vector<Entry>::const_iterator begin, std::vector<Entry>::const_iterator end)
{
    std::string raw;
    put_varint(raw, static_cast<std::uint64_t>(end - begin));
    std::uint64_t last = 0;
    for (auto it = begin; it != end; ++it) {
        put_varint(raw, it->tile_id - last);
        last = it->tile_id;
    }
    for (auto it = begin; it != end; ++it) put_varint(raw, it->run_length);
    for (auto it = begin; it != end; ++it) put_varint(raw, it->length);
    for (auto it = begin; it != end; ++it) {
        bool const contiguous = it != begin && it->offset == (it - 1)->offset + (it - 1)->length;
        put_varint(raw, contiguous ? 0 : it->offset + 1);
    }
    return encode::gzip(raw, 9);
}

void put_le(std::string& out, std::uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

std::int32_t e7(double degrees)
{
    return static_cast<std::int32_t>(std::llround(degrees * 10'000'000.0));
}

struct StmtDeleter {
    void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtDeleter>;
struct DbCloser {
    void operator()(sqlite3* db) const noexcept { sqlite3_close(db); }
};

std::string row(MetadataRows const& rows, std::string const& name)
{
    for (auto const& [k, v] : rows)
        if (k == name) return v;
    return {};
}

/// Comma-separated numbers of a metadata row (bounds, center); throws naming the row.
std::vector<double> numbers(std::string const& text, std::string const& name, std::size_t count,
                            std::filesystem::path const& file)
{
    std::vector<double> out;
    std::size_t pos = 0;
    while (out.size() < count && pos <= text.size()) {
        auto const comma = text.find(',', pos);
        try {
            out.push_back(std::stod(text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos)));
        } catch (std::exception const&) {
            break;
        }
        if (comma == std::string::npos) break;
        pos = comma + 1;
    }
    if (out.size() != count)
        throw DataError(file.string() + " has metadata " + name + " '" + text + "', not " + std::to_string(count) +
                        " numbers");
    return out;
}

} // namespace

std::uint64_t pmtiles_tile_id(TileId const& tile) noexcept
{
    int const z = tile.z();
    // Tiles of the zooms above: 1 + 4 + ... + 4^(z-1).
    std::uint64_t const before = ((std::uint64_t{1} << (2 * z)) - 1) / 3;
    std::uint64_t const n = std::uint64_t{1} << z;
    std::uint64_t x = tile.x(), y = tile.y(), d = 0;
    // The classic Hilbert xy -> d walk: quadrant by quadrant from the largest,
    // turning the sub-square so each quadrant's curve joins the next.
    for (std::uint64_t s = n / 2; s > 0; s /= 2) {
        std::uint64_t const rx = (x & s) ? 1 : 0;
        std::uint64_t const ry = (y & s) ? 1 : 0;
        d += s * s * ((3 * rx) ^ ry);
        if (ry == 0) {
            if (rx == 1) {
                x = n - 1 - x;
                y = n - 1 - y;
            }
            std::swap(x, y);
        }
    }
    return before + d;
}

void write_pmtiles(std::filesystem::path const& mbtiles, std::filesystem::path const& out)
{
    MetadataRows const rows = MbtilesReader(mbtiles).metadata();
    sqlite3* raw_db = nullptr;
    if (sqlite3_open_v2(mbtiles.c_str(), &raw_db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close(raw_db);
        throw DataError("cannot open " + mbtiles.string());
    }
    std::unique_ptr<sqlite3, DbCloser> db(raw_db);
    auto fail = [&](char const* what) -> DataError {
        return DataError("cannot read " + mbtiles.string() + " (" + what + "): " + sqlite3_errmsg(db.get()));
    };

    // Every tile with its content key and size, then in TileId order.
    struct Addressed {
        std::uint64_t tile_id;
        std::string key;
        std::uint32_t length;
    };
    std::vector<Addressed> tiles;
    {
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(db.get(),
                               "SELECT map.zoom_level, map.tile_column, map.tile_row, map.tile_id, "
                               "length(images.tile_data) FROM map JOIN images ON images.tile_id = map.tile_id",
                               -1, &s, nullptr) != SQLITE_OK)
            throw fail("its map and images tables");
        Stmt st(s);
        int rc = 0;
        while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
            int const z = sqlite3_column_int(st.get(), 0);
            auto const x = sqlite3_column_int64(st.get(), 1);
            auto const y = (std::int64_t{1} << std::clamp(z, 0, kMaxZoom)) - 1 - sqlite3_column_int64(st.get(), 2);
            auto const tile = TileId::make(z, x, y);
            auto const length = sqlite3_column_int64(st.get(), 4);
            if (!tile || length <= 0)
                throw DataError(mbtiles.string() + " has an invalid or empty tile at zoom " + std::to_string(z));
            auto const* key = reinterpret_cast<char const*>(sqlite3_column_text(st.get(), 3));
            tiles.push_back({pmtiles_tile_id(*tile), key ? key : "", static_cast<std::uint32_t>(length)});
        }
        if (rc != SQLITE_DONE) throw fail("its tiles");
    }
    if (tiles.empty()) throw DataError(mbtiles.string() + " has no tiles: a PMTiles file needs at least one");
    std::sort(tiles.begin(), tiles.end(), [](auto const& a, auto const& b) { return a.tile_id < b.tile_id; });

    // Contents laid out in the order their first tile comes (clustered);
    // a run of consecutive TileIds with one content is one entry.
    std::unordered_map<std::string, std::uint64_t> offset_of;
    std::vector<std::string const*> content_order;
    std::vector<Entry> entries;
    std::uint64_t data_bytes = 0;
    for (auto const& t : tiles) {
        auto [it, fresh] = offset_of.try_emplace(t.key, data_bytes);
        if (fresh) {
            content_order.push_back(&it->first);
            data_bytes += t.length;
        }
        if (!entries.empty()) {
            auto& last = entries.back();
            if (last.offset == it->second && last.tile_id + last.run_length == t.tile_id) {
                ++last.run_length;
                continue;
            }
        }
        entries.push_back({t.tile_id, it->second, t.length, 1});
    }

    // The root holds every entry while it fits the first fetch; else it
    // points at leaf directories, as few entries per leaf as still fit.
    std::string root = serialize_directory(entries.begin(), entries.end());
    std::string leaves;
    for (std::size_t per_leaf = 4096; kHeaderBytes + root.size() > kFirstFetch; per_leaf *= 2) {
        leaves.clear();
        std::vector<Entry> root_entries;
        for (std::size_t i = 0; i < entries.size(); i += per_leaf) {
            auto const end = entries.begin() + static_cast<std::ptrdiff_t>(std::min(entries.size(), i + per_leaf));
            std::string leaf = serialize_directory(entries.begin() + static_cast<std::ptrdiff_t>(i), end);
            root_entries.push_back({entries[i].tile_id, leaves.size(), static_cast<std::uint32_t>(leaf.size()), 0});
            leaves += leaf;
        }
        root = serialize_directory(root_entries.begin(), root_entries.end());
    }

    // Metadata: the MBTiles rows viewers read, and vector_layers for MVT.
    std::string const format = row(rows, "format");
    bool const vector = format == "pbf" || format == "mvt";
    if (!vector && format != "png")
        throw DataError(mbtiles.string() + " has tiles of format '" + format + "'; PMTiles output takes png or pbf");
    nlohmann::ordered_json meta = nlohmann::ordered_json::object();
    for (char const* key : {"name", "description", "attribution", "type", "version"})
        if (auto v = row(rows, key); !v.empty()) meta[key] = v;
    meta["format"] = vector ? "pbf" : "png";
    if (auto const json = row(rows, "json"); !json.empty()) {
        auto const doc = nlohmann::ordered_json::parse(json, nullptr, false);
        if (doc.is_object())
            for (auto const& [k, v] : doc.items()) meta[k] = v;
    }
    std::string const metadata = encode::gzip(meta.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), 9);

    auto const bounds = numbers(row(rows, "bounds"), "bounds", 4, mbtiles);
    auto const center = numbers(row(rows, "center"), "center", 3, mbtiles);
    int const minzoom = std::stoi(row(rows, "minzoom").empty() ? "0" : row(rows, "minzoom"));
    int const maxzoom = std::stoi(row(rows, "maxzoom").empty() ? "0" : row(rows, "maxzoom"));

    std::uint64_t const root_offset = kHeaderBytes;
    std::uint64_t const metadata_offset = root_offset + root.size();
    std::uint64_t const leaves_offset = metadata_offset + metadata.size();
    std::uint64_t const data_offset = leaves_offset + leaves.size();
    std::uint64_t addressed = 0;
    for (auto const& e : entries) addressed += e.run_length;

    std::string header = "PMTiles";
    header += static_cast<char>(3);
    put_le(header, root_offset, 8);
    put_le(header, root.size(), 8);
    put_le(header, metadata_offset, 8);
    put_le(header, metadata.size(), 8);
    put_le(header, leaves_offset, 8);
    put_le(header, leaves.size(), 8);
    put_le(header, data_offset, 8);
    put_le(header, data_bytes, 8);
    put_le(header, addressed, 8);
    put_le(header, entries.size(), 8);
    put_le(header, content_order.size(), 8);
    header += static_cast<char>(1); // clustered
    header += static_cast<char>(kCompressionGzip);
    header += static_cast<char>(vector ? kCompressionGzip : kCompressionNone); // seeded MVT tiles are gzipped
    header += static_cast<char>(vector ? kTileTypeMvt : kTileTypePng);
    header += static_cast<char>(minzoom);
    header += static_cast<char>(maxzoom);
    for (double v : bounds) put_le(header, static_cast<std::uint32_t>(e7(v)), 4);
    header += static_cast<char>(std::clamp(static_cast<int>(center[2]), minzoom, maxzoom));
    put_le(header, static_cast<std::uint32_t>(e7(center[0])), 4);
    put_le(header, static_cast<std::uint32_t>(e7(center[1])), 4);
    if (header.size() != kHeaderBytes) throw Error("PMTiles header is " + std::to_string(header.size()) + " bytes");

    std::ofstream file(out, std::ios::binary | std::ios::trunc);
    if (!file) throw DataError("cannot create " + out.string());
    file << header << root << metadata << leaves;
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db.get(), "SELECT tile_data FROM images WHERE tile_id = ?1", -1, &s, nullptr) != SQLITE_OK)
        throw fail("its images table");
    Stmt content(s);
    for (auto const* key : content_order) {
        sqlite3_reset(content.get());
        sqlite3_bind_text(content.get(), 1, key->data(), static_cast<int>(key->size()), SQLITE_STATIC);
        if (sqlite3_step(content.get()) != SQLITE_ROW) throw fail("a tile's content");
        file.write(static_cast<char const*>(sqlite3_column_blob(content.get(), 0)),
                   sqlite3_column_bytes(content.get(), 0));
    }
    file.flush();
    if (!file) throw DataError("cannot write " + out.string() + " (disk full?)");
}

} // namespace sahelmap::exports
